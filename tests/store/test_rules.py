"""One rule for how a session ends, what counts for a program and what is a hard session,
held the same by the program status, the ladder, the streak and the weekly balance."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legtimer.engine import FakeClock, Session
from legtimer.plans import Template, find_builtin
from legtimer.plans.rules import counts_for_program, finished_status
from legtimer.store.db import Database, open_database
from legtimer.store.history import HistoryStore
from legtimer.store.queries import HistoryQueries

MONDAY = datetime(2026, 6, 1, 6, 30, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "home")
    yield database
    database.close()


def sprint() -> Template:
    t = find_builtin("Sprint 15/45")
    assert t is not None
    return t


def run(
    history: HistoryStore,
    template: Template,
    start: datetime,
    *,
    week: int | None = None,
    skip_work: set[int] = frozenset(),  # type: ignore[assignment]
    stop_at_cooldown: bool = False,
) -> None:
    """Run a session through the real engine: the work intervals numbered in `skip_work`
    skipped as they start, or stopped as the cool-down starts."""
    clock = FakeClock()
    session = Session(template.expand(week), clock, stall_grace=None)
    handle = history.begin(template, week, session.records(), started_at=start)
    events = list(session.start())
    work_seen = 0
    status = None
    while status is None:
        for e in events:
            if e.record is not None:
                history.record_interval(handle, e.record)
        snap = session.snapshot()
        if session.state.is_over:
            status = "stopped" if session.state.value == "stopped" else "done"
            break
        interval = snap.interval
        if interval.kind.value == "cooldown" and stop_at_cooldown:
            clock.advance(10)
            events = session.stop()
            continue
        if interval.kind.is_work and snap.interval_elapsed == 0:
            work_seen += 1
            if work_seen in skip_work:
                events = session.skip()
                continue
        clock.advance(snap.seconds_left)
        events = session.poll()[1]
    records = session.records()
    work = [r for r in records if r.interval.kind.is_work]
    done = sum(1 for r in work if r.completed)
    final = "stopped" if status == "stopped" else finished_status(len(work), done)
    history.finish(handle, final, records, start + timedelta(seconds=session.total_planned))


def test_the_rules() -> None:
    assert finished_status(6, 6) == "completed"
    assert finished_status(6, 2) == "partial"
    assert finished_status(6, 0) == "skipped"
    assert finished_status(0, 0) == "completed"  # a plain run has no work to skip
    assert counts_for_program(6, 6) and not counts_for_program(6, 5)
    assert not counts_for_program(0, 0)


def test_stopped_in_the_cooldown_after_every_sprint_counts_everywhere(db: Database) -> None:
    history, queries = HistoryStore(db), HistoryQueries(db)
    run(history, sprint(), MONDAY, week=1, stop_at_cooldown=True)
    [row] = queries.page()
    assert row.status == "stopped" and row.work_done == 6 and row.counted
    status = history.program_status(sprint(), MONDAY + timedelta(hours=1))
    assert sprint().sessions_per_week == 1 and status.week == 2  # week 1 is done
    assert queries.program_week_counts(sprint().name) == {1: 1}
    assert queries.streaks(sprint().name, 1, today=MONDAY.date()) == (1, 1)


def test_a_session_skipped_through_is_skipped_and_not_in_the_weekly_balance(
    db: Database,
) -> None:
    history, queries = HistoryStore(db), HistoryQueries(db)
    run(history, sprint(), MONDAY, week=1, skip_work=set(range(1, 7)))
    run(history, sprint(), MONDAY + timedelta(hours=3), week=1, skip_work={2})
    run(history, sprint(), MONDAY + timedelta(hours=6), week=1)
    statuses = [r.status for r in queries.page(descending=False)]
    assert statuses == ["skipped", "partial", "completed"]
    [week] = queries.weekly_totals()
    assert week.sessions == 2  # the partial one and the full one were sessions; not the skip
    assert sum(n for n, _ in queries.daily_totals().values()) == 2
    assert history.program_status(sprint(), MONDAY + timedelta(hours=7)).week == 2


def test_any_hard_session_calls_for_recovery_before_the_next(db: Database) -> None:
    history = HistoryStore(db)
    hiit = find_builtin("HIIT 30/30")
    assert hiit is not None
    run(history, hiit, MONDAY)
    status = history.program_status(sprint(), MONDAY + timedelta(hours=12))
    assert status.short_recovery
    assert any("48 hours" in line for line in status.advice)
    assert not history.program_status(sprint(), MONDAY + timedelta(hours=49)).short_recovery


def test_a_session_skipped_through_is_not_hard(db: Database) -> None:
    history = HistoryStore(db)
    hiit = find_builtin("HIIT 30/30")
    assert hiit is not None
    run(history, hiit, MONDAY, skip_work=set(range(1, 100)))
    assert not history.program_status(sprint(), MONDAY + timedelta(hours=12)).short_recovery


#: One session of the program: how it goes (all done, one sprint skipped, all skipped, stopped
#: in the cool-down after every sprint) and the hours since the one before.
SESSION = st.tuples(
    st.sampled_from(["done", "one skipped", "all skipped", "stopped after the work"]),
    st.integers(20, 200),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions=st.lists(SESSION, min_size=1, max_size=8))
def test_status_ladder_streak_and_balance_agree(sessions: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as home:
        db = open_database(Path(home))
        try:
            check_agreement(db, sessions)
        finally:
            db.close()


def check_agreement(db: Database, sessions: list[tuple[str, int]]) -> None:
    history, queries = HistoryStore(db), HistoryQueries(db)
    t = sprint()
    when = MONDAY
    counted = 0
    for how, hours in sessions:
        when += timedelta(hours=hours)
        week = history.program_status(t, when).week
        skip = {1} if how == "one skipped" else set(range(1, 13)) if how == "all skipped" else set()
        run(history, t, when, week=week, skip_work=skip, stop_at_cooldown=how.startswith("stop"))
        counted += how in ("done", "stopped after the work")
    later = when + timedelta(hours=1)
    status = history.program_status(t, later)
    ladder = queries.program_week_counts(t.name)
    # The ladder and the status count the same sessions.
    assert sum(ladder.values()) == counted
    expected_week = min(1 + counted // t.sessions_per_week, t.weeks)
    assert status.week == expected_week or (status.complete and counted >= t.weeks)
    # The streak's weeks are the weeks with counted sessions.
    current, best = queries.streaks(t.name, 1, today=later.date())
    weeks_met = {
        (r.started_at.date() - timedelta(days=r.started_at.weekday()))
        for r in queries.page(limit=100)
        if r.counted
    }
    assert best <= len(weeks_met) and (best > 0) == bool(weeks_met)
    # The weekly balance counts every session but the ones skipped through.
    sessions_shown = sum(w.sessions for w in queries.weekly_totals())
    assert sessions_shown == sum(1 for how, _ in sessions if how != "all skipped")
    assert 0 <= current <= best


def test_a_renamed_program_keeps_its_progress_and_its_history_keeps_the_name_run(
    db: Database,
) -> None:
    from dataclasses import replace

    from legtimer.store.templates import TemplateStore

    store, history = TemplateStore(db), HistoryStore(db)
    store.save(replace(sprint(), name="Mine", builtin=False))
    mine = store.find("Mine")
    assert mine is not None
    run(history, mine, MONDAY, week=1)
    run(history, mine, MONDAY + timedelta(days=3), week=2)
    assert history.program_status(mine, MONDAY + timedelta(days=4)).week == 3
    renamed = store.rename("Mine", "My sprints")
    assert history.program_status(renamed, MONDAY + timedelta(days=4)).week == 3
    assert [r.template for r in HistoryQueries(db).page()] == ["Mine", "Mine"]
    back = store.rename("My sprints", "Mine")
    assert history.program_status(back, MONDAY + timedelta(days=4)).week == 3


def test_a_rename_with_a_clash_changes_nothing(db: Database) -> None:
    from dataclasses import replace

    from legtimer.store.templates import TemplateExists, TemplateStore

    store, history = TemplateStore(db), HistoryStore(db)
    store.save(replace(sprint(), name="Mine", builtin=False))
    store.save(replace(sprint(), name="Other", builtin=False))
    mine = store.find("Mine")
    assert mine is not None
    run(history, mine, MONDAY, week=1)
    with pytest.raises(TemplateExists):
        store.update(replace(mine, name="other", description="changed"), "Mine")
    kept = store.find("Mine")
    assert kept is not None and kept.description == mine.description
    assert history.program_status(kept, MONDAY + timedelta(days=1)).week == 2


def test_a_program_is_filed_under_its_id_not_its_name(db: Database) -> None:
    """A new template that takes a deleted one's name starts afresh; the deleted one brought
    back (the undo) has its progress again; the history names the program as it is now."""
    from dataclasses import replace

    from legtimer.store.templates import TemplateStore

    store, history, queries = TemplateStore(db), HistoryStore(db), HistoryQueries(db)
    store.save(replace(sprint(), name="Mine", builtin=False))
    mine = store.find("Mine")
    assert mine is not None and mine.key
    run(history, mine, MONDAY, week=1)
    later = MONDAY + timedelta(days=3)
    assert history.program_status(mine, later).week == 2
    renamed = store.rename("Mine", "Fast")
    assert renamed.key == mine.key
    row = queries.page()[0]
    assert (row.template, row.program, row.program_key) == ("Mine", "Fast", mine.key)
    deleted = store.delete("Fast")
    assert deleted is not None and deleted.key == mine.key
    store.save(replace(sprint(), name="Fast", builtin=False))
    newcomer = store.find("Fast")
    assert newcomer is not None and newcomer.key != mine.key
    assert history.program_status(newcomer, later).week == 1
    assert queries.program_week_counts("Fast") == {}
    store.delete("Fast")
    store.save(deleted)  # the undo
    assert history.program_status(deleted, later).week == 2
    assert queries.program_week_counts("Fast") == {1: 1}


def test_a_backup_keeps_each_session_with_its_program_whatever_it_is_called(
    tmp_path: Path,
) -> None:
    """Restored into another history, a renamed program keeps its progress; a backup written
    before programs had ids (sessions filed by name) lands under the template of that name."""
    import json
    from dataclasses import replace

    from legtimer.store.exports import backup_document, restore_backup
    from legtimer.store.templates import TemplateStore

    first = open_database(tmp_path / "first")
    try:
        store, history = TemplateStore(first), HistoryStore(first)
        store.save(replace(sprint(), name="Mine", builtin=False))
        mine = store.find("Mine")
        assert mine is not None
        run(history, mine, MONDAY, week=1)
        run(history, mine, MONDAY + timedelta(days=3), week=2)
        store.rename("Mine", "Renamed")
        doc = backup_document(first, HistoryQueries(first).all_details(), MONDAY)
    finally:
        first.close()
    later = MONDAY + timedelta(days=5)
    assert {s["program"] for s in doc["sessions"]} == {"Renamed"}
    second = open_database(tmp_path / "second")
    try:
        restore_backup(second, json.loads(json.dumps(doc)))
        renamed = TemplateStore(second).find("Renamed")
        assert renamed is not None
        assert HistoryStore(second).program_status(renamed, later).week == 3
    finally:
        second.close()
    # As an older release wrote it: no ids, the program by its name.
    old = json.loads(json.dumps(doc))
    del old["template_ids"]
    for s in old["sessions"]:
        del s["program_id"]
    third = open_database(tmp_path / "third")
    try:
        restore_backup(third, old)
        renamed = TemplateStore(third).find("Renamed")
        assert renamed is not None and renamed.key
        assert HistoryStore(third).program_status(renamed, later).week == 3
        keys = {r[0] for r in third.conn.execute("SELECT program FROM sessions")}
        assert keys == {renamed.key}
    finally:
        third.close()
