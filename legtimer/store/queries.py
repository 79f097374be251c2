"""Reading the history: pages with filters, one session in full, weekly totals, streaks, edits.

Every query is parameterised; filters build WHERE clauses from fixed fragments only.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from legtimer.plans.rules import COUNTS_SQL, DONE_SQL, SESSION_STATUSES
from legtimer.store import trust
from legtimer.store.db import Database, StoreError, iso, utc_now
from legtimer.store.templates import program_key

STATUSES = SESSION_STATUSES
_ORDERS = {
    "started_at": "started_at",
    "template": "template_name COLLATE NOCASE",
    "week": "week",
    "work_done": "work_done",
    "active_seconds": "active_seconds",
    "status": "status",
    "rpe": "rpe",
}


@dataclass(frozen=True, slots=True)
class SessionFilter:
    kinds: tuple[str, ...] = ()
    template: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    statuses: tuple[str, ...] = ()
    text: str | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses = ["deleted_at IS NULL"]
        params: list[object] = []
        if self.kinds:
            clauses.append(f"template_kind IN ({','.join('?' * len(self.kinds))})")
            params.extend(self.kinds)
        if self.template:
            clauses.append("template_name = ? COLLATE NOCASE")
            params.append(self.template)
        if self.since:
            clauses.append("started_at >= ?")
            params.append(iso(self.since))
        if self.until:
            clauses.append("started_at < ?")
            params.append(iso(self.until))
        if self.statuses:
            clauses.append(f"status IN ({','.join('?' * len(self.statuses))})")
            params.extend(self.statuses)
        if self.text:
            escaped = self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("notes LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        return " AND ".join(clauses), params


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    uuid: str
    template: str
    kind: str
    program: str | None
    week: int | None
    started_at: datetime
    ended_at: datetime | None
    status: str
    planned_seconds: float
    active_seconds: float
    paused_seconds: float
    work_planned: int
    work_done: int
    counted: bool
    rpe: int | None
    notes: str
    short_recovery: bool
    #: What the program is filed under (see `program_key`); `program` is its name today.
    program_key: str | None = None


@dataclass(frozen=True, slots=True)
class IntervalRow:
    position: int
    kind: str
    name: str
    planned_seconds: float
    actual_seconds: float
    paused_seconds: float
    outcome: str
    speed_kmh: float | None
    incline_pct: float | None


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """What a treadmill and a heart-rate strap recorded over one interval."""

    position: int
    belt_kmh: float | None = None
    distance_m: float | None = None
    incline_pct: float | None = None
    hr_mean: float | None = None
    hr_max: int | None = None
    hr_drop: int | None = None


@dataclass(frozen=True, slots=True)
class SampleRow:
    """One reading of the devices, `at_s` seconds of active time into the session."""

    at_s: float
    speed_kmh: float | None = None
    distance_m: float | None = None
    incline_pct: float | None = None
    hr: int | None = None


@dataclass(frozen=True, slots=True)
class SessionDetail:
    session: SessionRow
    intervals: tuple[IntervalRow, ...]
    template_json: str | None
    #: What the devices recorded (empty for a session without them).
    measures: tuple[MeasureRow, ...] = ()
    samples: tuple[SampleRow, ...] = ()

    def measure(self, position: int) -> MeasureRow | None:
        return next((m for m in self.measures if m.position == position), None)


@dataclass(frozen=True, slots=True)
class WeekTotal:
    week_start: date
    kind: str
    sessions: int
    active_seconds: float


_COLUMNS = (
    "sessions.id AS id, uuid, template_name, template_kind, program AS program_key, "
    # The program's name today: the runner's template filed under the key (renamed or not),
    # else the name the session ran under (a built-in, or a template since deleted).
    "CASE WHEN program IS NULL THEN NULL ELSE "
    "COALESCE((SELECT name FROM templates WHERE uid = sessions.program), template_name) "
    "END AS program, week, started_at, "
    "ended_at, status, "
    "planned_seconds, active_seconds, paused_seconds, work_planned, work_done, counted, rpe, "
    "notes, short_recovery"
)


_SNAPSHOT = "LEFT JOIN template_snapshots AS t ON t.id = sessions.snapshot_id"


def _interval(r: tuple[object, ...]) -> IntervalRow:
    """An interval row (position, kind, name, planned, actual, paused, outcome, speed, incline),
    its numbers within what the app can write."""
    position, kind, name, planned, actual, paused, outcome, speed, incline = r
    limit = trust.MAX_INTERVAL_SECONDS
    return IntervalRow(
        position if isinstance(position, int) else 0,
        str(kind),
        str(name),
        trust.seconds(planned, limit),
        trust.seconds(actual, limit),
        trust.seconds(paused),
        str(outcome),
        trust.seconds(speed, 40.0) if speed is not None else None,
        trust.number(incline, -10.0, 40.0),
    )


def _measure(r: tuple[object, ...]) -> MeasureRow:
    position, belt, distance, incline, hr_mean, hr_max, hr_drop = r
    return MeasureRow(
        position if isinstance(position, int) else 0,
        trust.number(belt, 0.0, 40.0),
        trust.number(distance, 0.0, 100_000.0),
        trust.number(incline, -10.0, 40.0),
        trust.number(hr_mean, 0.0, 300.0),
        trust.whole(hr_max, 0, 300),
        trust.whole(hr_drop, -300, 300),
    )


def _sample(r: tuple[object, ...]) -> SampleRow:
    at_s, speed, distance, incline, hr = r
    return SampleRow(
        trust.seconds(at_s),
        trust.number(speed, 0.0, 40.0),
        trust.number(distance, 0.0, 1_000_000.0),
        trust.number(incline, -10.0, 40.0),
        trust.whole(hr, 0, 300),
    )


MEASURE_COLUMNS = "position, belt_kmh, distance_m, incline_pct, hr_mean, hr_max, hr_drop"
SAMPLE_COLUMNS = "at_s, speed_kmh, distance_m, incline_pct, hr"


def _row(r: sqlite3.Row) -> SessionRow:
    return SessionRow(
        id=r["id"],
        uuid=r["uuid"],
        template=r["template_name"],
        kind=r["template_kind"],
        program=r["program"],
        program_key=r["program_key"],
        week=trust.whole(r["week"], 1, 52),
        started_at=trust.moment(r["started_at"]),
        ended_at=trust.moment(r["ended_at"]) if r["ended_at"] else None,
        status=r["status"],
        planned_seconds=trust.seconds(r["planned_seconds"]),
        active_seconds=trust.seconds(r["active_seconds"]),
        paused_seconds=trust.seconds(r["paused_seconds"]),
        work_planned=r["work_planned"],
        work_done=r["work_done"],
        counted=bool(r["counted"]),
        rpe=r["rpe"],
        notes=r["notes"],
        short_recovery=bool(r["short_recovery"]),
    )


class HistoryQueries:
    def __init__(self, db: Database, now: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.now = now

    def page(
        self,
        filt: SessionFilter | None = None,
        *,
        offset: int = 0,
        limit: int = 50,
        order: str = "started_at",
        descending: bool = True,
    ) -> list[SessionRow]:
        """One page of sessions, newest first unless told otherwise."""
        if order not in _ORDERS:
            raise ValueError(f"cannot sort by {order!r}; one of {', '.join(_ORDERS)}")
        where, params = (filt or SessionFilter()).where()
        direction = "DESC" if descending else "ASC"
        sql = (
            f"SELECT {_COLUMNS} FROM sessions WHERE {where} "
            f"ORDER BY {_ORDERS[order]} {direction}, id {direction} LIMIT ? OFFSET ?"
        )
        rows = self.db.conn.execute(sql, [*params, limit, offset]).fetchall()
        return [_row(r) for r in rows]

    def count(self, filt: SessionFilter | None = None) -> int:
        where, params = (filt or SessionFilter()).where()
        return int(
            self.db.conn.execute(f"SELECT COUNT(*) FROM sessions WHERE {where}", params).fetchone()[
                0
            ]
        )

    def detail(self, uuid: str) -> SessionDetail | None:
        r = self.db.conn.execute(
            f"SELECT {_COLUMNS}, t.json AS template_json FROM sessions {_SNAPSHOT} WHERE uuid = ?",
            (uuid,),
        ).fetchone()
        if r is None:
            return None
        rows = self.db.conn.execute(
            "SELECT position, kind, name, planned_seconds, actual_seconds, paused_seconds, "
            "outcome, speed_kmh, incline_pct FROM intervals WHERE session_id = ? "
            "ORDER BY position",
            (r["id"],),
        ).fetchall()
        measures, samples = self._devices(f"= {int(r['id']):d}", ())
        return SessionDetail(
            _row(r),
            tuple(_interval(tuple(x)) for x in rows),
            r["template_json"],
            tuple(measures.get(r["id"], ())),
            tuple(samples.get(r["id"], ())),
        )

    def _devices(
        self, which: str, params: Sequence[object]
    ) -> tuple[dict[int, list[MeasureRow]], dict[int, list[SampleRow]]]:
        """What the devices recorded for the sessions whose id is `which` (an SQL test)."""
        measures: dict[int, list[MeasureRow]] = defaultdict(list)
        for r in self.db.conn.execute(
            f"SELECT session_id, {MEASURE_COLUMNS} FROM interval_measures "
            f"WHERE session_id {which} ORDER BY session_id, position",
            params,
        ):
            measures[r[0]].append(_measure(tuple(r)[1:]))
        samples: dict[int, list[SampleRow]] = defaultdict(list)
        for r in self.db.conn.execute(
            f"SELECT session_id, {SAMPLE_COLUMNS} FROM samples "
            f"WHERE session_id {which} ORDER BY session_id, at_s",
            params,
        ):
            samples[r[0]].append(_sample(tuple(r)[1:]))
        return measures, samples

    def weekly_totals(
        self, since: datetime | None = None, *, utc_offset: timedelta = timedelta(0)
    ) -> list[WeekTotal]:
        """Sessions and active time per week (Monday start, local time) and template kind."""
        # Week number from day arithmetic (1970-01-01 was a Thursday, hence the 3), which is
        # cheaper than date() with modifiers and reads only the covering partial index.
        params = {
            "shift": utc_offset.total_seconds() / 86400,
            "since": iso(since) if since is not None else "",
        }
        rows = self.db.conn.execute(
            "SELECT CAST(julianday(started_at) + :shift - 2440587.5 + 3 AS INTEGER) / 7 AS wk, "
            "template_kind, COUNT(*), SUM(active_seconds) FROM sessions "
            f"WHERE {DONE_SQL} AND started_at >= :since AND wk IS NOT NULL "
            "GROUP BY wk, template_kind ORDER BY wk",
            params,
        ).fetchall()
        epoch = date(1970, 1, 1)
        return [
            WeekTotal(epoch + timedelta(days=r[0] * 7 - 3), r[1], r[2], r[3] or 0.0) for r in rows
        ]

    def daily_totals(
        self, since: datetime | None = None, *, utc_offset: timedelta = timedelta(0)
    ) -> dict[date, tuple[int, float]]:
        """Sessions and active seconds per local day (the calendar heat map)."""
        shift = f"{int(utc_offset.total_seconds() // 60):+d} minutes"
        rows = self.db.conn.execute(
            "SELECT date(started_at, :shift) AS day, COUNT(*), SUM(active_seconds) "
            f"FROM sessions WHERE {DONE_SQL} AND started_at >= :since GROUP BY day "
            "HAVING day IS NOT NULL",
            {"shift": shift, "since": iso(since) if since is not None else ""},
        ).fetchall()
        return {date.fromisoformat(r[0]): (r[1], r[2] or 0.0) for r in rows}

    def template_names(self) -> list[str]:
        """The templates sessions were run from, for the history filter."""
        rows = self.db.conn.execute(
            "SELECT DISTINCT template_name FROM sessions WHERE deleted_at IS NULL "
            "ORDER BY template_name COLLATE NOCASE"
        ).fetchall()
        return [r[0] for r in rows]

    def program_week_counts(self, program: str, since: datetime | None = None) -> dict[int, int]:
        """Counted sessions of a program per week, since `since` (the last restart)."""
        rows = self.db.conn.execute(
            f"SELECT week, COUNT(*) FROM sessions WHERE program = ? AND {COUNTS_SQL} "
            "AND started_at >= ? GROUP BY week",
            (program_key(self.db.conn, program), iso(since) if since is not None else ""),
        ).fetchall()
        return {r[0]: r[1] for r in rows if r[0] is not None}

    def streaks(
        self,
        program: str,
        target_per_week: int,
        *,
        today: date | None = None,
        utc_offset: timedelta = timedelta(0),
    ) -> tuple[int, int]:
        """(current, best) runs of consecutive weeks with at least `target_per_week` counted
        sessions of the program. The current week counts once it is met; until then the
        streak runs to last week."""
        shift = f"{int(utc_offset.total_seconds() // 60):+d} minutes"
        rows = self.db.conn.execute(
            "SELECT date(started_at, ?, 'weekday 0', '-6 days') AS monday, COUNT(*) "
            f"FROM sessions WHERE program = ? AND {COUNTS_SQL} GROUP BY monday",
            (shift, program_key(self.db.conn, program)),
        ).fetchall()
        met = {  # a start that is no date (a damaged row) has no week
            date.fromisoformat(r[0]) for r in rows if r[0] is not None and r[1] >= target_per_week
        }
        if not met:
            return 0, 0
        best = run = 0
        previous: date | None = None
        for week in sorted(met):
            run = run + 1 if previous is not None and week - previous == timedelta(7) else 1
            best = max(best, run)
            previous = week
        today = today or (self.now() + utc_offset).date()
        week = today - timedelta(days=today.weekday())
        if week not in met:
            week -= timedelta(7)
        current = 0
        while week in met:
            current += 1
            week -= timedelta(7)
        return current, best

    # -- edits ------------------------------------------------------------------------------

    def set_notes(self, uuid: str, notes: str) -> None:
        self._update(uuid, "notes = ?", notes.strip())

    def set_rpe(self, uuid: str, rpe: int | None) -> None:
        if rpe is not None and not 1 <= rpe <= 10:
            raise ValueError(f"RPE is 1 to 10, not {rpe}")
        self._update(uuid, "rpe = ?", rpe)

    def delete(self, uuid: str) -> None:
        """Hide a session; `undelete` brings it back (undo)."""
        self._update(uuid, "deleted_at = ?", iso(self.now()))

    def undelete(self, uuid: str) -> None:
        self._update(uuid, "deleted_at = ?", None)

    def purge_deleted(self) -> int:
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM sessions WHERE deleted_at IS NOT NULL").rowcount

    def _update(self, uuid: str, assignment: str, value: object) -> None:
        with self.db.transaction() as conn:
            cur = conn.execute(f"UPDATE sessions SET {assignment} WHERE uuid = ?", (value, uuid))
            if cur.rowcount == 0:
                raise StoreError(f"no session {uuid}")

    def all_details(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        newest: int | None = None,
    ) -> list[SessionDetail]:
        """Every session started in [since, until) with its intervals, oldest first (exports);
        with `newest`, only that many of the latest, chosen in SQL (the command line's
        `history --limit` reads five sessions, not the whole history)."""
        params: list[object] = []
        where = "deleted_at IS NULL"
        if since is not None:
            where += " AND started_at >= ?"
            params.append(iso(since))
        if until is not None:
            where += " AND started_at < ?"
            params.append(iso(until))
        if newest is not None:
            if newest < 0:
                raise ValueError(f"cannot read the newest {newest} sessions")
            where = (
                f"sessions.id IN (SELECT id FROM sessions WHERE {where} "
                "ORDER BY started_at DESC, id DESC LIMIT ?)"
            )
            params.append(newest)
        sessions = self.db.conn.execute(
            f"SELECT {_COLUMNS}, t.json AS template_json FROM sessions {_SNAPSHOT} "
            f"WHERE {where} ORDER BY started_at, sessions.id",
            params,
        ).fetchall()
        intervals: dict[int, list[IntervalRow]] = defaultdict(list)
        for r in self.db.conn.execute(
            "SELECT session_id, position, kind, name, planned_seconds, actual_seconds, "
            "paused_seconds, outcome, speed_kmh, incline_pct FROM intervals "
            f"WHERE session_id IN (SELECT id FROM sessions WHERE {where}) "
            "ORDER BY session_id, position",
            params,
        ):
            intervals[r[0]].append(_interval(tuple(r)[1:]))
        measures, samples = self._devices(f"IN (SELECT id FROM sessions WHERE {where})", params)
        return [
            SessionDetail(
                _row(s),
                tuple(intervals.get(s["id"], ())),
                s["template_json"],
                tuple(measures.get(s["id"], ())),
                tuple(samples.get(s["id"], ())),
            )
            for s in sessions
        ]


def filter_statuses(values: Sequence[str]) -> tuple[str, ...]:
    for v in values:
        if v not in STATUSES:
            raise ValueError(f"unknown status {v!r}; one of {', '.join(STATUSES)}")
    return tuple(values)
