from __future__ import annotations

import json
from pathlib import Path

import pytest

from legtimer.__main__ import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_templates_list_and_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "list")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == [
        "Sprint 15/45",
        "HIIT 30/30",
        "Tabata 20/10",
        "Hill repeats",
    ]
    code, out, _ = run(capsys, "templates", "show", "Sprint 15/45", "--week", "3", "--json")
    doc = json.loads(out)
    assert set(doc) == {"name", "week", "total_seconds", "intervals"}
    assert doc["week"] == 3 and doc["total_seconds"] == 600 + 10 * 60
    assert sum(1 for i in doc["intervals"] if i["kind"] == "work") == 10
    assert doc["intervals"][1] == {
        "kind": "work",
        "name": "Sprint",
        "seconds": 15,
        "speed_kmh": 16.0,
        "incline_pct": 1.0,
    }
    code, out, _ = run(capsys, "templates", "show", "HIIT 30/30", "--json")
    assert json.loads(out)["week"] is None


def test_show_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "templates", "show", "Nope")
    assert code == 1 and "no template named 'Nope'" in err
    code, _, err = run(capsys, "templates", "show", "Sprint 15/45", "--week", "5")
    assert code == 1 and "week must be 1 to 4" in err
    code, _, err = run(capsys, "templates", "show", "HIIT 30/30", "--week", "2")
    assert code == 1 and "is not a program" in err
    code, _, err = run(capsys, "templates")
    assert code == 2 and "choose an action" in err


def test_import_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "hill.json"
    assert run(capsys, "templates", "export", "Hill repeats", str(out_file))[0] == 0
    doc = json.loads(out_file.read_text())
    doc["name"] = "My hills"
    out_file.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "templates", "import", str(out_file))
    assert code == 0 and "imported 'My hills'" in out
    code, _, err = run(capsys, "templates", "import", str(out_file))
    assert code == 1 and "already exists; use --replace" in err
    assert run(capsys, "templates", "import", "--replace", str(out_file))[0] == 0
    code, out, _ = run(capsys, "templates", "list")
    assert "My hills\thill" in out and "(yours)" in out


def test_bad_import_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "legtimer.template/1", "name": "Bad", "blocks": '
        '[{"repeat": 2, "blocks": [{"kind": "work", "seconds": 0}]}]}'
    )
    code, _, err = run(capsys, "templates", "import", str(bad))
    assert code == 1
    assert "blocks[0].blocks[0].seconds: must be > 0; nothing was imported" in err
    assert "Bad" not in run(capsys, "templates", "list")[1]


def test_program_commands_persist(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "program", "status")
    assert code == 0 and out.startswith("Sprint 15/45: week 1 of 4")
    code, out, _ = run(capsys, "program", "set-week", "3")
    assert "week 3 of 4" in out and "10 work intervals" in out
    code, out, _ = run(capsys, "program", "status", "Sprint 15/45")
    assert "week 3 of 4" in out
    code, out, _ = run(capsys, "program", "repeat-week")
    assert "week 2 of 4" in out
    code, out, _ = run(capsys, "program", "restart")
    assert "week 1 of 4" in out
    code, _, err = run(capsys, "program", "set-week", "9")
    assert code == 1 and "week must be 1 to 4, not 9" in err
    code, _, err = run(capsys, "program", "status", "HIIT 30/30")
    assert code == 1 and "is not a program" in err


def test_data_dir_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "elsewhere"
    assert run(capsys, "--data-dir", str(target), "program", "set-week", "2")[0] == 0
    assert (target / "legtimer.sqlite3").is_file()


def _seed_history() -> None:
    from datetime import UTC, datetime

    from legtimer import paths
    from legtimer.store.db import open_database
    from legtimer.store.history import HistoryStore
    from tests.store.factory import sprint_months

    db = open_database(paths.data_dir())
    try:
        sprint_months(HistoryStore(db), datetime(2026, 6, 1, 6, 30, tzinfo=UTC))
    finally:
        db.close()


def test_history_json_and_limits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history")
    assert code == 0 and "No sessions yet" in out
    _seed_history()
    code, out, _ = run(capsys, "history", "--json", "--limit", "3")
    doc = json.loads(out)
    assert len(doc) == 3
    assert set(doc[0]) == {
        "uuid",
        "template",
        "week",
        "started_at",
        "ended_at",
        "status",
        "planned_seconds",
        "active_seconds",
        "rpe",
        "notes",
        "intervals",
    }
    assert set(doc[0]["intervals"][0]) == {
        "kind",
        "name",
        "planned_seconds",
        "actual_seconds",
        "completed",
    }
    assert doc[0]["started_at"] > doc[1]["started_at"] > doc[2]["started_at"]
    code, out, _ = run(capsys, "history", "--json")
    assert len(json.loads(out)) == 32
    code, out, _ = run(capsys, "history", "--csv", "--limit", "2")
    assert out.splitlines()[0].startswith("uuid,template,kind")
    assert len(out.splitlines()) == 3
    code, out, _ = run(capsys, "history", "--limit", "1")
    assert "Hill repeats" in out and "completed" in out
    code, _, err = run_exit(capsys, "history", "--since", "yesterday-ish")
    assert "is not a date" in err


def test_history_limit_takes_the_newest_and_refuses_nonsense(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed_history()
    code, out, _ = run(capsys, "history", "--json")
    every = json.loads(out)
    code, out, _ = run(capsys, "history", "--json", "--limit", "5")
    assert json.loads(out) == every[:5]  # the same five, newest first, intervals and all
    for bad in ("0", "-1", "-5", "two"):
        code, _, err = run_exit(capsys, "history", "--limit", bad)
        assert code == 2 and "--limit" in err, (bad, err)


def test_history_since_says_when_only_older_sessions_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed_history()
    code, out, _ = run(capsys, "history", "--since", "2030-01-01")
    assert code == 0
    assert "No sessions since 2030-01-01" in out and "No sessions yet" not in out


def run_exit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_export_backup_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed_history()
    for fmt in ("csv", "json", "tcx", "ics"):
        code, out, _ = run(capsys, "export", "--format", fmt, "-o", str(tmp_path / f"h.{fmt}"))
        assert code == 0 and "32 sessions exported" in out
    assert (tmp_path / "h-intervals.csv").is_file()
    # Weeks 15 and 16 of the seeded months: a sprint and a hill session each.
    code, out, _ = run(
        capsys,
        "export",
        "--format",
        "ics",
        "-o",
        str(tmp_path / "r.ics"),
        "--since",
        "2026-09-07T00:00:00+00:00",
    )
    assert "4 sessions exported" in out
    assert (tmp_path / "r.ics").read_text().count("BEGIN:VEVENT") == 4
    code, out, _ = run(capsys, "backup", "-o", str(tmp_path / "b.json"))
    assert code == 0
    other = tmp_path / "other"
    code, out, _ = run(capsys, "--data-dir", str(other), "restore", str(tmp_path / "b.json"))
    assert code == 0 and "32 sessions added, 0 already present" in out
    code, out, _ = run(capsys, "--data-dir", str(other), "restore", str(tmp_path / "b.json"))
    assert "0 sessions added, 32 already present" in out
    code, _, err = run(capsys, "restore", str(tmp_path / "h.tcx"))
    assert code == 1 and "is not a LegTimer backup" in err
    code, _, err = run(capsys, "export", "--format", "csv", "-o", str(tmp_path / "no" / "x.csv"))
    assert code == 1 and "cannot write" in err


def test_history_reports_a_session_left_running_as_interrupted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A crash left a session "running"; with no LegTimer holding the database, the command
    line closes it as the app would at its next start."""
    from datetime import UTC, datetime

    from legtimer import paths
    from legtimer.plans import find_builtin
    from legtimer.store.db import open_database
    from legtimer.store.history import HistoryStore
    from tests.store.factory import record_session

    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    db = open_database(paths.data_dir())
    try:
        start = datetime(2026, 6, 1, 6, 30, tzinfo=UTC)
        record_session(HistoryStore(db), sprint, start, week=1, status="interrupted", stop_after=90)
        # While this process (standing in for the app) has it open, it is left alone.
        code, out, _ = run(capsys, "history")
        assert "running" in out
    finally:
        db.close()
    code, out, _ = run(capsys, "history")
    assert code == 0 and "interrupted" in out and "running" not in out
