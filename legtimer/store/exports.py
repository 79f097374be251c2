"""Taking the history elsewhere: CSV, a JSON backup (and restore), TCX and iCalendar.

Each writer takes session details and a text stream, so the command line and the GUI share
them; `write_atomically` makes sure a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from legtimer import __version__
from legtimer.store.backupformat import BACKUP_FORMAT
from legtimer.store.db import Database, StoreError, iso, parse_iso, snapshot_id, utc_now
from legtimer.store.queries import MeasureRow, SampleRow, SessionDetail
from legtimer.store.templates import free_uid, program_key

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"

SESSION_FIELDS = (
    "uuid",
    "template",
    "kind",
    "program",
    "week",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "paused_seconds",
    "work_planned",
    "work_done",
    "counted",
    "rpe",
    "notes",
)
INTERVAL_FIELDS = (
    "session_uuid",
    "position",
    "kind",
    "name",
    "planned_seconds",
    "actual_seconds",
    "paused_seconds",
    "outcome",
    "speed_kmh",
    "incline_pct",
)


@contextmanager
def write_atomically(
    path: str | os.PathLike[str], *, newline: str | None = None
) -> Iterator[IO[str]]:
    """Write to a temporary file beside `path` and rename it into place when done."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.part")
    try:
        with tmp.open("w", encoding="utf-8", newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What XML 1.0 cannot hold at all, even escaped (its Char production), besides surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str, *, tabs: bool = True) -> str:
    """Text as every export can carry it: line breaks as \\n (a bare CR included), no other
    control characters (tabs kept unless `tabs` is off), lone surrogates as U+FFFD. The app
    writes none of these; a database edited by hand, or an old backup, may hold them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text if tabs else text.replace("\t", " "))
    return _SURROGATE.sub("\ufffd", text)


def _cell(value: object) -> object:
    """Keep spreadsheet apps from running text as a formula; no control characters."""
    if isinstance(value, str):
        value = clean(value)
        if value[:1] in ("=", "+", "-", "@", "\t"):
            return "'" + value
    return value


def session_dict(d: SessionDetail) -> dict[str, Any]:
    s = d.session
    return {
        "uuid": clean(s.uuid),
        "template": clean(s.template),
        "kind": clean(s.kind),
        "program": clean(s.program) if s.program is not None else None,
        "week": s.week,
        "started_at": iso(s.started_at),
        "ended_at": iso(s.ended_at) if s.ended_at else None,
        "status": s.status,
        "planned_seconds": s.planned_seconds,
        "active_seconds": s.active_seconds,
        "paused_seconds": s.paused_seconds,
        "work_planned": s.work_planned,
        "work_done": s.work_done,
        "counted": s.counted,
        "rpe": s.rpe,
        "notes": clean(s.notes),
    }


#: What the devices recorded per interval, as the CSV and JSON name it.
MEASURED_FIELDS = ("belt_kmh", "distance_m", "belt_incline_pct", "hr_mean", "hr_max", "hr_drop")


def measured_dict(m: MeasureRow) -> dict[str, Any]:
    return {
        "belt_kmh": m.belt_kmh,
        "distance_m": m.distance_m,
        "belt_incline_pct": m.incline_pct,
        "hr_mean": m.hr_mean,
        "hr_max": m.hr_max,
        "hr_drop": m.hr_drop,
    }


def interval_dicts(d: SessionDetail) -> list[dict[str, Any]]:
    """The intervals; one the devices recorded carries `measured` (a session without devices
    reads as before they existed)."""
    out = []
    for i in d.intervals:
        row: dict[str, Any] = {
            "position": i.position,
            "kind": clean(i.kind),
            "name": clean(i.name),
            "planned_seconds": i.planned_seconds,
            "actual_seconds": i.actual_seconds,
            "paused_seconds": i.paused_seconds,
            "outcome": i.outcome,
            "speed_kmh": i.speed_kmh,
            "incline_pct": i.incline_pct,
        }
        measure = d.measure(i.position)
        if measure is not None:
            row["measured"] = measured_dict(measure)
        out.append(row)
    return out


def sample_lists(d: SessionDetail) -> list[list[float | int | None]]:
    """The devices' readings, compact: [seconds in, km/h, metres, %, bpm] each."""
    return [[x.at_s, x.speed_kmh, x.distance_m, x.incline_pct, x.hr] for x in d.samples]


# -- CSV --------------------------------------------------------------------------------------


def write_sessions_csv(details: Iterable[SessionDetail], out: IO[str]) -> None:
    w = csv.writer(out)
    w.writerow(SESSION_FIELDS)
    for d in details:
        row = session_dict(d)
        w.writerow([_cell(row[f]) if row[f] is not None else "" for f in SESSION_FIELDS])


def write_intervals_csv(details: Iterable[SessionDetail], out: IO[str]) -> None:
    """One row per interval; the devices' columns only when some session has them."""
    details = list(details)
    fields: tuple[str, ...] = INTERVAL_FIELDS
    if any(d.measures for d in details):
        fields += MEASURED_FIELDS
    w = csv.writer(out)
    w.writerow(fields)
    for d in details:
        for i in interval_dicts(d):
            row = {"session_uuid": d.session.uuid, **i, **i.pop("measured", {})}
            w.writerow([_cell(row.get(f)) if row.get(f) is not None else "" for f in fields])


def export_csv(details: list[SessionDetail], path: Path) -> list[Path]:
    """Sessions to `path`, their intervals to `<stem>-intervals.csv` beside it. UTF-8 with a
    byte-order mark so spreadsheet apps read accents right."""
    intervals_path = path.with_name(f"{path.stem}-intervals{path.suffix or '.csv'}")
    with write_atomically(path, newline="") as f:
        f.write("\ufeff")
        write_sessions_csv(details, f)
    with write_atomically(intervals_path, newline="") as f:
        f.write("\ufeff")
        write_intervals_csv(details, f)
    return [path, intervals_path]


# -- JSON backup ------------------------------------------------------------------------------


def backup_document(db: Database, details: list[SessionDetail], now: datetime) -> dict[str, Any]:
    conn = db.conn
    return {
        "format": BACKUP_FORMAT,
        "app_version": __version__,
        "exported_at": iso(now),
        "sessions": [
            {
                **session_dict(d),
                "program_id": d.session.program_key,
                "short_recovery": d.session.short_recovery,
                "template_json": json.loads(d.template_json or "null"),
                "intervals": interval_dicts(d),
                **({"samples": sample_lists(d)} if d.samples else {}),
            }
            for d in details
        ],
        "templates": [
            json.loads(r["json"]) for r in conn.execute("SELECT json FROM templates ORDER BY id")
        ],
        # The ids the templates' programs are filed under, so a restore keeps each session
        # with its program whatever the template is called by then.
        "template_ids": {
            r["name"]: r["uid"] for r in conn.execute("SELECT name, uid FROM templates")
        },
        "program_choices": [
            dict(r)
            for r in conn.execute(
                "SELECT COALESCE(t.name, c.program) AS program, c.program AS program_id, at, "
                "c.kind AS kind, week FROM program_choices AS c "
                "LEFT JOIN templates AS t ON t.uid = c.program ORDER BY c.id"
            )
        ],
        "settings": {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM settings")},
    }


def write_backup(
    db: Database, details: list[SessionDetail], path: Path, now: Callable[[], datetime] = utc_now
) -> None:
    with write_atomically(path) as f:
        json.dump(backup_document(db, details, now()), f, indent=1, ensure_ascii=False)
        f.write("\n")


class RestoreResult:
    def __init__(self) -> None:
        self.sessions_added = 0
        #: Sessions the backup had further along than this history (finished, more intervals).
        self.sessions_updated = 0
        self.sessions_skipped = 0
        self.templates_added = 0
        self.choices_added = 0
        #: The settings the backup changed, by name.
        self.settings_changed: list[str] = []

    def __str__(self) -> str:
        settings = (
            f"settings changed: {', '.join(self.settings_changed)}"
            if self.settings_changed
            else "settings as they were"
        )
        return (
            f"{self.sessions_added} sessions added, "
            + (f"{self.sessions_updated} brought up to date, " if self.sessions_updated else "")
            + f"{self.sessions_skipped} already present; "
            f"{self.templates_added} templates and {self.choices_added} program choices added; "
            f"{settings}"
        )


def _restore_settings(conn: sqlite3.Connection, stored: object) -> list[str]:
    """Write the backup's settings (each checked as the settings store checks what it loads);
    the names of those that differ from what was there. A setting this version does not know
    is left out; one with a value it cannot take refuses the whole restore."""
    from dataclasses import asdict

    from legtimer.store.settings import CHECKS, UPSERT_SETTING, Settings

    if not isinstance(stored, dict):
        raise StoreError("the backup's settings are not a table of names and values")
    defaults = asdict(Settings())
    current = {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM settings")}
    changed = []
    for key, raw in stored.items():
        check = CHECKS.get(key)
        if check is None:
            continue
        try:
            value = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            value = None
        problem = check(value) if value is not None else f"{raw!r} is not readable"
        if problem:
            raise StoreError(f"the backup's settings.{key}: {problem}; nothing was restored")
        text = json.dumps(value)
        before = json.loads(current[key]) if key in current else defaults[key]
        if before != value:
            changed.append(key)
        conn.execute(UPSERT_SETTING, (key, text))
    return changed


def read_backup(path: Path, now: Callable[[], datetime] = utc_now) -> dict[str, Any]:
    """The backup at `path`, checked against the format (store/backupformat.py) before
    anything is written; StoreError names the first value that is wrong, by its place."""
    from legtimer.store.backupformat import BackupProblem
    from legtimer.store.backupformat import read_backup as read_checked

    try:
        return read_checked(path, now())
    except BackupProblem as exc:
        raise StoreError(f"{exc}; nothing was restored") from None


_SESSION_COLUMNS = (
    "template_name, template_kind, snapshot_id, program, week, started_at, ended_at, status, "
    "planned_seconds, active_seconds, paused_seconds, work_planned, work_done, counted, rpe, "
    "notes, short_recovery"
)


def _restore_session(
    conn: sqlite3.Connection, s: dict[str, Any], program: str | None, result: RestoreResult
) -> None:
    """One session of a checked backup: added, left (already here), or, when the backup has it
    further along than this copy, put in its place."""
    status, ended = s["status"], s["ended_at"]
    if status == "running":  # the backup was taken during the session
        status = "interrupted"
        ended = ended or iso(
            parse_iso(s["started_at"])
            + timedelta(seconds=s["active_seconds"] + s["paused_seconds"])
        )
    rpe, notes = s["rpe"], s["notes"] or ""
    here = conn.execute(
        "SELECT id, status, rpe, notes, (SELECT COUNT(*) FROM intervals WHERE session_id = "
        "sessions.id) AS recorded FROM sessions WHERE uuid = ?",
        (s["uuid"],),
    ).fetchone()
    if here is not None:
        cut_short = here["status"] in ("running", "interrupted") and status != "interrupted"
        more = len(s["intervals"]) > here["recorded"]
        if not (cut_short or more):
            result.sessions_skipped += 1
            return
        # The backup's copy goes further; what the runner wrote here since stays.
        rpe = here["rpe"] if rpe is None else rpe
        notes = here["notes"] or notes
    values = (
        s["template"],
        s["kind"],
        snapshot_id(conn, json.dumps(s["template_json"], ensure_ascii=False)),
        program,
        s["week"],
        iso(parse_iso(s["started_at"])),
        iso(parse_iso(ended)) if ended else None,
        status,
        s["planned_seconds"],
        s["active_seconds"],
        s["paused_seconds"],
        s["work_planned"],
        s["work_done"],
        int(bool(s["counted"])),
        rpe,
        notes,
        int(bool(s.get("short_recovery", False))),
    )
    if here is not None:
        session_id = here["id"]
        conn.execute("DELETE FROM intervals WHERE session_id = ?", (session_id,))
        conn.execute(
            f"UPDATE sessions SET ({_SESSION_COLUMNS}) = "
            f"({', '.join('?' * len(values))}) WHERE id = ?",
            (*values, session_id),
        )
        result.sessions_updated += 1
    else:
        cur = conn.execute(
            f"INSERT INTO sessions (uuid, {_SESSION_COLUMNS}) "
            f"VALUES ({', '.join('?' * (len(values) + 1))})",
            (s["uuid"], *values),
        )
        assert cur.lastrowid is not None
        session_id = cur.lastrowid
        result.sessions_added += 1
    conn.executemany(
        "INSERT INTO intervals (session_id, position, kind, name, planned_seconds, "
        "actual_seconds, paused_seconds, outcome, speed_kmh, incline_pct) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                i["position"],
                i["kind"],
                i["name"],
                i["planned_seconds"],
                i["actual_seconds"],
                i["paused_seconds"],
                i["outcome"],
                i["speed_kmh"],
                i["incline_pct"],
            )
            for i in s["intervals"]
        ],
    )
    from legtimer.store.history import write_devices

    measures = [
        MeasureRow(
            i["position"],
            *(i["measured"].get(f) for f in MEASURED_FIELDS),
        )
        for i in s["intervals"]
        if isinstance(i.get("measured"), dict)
    ]
    samples = [SampleRow(*x) for x in s.get("samples", [])]
    if measures or samples:  # a copy without them leaves what this history recorded
        write_devices(conn, session_id, measures, samples)


def restore_backup(
    db: Database, doc: dict[str, Any], *, checked: bool = False, now: datetime | None = None
) -> RestoreResult:
    """Merge a backup into the database: templates by name (first, so that sessions find
    their programs), sessions by UUID, choices by content. A session already here is left as
    it is, unless the backup holds it further along (finished where this copy was cut short,
    or with more intervals): then the backup's copy replaces it. A session the backup caught
    running is restored as interrupted. All or nothing is written; a document not yet checked
    against the format (`checked`) is checked first."""
    from legtimer.plans import TemplateError, template_from_json
    from legtimer.store.backupformat import BackupProblem, check_backup

    if not checked:
        try:
            check_backup(doc, now)
        except BackupProblem as exc:
            raise StoreError(f"{exc}; nothing was restored") from None
    result = RestoreResult()
    try:
        with db.transaction() as conn:
            keys: dict[str, str] = {}  # the backup's template ids -> this history's
            ids = doc.get("template_ids", {})
            if not isinstance(ids, dict):
                raise StoreError("the backup's template_ids are not a table; nothing was restored")
            for n, t in enumerate(doc.get("templates", [])):
                try:
                    template = template_from_json(t)
                except TemplateError as exc:
                    raise StoreError(
                        f"the backup's templates[{n}]: {exc}; nothing was restored"
                    ) from None
                stamp = iso(utc_now())
                backup_id = ids.get(template.name)
                cur = conn.execute(
                    "INSERT OR IGNORE INTO templates (name, kind, json, created_at, updated_at, "
                    "uid) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        template.name,
                        template.kind.value,
                        json.dumps(t, ensure_ascii=False),
                        stamp,
                        stamp,
                        free_uid(conn, backup_id),
                    ),
                )
                result.templates_added += cur.rowcount
                if isinstance(backup_id, str):
                    keys[backup_id] = program_key(conn, template.name)

            filed: dict[tuple[object, object], str | None] = {}

            def key_of(entry: dict[str, Any]) -> str | None:
                """Where a session or choice of the backup is filed here: under the template
                its id names (as restored), else the program of that name. Asked once per
                program: the templates are all in by now."""
                name, backup_id = entry["program"], entry.get("program_id")
                if (name, backup_id) not in filed:
                    filed[name, backup_id] = look_up(name, backup_id)
                return filed[name, backup_id]

            def look_up(name: object, backup_id: object) -> str | None:
                if name is None:
                    return None
                if isinstance(backup_id, str):
                    if backup_id in keys:
                        return keys[backup_id]
                    if conn.execute(
                        "SELECT 1 FROM templates WHERE uid = ?", (backup_id,)
                    ).fetchone():
                        return backup_id
                return program_key(conn, str(name))

            for n, s in enumerate(doc.get("sessions", [])):
                where = f"sessions[{n}]"
                try:
                    _restore_session(conn, s, key_of(s), result)
                except (
                    KeyError,
                    TypeError,
                    ValueError,
                    OverflowError,
                    sqlite3.IntegrityError,
                ) as exc:
                    raise StoreError(
                        f"the backup's {where} is damaged ({exc!r}); nothing was restored"
                    ) from None
            for c in doc.get("program_choices", []):
                choice = (key_of(c), c["at"], c["kind"], c["week"])
                exists = conn.execute(
                    "SELECT 1 FROM program_choices WHERE program = ? AND at = ? AND kind = ? "
                    "AND week = ?",
                    choice,
                ).fetchone()
                if not exists:
                    conn.execute(
                        "INSERT INTO program_choices (program, at, kind, week) VALUES (?, ?, ?, ?)",
                        choice,
                    )
                    result.choices_added += 1
            result.settings_changed = _restore_settings(conn, doc.get("settings", {}))
    except sqlite3.IntegrityError as exc:
        raise StoreError(
            f"the backup does not fit this history ({exc}); nothing was restored"
        ) from None
    return result


# -- TCX ----------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """XML text escaping (xml.sax.saxutils would pull in urllib and http at import), with
    what XML 1.0 cannot hold left out."""
    text = _NOT_XML.sub("", clean(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_time(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def _bpm(element: str, value: int, indent: int) -> str:
    pad = " " * indent
    return f"{pad}<{element}><Value>{max(1, min(value, 255))}</Value></{element}>\n"


def _write_track(out: IO[str], points: list[SampleRow], lap_start: datetime, active: float) -> None:
    """The devices' readings over one lap, as TCX track points (time, distance, heart rate).
    A reading's moment is the lap's start plus its active seconds into the lap."""
    out.write("        <Track>\n")
    for x in points:
        moment = lap_start + timedelta(seconds=x.at_s - active)
        out.write(f"          <Trackpoint>\n            <Time>{_xml_time(moment)}</Time>\n")
        if x.distance_m is not None:
            out.write(f"            <DistanceMeters>{x.distance_m:.1f}</DistanceMeters>\n")
        if x.hr:
            out.write(_bpm("HeartRateBpm", x.hr, 12))
        out.write("          </Trackpoint>\n")
    out.write("        </Track>\n")


def write_tcx(details: Iterable[SessionDetail], out: IO[str]) -> int:
    """One Activity per session, one Lap per recorded interval. Returns the activities written
    (a session with no recorded interval has no lap, which TCX does not allow, so it is left
    out)."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<TrainingCenterDatabase xmlns="{TCX_NS}">\n  <Activities>\n')
    written = 0
    seen_ids: set[str] = set()
    for d in details:
        laps = [i for i in d.intervals if i.actual_seconds > 0]
        if not laps:
            continue
        start = d.session.started_at
        activity_id = _xml_time(start)
        while activity_id in seen_ids:  # Ids must be unique in a file
            start += timedelta(milliseconds=1)
            activity_id = _xml_time(start)
        seen_ids.add(activity_id)
        out.write(f'    <Activity Sport="Running">\n      <Id>{activity_id}</Id>\n')
        t = d.session.started_at
        active = 0.0  # active seconds at the lap's start (the samples' time base)
        for i in laps:
            measure = d.measure(i.position)
            meters = (i.speed_kmh or 0.0) / 3.6 * i.actual_seconds
            if measure is not None and measure.distance_m is not None:
                meters = measure.distance_m  # the belt's own count
            out.write(f'      <Lap StartTime="{_xml_time(t)}">\n')
            out.write(f"        <TotalTimeSeconds>{i.actual_seconds:.3f}</TotalTimeSeconds>\n")
            out.write(f"        <DistanceMeters>{meters:.1f}</DistanceMeters>\n")
            if i.speed_kmh:
                out.write(f"        <MaximumSpeed>{i.speed_kmh / 3.6:.3f}</MaximumSpeed>\n")
            out.write("        <Calories>0</Calories>\n")
            if measure is not None and measure.hr_mean is not None and measure.hr_max:
                average = max(1, round(measure.hr_mean))
                out.write(_bpm("AverageHeartRateBpm", average, 8))
                out.write(_bpm("MaximumHeartRateBpm", measure.hr_max, 8))
            intensity = "Active" if i.kind == "work" else "Resting"
            out.write(f"        <Intensity>{intensity}</Intensity>\n")
            trigger = "Time" if i.outcome == "completed" else "Manual"
            out.write(f"        <TriggerMethod>{trigger}</TriggerMethod>\n")
            end = active + i.actual_seconds
            last = i is laps[-1]
            points = [x for x in d.samples if active <= x.at_s < end or (last and x.at_s == end)]
            if points:
                _write_track(out, points, t, active)
            note = i.name + (f", incline {i.incline_pct:g} %" if i.incline_pct is not None else "")
            out.write(f"        <Notes>{escape(note)}</Notes>\n")
            out.write("      </Lap>\n")
            t += timedelta(seconds=i.actual_seconds + i.paused_seconds)
            active += i.actual_seconds
        notes = f"{d.session.template} ({d.session.status})"
        if d.session.notes:
            notes += f": {d.session.notes}"
        out.write(f"      <Notes>{escape(notes)}</Notes>\n    </Activity>\n")
        written += 1
    out.write("  </Activities>\n</TrainingCenterDatabase>\n")
    return written


# -- iCalendar ----------------------------------------------------------------------------------


def _ics_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks as \\n, no other
    control character but the tab."""
    text = clean(text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines are at most 75 octets; continuations start with a space (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def write_ics(details: Iterable[SessionDetail], out: IO[str], now: datetime) -> int:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//LegTimer//LegTimer {__version__}//EN",
        "CALSCALE:GREGORIAN",
    ]
    n = 0
    for d in details:
        s = d.session
        end = s.ended_at or s.started_at + timedelta(seconds=s.active_seconds + s.paused_seconds)
        week = f" - week {s.week}" if s.week else ""
        summary = f"{s.template}{week} ({s.status})"
        minutes = s.active_seconds / 60
        desc = f"{s.work_done} of {s.work_planned} work intervals, {minutes:.0f} min active"
        if s.rpe:
            desc += f", RPE {s.rpe}"
        if s.notes:
            desc += f"\n{s.notes}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_ics_text(s.uuid)}@legtimer",
            f"DTSTAMP:{_ics_time(now)}",
            f"DTSTART:{_ics_time(s.started_at)}",
            f"DTEND:{_ics_time(max(end, s.started_at + timedelta(seconds=1)))}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(desc)}",
            f"CATEGORIES:{_ics_text(s.kind)}",
            "END:VEVENT",
        ]
        n += 1
    lines.append("END:VCALENDAR")
    out.write("".join(_fold(line) + "\r\n" for line in lines))
    return n


def export_file(
    fmt: str,
    db: Database,
    details: list[SessionDetail],
    path: Path,
    now: Callable[[], datetime] = utc_now,
) -> list[Path]:
    """Write `details` to `path` in `fmt` (csv, json, tcx, ics); returns the files written."""
    if fmt == "csv":
        return export_csv(details, path)
    if fmt == "json":
        write_backup(db, details, path, now)
    elif fmt == "tcx":
        with write_atomically(path) as f:
            write_tcx(details, f)
    elif fmt == "ics":
        with write_atomically(path, newline="") as f:
            write_ics(details, f, now())
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return [path]


def text_of(writer: Callable[[IO[str]], object]) -> str:
    buf = io.StringIO()
    writer(buf)
    return buf.getvalue()
