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
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    # v2: (1) keep the progression's "short recovery" flag on each session, backfilled (the
    # earlier session looked up in a two-day range of the program's index: linear, where a
    # condition on julianday() made it scan every earlier session of the program);
    # (2) store each distinct template snapshot once instead of ~1.5 KB of JSON in every
    # session row, which made every scan of the sessions table read the JSON too;
    # (3) partial indexes that let weekly totals and the progression read only an index.
    2: """
    ALTER TABLE sessions ADD COLUMN short_recovery INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET short_recovery = 1
    WHERE program IS NOT NULL AND EXISTS (
        SELECT 1 FROM sessions AS prev
        WHERE prev.program = sessions.program
          AND prev.started_at < sessions.started_at
          AND prev.started_at > strftime('%Y-%m-%dT%H:%M:%fZ', sessions.started_at, '-2 days')
          AND prev.counted = 1 AND prev.status = 'completed' AND prev.deleted_at IS NULL
    );
    CREATE TABLE template_snapshots (
        id INTEGER PRIMARY KEY,
        json TEXT NOT NULL UNIQUE
    );
    INSERT OR IGNORE INTO template_snapshots (json) SELECT template_json FROM sessions;
    ALTER TABLE sessions ADD COLUMN snapshot_id INTEGER REFERENCES template_snapshots (id);
    UPDATE sessions SET snapshot_id =
        (SELECT id FROM template_snapshots WHERE json = sessions.template_json);
    ALTER TABLE sessions DROP COLUMN template_json;
    CREATE INDEX sessions_by_kind ON sessions (template_kind, started_at);
    CREATE INDEX sessions_week_totals ON sessions (started_at, template_kind, active_seconds)
        WHERE deleted_at IS NULL;
    CREATE INDEX sessions_counted ON sessions (program, started_at)
        WHERE counted = 1 AND status = 'completed' AND deleted_at IS NULL;
    CREATE INDEX sessions_running ON sessions (id) WHERE status = 'running';
    """,
    # v3: one rule for how a session ends and what counts (legtimer.plans.rules). A session
    # that reached its end with work skipped is "partial" or "skipped", no longer "completed";
    # every session whose work was all done counts for its program, however it ended. The
    # status CHECK is widened in place: SQLite keeps a table's definition as text, and a
    # wider CHECK holds for every row already there, so no row is rewritten (the documented
    # way to change a constraint without rebuilding the table). The partial indexes follow
    # the new rules.
    3: """
    PRAGMA writable_schema = ON;
    UPDATE sqlite_schema SET sql = replace(sql, 'IN (''running'', ''completed'', ''stopped''',
        'IN (''running'', ''completed'', ''partial'', ''skipped'', ''stopped''')
    WHERE type = 'table' AND name = 'sessions';
    PRAGMA writable_schema = OFF;
    UPDATE sessions SET status = CASE WHEN work_done = 0 THEN 'skipped' ELSE 'partial' END
    WHERE status = 'completed' AND work_planned > 0 AND work_done < work_planned AND counted = 0;
    DROP INDEX sessions_counted;
    CREATE INDEX sessions_counted ON sessions (program, started_at)
        WHERE counted = 1 AND deleted_at IS NULL;
    DROP INDEX sessions_week_totals;
    CREATE INDEX sessions_week_totals ON sessions (started_at, template_kind, active_seconds)
        WHERE deleted_at IS NULL AND status != 'skipped';
    CREATE INDEX sessions_hard ON sessions (started_at) WHERE work_done > 0 AND deleted_at IS NULL;
    """,
    # v4: the runner's templates get a stable id (`uid`), and their sessions and program
    # choices are filed under it instead of the name, so a rename keeps a program's progress
    # without touching the history, and a new template that takes a deleted one's name starts
    # afresh. Built-in programs are never renamed and keep their names as keys. A trigger gives
    # every new row an id, whichever code inserts it.
    4: """
    ALTER TABLE templates ADD COLUMN uid TEXT;
    UPDATE templates SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX templates_by_uid ON templates (uid);
    CREATE TRIGGER templates_uid AFTER INSERT ON templates WHEN new.uid IS NULL
    BEGIN
        UPDATE templates SET uid = lower(hex(randomblob(16))) WHERE id = new.id;
    END;
    UPDATE sessions SET program = (SELECT uid FROM templates WHERE name = sessions.program)
    WHERE program IS NOT NULL AND EXISTS (SELECT 1 FROM templates WHERE name = sessions.program);
    UPDATE program_choices
    SET program = (SELECT uid FROM templates WHERE name = program_choices.program)
    WHERE EXISTS (SELECT 1 FROM templates WHERE name = program_choices.program);
    """,
    # v5: what a Bluetooth treadmill and heart-rate strap recorded. Per interval, beside the
    # interval's row (a session without devices has none, and no query of the intervals reads
    # them); and the session's readings about once a second, for the TCX track.
    5: """
    CREATE TABLE interval_measures (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        belt_kmh REAL,
        distance_m REAL,
        incline_pct REAL,
        hr_mean REAL,
        hr_max INTEGER,
        hr_drop INTEGER,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE samples (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        at_s REAL NOT NULL,
        speed_kmh REAL,
        distance_m REAL,
        incline_pct REAL,
        hr INTEGER,
        PRIMARY KEY (session_id, at_s)
    ) WITHOUT ROWID;
    """,
}
SCHEMA_VERSION = max(MIGRATIONS)


class StoreError(Exception):
    """A problem with the history file, in words a runner can act on."""

    #: Another process holds the file's write lock (trying again later may work).
    busy = False


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with seconds precision and a Z, as stored and exported."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Database:
    """One open connection to the history file. A plain class, not a dataclass: it is defined
    before the first paint, where a dataclass's definition costs ~0.7 ms; and equality is
    identity, as befits a connection."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        notices: list[str] | None = None,
        *,
        journal_mode: str = "wal",
        integrity_checked: bool = False,
        marker: OpenMarker | None = None,
    ) -> None:
        self.path = path
        self.conn = conn
        #: Things the runner should be told (a file moved aside, a migration backup).
        self.notices: list[str] = [] if notices is None else notices
        self.journal_mode = journal_mode
        #: True when this open ran the full integrity check (after an unclean shutdown).
        self.integrity_checked = integrity_checked
        self.marker = marker

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r}, journal_mode={self.journal_mode!r})"

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
            error = StoreError(_explain(exc, self.path))
            error.busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
            raise error from exc

    def second_connection(self) -> Database:
        """Another connection to the same, already opened file, for work on another thread
        (an export, a restore): SQLite connections must stay on the thread that made them,
        and WAL lets this one read while the app's connection goes on."""
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(_explain(exc, self.path)) from exc
        conn.row_factory = sqlite3.Row
        _set_pragmas(conn)
        return Database(self.path, conn, journal_mode=self.journal_mode)

    def open_elsewhere(self) -> bool:
        """Whether another live process has this database open (the app, another command)."""
        own = self.marker.path if self.marker is not None else None
        return any(locked for marker, locked in OpenMarker._scan(self.path) if marker != own)

    def close(self) -> None:
        self.conn.close()
        if self.marker is not None:
            self.marker.release()
            self.marker = None


class OpenMarker:
    """A small file beside the database, locked while a process has the database open.

    The operating system drops the lock when the process ends, however it ends, so at the next
    open a marker that can be locked belongs to a process that died without closing: that is
    when the full integrity check (which reads the whole file) is worth its time. A clean
    start reads only the header, so start-up does not grow with the history.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # Locked under a name nobody scans, then renamed into place: another process starting
        # at the same moment sees only locked markers (it used to lock a new marker to test it
        # before its owner could, and the owner failed with "is locked").
        hidden = path.with_name(f".{path.name}.new")
        self._file = hidden.open("a+b")
        if not _try_lock(self._file.fileno()):
            self._file.close()
            raise OSError(f"{hidden} is locked")
        os.replace(hidden, path)

    def release(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)

    @staticmethod
    def stale(db_path: Path) -> list[Path]:
        """Markers left by processes that ended without closing the database."""
        return [m for m, locked in OpenMarker._scan(db_path) if not locked]

    @staticmethod
    def held(db_path: Path) -> bool:
        """True when another live process has the database open (the app or a CLI command)."""
        return any(locked for _, locked in OpenMarker._scan(db_path))

    @staticmethod
    def _scan(db_path: Path) -> list[tuple[Path, bool]]:
        out = []
        for marker in db_path.parent.glob(f"{db_path.name}.open-*"):
            try:
                with marker.open("a+b") as f:
                    out.append((marker, not _try_lock(f.fileno())))
            except OSError:
                continue
        return out


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _explain(exc: sqlite3.Error, path: Path) -> str:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return f"the history file {path} is read-only: sessions cannot be saved"
    if "disk is full" in text:  # SQLite says "database or disk is full"
        return f"the disk holding {path} is full: sessions cannot be saved"
    if "locked" in text or "busy" in text:
        return f"the history file {path} is in use by another program"
    return f"the history file {path} could not be written: {exc}"


def needs_upgrade(directory: Path) -> bool:
    """Whether the history file in `directory` is from an older version (opening it will
    upgrade it first, which on a large history takes seconds)."""
    path = paths.database_path(directory)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # opening it will say what is wrong
    return 0 < version < SCHEMA_VERSION


def open_database(
    directory: Path | None = None, *, now: Callable[[], datetime] = utc_now
) -> Database:
    """Open (creating or migrating as needed) the history database in `directory`. Whatever
    is wrong with the folder or the file (it cannot be created or written, it is a file, a
    damaged file cannot be moved aside) comes out as a StoreError saying so."""
    directory = directory or paths.data_dir()
    try:
        return _open(directory, now)
    except OSError as exc:
        raise StoreError(_folder_problem(directory, exc)) from exc


def _folder_problem(directory: Path, exc: OSError) -> str:
    why = exc.strerror or str(exc)
    if directory.exists() and not directory.is_dir():
        return f"the data folder {directory} is a file, not a folder"
    if not directory.exists():
        return f"the data folder {directory} cannot be created ({why})"
    return f"the data folder {directory} cannot be written ({why})"


def _open(directory: Path, now: Callable[[], datetime]) -> Database:
    directory = paths.ensure_data_dir(directory)
    path = paths.database_path(directory)
    notices: list[str] = []
    stale = OpenMarker.stale(path)
    damaged = path.with_name(path.name + DAMAGED_SUFFIX)
    if path.exists():
        problem = _check_file(path, full=bool(stale))
        if problem is None and damaged.exists():
            problem = damaged.read_text(encoding="utf-8", errors="replace")[:200] or "damaged"
        if problem:
            moved = _move_aside(path, now())
            notices.append(
                f"The history file was damaged ({problem}). It was kept as {moved.name} and a "
                "new one was started."
            )
            log.warning("moved damaged database aside: %s (%s)", moved, problem)
    damaged.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    except sqlite3.Error as exc:
        raise StoreError(_explain(exc, path)) from exc
    conn.row_factory = sqlite3.Row
    db = Database(path, conn, notices, integrity_checked=bool(stale))
    try:
        _configure(db)
        _migrate(db, now)
        for marker in stale:
            marker.unlink(missing_ok=True)
        db.marker = OpenMarker(path.with_name(f"{path.name}.open-{os.urandom(6).hex()}"))
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(_explain(exc, path)) from exc
    except BaseException:
        conn.close()
        raise
    return db


def snapshot_id(conn: sqlite3.Connection, template_json: str) -> int:
    """The id of this template snapshot, stored once however many sessions use it."""
    conn.execute("INSERT OR IGNORE INTO template_snapshots (json) VALUES (?)", (template_json,))
    row = conn.execute("SELECT id FROM template_snapshots WHERE json = ?", (template_json,))
    return int(row.fetchone()[0])


#: Beside the database: a check found it damaged while it was open. The next open sets it
#: aside (as after a failed check at start) and starts a new one.
DAMAGED_SUFFIX = ".damaged"


def quick_check(path: Path) -> str | None:
    """SQLite's quick check of every page of the file (on a connection of its own, read only;
    for a worker thread: seconds on a large history), or None when it is sound."""
    return _page_check(path, "quick_check")


def _page_check(path: Path, pragma: str) -> str | None:
    """What SQLite's `quick_check` or `integrity_check` finds wrong with the file, or None."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != [("ok",)]:
        return f"{pragma.replace('_', ' ')} failed: " + "; ".join(str(r[0]) for r in rows[:3])
    return None


def mark_damaged(path: Path, problem: str) -> None:
    """Remember for the next open that the file is damaged (best effort)."""
    try:
        path.with_name(path.name + DAMAGED_SUFFIX).write_text(problem, encoding="utf-8")
    except OSError as exc:
        log.warning("could not mark %s as damaged: %s", path, exc)


def _check_file(path: Path, *, full: bool) -> str | None:
    """Why the file cannot be used, or None. Always the header (cheap); with `full`, SQLite's
    integrity check of every page."""
    try:
        with path.open("rb") as f:
            header = f.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise StoreError(f"cannot read the history file {path}: {exc.strerror}") from exc
    if size == 0:
        return None  # an empty file is a new database
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER or len(header) < 100:
        return "not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if counter_valid and pages and size < pages * page_size:
        return f"the file is truncated ({size} of {pages * page_size} bytes)"
    return _page_check(path, "integrity_check") if full else None


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
    _set_pragmas(conn)


def _set_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")


#: How long a process opening an old file waits while another one upgrades it.
MIGRATION_WAIT_MS = 15 * 60 * 1000


def _migrate(db: Database, now: Callable[[], datetime]) -> None:
    """Bring the file to SCHEMA_VERSION: a verified copy first, then every step in one
    transaction under the write lock, so a second process opening the same old file waits for
    the first and then finds it done (it used to run the steps again and fail)."""
    conn = db.conn
    version = _version(db)
    if version == SCHEMA_VERSION:
        return
    # The copy first (SQLite copies a file only outside a write transaction of its own): it
    # holds what was committed, whoever is writing.
    copy = _keep_a_copy(db, version, now) if version > 0 else None
    conn.execute(f"PRAGMA busy_timeout = {MIGRATION_WAIT_MS:d}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute("PRAGMA busy_timeout = 5000")
    try:
        if _version(db) != version:  # another process upgraded it while this one waited
            conn.execute("ROLLBACK")
            if copy is not None:
                copy.unlink(missing_ok=True)
            return
        if copy is not None:
            db.notices.append(f"The history file was upgraded; the old one is kept as {copy.name}.")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _statements(MIGRATIONS[step]):
                if statement.upper().startswith("PRAGMA WRITABLE_SCHEMA = OFF"):
                    # A definition edited in place is read again once the schema version moves
                    # on (SQLite's own procedure for it).
                    schema = conn.execute("PRAGMA schema_version").fetchone()[0]
                    conn.execute(f"PRAGMA schema_version = {schema + 1:d}")
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION:d}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _version(db: Database) -> int:
    version = int(db.conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the history file {db.path} was written by a newer LegTimer (schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); update LegTimer to open it"
        )
    return version


def _new_file(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`... whichever did not exist, created empty (two processes
    upgrading at the same second each get their own)."""
    candidate, n = path, 1
    while True:
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return candidate
        except FileExistsError:
            n += 1
            candidate = path.with_name(f"{path.name}-{n}")
        except OSError as exc:
            raise StoreError(
                f"could not keep a copy of the history file before upgrading it "
                f"({exc.strerror or exc}); it was left as it was"
            ) from None


def _keep_a_copy(db: Database, version: int, now: Callable[[], datetime]) -> Path:
    """Copy the file before its upgrade and check the copy, or leave everything as it was: a
    full disk must not leave an empty "backup" and a half-upgraded original."""
    stem = f"{db.path.name}.v{version}-backup-{now().astimezone(UTC):%Y%m%dT%H%M%SZ}"
    backup = _new_file(db.path.with_name(stem))
    try:
        target = sqlite3.connect(backup)
        try:
            db.conn.backup(target)
            check = target.execute("PRAGMA quick_check").fetchone()[0]
            copied = target.execute("PRAGMA user_version").fetchone()[0]
        finally:
            target.close()
        if check != "ok" or copied != version:
            raise sqlite3.DatabaseError(f"the copy does not read back ({check})")
    except sqlite3.Error as exc:
        backup.unlink(missing_ok=True)
        raise StoreError(
            f"could not keep a copy of the history file before upgrading it ({exc}); it was "
            "left as it was: free some space and start LegTimer again"
        ) from None
    return backup


def _statements(script: str) -> list[str]:
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]
