"""The Devices page where Bluetooth is not there: a private system D-Bus without BlueZ (as on a
machine with no Bluetooth service), and no bleak installed. Each case says why in one sentence,
remembers nothing it should not, and leaves the rest of the app as it was."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from legtimer.devices.scan import STRAP, TREADMILL, Found
from legtimer.gui.mainwindow import MainWindow
from legtimer.services import Database, SettingsStore
from tests.conftest import private_bus
from tests.gui.conftest import shoot

pytestmark = pytest.mark.gui


@pytest.fixture
def system_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A message bus of the test's own, standing in for the system bus: nothing on it
    provides BlueZ."""
    with private_bus() as address:
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", address)
        yield address


@pytest.fixture
def stored(window: MainWindow, db: Database) -> MainWindow:
    window.settings_store = SettingsStore(db)
    return window


def open_page(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(window.home.devices_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.devices_view


def test_without_bluez_the_page_says_so(
    stored: MainWindow, qtbot: QtBot, system_bus: str, screenshot: Callable[..., Path]
) -> None:
    pytest.importorskip("bleak", reason="the Bluetooth extra is not installed")
    open_page(stored, qtbot)
    page = stored.devices_view
    assert page.chosen.text() == "Treadmill: none chosen\nHeart-rate strap: none chosen"
    page.scan_button.click()
    qtbot.waitUntil(page.scan_button.isEnabled, timeout=15000)
    assert page.message.text() == (
        "Bluetooth is not running on this computer (no BlueZ service): start it, or install BlueZ."
    )
    assert page.found.count() == 0
    shoot(stored, qtbot, screenshot, "devices-no-bluez")
    # The rest of the app is as it was: home, and a session, run without devices.
    page.back_button.click()
    assert stored.stack.currentWidget() is stored.home


def test_without_the_bluetooth_extra_the_page_says_what_to_install(
    stored: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "bleak", None)  # import bleak now fails
    open_page(stored, qtbot)
    page = stored.devices_view
    page.scan_button.click()
    qtbot.waitUntil(page.scan_button.isEnabled, timeout=5000)
    assert page.message.text() == (
        "Bluetooth needs LegTimer's Bluetooth extra: pip install 'legtimer[ble]'."
    )


def test_a_chosen_treadmill_is_remembered_and_tried_at_the_next_start(
    stored: MainWindow, qtbot: QtBot, system_bus: str, db: Database
) -> None:
    pytest.importorskip("bleak", reason="the Bluetooth extra is not installed")
    open_page(stored, qtbot)
    page = stored.devices_view
    messages: list[str] = []
    hub = stored.device_hub()
    hub.said.connect(messages.append)
    page.use(Found("C0:FF:EE:00:00:01", "Home Runner T7", TREADMILL, -58))
    page.use(Found("C0:FF:EE:00:00:02", "Chest strap", STRAP, -70))
    kept = SettingsStore(db).load()
    assert (kept.treadmill, kept.treadmill_name) == ("C0:FF:EE:00:00:01", "Home Runner T7")
    assert kept.strap == "C0:FF:EE:00:00:02"
    # Connecting fails here (no BlueZ): said, and the page shows it as not connected.
    qtbot.waitUntil(lambda: len(messages) >= 2, timeout=15000)
    assert (
        "Home Runner T7 could not be reached: Bluetooth is not running on this computer "
        "(no BlueZ service): start it, or install BlueZ." in messages
    )
    page.refresh()
    assert "Treadmill: Home Runner T7 - not connected" in page.chosen.text()
    page.forget(STRAP)
    assert SettingsStore(db).load().strap == ""
    assert "Heart-rate strap: none chosen" in page.chosen.text()


def test_driving_the_belt_is_off_until_the_runner_agrees_to_the_warning(
    stored: MainWindow, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    open_page(stored, qtbot)
    page = stored.devices_view
    assert not page.drive.isChecked() and not stored.settings.drive_belt
    page.drive.click()
    assert "never stops the belt for you" in asked[0]
    assert not page.drive.isChecked() and not SettingsStore(db).load().drive_belt
    answer = QMessageBox.StandardButton.Yes
    page.drive.click()
    assert page.drive.isChecked() and SettingsStore(db).load().drive_belt
    assert stored.device_hub().drive


def test_only_the_sessions_ticked_drive_the_belt(
    stored: MainWindow, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    open_page(stored, qtbot)
    page = stored.devices_view
    assert page.drive_in.isHidden()
    page.drive.click()
    assert not page.drive_in.isHidden()
    names = [page.drive_in.item(n).text() for n in range(page.drive_in.count())]
    assert "Sprint 15/45" in names and "HIIT 30/30" in names
    ticked = [page.drive_in.item(n).checkState() for n in range(page.drive_in.count())]
    assert all(t is Qt.CheckState.Unchecked for t in ticked)  # none until the runner says
    page.drive_in.item(names.index("Sprint 15/45")).setCheckState(Qt.CheckState.Checked)
    assert SettingsStore(db).load().drive_templates == ("Sprint 15/45",)
    assert stored.controller.drive_templates == frozenset({"Sprint 15/45"})
    driven: list[bool] = []
    hub = stored.device_hub()
    monkeypatch.setattr(hub, "start_session", lambda plan, drive: driven.append(drive))
    for name in ("Sprint 15/45", "HIIT 30/30"):
        template = next(t for t in stored.controller.training.templates() if t.name == name)
        stored.start_session(template)
        stored.controller.runner.stop()  # type: ignore[union-attr]
        stored.summary.done.emit()
    assert driven == [True, False]
