from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from legtimer.plans import find_builtin
from legtimer.store.db import Database, StoreError
from legtimer.store.exports import (
    export_file,
    read_backup,
    restore_backup,
    write_ics,
    write_tcx,
)
from legtimer.store.history import HistoryStore
from legtimer.store.queries import HistoryQueries, SessionFilter
from tests.store.factory import record_session, sprint_months

DATA = Path(__file__).resolve().parent.parent / "data"
T0 = datetime(2026, 6, 1, 6, 30, tzinfo=UTC)  # a Monday
NOW = T0 + timedelta(weeks=16)


@pytest.fixture
def db(tmp_path: Path, opened: Callable[[Path], Database]) -> Database:
    database = opened(tmp_path / "home")
    history = HistoryStore(database, now=lambda: NOW)
    sprint_months(history, T0)
    return database


def queries(db: Database) -> HistoryQueries:
    return HistoryQueries(db, now=lambda: NOW)


def test_pages_newest_first_and_filters(db: Database) -> None:
    q = queries(db)
    assert q.count() == 32
    first = q.page(limit=5)
    assert [r.started_at for r in first] == sorted((r.started_at for r in first), reverse=True)
    assert first[0].template == "Hill repeats"
    assert len(q.page(offset=30, limit=50)) == 2
    assert q.count(SessionFilter(kinds=("hill",))) == 16
    assert q.count(SessionFilter(template="sprint 15/45")) == 16
    assert {r.status for r in q.page(SessionFilter(statuses=("stopped", "interrupted")))} == {
        "stopped",
        "interrupted",
    }
    assert q.count(SessionFilter(since=T0 + timedelta(weeks=15))) == 2
    assert q.count(SessionFilter(until=T0 + timedelta(days=1))) == 1
    by_work = q.page(order="work_done", descending=False, limit=1)
    assert by_work[0].status in ("stopped", "interrupted")
    with pytest.raises(ValueError, match="cannot sort by 'nope'"):
        q.page(order="nope")


def test_notes_rpe_search_and_delete_with_undo(db: Database) -> None:
    q = queries(db)
    target = q.page(SessionFilter(kinds=("sprint",)), limit=1)[0]
    q.set_notes(target.uuid, "  legs 100% heavy_today  ")
    q.set_rpe(target.uuid, 8)
    with pytest.raises(ValueError, match="RPE is 1 to 10, not 11"):
        q.set_rpe(target.uuid, 11)
    assert [r.uuid for r in q.page(SessionFilter(text="100%"))] == [target.uuid]
    assert q.page(SessionFilter(text="heavy_t"))[0].rpe == 8
    assert q.count(SessionFilter(text="100_")) == 0  # LIKE wildcards are literal
    q.delete(target.uuid)
    assert q.count() == 31
    q.undelete(target.uuid)
    assert q.count() == 32
    detail = q.detail(target.uuid)
    assert detail is not None and detail.session.notes == "legs 100% heavy_today"
    with pytest.raises(StoreError, match="no session nope"):
        q.set_notes("nope", "x")


def test_detail_has_intervals_and_statuses(db: Database) -> None:
    q = queries(db)
    stopped = q.page(SessionFilter(statuses=("stopped",)))[0]
    d = q.detail(stopped.uuid)
    assert d is not None
    assert d.intervals[0].kind == "warmup" and d.intervals[0].outcome == "completed"
    assert d.intervals[-1].outcome == "stopped"
    assert sum(i.actual_seconds for i in d.intervals) == pytest.approx(420)
    assert not d.session.counted
    interrupted = q.page(SessionFilter(statuses=("interrupted",)))[0]
    assert interrupted.active_seconds == pytest.approx(495)  # 300 + 3 x 60 + 15: rest 4 lost


def test_weekly_totals_and_streaks(db: Database) -> None:
    q = queries(db)
    totals = q.weekly_totals()
    weeks = sorted({t.week_start for t in totals})
    assert weeks[0] == date(2026, 6, 1) and len(weeks) == 16
    assert all(w.weekday() == 0 for w in weeks)
    first = {t.kind: t for t in totals if t.week_start == weeks[0]}
    assert first["sprint"].sessions == 1 and first["sprint"].active_seconds == pytest.approx(960)
    assert first["hill"].active_seconds == pytest.approx(25 * 60)
    # Weeks 5 and 9 (0-based) have no counted sprint session.
    current, best = q.streaks("Sprint 15/45", 1, today=(NOW - timedelta(days=1)).date())
    assert (current, best) == (6, 6)
    assert q.streaks("Nothing", 1) == (0, 0)


def test_daily_totals_follow_the_local_day(db: Database) -> None:
    q = queries(db)
    days = q.daily_totals()
    assert len(days) == 32 and sum(n for n, _ in days.values()) == 32
    assert days[date(2026, 6, 1)][0] == 1
    assert days[date(2026, 6, 1)][1] == pytest.approx(960)
    assert days[date(2026, 6, 3)][1] == pytest.approx(25 * 60)  # the hill session, 07:30 UTC
    # 06:30 UTC is still the previous evening eight hours west.
    west = q.daily_totals(utc_offset=timedelta(hours=-8))
    assert date(2026, 5, 31) in west and date(2026, 6, 1) not in west
    assert len(q.daily_totals(since=T0 + timedelta(weeks=15))) == 2


def test_details_in_a_date_range(db: Database) -> None:
    q = queries(db)
    june = q.all_details(since=T0, until=datetime(2026, 7, 1, tzinfo=UTC))
    assert [d.session.started_at.day for d in june] == [1, 3, 8, 10, 15, 17, 22, 24, 29]
    assert q.all_details(until=T0) == []


def test_short_recovery_flag_is_stored(tmp_path: Path, opened: Callable[[Path], Database]) -> None:
    db = opened(tmp_path)
    history = HistoryStore(db)
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    record_session(history, sprint, T0, week=1)
    record_session(history, sprint, T0 + timedelta(hours=30), week=2)
    record_session(history, sprint, T0 + timedelta(hours=90), week=3)
    flags = [r.short_recovery for r in queries(db).page(descending=False)]
    assert flags == [False, True, False]


def test_csv_reads_back(db: Database, tmp_path: Path) -> None:
    details = queries(db).all_details()
    sessions_path, intervals_path = export_file("csv", db, details, tmp_path / "h.csv")
    with sessions_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 32
    assert rows[0]["started_at"] == "2026-06-01T06:30:00.000Z"
    datetime.fromisoformat(rows[0]["ended_at"])
    assert {r["status"] for r in rows} == {"completed", "stopped", "interrupted"}
    with intervals_path.open(encoding="utf-8-sig", newline="") as f:
        intervals = list(csv.DictReader(f))
    assert intervals[0]["session_uuid"] == rows[0]["uuid"] and intervals[0]["kind"] == "warmup"
    assert len(intervals) == sum(len(d.intervals) for d in details)


def test_csv_guards_against_formulas(tmp_path: Path, opened: Callable[[Path], Database]) -> None:
    db = opened(tmp_path / "h")
    history = HistoryStore(db)
    hiit = find_builtin("HIIT 30/30")
    assert hiit is not None
    handle = record_session(history, hiit, T0)
    queries(db).set_notes(handle.uuid, "=HYPERLINK(1)")
    (path, _) = export_file("csv", db, queries(db).all_details(), tmp_path / "x.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.DictReader(f))["notes"] == "'=HYPERLINK(1)"


def test_tcx_validates_against_the_schema(db: Database, tmp_path: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(DATA / "TrainingCenterDatabasev2.xsd")))
    path = tmp_path / "h.tcx"
    details = queries(db).all_details()
    export_file("tcx", db, details, path)
    doc = etree.parse(str(path))
    schema.assertValid(doc)
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    activities = doc.findall(".//t:Activity", ns)
    assert len(activities) == 32
    laps = activities[0].findall("t:Lap", ns)
    assert len(laps) == 14  # warm-up, 6 x (sprint, rest), cool-down
    assert laps[1].findtext("t:Intensity", namespaces=ns) == "Active"
    assert laps[2].findtext("t:Intensity", namespaces=ns) == "Resting"
    # 15 s at 16 km/h
    assert float(laps[1].findtext("t:DistanceMeters", namespaces=ns) or 0) == pytest.approx(66.7)
    assert laps[1].get("StartTime") == "2026-06-01T06:35:00.000Z"


def test_tcx_of_nothing_is_still_valid(tmp_path: Path) -> None:
    import io

    schema = etree.XMLSchema(etree.parse(str(DATA / "TrainingCenterDatabasev2.xsd")))
    buf = io.StringIO()
    assert write_tcx([], buf) == 0
    schema.assertValid(etree.fromstring(buf.getvalue().encode()))


def parse_ics(text: str) -> list[dict[str, str]]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    return events


def test_ics_parses_back(db: Database) -> None:
    import io

    q = queries(db)
    first = q.page(descending=False, limit=1)[0]
    q.set_notes(first.uuid, "Strong; legs, fine\nand a very long note " + "x" * 120)
    buf = io.StringIO()
    assert write_ics(q.all_details(), buf, NOW) == 32
    events = parse_ics(buf.getvalue())
    assert len(events) == 32 and len({e["UID"] for e in events}) == 32
    e = events[0]
    assert e["UID"] == f"{first.uuid}@legtimer"
    assert e["DTSTART"] == "20260601T063000Z" and e["DTEND"] == "20260601T064600Z"
    assert e["SUMMARY"] == "Sprint 15/45 - week 1 (completed)"
    assert "Strong; legs, fine\nand a very long note" in e["DESCRIPTION"]


def test_backup_restore_twice_gives_no_duplicates(
    db: Database, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    from legtimer.store.templates import TemplateStore

    hill = find_builtin("Hill repeats")
    assert hill is not None
    TemplateStore(db).save(replace(hill, name="My hills", builtin=False))
    path = tmp_path / "backup.json"
    export_file("json", db, queries(db).all_details(), path)
    fresh = opened(tmp_path / "other")
    first = restore_backup(fresh, read_backup(path))
    assert (first.sessions_added, first.sessions_skipped, first.templates_added) == (32, 0, 1)
    second = restore_backup(fresh, read_backup(path))
    assert (second.sessions_added, second.sessions_skipped, second.templates_added) == (0, 32, 0)
    q = queries(fresh)
    assert q.count() == 32
    original = {d.session.uuid: d for d in queries(db).all_details()}
    for d in q.all_details():
        # Everything but the row id (local to each file) comes back as it was.
        assert replace(d.session, id=0) == replace(original[d.session.uuid].session, id=0)
        assert [i.actual_seconds for i in d.intervals] == [
            i.actual_seconds for i in original[d.session.uuid].intervals
        ]


def test_restore_refuses_bad_files(tmp_path: Path, opened: Callable[[Path], Database]) -> None:
    db = opened(tmp_path / "h")
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(StoreError, match="is not a LegTimer backup"):
        read_backup(bad)
    bad.write_text('{"format": "legtimer.backup/9", "sessions": []}')
    with pytest.raises(StoreError, match="from a newer LegTimer"):
        read_backup(bad)
    bad.write_text("not json")
    with pytest.raises(StoreError, match="not JSON"):
        read_backup(bad)
    damaged = {"format": "legtimer.backup/1", "sessions": [{"uuid": "x"}]}
    with pytest.raises(
        StoreError, match=r"sessions\[0\]: template is missing \(and 15 more\); nothing was"
    ):
        restore_backup(db, damaged)
    assert queries(db).count() == 0


def test_export_to_unwritable_place_is_clear(db: Database, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot write"):
        export_file("ics", db, [], tmp_path / "missing-dir" / "x.ics")
    assert not (tmp_path / "missing-dir").exists()


def test_backup_json_is_versioned(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    export_file("json", db, queries(db).all_details(), path)
    doc = json.loads(path.read_text())
    assert doc["format"] == "legtimer.backup/1"
    assert set(doc) >= {"sessions", "templates", "program_choices", "settings", "exported_at"}


def test_weekly_totals_use_the_local_week(
    tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    db = opened(tmp_path / "h")
    hiit = find_builtin("HIIT 30/30")
    assert hiit is not None
    sunday_night = datetime(2026, 6, 7, 23, 30, tzinfo=UTC)  # Monday 01:30 at UTC+2
    record_session(HistoryStore(db), hiit, sunday_night)
    q = queries(db)
    assert [t.week_start for t in q.weekly_totals()] == [date(2026, 6, 1)]
    assert [t.week_start for t in q.weekly_totals(utc_offset=timedelta(hours=2))] == [
        date(2026, 6, 8)
    ]
    assert [t.week_start for t in q.weekly_totals(utc_offset=timedelta(hours=-5))] == [
        date(2026, 6, 1)
    ]


def test_restore_brings_the_settings_back_and_names_them(
    db: Database, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    from legtimer.store.settings import Settings, SettingsStore

    SettingsStore(db).save(Settings(units="mph", theme="light", volume=40))
    path = tmp_path / "backup.json"
    export_file("json", db, queries(db).all_details(), path)
    fresh = opened(tmp_path / "other")
    SettingsStore(fresh).save(Settings(theme="light"))
    result = restore_backup(fresh, read_backup(path))
    assert sorted(result.settings_changed) == ["units", "volume"]
    assert "settings changed: " in str(result)
    restored = SettingsStore(fresh).load()
    assert (restored.units, restored.theme, restored.volume) == ("mph", "light", 40)
    again = restore_backup(fresh, read_backup(path))
    assert again.settings_changed == [] and "settings as they were" in str(again)


def test_a_backup_with_a_bad_setting_restores_nothing(
    db: Database, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    from legtimer.store.settings import Settings, SettingsStore

    path = tmp_path / "backup.json"
    export_file("json", db, queries(db).all_details(), path)
    doc = read_backup(path)
    doc["settings"]["volume"] = "300"
    doc["settings"]["from_a_newer_version"] = '"kept out"'
    fresh = opened(tmp_path / "other")
    with pytest.raises(StoreError, match=r"settings\.volume: 300 is not a whole number"):
        restore_backup(fresh, doc)
    assert queries(fresh).count() == 0
    assert SettingsStore(fresh).load() == Settings()
