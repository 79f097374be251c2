"""Restore checks every value against the backup format before it writes anything, and names
the first bad value by its place (each case here broke the app before)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from legtimer.plans import find_builtin, template_to_json
from legtimer.store.backupformat import schema
from legtimer.store.db import Database, StoreError, open_database
from legtimer.store.exports import backup_document, read_backup, restore_backup
from legtimer.store.history import HistoryStore
from legtimer.store.queries import HistoryQueries
from tests.store.factory import record_session

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def good(tmp_path: Path) -> dict[str, Any]:
    """A real backup: two sprint sessions and a choice, as the app writes it."""
    db = open_database(tmp_path / "source")
    try:
        history = HistoryStore(db)
        sprint = find_builtin("Sprint 15/45")
        assert sprint is not None
        record_session(history, sprint, NOW - timedelta(days=3), week=1)
        record_session(history, sprint, NOW - timedelta(days=1), week=2)
        from legtimer.plans.progression import ChoiceKind, ProgramChoice

        history.add_choice(
            sprint.name, ProgramChoice(NOW - timedelta(days=2), ChoiceKind.SET_WEEK, 2)
        )
        doc = backup_document(db, HistoryQueries(db).all_details(), NOW)
    finally:
        db.close()
    out: dict[str, Any] = json.loads(json.dumps(doc))
    return out


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "target")
    yield db
    db.close()


def refused(db: Database, doc: object, tmp_path: Path, text: str | None = None) -> str:
    """The message a restore of `doc` (or of the raw `text`) gives; checks nothing was written."""
    path = tmp_path / "backup.json"
    path.write_text(text if text is not None else json.dumps(doc), encoding="utf-8")
    with pytest.raises(StoreError) as info:
        restore_backup(db, read_backup(path, lambda: NOW), checked=True)
    assert HistoryQueries(db).count() == 0
    assert db.conn.execute("SELECT COUNT(*) FROM program_choices").fetchone()[0] == 0
    message = str(info.value)
    assert message.endswith("; nothing was restored"), message
    return message.removesuffix("; nothing was restored")


def edited(doc: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    change(out)
    return out


CASES: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    (
        "sessions not a list",
        lambda d: d.update(sessions=5),
        "sessions: must be a list, not a number",
    ),
    (
        "a choice without its moment",
        lambda d: d["program_choices"][0].pop("at"),
        "program_choices[0]: at is missing",
    ),
    (
        "a list where text belongs",
        lambda d: d["sessions"][0].update(template=["Sprint"]),
        "sessions[0].template: must be text, not a list",
    ),
    (
        "a week of 10^20",
        lambda d: d["sessions"][1].update(week=10**20),
        "sessions[1].week: 100000000000000000000 is above 52",
    ),
    (
        "seconds of 1e300 in a session caught running",
        lambda d: (
            d["sessions"][0].update(status="running"),
            d["sessions"][0]["intervals"][0].update(actual_seconds=1e300),
        ),
        "sessions[0].intervals[0].actual_seconds: 1e+300 is above 14400",
    ),
    (
        "seconds of 1e308",
        lambda d: d["sessions"][0].update(active_seconds=1e308),
        "sessions[0].active_seconds: 1e+308 is above 2.592e+06",
    ),
    (
        "seconds as text",
        lambda d: d["sessions"][0].update(planned_seconds="abc"),
        "sessions[0].planned_seconds: must be a number, not text",
    ),
    (
        "a start in year 9999",
        lambda d: d["sessions"][0].update(started_at="9999-01-01T00:00:00.000Z"),
        "sessions[0].started_at: '9999-01-01T00:00:00.000Z' is later than tomorrow",
    ),
    (
        "a start in year 1",
        lambda d: d["sessions"][0].update(started_at="0001-01-01T00:00:00.000Z"),
        "sessions[0].started_at: '0001-01-01T00:00:00.000Z' is before 2000",
    ),
    (
        "a choice dated 9999",
        lambda d: d["program_choices"][0].update(at="9999-12-31T00:00:00.000Z"),
        "program_choices[0].at: '9999-12-31T00:00:00.000Z' is later than tomorrow",
    ),
    (
        "a choice dated garbage",
        lambda d: d["program_choices"][0].update(at="garbage"),
        "program_choices[0].at: 'garbage' is not a date and time like",
    ),
    (
        "a name with NUL and an escape sequence",
        lambda d: d["sessions"][0].update(template="Evil\x00\x1b[31m"),
        "sessions[0].template: 'Evil\\x00\\x1b[31m' holds a control character (0x00)",
    ),
    (
        "a lone surrogate in the notes",
        lambda d: d["sessions"][0].update(notes="ok \ud800"),
        "sessions[0].notes: 'ok \\ud800' holds a lone surrogate (0xd800)",
    ),
    (
        "control characters in the notes",
        lambda d: d["sessions"][0].update(notes="a\x0bb\x0cc"),
        "sessions[0].notes: 'a\\x0bb\\x0cc' holds a control character (0x0b)",
    ),
    (
        "a template named like a built-in",
        lambda d: d["templates"].append(
            template_to_json(find_builtin("HIIT 30/30"))  # type: ignore[arg-type]
        ),
        "templates[0].name: 'HIIT 30/30' is a built-in's name",
    ),
    (
        "more work done than planned",
        lambda d: d["sessions"][0].update(work_done=7),
        "sessions[0].work_done: 7 is more than the 6 planned",
    ),
    (
        "an unknown status",
        lambda d: d["sessions"][0].update(status="won"),
        "sessions[0].status: 'won' is not one of running, completed",
    ),
]


@pytest.mark.parametrize(("what", "change", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_value_is_named_and_nothing_is_written(
    good: dict[str, Any],
    target: Database,
    tmp_path: Path,
    what: str,
    change: Callable[[dict[str, Any]], object],
    message: str,
) -> None:
    said = refused(target, edited(good, change), tmp_path)
    assert said.startswith(message), said


def test_what_json_itself_cannot_hold_is_refused_too(
    good: dict[str, Any], target: Database, tmp_path: Path
) -> None:
    text = json.dumps(good).replace('"active_seconds": 0', '"active_seconds": Infinity', 1)
    text = text.replace('"paused_seconds": 0', '"paused_seconds": Infinity', 1)
    assert "Infinity" in text
    assert "Infinity is not a number JSON allows" in refused(target, None, tmp_path, text)
    deep = json.dumps(good)[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert "nested too deeply" in refused(target, None, tmp_path, deep)


def test_special_files_are_not_read(target: Database, tmp_path: Path) -> None:
    """A device never ends (its size says 0) and a pipe blocks: neither is read."""
    from tests.conftest import special_files

    for path in special_files(tmp_path):
        with pytest.raises(StoreError, match="is not a regular file"):
            read_backup(path)


def test_a_good_backup_restores_and_running_sessions_come_back_interrupted(
    good: dict[str, Any], target: Database, tmp_path: Path
) -> None:
    caught = edited(good, lambda d: d["sessions"][0].update(status="running", ended_at=None))
    path = tmp_path / "b.json"
    path.write_text(json.dumps(caught))
    result = restore_backup(target, read_backup(path, lambda: NOW), checked=True)
    assert result.sessions_added == 2
    statuses = sorted(r.status for r in HistoryQueries(target).page())
    assert statuses == ["completed", "interrupted"]


def test_a_later_backup_brings_a_cut_short_session_up_to_date(
    good: dict[str, Any], target: Database
) -> None:
    """A backup taken mid-session, restored, then a later one that holds it finished: the
    session is finished here too (and a note written here since stays)."""
    first = good["sessions"][0]
    mid = edited(good, lambda d: d["sessions"][0].update(status="running", ended_at=None))
    mid["sessions"][0]["intervals"] = first["intervals"][:3]
    mid["sessions"] = mid["sessions"][:1]
    restore_backup(target, mid, now=NOW)
    queries = HistoryQueries(target)
    queries.set_notes(first["uuid"], "legs heavy")
    later = restore_backup(target, good, now=NOW)
    assert (later.sessions_added, later.sessions_updated, later.sessions_skipped) == (1, 1, 0)
    detail = queries.detail(first["uuid"])
    assert detail is not None
    assert detail.session.status == "completed"
    assert len(detail.intervals) == len(first["intervals"])
    assert detail.session.notes == "legs heavy"
    again = restore_backup(target, good, now=NOW)
    assert (again.sessions_added, again.sessions_updated, again.sessions_skipped) == (0, 0, 2)


def test_the_schema_is_published_with_the_format() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "backup-format.md").read_text()
    assert "resources/backup.schema.json" in doc
    assert schema()["properties"]["format"] == {"const": "legtimer.backup/1"}
