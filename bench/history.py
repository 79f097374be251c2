"""History store at scale: 100,000 sessions with 20 intervals each.

Figures: insert time, the first page of 50, weekly totals over everything, the progression
query, the file size, opening the database (what the app does at start) against an empty one,
and the command line's `history --json --limit 5` against reading every session (how it used
to work), each timed in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit, summary
from legtimer.plans import find_builtin, template_to_json
from legtimer.plans.progression import program_status
from legtimer.store.db import iso, open_database, quick_check, snapshot_id
from legtimer.store.history import HistoryStore
from legtimer.store.queries import HistoryQueries

#: When the bench's history starts (a session every six hours from then).
FIRST = datetime(2000, 1, 1, 7, tzinfo=UTC)
KINDS = [("Sprint 15/45", "sprint"), ("HIIT 30/30", "hiit"), ("Hill repeats", "hill")]


def fill(home: Path, sessions: int, intervals: int, *, end: datetime | None = None) -> float:
    """Insert `sessions` six hours apart (ending at `end`, else starting in 2000)."""
    db = open_database(home)
    template_json = json.dumps(template_to_json(find_builtin("Sprint 15/45")))  # type: ignore[arg-type]
    rng = random.Random(7)
    start = FIRST
    if end is not None:
        start = end - timedelta(hours=6 * sessions)
    t0 = time.perf_counter()
    with db.transaction() as conn:
        snapshot = snapshot_id(conn, template_json)
        for n in range(sessions):
            name, kind = KINDS[n % 3]
            when = start + timedelta(hours=6 * n + rng.random())
            status = "completed" if n % 17 else "stopped"
            cur = conn.execute(
                "INSERT INTO sessions (uuid, template_name, template_kind, snapshot_id, "
                "program, week, started_at, ended_at, status, planned_seconds, active_seconds, "
                "work_planned, work_done, counted, notes) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, 1200, 1200, 10, 10, ?, ?)",
                (
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    name,
                    kind,
                    snapshot,
                    name if kind == "sprint" else None,
                    1 + n % 4 if kind == "sprint" else None,
                    iso(when),
                    iso(when + timedelta(minutes=20)),
                    status,
                    int(status == "completed"),
                    "felt good" if n % 10 == 0 else "",
                ),
            )
            sid = cur.lastrowid
            conn.executemany(
                "INSERT INTO intervals (session_id, position, kind, name, planned_seconds, "
                "actual_seconds, outcome, speed_kmh, incline_pct) "
                "VALUES (?, ?, ?, 'x', 60, 60, 'completed', 10, 1)",
                [(sid, p, "work" if p % 2 else "rest") for p in range(intervals)],
            )
    elapsed = time.perf_counter() - t0
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return elapsed


def app_start_store_work(home: Path, now: datetime) -> None:
    """What the app asks of the store before its window shows: open (with the start checks),
    close sessions a crash left running, the program's status and the user's templates."""
    from legtimer.store.templates import TemplateStore

    db = open_database(home)
    try:
        history = HistoryStore(db)
        history.close_unfinished()
        sprint = find_builtin("Sprint 15/45")
        assert sprint is not None
        history.program_status(sprint, now)
        TemplateStore(db).all()
    finally:
        db.close()


def cli_history(home: Path, limit: int | None) -> tuple[dict[str, float], float]:
    """`legtimer history --json --limit N` in this process: its time, and the most memory it
    held at once (MB, Python allocations). With `limit` None, the way it used to work: every
    session read, then the newest five kept (the baseline)."""
    import contextlib
    import io
    import tracemalloc

    from legtimer.__main__ import main as legtimer_main

    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            if limit is not None:
                code = legtimer_main(
                    ["--data-dir", str(home), "history", "--json", "--limit", str(limit)]
                )
                assert code == 0
            else:
                db = open_database(home)
                try:
                    HistoryQueries(db).all_details()[-5:]
                finally:
                    db.close()

    if limit is None:  # seconds a run: once, on a warm cache
        t0 = time.perf_counter()
        run()
        times = summary([(time.perf_counter() - t0) * 1000])
    else:
        times = timed(run)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return times, peak / 1e6


def timed(fn: Callable[[], object], repeat: int = 15) -> dict[str, float]:
    fn()  # warm the page cache: the figures are for a running app, not a cold disk
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return summary(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--intervals", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, empty = Path(tmp) / "big", Path(tmp) / "empty"
        insert_s = fill(big, args.sessions, args.intervals)
        open_database(empty).close()
        db = open_database(big)
        q = HistoryQueries(db)
        h = HistoryStore(db)
        sprint = find_builtin("Sprint 15/45")
        assert sprint is not None
        now = datetime.now(UTC)

        def progression() -> object:
            return h.program_status(sprint, now)

        def progression_from_all_records() -> object:
            # The pure function over every record: the baseline the indexed query replaces.
            return program_status(
                sprint.weeks,
                sprint.sessions_per_week,
                h.program_marks(sprint.name),
                h.program_choices(sprint.name),
                now,
            )

        figures = {
            "sessions": args.sessions,
            "intervals_per_session": args.intervals,
            "insert_seconds": insert_s,
            "file_mb": os.path.getsize(big / "legtimer.sqlite3") / 1e6,
            "first_page_50_ms": timed(lambda: q.page(limit=50)),
            "weekly_totals_ms": timed(lambda: q.weekly_totals(), repeat=7),
            # What the Weekly tab asks: its 12 weeks, out of the whole history.
            "weekly_tab_12_weeks_ms": timed(
                lambda: q.weekly_totals(FIRST + timedelta(hours=6 * args.sessions, weeks=-12))
            ),
            "progression_ms": timed(progression),
            "baseline_progression_all_records_ms": timed(progression_from_all_records, repeat=5),
            # The check of every page the app runs on a worker thread after its first paint.
            "quick_check_ms": timed(lambda: quick_check(big / "legtimer.sqlite3"), repeat=3),
            "open_empty_ms": timed(lambda: open_database(empty).close()),
            "open_big_ms": timed(lambda: open_database(big).close()),
            "app_start_store_empty_ms": timed(lambda: app_start_store_work(empty, now)),
            "app_start_store_big_ms": timed(lambda: app_start_store_work(big, now)),
        }
        cli_ms, cli_mb = cli_history(big, 5)
        figures["cli_history_json_limit_5_ms"] = cli_ms
        figures["cli_history_json_limit_5_peak_mb"] = cli_mb
        all_ms, all_mb = cli_history(big, None)
        figures["baseline_read_every_session_then_5_ms"] = all_ms
        figures["baseline_read_every_session_then_5_peak_mb"] = all_mb
        figures["open_big_minus_empty_ms"] = (
            figures["open_big_ms"]["p50"] - figures["open_empty_ms"]["p50"]
        )
        figures["app_start_store_big_minus_empty_ms"] = (
            figures["app_start_store_big_ms"]["p50"] - figures["app_start_store_empty_ms"]["p50"]
        )
        db.close()
    emit(
        "history",
        figures,
        targets={
            "first_page_50_ms.p50": "<= 20",
            "weekly_totals_ms.p50": "<= 150",
            "weekly_tab_12_weeks_ms.p50": "<= 20",
            "cli_history_json_limit_5_ms.p50": "<= 100",
            "cli_history_json_limit_5_peak_mb": "<= 10",
            "progression_ms.p50": "<= 20",
            "open_big_minus_empty_ms": "<= 50",
            "app_start_store_big_minus_empty_ms": "<= 50",
        },
    )


if __name__ == "__main__":
    main()
