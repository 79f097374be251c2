"""What the devices recorded, kept with the session and carried by every export: a real
recording (the simulated treadmill and strap through the app's own client, driver and
recorder) stored in a history file on disk, then read back, exported and restored."""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from legtimer.plans import find_builtin
from legtimer.services import Training
from legtimer.store.db import Database
from legtimer.store.exports import (
    INTERVAL_FIELDS,
    MEASURED_FIELDS,
    export_file,
    read_backup,
    restore_backup,
)
from legtimer.store.queries import SessionDetail
from tests.devices.test_session_link import Run, build, whole_session

DATA = Path(__file__).resolve().parent.parent / "data"
STARTED = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
NOW = STARTED + timedelta(days=1)
NS = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}


@pytest.fixture(scope="module")
def run() -> Run:
    recorded = build()
    asyncio.run(whole_session(recorded))
    return recorded


def store(db: Database, run: Run | None) -> SessionDetail:
    template = find_builtin("Sprint 15/45")
    assert template is not None
    training = Training(db)
    if run is None:  # the same session, run without devices
        run = build(drive=False)
        run.session.start()
        run.clock.advance(run.session.total_planned + 1)
        run.session.poll()
        measures, samples = [], []
    else:
        measures, samples = run.link.recorder.measures(), run.link.recorder.samples
    records = run.session.records()
    handle = training.begin_session(template, 1, records, STARTED)
    assert handle is not None
    training.finish_session(
        handle,
        "completed",
        records,
        STARTED + timedelta(minutes=17),
        measures=measures,
        samples=samples,
    )
    detail = training.detail(handle.uuid)
    assert detail is not None
    return detail


def test_the_recording_is_kept_with_the_session(
    run: Run, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    detail = store(opened(tmp_path / "home"), run)
    recorded = run.link.recorder.measures()
    assert [m.position for m in detail.measures] == [m.position for m in recorded]
    for kept, made in zip(detail.measures, recorded, strict=True):
        assert (kept.belt_kmh, kept.distance_m, kept.hr_mean, kept.hr_max, kept.hr_drop) == (
            made.mean_speed_kmh,
            made.distance_m,
            made.mean_hr,
            made.max_hr,
            made.hr_drop,
        )
    assert len(detail.samples) == len(run.link.recorder.samples) > 900
    assert detail.samples[-1].distance_m == pytest.approx(run.gym.distance_m, rel=0.01)


def test_csv_carries_the_devices_columns_only_when_there_are_devices(
    run: Run, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    with_devices = opened(tmp_path / "a")
    detail = store(with_devices, run)
    paths = export_file("csv", with_devices, [detail], tmp_path / "a.csv")
    rows = list(csv.DictReader(paths[1].read_text(encoding="utf-8-sig").splitlines()))
    assert tuple(rows[0]) == INTERVAL_FIELDS + MEASURED_FIELDS
    sprint = rows[1]
    assert sprint["kind"] == "work" and float(sprint["belt_kmh"]) == pytest.approx(16.0, abs=0.1)
    assert int(rows[2]["hr_drop"]) >= 12
    without = opened(tmp_path / "b")
    plain = store(without, None)
    paths = export_file("csv", without, [plain], tmp_path / "b.csv")
    header = paths[1].read_text(encoding="utf-8-sig").splitlines()[0]
    assert tuple(header.split(",")) == INTERVAL_FIELDS


def test_tcx_has_heart_rate_distance_and_track_and_stays_valid(
    run: Run, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    db = opened(tmp_path / "home")
    detail = store(db, run)
    path = tmp_path / "s.tcx"
    export_file("tcx", db, [detail], path)
    schema = etree.XMLSchema(etree.parse(str(DATA / "TrainingCenterDatabasev2.xsd")))
    doc = etree.parse(str(path))
    schema.assertValid(doc)
    laps = doc.findall(".//t:Lap", NS)
    assert len(laps) == 14
    sprint = laps[1]
    measured = detail.measures[1]
    assert float(sprint.findtext("t:DistanceMeters", namespaces=NS) or 0) == pytest.approx(
        measured.distance_m, abs=0.05
    )
    assert sprint.findtext("t:MaximumHeartRateBpm/t:Value", namespaces=NS) == str(measured.hr_max)
    points = doc.findall(".//t:Trackpoint", NS)
    assert len(points) == len(detail.samples)
    assert all(p.find("t:HeartRateBpm/t:Value", NS) is not None for p in points[5:])
    times = [p.findtext("t:Time", namespaces=NS) for p in points]
    assert times == sorted(times) and len(set(times)) == len(times)
    # Without devices the TCX is as it was: no heart rate, no track.
    plain_db = opened(tmp_path / "plain")
    plain = store(plain_db, None)
    export_file("tcx", plain_db, [plain], tmp_path / "p.tcx")
    text = (tmp_path / "p.tcx").read_text(encoding="utf-8")
    assert "HeartRate" not in text and "<Track>" not in text


def backed_up(
    run: Run, tmp_path: Path, opened: Callable[[Path], Database]
) -> tuple[SessionDetail, Path, dict[str, Any]]:
    """The recorded session stored, and backed up: its detail, the file and the document."""
    db = opened(tmp_path / "home")
    detail = store(db, run)
    path = tmp_path / "backup.json"
    export_file("json", db, [detail], path, now=lambda: NOW)
    return detail, path, json.loads(path.read_text(encoding="utf-8"))


def test_backup_carries_the_recording_and_restore_brings_it_back(
    run: Run, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    detail, path, doc = backed_up(run, tmp_path, opened)
    session = doc["sessions"][0]
    assert session["intervals"][1]["measured"]["belt_kmh"] == detail.measures[1].belt_kmh
    assert len(session["samples"]) == len(detail.samples)
    other = opened(tmp_path / "other")
    restore_backup(other, read_backup(path, now=lambda: NOW), checked=True)
    back = Training(other).detail(detail.session.uuid)
    assert back is not None
    assert back.measures == detail.measures
    assert back.samples == detail.samples


def test_a_backup_with_a_heart_rate_out_of_range_is_refused(
    run: Run, tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    _, path, doc = backed_up(run, tmp_path, opened)
    doc["sessions"][0]["intervals"][2]["measured"]["hr_max"] = 900
    path.write_text(json.dumps(doc), encoding="utf-8")
    from legtimer.store.db import StoreError

    with pytest.raises(StoreError, match=r"sessions\[0\]\.intervals\[2\]\.measured\.hr_max"):
        read_backup(path, now=lambda: NOW)


def test_the_history_command_shows_what_the_devices_recorded(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from legtimer.__main__ import main
    from legtimer.store.db import open_database

    db = open_database(Path(os.environ["LEGTIMER_HOME"]))
    try:
        detail = store(db, run)
    finally:
        db.close()
    assert main(["history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    drops = ", ".join(str(m.hr_drop) for m in detail.measures if m.hr_drop is not None)
    assert lines[1].startswith("    Belt: 2.1") and "work at 16.0 km/h" in lines[1]
    assert lines[2].startswith("    Heart rate: mean ") and f"rest: {drops} bpm" in lines[2]
    assert main(["history", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["intervals"][1]["measured"]["belt_kmh"] == detail.measures[1].belt_kmh
