"""An upgrade that takes a while shows a progress window, and the window stays responsive: the
upgrade runs on a thread of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from legtimer.app import open_with_progress
from legtimer.store.db import SCHEMA_VERSION, needs_upgrade
from tests.store.test_migrations import many_v1_sessions

pytestmark = pytest.mark.gui


def test_an_upgrade_shows_its_progress_and_keeps_the_event_loop_turning(
    tmp_path: Path, qtbot: QtBot
) -> None:
    many_v1_sessions(tmp_path / "legtimer.sqlite3", 20_000)
    assert needs_upgrade(tmp_path)
    seen: list[str] = []
    ticks: list[int] = []

    def look() -> None:
        ticks.append(1)
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QProgressDialog) and w.isVisible():
                seen.append(w.labelText())

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(10)
    db = open_with_progress(tmp_path, show_after_ms=0)
    timer.stop()
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert any("upgraded" in n for n in db.notices)
        assert db.conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 20_003
    finally:
        db.close()
    assert ticks, "the event loop did not turn while the upgrade ran"
    assert seen and "Upgrading your history" in seen[0]
    assert not needs_upgrade(tmp_path)
    # A current file opens without any of this.
    again = open_with_progress(tmp_path, show_after_ms=0)
    again.close()
