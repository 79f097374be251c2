"""Damage inside the file after a clean exit (no crash, so no full check at start): found by
the check that runs after the first paint, said at once, written to no more, and set aside at
the next start."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from legtimer.app import check_history_file
from legtimer.engine import FakeClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.sound import SoundCues
from legtimer.services import NoHistory, Training
from legtimer.store.db import DAMAGED_SUFFIX, open_database
from legtimer.store.history import HistoryStore
from legtimer.store.settings import SettingsStore
from tests.gui.conftest import FakeKeepAwake
from tests.store.factory import sprint_months

pytestmark = pytest.mark.gui


def damaged_history(home: Path) -> Path:
    db = open_database(home)
    sprint_months(HistoryStore(db), datetime(2026, 3, 2, 7, tzinfo=UTC))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    path = home / "legtimer.sqlite3"
    data = bytearray(path.read_bytes())
    assert len(data) >= 7 * 4096
    data[2 * 4096 : 6 * 4096] = b"\xa5" * (4 * 4096)  # pages 3 to 6
    path.write_bytes(bytes(data))
    return path


def test_damage_found_after_a_clean_exit_is_said_and_set_aside_next_time(
    tmp_path: Path, qtbot: QtBot
) -> None:
    home = tmp_path / "home"
    path = damaged_history(home)
    db = open_database(home)  # the header is fine: it opens
    controller = WorkoutController(
        FakeClock(), SoundCues("off"), training=Training(db), keep_awake=FakeKeepAwake()
    )
    window = MainWindow(controller, settings=SettingsStore(db))
    qtbot.addWidget(window)
    thread = check_history_file(window)
    assert thread is not None
    thread.join(30)
    qtbot.waitUntil(lambda: "damaged" in window.home.notice_label.text(), timeout=5000)
    assert "at the next start LegTimer keeps it aside" in window.home.notice_label.text()
    assert isinstance(window.controller.training, NoHistory)  # nothing more written to it
    assert window.settings_store is None  # nor the settings, nor home's texts
    window.apply_settings(window.settings.with_(units="mph"))  # they last for the run
    assert window.settings.units == "mph"
    assert path.with_name(path.name + DAMAGED_SUFFIX).exists()
    db.close()
    again = open_database(home)
    try:
        assert any("was damaged" in n and "kept as" in n for n in again.notices), again.notices
        assert list(home.glob("legtimer.sqlite3.corrupt-*"))
        assert not path.with_name(path.name + DAMAGED_SUFFIX).exists()
    finally:
        again.close()


def test_a_sound_file_is_checked_and_left_alone(tmp_path: Path, qtbot: QtBot) -> None:
    db = open_database(tmp_path / "home")
    try:
        training = Training(db)
        controller = WorkoutController(
            FakeClock(), SoundCues("off"), training=training, keep_awake=FakeKeepAwake()
        )
        window = MainWindow(controller)
        qtbot.addWidget(window)
        thread = check_history_file(window)
        assert thread is not None
        thread.join(30)
        qtbot.wait(50)
        assert window.controller.training is training
        assert "damaged" not in window.home.notice_label.text()
    finally:
        db.close()


def test_the_command_line_says_so_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    path = damaged_history(home)
    out = subprocess.run(
        [sys.executable, "-m", "legtimer", "history"],
        env=dict(os.environ, LEGTIMER_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.startswith("legtimer: the history file is damaged")
    assert len(out.stderr.strip().splitlines()) == 1
    assert path.with_name(path.name + DAMAGED_SUFFIX).exists()
