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
