"""Sessions as they happen: written when a session starts, each interval committed as it ends.

A crash or power cut therefore loses at most the interval in progress; at the next start, rows
still marked running are closed as "interrupted" with what they recorded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from legtimer.engine import IntervalKind
from legtimer.plans import Template, template_to_json
from legtimer.plans.progression import (
    ChoiceKind,
    ProgramChoice,
    ProgramStatus,
    SessionMark,
    is_short_recovery,
    status_from_counts,
)
from legtimer.plans.rules import COUNTS_SQL, FINAL_STATUSES, HARD_SQL, counts_for_program
from legtimer.store import trust
from legtimer.store.db import Database, iso, snapshot_id, utc_now
from legtimer.store.templates import program_key

if TYPE_CHECKING:
    from legtimer.engine import IntervalRecord
    from legtimer.store.queries import MeasureRow, SampleRow


class SessionStart(NamedTuple):
    """A session being recorded (a NamedTuple: this module loads before the first paint, where
    a dataclass's definition costs more)."""

    uuid: str
    id: int


class HistoryStore:
    def __init__(self, db: Database, now: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.now = now

    # -- writing a session as it runs ---------------------------------------------------------

    def begin(
        self,
        template: Template,
        week: int | None,
        records: Sequence[IntervalRecord],
        started_at: datetime | None = None,
    ) -> SessionStart:
        planned = sum(r.planned_seconds for r in records)
        work = sum(1 for r in records if r.interval.kind is IntervalKind.WORK)
        import uuid  # here, not at start-up: only a session's start needs it

        uid = str(uuid.uuid4())
        start = started_at or self.now()
        short = False
        if template.is_program:
            short = is_short_recovery(self.last_hard(before=start), start)
        with self.db.transaction() as conn:
            snapshot = snapshot_id(conn, json.dumps(template_to_json(template), ensure_ascii=False))
            cur = conn.execute(
                "INSERT INTO sessions (uuid, template_name, template_kind, snapshot_id, "
                "program, week, started_at, status, planned_seconds, work_planned, "
                "short_recovery) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)",
                (
                    uid,
                    template.name,
                    template.kind.value,
                    snapshot,
                    program_key(conn, template.name) if template.is_program else None,
                    week if template.is_program else None,
                    iso(start),
                    planned,
                    work,
                    int(short),
                ),
            )
            session_id = cur.lastrowid
            assert session_id is not None
        return SessionStart(uid, session_id)

    def record_interval(self, session: SessionStart, record: IntervalRecord) -> None:
        """Commit one finished interval (and the session's running totals) at once."""
        with self.db.transaction() as conn:
            self._upsert_interval(conn, session.id, record)
            self._update_totals(conn, session.id)

    def finish(
        self,
        session: SessionStart,
        status: str,
        records: Sequence[IntervalRecord],
        ended_at: datetime | None = None,
        *,
        measures: Sequence[MeasureRow] = (),
        samples: Sequence[SampleRow] = (),
    ) -> None:
        """The session ended: its intervals, status and end, and what the devices recorded,
        in one transaction."""
        from legtimer.engine import Outcome  # a session ran: the engine's session part is loaded

        if status not in FINAL_STATUSES:
            raise ValueError(f"unknown session status {status!r}")
        with self.db.transaction() as conn:
            for record in records:
                if record.outcome is not Outcome.NOT_REACHED or record.actual_seconds > 0:
                    self._upsert_interval(conn, session.id, record)
            self._update_totals(conn, session.id)
            conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                (status, iso(ended_at or self.now()), session.id),
            )
            write_devices(conn, session.id, measures, samples)

    def close_unfinished(self) -> int:
        """Mark sessions left running by a crash as interrupted; returns how many."""
        with self.db.transaction() as conn:
            rows = conn.execute("SELECT id FROM sessions WHERE status = 'running'").fetchall()
            for row in rows:
                self._update_totals(conn, row["id"])
                last = conn.execute(
                    "SELECT started_at, active_seconds, paused_seconds FROM sessions WHERE id = ?",
                    (row["id"],),
                ).fetchone()
                # The best estimate of when it ended: the start plus what was recorded (read
                # as far as the format allows: the file may hold anything).
                start = trust.moment(last["started_at"])
                ended = trust.later(
                    start,
                    trust.seconds(last["active_seconds"]) + trust.seconds(last["paused_seconds"]),
                )
                conn.execute(
                    "UPDATE sessions SET status = 'interrupted', ended_at = ? WHERE id = ?",
                    (iso(ended), row["id"]),
                )
        return len(rows)

    @staticmethod
    def _upsert_interval(conn: sqlite3.Connection, session_id: int, r: IntervalRecord) -> None:
        conn.execute(
            "INSERT INTO intervals (session_id, position, kind, name, planned_seconds, "
            "actual_seconds, paused_seconds, outcome, speed_kmh, incline_pct) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (session_id, position) DO UPDATE SET "
            "actual_seconds = excluded.actual_seconds, paused_seconds = excluded.paused_seconds, "
            "outcome = excluded.outcome",
            (
                session_id,
                r.index,
                r.interval.kind.value,
                r.interval.name,
                r.planned_seconds,
                r.actual_seconds,
                r.paused_seconds,
                r.outcome.value,
                r.interval.speed_kmh,
                r.interval.incline_pct,
            ),
        )

    @staticmethod
    def _update_totals(c: sqlite3.Connection, session_id: int) -> None:
        totals = c.execute(
            "SELECT COALESCE(SUM(actual_seconds), 0) AS active, "
            "COALESCE(SUM(paused_seconds), 0) AS paused, "
            "SUM(kind = 'work' AND outcome = 'completed') AS work_done "
            "FROM intervals WHERE session_id = ?",
            (session_id,),
        ).fetchone()
        planned = c.execute(
            "SELECT work_planned FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()["work_planned"]
        done = totals["work_done"] or 0
        counted = counts_for_program(planned, done)
        c.execute(
            "UPDATE sessions SET active_seconds = ?, paused_seconds = ?, work_done = ?, "
            "counted = ? WHERE id = ?",
            (totals["active"], totals["paused"], done, int(counted), session_id),
        )

    # -- what progression needs ---------------------------------------------------------------

    def program_marks(self, program: str) -> list[SessionMark]:
        rows = self.db.conn.execute(
            "SELECT started_at, counted, status FROM sessions "
            "WHERE program = ? AND deleted_at IS NULL ORDER BY started_at",
            (program_key(self.db.conn, program),),
        )
        return [SessionMark(trust.moment(r["started_at"]), bool(r["counted"])) for r in rows]

    def last_hard(self, *, before: datetime | None = None) -> datetime | None:
        """When the last hard session (of any kind or program) started."""
        row = self.db.conn.execute(
            f"SELECT MAX(started_at) FROM sessions WHERE {HARD_SQL} AND started_at < ?",
            (iso(before) if before else "9999",),
        ).fetchone()
        return trust.moment(row[0]) if row[0] else None

    def _last_counted(self, key: str, *, before: datetime | None = None) -> datetime | None:
        row = self.db.conn.execute(
            f"SELECT MAX(started_at) FROM sessions WHERE program = ? AND {COUNTS_SQL} "
            "AND started_at < ?",
            (key, iso(before) if before else "9999"),
        ).fetchone()
        return trust.moment(row[0]) if row[0] else None

    def program_status(self, template: Template, now: datetime | None = None) -> ProgramStatus:
        """Where the runner is in `template` (a program), from three indexed look-ups rather
        than the whole history: the last choice, the counted sessions since, the last one."""
        key = program_key(self.db.conn, template.name)
        last_choice = self.db.conn.execute(
            # The last choice made (the row order), not the latest by its clock.
            "SELECT at, week FROM program_choices WHERE program = ? ORDER BY id DESC LIMIT 1",
            (key,),
        ).fetchone()
        since = last_choice["at"] if last_choice else ""
        counted = self.db.conn.execute(
            f"SELECT COUNT(*) FROM sessions WHERE program = ? AND {COUNTS_SQL} AND started_at > ?",
            (key, since),
        ).fetchone()[0]
        start_week = min(max(last_choice["week"], 1), template.weeks) if last_choice else 1
        return status_from_counts(
            template.weeks,
            template.sessions_per_week,
            start_week,
            counted,
            self._last_counted(key),
            now or self.now(),
            last_hard=self.last_hard(),
        )

    def program_choices(self, program: str) -> list[ProgramChoice]:
        rows = self.db.conn.execute(
            "SELECT at, kind, week FROM program_choices WHERE program = ? ORDER BY id",
            (program_key(self.db.conn, program),),
        )
        return [
            ProgramChoice(
                trust.moment(r["at"]), ChoiceKind(r["kind"]), trust.whole(r["week"], 1, 52) or 1
            )
            for r in rows
        ]

    def add_choice(self, program: str, choice: ProgramChoice) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO program_choices (program, at, kind, week) VALUES (?, ?, ?, ?)",
                (program_key(conn, program), iso(choice.at), choice.kind.value, choice.week),
            )


def write_devices(
    conn: sqlite3.Connection,
    session_id: int,
    measures: Sequence[MeasureRow],
    samples: Sequence[SampleRow],
) -> None:
    """What the devices recorded for one session (replacing what was there)."""
    # Here, not at the top: the history is opened before the first paint, and the queries
    # module (a dozen dataclasses) is not needed for it.
    from legtimer.store.queries import MEASURE_COLUMNS, SAMPLE_COLUMNS

    conn.execute("DELETE FROM interval_measures WHERE session_id = ?", (session_id,))
    conn.executemany(
        f"INSERT INTO interval_measures (session_id, {MEASURE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                m.position,
                m.belt_kmh,
                m.distance_m,
                m.incline_pct,
                m.hr_mean,
                m.hr_max,
                m.hr_drop,
            )
            for m in measures
        ],
    )
    conn.execute("DELETE FROM samples WHERE session_id = ?", (session_id,))
    conn.executemany(
        f"INSERT OR REPLACE INTO samples (session_id, {SAMPLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        [(session_id, x.at_s, x.speed_kmh, x.distance_m, x.incline_pct, x.hr) for x in samples],
    )
