from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from legtimer.engine import FakeClock, Session
from legtimer.plans import find_builtin
from legtimer.store.db import open_database
from legtimer.store.history import HistoryStore

T0 = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)


def run_sprint_session(
    history: HistoryStore, week: int, start: datetime, *, stop_after: int | None = None
) -> None:
    template = find_builtin("Sprint 15/45")
    assert template is not None
    clock = FakeClock()
    session = Session(template.expand(week), clock, stall_grace=None)
    handle = history.begin(template, week, session.records(), started_at=start)
    session.start()
    for _ in range(int(session.total_planned)):
        clock.advance(1)
        _, events = session.poll()
        for e in events:
            if e.record is not None:
                history.record_interval(handle, e.record)
        if stop_after is not None and session.snapshot().elapsed >= stop_after:
            session.stop()
            history.finish(
                handle, "stopped", session.records(), start + timedelta(seconds=stop_after)
            )
            return
    history.finish(handle, "completed", session.records(), start + timedelta(minutes=16))


def test_sessions_drive_the_program_week(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    history = HistoryStore(db, now=lambda: T0 + timedelta(days=10))
    run_sprint_session(history, 1, T0)
    run_sprint_session(history, 2, T0 + timedelta(days=3), stop_after=400)
    marks = history.program_marks("Sprint 15/45")
    assert [m.counted for m in marks] == [True, False]
    row = db.conn.execute(
        "SELECT status, work_done, work_planned, counted, active_seconds FROM sessions ORDER BY id"
    ).fetchall()
    assert tuple(row[0]) == ("completed", 6, 6, 1, 960.0)
    assert tuple(row[1])[:4] == ("stopped", 2, 8, 0)
    db.close()


CHILD = r"""
import sys
from datetime import UTC, datetime
from legtimer.engine import FakeClock, Session
from legtimer.plans import find_builtin
from legtimer.store.db import open_database
from legtimer.store.history import HistoryStore
t = find_builtin("Sprint 15/45")
clock = FakeClock()
s = Session(t.expand(1), clock, stall_grace=None)
db = open_database(__import__("pathlib").Path(sys.argv[1]))
h = HistoryStore(db)
handle = h.begin(t, 1, s.records(), datetime(2026, 9, 1, 7, tzinfo=UTC))
s.start()
for _ in range(330):  # warm-up, sprint 1, and 15 s into rest 1
    clock.advance(1)
    for e in s.poll()[1]:
        if e.record is not None:
            h.record_interval(handle, e.record)
print("ready", flush=True)
sys.stdin.read()  # wait here until killed
"""


def test_sigkill_mid_session_keeps_finished_intervals(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.stdin is not None
    proc.stdin.close()
    proc.stdout.close()
    assert list(tmp_path.glob("legtimer.sqlite3.open-*")), "the dead process left its marker"
    db = open_database(tmp_path)
    try:
        assert db.notices == []
        assert db.integrity_checked  # an unclean shutdown: the whole file was checked
        assert len(list(tmp_path.glob("legtimer.sqlite3.open-*"))) == 1  # only ours now
        history = HistoryStore(db)
        assert history.close_unfinished() == 1
        s = db.conn.execute("SELECT * FROM sessions").fetchone()
        assert s["status"] == "interrupted"
        assert s["active_seconds"] == 315.0  # warm-up + sprint 1; rest 1 was in progress
        assert s["ended_at"] == "2026-09-01T07:05:15.000Z"
        rows = db.conn.execute(
            "SELECT position, kind, outcome, actual_seconds FROM intervals ORDER BY position"
        ).fetchall()
        assert [tuple(r) for r in rows] == [
            (0, "warmup", "completed", 300.0),
            (1, "work", "completed", 15.0),
        ]
        snapshot = json.loads(
            db.conn.execute(
                "SELECT json FROM template_snapshots WHERE id = ?", (s["snapshot_id"],)
            ).fetchone()[0]
        )
        assert snapshot["name"] == "Sprint 15/45"
        assert history.program_marks("Sprint 15/45")[0].counted is False
        assert history.close_unfinished() == 0
    finally:
        db.close()


def test_indexed_program_status_matches_the_pure_function(tmp_path: Path) -> None:
    from legtimer.plans.progression import ChoiceKind, ProgramChoice, program_status
    from tests.store.factory import sprint_months

    db = open_database(tmp_path)
    now = T0 + timedelta(weeks=20)
    history = HistoryStore(db, now=lambda: now)
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    sprint_months(history, T0)
    for choice in (None, ProgramChoice(T0 + timedelta(weeks=9, hours=1), ChoiceKind.SET_WEEK, 2)):
        if choice is not None:
            history.add_choice(sprint.name, choice)
        expected = program_status(
            sprint.weeks,
            sprint.sessions_per_week,
            history.program_marks(sprint.name),
            history.program_choices(sprint.name),
            now,
        )
        assert history.program_status(sprint) == expected
    assert history.program_status(sprint).complete
    db.close()
