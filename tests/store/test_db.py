from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from legtimer.store.db import SCHEMA_VERSION, StoreError, open_database

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_creates_private_dir_and_wal_database(tmp_path: Path) -> None:
    home = tmp_path / "data"
    db = open_database(home)
    try:
        assert db.path == home / "legtimer.sqlite3" and db.path.is_file()
        assert home.stat().st_mode & 0o777 == 0o700
        assert db.journal_mode == "wal"
        conn = db.conn
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.notices == []
    finally:
        db.close()
    # Reopening an up-to-date file changes nothing and says nothing.
    again = open_database(home)
    assert again.notices == []
    again.close()


def test_garbage_file_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    bad = tmp_path / "legtimer.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    db = open_database(tmp_path, now=lambda: NOW)
    db.close()
    kept = tmp_path / "legtimer.sqlite3.corrupt-20261121T080000Z"
    assert kept.read_bytes() == b"this is not a database" * 100
    assert "damaged (not an SQLite database)" in db.notices[0]
    assert kept.name in db.notices[0]


def test_truncated_database_is_moved_aside(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    with db.transaction() as conn:
        for i in range(2000):
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"k{i}", "v" * 200))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    path = tmp_path / "legtimer.sqlite3"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    db = open_database(tmp_path, now=lambda: NOW)
    try:
        assert db.notices and "damaged" in db.notices[0]
        assert db.conn.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
    finally:
        db.close()
    assert (tmp_path / "legtimer.sqlite3.corrupt-20261121T080000Z").stat().st_size == len(data) // 2


def test_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    conn = sqlite3.connect(tmp_path / "legtimer.sqlite3")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="written by a newer LegTimer"):
        open_database(tmp_path)


def test_read_only_database_gives_a_clear_message(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    # The same error SQLite gives for a read-only file (root ignores chmod, so this is how a
    # test run as root gets it).
    db.conn.execute("PRAGMA query_only=ON")
    try:
        with (
            pytest.raises(StoreError, match="read-only: sessions cannot be saved"),
            db.transaction() as conn,
        ):
            conn.execute("INSERT INTO settings VALUES ('a', 'b')")
    finally:
        db.close()


def test_clean_start_skips_the_full_check_and_leaves_no_marker(tmp_path: Path) -> None:
    open_database(tmp_path).close()
    assert not list(tmp_path.glob("legtimer.sqlite3.open-*"))
    db = open_database(tmp_path)
    assert not db.integrity_checked
    second = open_database(tmp_path)  # a second reader (the CLI beside the app) is fine
    assert not second.integrity_checked
    second.close()
    db.close()


def test_damaged_page_found_after_an_unclean_shutdown(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    with db.transaction() as conn:
        for i in range(500):
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"k{i}", "v" * 300))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()  # the process "dies": its marker stays behind
    assert db.marker is not None
    db.marker._file.close()
    path = tmp_path / "legtimer.sqlite3"
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 3 : page * 3 + 64] = b"\xff" * 64  # scribble over a b-tree page
    path.write_bytes(bytes(data))
    again = open_database(tmp_path, now=lambda: NOW)
    try:
        assert again.integrity_checked
        assert again.notices and "damaged" in again.notices[0]
    finally:
        again.close()
    assert list(tmp_path.glob("legtimer.sqlite3.corrupt-*"))


CLI_RUN = r"""
import sys
from legtimer.__main__ import main
sys.exit(main(["--data-dir", sys.argv[1], "history"]))
"""


def test_sixteen_command_line_runs_at_once_all_succeed(tmp_path: Path) -> None:
    """Each run's marker is locked before anyone else can see it: no run fails with
    "is locked", and none takes another's live marker for a crash's leftover."""
    import subprocess
    import sys

    open_database(tmp_path).close()
    for _ in range(3):
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", CLI_RUN, str(tmp_path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(16)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 16, [e for e in errors if e]
        assert not any("full check" in e or "locked" in e for e in errors)
    assert list(tmp_path.glob("legtimer.sqlite3.open-*")) == []
