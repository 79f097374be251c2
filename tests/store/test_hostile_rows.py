"""Rows written straight into the database, as another program or a damaged page might: start-up,
the views' queries, the command line and every export survive them, and what they write stays
valid (the TCX is XML, the ICS has no control characters)."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from legtimer.__main__ import main as legtimer_main
from legtimer.plans import find_builtin
from legtimer.plans.progression import ChoiceKind, ProgramChoice
from legtimer.store.db import open_database
from legtimer.store.exports import export_file
from legtimer.store.history import HistoryStore
from legtimer.store.queries import HistoryQueries

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)

HOSTILE = [
    # uuid, name, started_at, status, active seconds, notes
    ("a", "Evil\x00\x1b[31mred", "9999-12-31T23:59:59.000Z", "running", 1e300, "ok"),
    ("b", "Sprint 15/45", "garbage", "completed", float("inf"), "line\rbreak\x0b\x0c\x1b"),
    ("c", "Sprint 15/45", "0001-01-01T00:00:00.000Z", "stopped", -5.0, "tab\there"),
    ("d", "Sprint 15/45", "2026-11-20T07:00:00.000Z", "running", 1e308, "ok"),
]


def write_hostile(home: Path) -> None:
    db = open_database(home)
    db.close()
    conn = sqlite3.connect(home / "legtimer.sqlite3")
    for uuid, name, start, status, active, notes in HOSTILE:
        cur = conn.execute(
            "INSERT INTO sessions (uuid, template_name, template_kind, program, week, started_at, "
            "status, planned_seconds, active_seconds, paused_seconds, work_planned, work_done, "
            "counted, notes) VALUES (?, ?, 'sprint', 'Sprint 15/45', 99, ?, ?, 1e300, ?, 1e300, "
            "6, 6, 1, ?)",
            (uuid, name, start, status, active, notes),
        )
        conn.execute(
            "INSERT INTO intervals (session_id, position, kind, name, planned_seconds, "
            "actual_seconds, paused_seconds, outcome, speed_kmh, incline_pct) "
            "VALUES (?, 0, 'work', ?, 1e300, 1e300, -1, 'completed', 1e300, -1e300)",
            (cur.lastrowid, name),
        )
    conn.execute(
        "INSERT INTO program_choices (program, at, kind, week) "
        "VALUES ('Sprint 15/45', 'garbage', 'set_week', 3)"
    )
    conn.commit()
    conn.close()


def test_start_up_views_and_exports_survive_any_row(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_hostile(home)
    db = open_database(home)
    try:
        history = HistoryStore(db, now=lambda: NOW)
        assert history.close_unfinished() == 2  # what start-up does first
        sprint = find_builtin("Sprint 15/45")
        assert sprint is not None
        history.program_status(sprint, NOW)
        queries = HistoryQueries(db, now=lambda: NOW)
        details = queries.all_details()
        assert len(details) == 4 and len(queries.page()) == 4
        for d in details:
            assert 0 <= d.session.active_seconds <= 30 * 86400
            assert datetime(2000, 1, 1, tzinfo=UTC) <= d.session.started_at
            assert d.session.started_at <= datetime(2100, 1, 1, tzinfo=UTC)
        queries.weekly_totals(utc_offset=timedelta(hours=2))
        queries.daily_totals(utc_offset=timedelta(hours=2))
        queries.streaks("Sprint 15/45", 1, today=NOW.date())
        for fmt in ("csv", "json", "tcx", "ics"):
            export_file(fmt, db, details, tmp_path / f"out.{fmt}", now=lambda: NOW)
    finally:
        db.close()
    ET.parse(tmp_path / "out.tcx")  # valid XML, whatever the notes held
    ics = (tmp_path / "out.ics").read_bytes()
    lines = ics.split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert not any(c < 0x20 and c != 0x09 for line in lines for c in line)
    csv_text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "\x1b" not in csv_text and "\x00" not in csv_text


def test_the_command_line_never_prints_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    write_hostile(home)
    for args in (["history"], ["history", "--json"], ["history", "--csv"]):
        with contextlib.redirect_stderr(io.StringIO()):
            assert legtimer_main(["--data-dir", str(home), *args]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x00" not in out and "\x0b" not in out, args


def test_a_week_chosen_under_a_wrong_clock_does_not_pin_the_program(tmp_path: Path) -> None:
    db = open_database(tmp_path / "h")
    try:
        history = HistoryStore(db, now=lambda: NOW)
        sprint = find_builtin("Sprint 15/45")
        assert sprint is not None
        # The clock a year ahead: week 3. Put right, the runner chooses week 1 again.
        history.add_choice(
            sprint.name, ProgramChoice(NOW + timedelta(days=365), ChoiceKind.SET_WEEK, 3)
        )
        history.add_choice(sprint.name, ProgramChoice(NOW, ChoiceKind.SET_WEEK, 1))
        assert history.program_status(sprint, NOW).week == 1
        assert [c.week for c in history.program_choices(sprint.name)] == [3, 1]
    finally:
        db.close()
