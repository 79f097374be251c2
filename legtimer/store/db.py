"""The database file: opening it safely, its pragmas, and its migrations.

One SQLite file in the data directory. WAL with synchronous=FULL, so a committed interval
survives a power cut; foreign keys on; a busy timeout so a second reader never fails at once.
A file that is not a database, or fails the integrity check, is moved aside (never deleted) and
a fresh one is started; the caller is told, so the app can say so.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from legtimer import paths

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        template_name TEXT NOT NULL,
        template_kind TEXT NOT NULL,
        template_json TEXT NOT NULL,
        program TEXT,
        week INTEGER,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL
            CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
        planned_seconds REAL NOT NULL,
        active_seconds REAL NOT NULL DEFAULT 0,
        paused_seconds REAL NOT NULL DEFAULT 0,
        work_planned INTEGER NOT NULL,
        work_done INTEGER NOT NULL DEFAULT 0,
        counted INTEGER NOT NULL DEFAULT 0,
        rpe INTEGER CHECK (rpe BETWEEN 1 AND 10),
        notes TEXT NOT NULL DEFAULT '',
        deleted_at TEXT
    );
    CREATE INDEX sessions_by_start ON sessions (started_at);
    CREATE INDEX sessions_by_program ON sessions (program, started_at);
    CREATE TABLE intervals (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        planned_seconds REAL NOT NULL,
        actual_seconds REAL NOT NULL,
        paused_seconds REAL NOT NULL DEFAULT 0,
        outcome TEXT NOT NULL,
        speed_kmh REAL,
        incline_pct REAL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE templates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE program_choices (
        id INTEGER PRIMARY KEY,
        program TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('repeat_week', 'set_week', 'restart')),
        week INTEGER NOT NULL CHECK (week >= 1)
    );
    CREATE INDEX program_choices_by_program ON program_choices (program, at);
    """,
    # v2: keep the progression's "short recovery" flag on each session (a session less than
    # 48 h after the previous counted one of its program), backfilled for the history so far.
    2: """
    ALTER TABLE sessions ADD COLUMN short_recovery INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET short_recovery = 1
    WHERE program IS NOT NULL AND EXISTS (
        SELECT 1 FROM sessions AS prev
        WHERE prev.program = sessions.program
          AND prev.counted = 1 AND prev.status = 'completed' AND prev.deleted_at IS NULL
          AND prev.started_at < sessions.started_at
          AND julianday(sessions.started_at) - julianday(prev.started_at) < 2.0
    );
    CREATE INDEX sessions_by_kind ON sessions (template_kind, started_at);
    """,
}
SCHEMA_VERSION = max(MIGRATIONS)


class StoreError(Exception):
    """A problem with the history file, in words a runner can act on."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with seconds precision and a Z, as stored and exported."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class Database:
    path: Path
    conn: sqlite3.Connection
    #: Things the runner should be told (a file moved aside, a migration backup).
    notices: list[str] = field(default_factory=list)
    journal_mode: str = "wal"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back on any error. Disk errors become StoreError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise StoreError(_explain(exc, self.path)) from exc

    def close(self) -> None:
        self.conn.close()


def _explain(exc: sqlite3.Error, path: Path) -> str:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return f"the history file {path} is read-only: sessions cannot be saved"
    if "disk is full" in text or "full" in text:
        return f"the disk holding {path} is full: sessions cannot be saved"
    if "locked" in text or "busy" in text:
        return f"the history file {path} is in use by another program"
    return f"the history file {path} could not be written: {exc}"


def open_database(
    directory: Path | None = None, *, now: Callable[[], datetime] = utc_now
) -> Database:
    """Open (creating or migrating as needed) the history database in `directory`."""
    directory = paths.ensure_data_dir(directory or paths.data_dir())
    path = paths.database_path(directory)
    notices: list[str] = []
    if path.exists():
        problem = _check_file(path)
        if problem:
            moved = _move_aside(path, now())
            notices.append(
                f"The history file was damaged ({problem}). It was kept as {moved.name} and a "
                "new one was started."
            )
            log.warning("moved damaged database aside: %s (%s)", moved, problem)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    except sqlite3.Error as exc:
        raise StoreError(_explain(exc, path)) from exc
    conn.row_factory = sqlite3.Row
    db = Database(path, conn, notices)
    try:
        _configure(db)
        _migrate(db, now)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(_explain(exc, path)) from exc
    except BaseException:
        conn.close()
        raise
    return db


def _check_file(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the history file {path}: {exc.strerror}") from exc
    if header == b"" and path.stat().st_size == 0:
        return None  # an empty file is a new database
    if header != SQLITE_HEADER:
        return "not an SQLite database"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != [("ok",)]:
        return "integrity check failed: " + "; ".join(str(r[0]) for r in rows[:3])
    return None


def _move_aside(path: Path, moment: datetime) -> Path:
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def _configure(db: Database) -> None:
    conn = db.conn
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        # Some file systems (network shares) cannot do WAL; the rollback journal is still safe.
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    db.journal_mode = str(mode).lower()
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")


def _migrate(db: Database, now: Callable[[], datetime]) -> None:
    conn = db.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the history file {db.path} was written by a newer LegTimer (schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); update LegTimer to open it"
        )
    if version == SCHEMA_VERSION:
        return
    if version > 0:
        backup = db.path.with_name(
            f"{db.path.name}.v{version}-backup-{now().astimezone(UTC):%Y%m%dT%H%M%SZ}"
        )
        target = sqlite3.connect(backup)
        try:
            conn.backup(target)
        finally:
            target.close()
        db.notices.append(f"The history file was upgraded; the old one is kept as {backup.name}.")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={step:d}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]
