"""Upgrading an old history file: time against the number of sessions, beside the v2 step as
it was written before (its short-recovery backfill compared julianday() values, so SQLite
scanned every earlier session of the program for each session: quadratic).

Figures: the whole upgrade from schema 1 (copy, checks, every step) for 1,000 to 16,000
sessions, and the old and new backfill statements alone on the same files. A linear upgrade
grows about as the sessions do (16x from 1,000 to 16,000).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit
from legtimer.store.db import MIGRATIONS, _statements, open_database

OLD_BACKFILL = """
UPDATE sessions SET short_recovery = 1
WHERE program IS NOT NULL AND EXISTS (
    SELECT 1 FROM sessions AS prev
    WHERE prev.program = sessions.program
      AND prev.counted = 1 AND prev.status = 'completed' AND prev.deleted_at IS NULL
      AND prev.started_at < sessions.started_at
      AND julianday(sessions.started_at) - julianday(prev.started_at) < 2.0
)
"""
NEW_BACKFILL = next(s for s in _statements(MIGRATIONS[2]) if "short_recovery = 1" in s)


def v1_file(path: Path, sessions: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version=1")
    start = 946_684_800  # 2000-01-01, a session every 9 hours
    conn.executemany(
        "INSERT INTO sessions (uuid, template_name, template_kind, template_json, program, "
        "week, started_at, ended_at, status, planned_seconds, work_planned, counted) "
        "VALUES (?, 'Sprint 15/45', 'sprint', '{}', 'Sprint 15/45', 1, "
        "strftime('%Y-%m-%dT%H:%M:%fZ', ?, 'unixepoch'), NULL, 'completed', 960, 6, 1)",
        [(f"s{n}", start + n * 9 * 3600) for n in range(sessions)],
    )
    conn.commit()
    conn.close()


def backfill_seconds(path: Path, statement: str) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")  # rolled back after: the file stays as schema 1
        conn.execute("ALTER TABLE sessions ADD COLUMN short_recovery INTEGER NOT NULL DEFAULT 0")
        t0 = time.perf_counter()
        conn.execute(statement)
        return time.perf_counter() - t0
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def main() -> None:
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1000, 4000, 16000):
            home = Path(tmp) / f"h{n}"
            v1_file(home / "legtimer.sqlite3", n)
            figures[f"new_backfill_{n}_s"] = backfill_seconds(
                home / "legtimer.sqlite3", NEW_BACKFILL
            )
            if n <= 4000:  # the old statement at 16,000 takes minutes
                figures[f"baseline_old_backfill_{n}_s"] = backfill_seconds(
                    home / "legtimer.sqlite3", OLD_BACKFILL
                )
            t0 = time.perf_counter()
            open_database(home).close()
            figures[f"upgrade_{n}_s"] = time.perf_counter() - t0
    big, small = figures["upgrade_16000_s"], figures["upgrade_1000_s"]
    assert isinstance(big, float) and isinstance(small, float)
    figures["upgrade_growth_1000_to_16000"] = big / small
    emit("migrate", figures, targets={"upgrade_growth_1000_to_16000": "<= 32 (linear: 16)"})


if __name__ == "__main__":
    main()
