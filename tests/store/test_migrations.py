"""Upgrading a real v1 file: a backup copy first, then each step in its own transaction."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from legtimer.store.db import (
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreError,
    _statements,
    open_database,
)

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def make_v1(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version=1")
    rows = [
        ("a", "2026-09-01T07:00:00.000Z", "completed", 1),
        ("b", "2026-09-02T08:00:00.000Z", "completed", 1),  # 25 h after a: short recovery
        ("c", "2026-09-06T08:00:00.000Z", "stopped", 0),
    ]
    for uuid, start, status, counted in rows:
        conn.execute(
            "INSERT INTO sessions (uuid, template_name, template_kind, template_json, program, "
            "week, started_at, ended_at, status, planned_seconds, work_planned, counted) "
            "VALUES (?, 'Sprint 15/45', 'sprint', '{}', 'Sprint 15/45', 1, ?, ?, ?, 960, 6, ?)",
            (uuid, start, start, status, counted),
        )
    conn.commit()
    conn.close()


def test_migrates_a_v1_file_with_a_backup(tmp_path: Path) -> None:
    assert SCHEMA_VERSION >= 2
    make_v1(tmp_path / "legtimer.sqlite3")
    db = open_database(tmp_path, now=lambda: NOW)
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        flags = dict(db.conn.execute("SELECT uuid, short_recovery FROM sessions").fetchall())
        assert flags == {"a": 0, "b": 1, "c": 0}
        assert "upgraded" in db.notices[0]
    finally:
        db.close()
    backup = tmp_path / "legtimer.sqlite3.v1-backup-20261121T080000Z"
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 3
    finally:
        old.close()


def test_failed_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_v1(tmp_path / "legtimer.sqlite3")
    monkeypatch.setitem(MIGRATIONS, 2, MIGRATIONS[2] + "\nTHIS IS NOT SQL;")
    with pytest.raises(StoreError):
        open_database(tmp_path, now=lambda: NOW)
    conn = sqlite3.connect(tmp_path / "legtimer.sqlite3")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = [r[1] for r in conn.execute("PRAGMA table_info(sessions)")]
        assert "short_recovery" not in columns
    finally:
        conn.close()


def make_v2(path: Path) -> None:
    """A file as the release before the session rules wrote it (schema 2)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for step in (1, 2):
        for statement in _statements(MIGRATIONS[step]):
            conn.execute(statement)
    conn.execute("PRAGMA user_version=2")
    rows = [
        # uuid, status, work planned, work done, counted
        ("all-done", "completed", 6, 6, 1),
        ("some-skipped", "completed", 6, 2, 0),
        ("all-skipped", "completed", 6, 0, 0),
        ("stopped-in-cooldown", "stopped", 6, 6, 1),
        ("plain-run", "completed", 0, 0, 0),
    ]
    for n, (uuid, status, planned, done, counted) in enumerate(rows):
        start = f"2026-09-0{n + 1}T07:00:00.000Z"
        conn.execute(
            "INSERT INTO sessions (uuid, template_name, template_kind, program, week, "
            "started_at, ended_at, status, planned_seconds, work_planned, work_done, counted) "
            "VALUES (?, 'Sprint 15/45', 'sprint', 'Sprint 15/45', 1, ?, ?, ?, 960, ?, ?, ?)",
            (uuid, start, start, status, planned, done, counted),
        )
    conn.commit()
    conn.close()


def test_v3_names_how_each_session_ended_and_keeps_every_row(tmp_path: Path) -> None:
    make_v2(tmp_path / "legtimer.sqlite3")
    db = open_database(tmp_path, now=lambda: NOW)
    try:
        statuses = dict(db.conn.execute("SELECT uuid, status FROM sessions").fetchall())
        assert statuses == {
            "all-done": "completed",
            "some-skipped": "partial",
            "all-skipped": "skipped",
            "stopped-in-cooldown": "stopped",
            "plain-run": "completed",
        }
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The widened CHECK still refuses what is not a status.
        with pytest.raises(sqlite3.IntegrityError):
            db.conn.execute("UPDATE sessions SET status = 'bogus' WHERE uuid = 'all-done'")
        from legtimer.plans import find_builtin
        from legtimer.store.history import HistoryStore

        sprint = find_builtin("Sprint 15/45")
        assert sprint is not None
        # Both sessions whose six sprints were done count, the stopped one included: one
        # session a week, so week 3.
        assert sprint.sessions_per_week == 1
        assert HistoryStore(db).program_status(sprint, NOW).week == 3
    finally:
        db.close()
