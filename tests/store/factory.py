"""Realistic histories for tests: sessions run through the real engine, recorded through the
real store."""

from __future__ import annotations

from datetime import datetime, timedelta

from legtimer.engine import FakeClock, Session
from legtimer.plans import Template, find_builtin
from legtimer.store.history import HistoryStore, SessionStart


def record_session(
    history: HistoryStore,
    template: Template,
    start: datetime,
    *,
    week: int | None = None,
    status: str = "completed",
    stop_after: float | None = None,
) -> SessionStart:
    """Run `template` on a fake clock and record it; with `stop_after` (seconds) it is stopped
    there ("stopped") or left running as a crash would ("interrupted" once closed)."""
    clock = FakeClock()
    session = Session(template.expand(week), clock, stall_grace=None)
    handle = history.begin(template, week, session.records(), started_at=start)
    session.start()
    clock.advance(stop_after if stop_after is not None else session.total_planned)
    for e in session.poll()[1]:
        if e.record is not None:
            history.record_interval(handle, e.record)
    if status == "interrupted":
        return handle  # the process "died": no finish
    if status == "stopped":
        session.stop()
    end = start + timedelta(seconds=session.snapshot().elapsed)
    history.finish(handle, status, session.records(), end)
    return handle


def sprint_months(history: HistoryStore, first: datetime) -> list[SessionStart]:
    """A few months of the sprint program, two sessions a week, one stopped early and one
    interrupted, plus a hill session each week."""
    sprint = find_builtin("Sprint 15/45")
    hill = find_builtin("Hill repeats")
    assert sprint is not None and hill is not None
    out = []
    day = first
    week = 1
    for n in range(16):
        if n == 5:
            out.append(
                record_session(history, sprint, day, week=week, status="stopped", stop_after=420)
            )
        elif n == 9:
            out.append(
                record_session(
                    history, sprint, day, week=week, status="interrupted", stop_after=500
                )
            )
            history.close_unfinished()
        else:
            out.append(record_session(history, sprint, day, week=week))
            week = min(4, week + 1)
        out.append(record_session(history, hill, day + timedelta(days=2, hours=1)))
        day += timedelta(days=7)
    return out
