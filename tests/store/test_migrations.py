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


def make_v3(path: Path) -> None:
    """A file as the release before programs had ids wrote it (schema 3): the runner's program
    "Ladder" with two counted sessions and a choice, all filed under its name, and a built-in
    program's session."""
    import json
    from dataclasses import replace

    from legtimer.plans import find_builtin, template_to_json

    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    ladder = json.dumps(template_to_json(replace(sprint, name="Ladder", builtin=False)))
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for step in (1, 2, 3):
        for statement in _statements(MIGRATIONS[step]):
            if statement.upper().startswith("PRAGMA WRITABLE_SCHEMA = OFF"):
                version = conn.execute("PRAGMA schema_version").fetchone()[0]
                conn.execute(f"PRAGMA schema_version = {version + 1:d}")
            conn.execute(statement)
    conn.execute("PRAGMA user_version=3")
    conn.execute(
        "INSERT INTO templates (name, kind, json, created_at, updated_at) "
        "VALUES ('Ladder', 'sprint', ?, '2026-08-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z')",
        (ladder,),
    )
    rows = [
        ("l1", "Ladder", "2026-09-01T07:00:00.000Z"),
        ("l2", "Ladder", "2026-09-04T07:00:00.000Z"),
        ("s1", "Sprint 15/45", "2026-09-07T07:00:00.000Z"),
    ]
    for uuid, program, start in rows:
        conn.execute(
            "INSERT INTO sessions (uuid, template_name, template_kind, program, week, "
            "started_at, ended_at, status, planned_seconds, active_seconds, work_planned, "
            "work_done, counted) VALUES (?, ?, 'sprint', ?, 1, ?, ?, 'completed', 960, 900, 6, "
            "6, 1)",
            (uuid, program, program, start, start),
        )
    conn.execute(
        "INSERT INTO program_choices (program, at, kind, week) "
        "VALUES ('Ladder', '2026-08-30T07:00:00.000Z', 'set_week', 2)"
    )
    conn.commit()
    conn.close()


def test_v4_files_programs_under_the_templates_ids(tmp_path: Path) -> None:
    from legtimer.plans import find_builtin
    from legtimer.store.history import HistoryStore
    from legtimer.store.queries import HistoryQueries
    from legtimer.store.templates import TemplateStore

    make_v3(tmp_path / "legtimer.sqlite3")
    db = open_database(tmp_path, now=lambda: NOW)
    try:
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        templates, history = TemplateStore(db), HistoryStore(db)
        ladder = templates.find("Ladder")
        assert ladder is not None and len(ladder.key) == 32
        programs = dict(db.conn.execute("SELECT uuid, program FROM sessions").fetchall())
        assert programs == {"l1": ladder.key, "l2": ladder.key, "s1": "Sprint 15/45"}
        assert [r[0] for r in db.conn.execute("SELECT program FROM program_choices")] == [
            ladder.key
        ]
        # Chosen week 2, then two counted sessions at one a week: week 4, as before.
        assert history.program_status(ladder, NOW).week == 4
        sprint = find_builtin("Sprint 15/45")
        assert sprint is not None and history.program_status(sprint, NOW).week == 2
        # The rename now touches only the template, and the progress stays.
        renamed = templates.rename("Ladder", "Pyramid")
        assert history.program_status(renamed, NOW).week == 4
        # A template made after the upgrade gets an id too.
        from dataclasses import replace

        templates.save(replace(sprint, name="Newer", builtin=False))
        newer = templates.find("Newer")
        assert newer is not None and len(newer.key) == 32 and newer.key != ladder.key
        # The weekly totals still find the three sessions, in their weeks.
        weeks = HistoryQueries(db).weekly_totals()
        assert [(w.week_start.isoformat(), w.sessions) for w in weeks] == [
            ("2026-08-31", 2),
            ("2026-09-07", 1),
        ]
    finally:
        db.close()


def many_v1_sessions(path: Path, sessions: int) -> None:
    make_v1(path)
    conn = sqlite3.connect(path)
    rows = [
        (f"s{n}", f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00.000Z")
        for n in range(sessions)
    ]
    conn.executemany(
        "INSERT INTO sessions (uuid, template_name, template_kind, template_json, program, "
        "week, started_at, ended_at, status, planned_seconds, work_planned, counted) "
        "VALUES (?, 'Sprint 15/45', 'sprint', '{}', 'Sprint 15/45', 1, ?, ?, 'completed', 960, "
        "6, 1)",
        [(u, s, s) for u, s in rows],
    )
    conn.commit()
    conn.close()


OPEN = r"""
import sys
from pathlib import Path
from legtimer.store.db import open_database
db = open_database(Path(sys.argv[1]))
print(db.conn.execute("PRAGMA user_version").fetchone()[0], len(db.notices))
db.close()
"""


def test_two_processes_opening_an_old_file_together_both_get_it_upgraded_once(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    many_v1_sessions(tmp_path / "legtimer.sqlite3", 3000)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    versions = sorted(out.split()[0] for out, _ in results)
    assert versions == [str(SCHEMA_VERSION)] * 2
    # One of them upgraded (and says so); the other found it done and kept no extra copy.
    assert sorted(out.split()[1] for out, _ in results)[-1] == "1"
    assert len(list(tmp_path.glob("legtimer.sqlite3.v1-backup-*"))) == 1


FULL_DISK = r"""
import resource, signal, sys
from pathlib import Path
from legtimer.store.db import StoreError, open_database
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    open_database(Path(sys.argv[1]))
except StoreError as exc:
    print("refused:", exc)
"""


def test_a_disk_that_fills_while_copying_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "legtimer.sqlite3"
    many_v1_sessions(path, 2000)
    size = path.stat().st_size
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path), str(size // 2)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "refused: could not keep a copy of the history file" in out.stdout, out
    assert list(tmp_path.glob("*backup*")) == []  # no empty "backup" left behind
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 2003
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
