from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.devices import DeviceHub
from legtimer.gui.keepawake import KeepAwake
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.sound import SilentBackend, SoundCues
from legtimer.services import Training
from legtimer.store.db import Database, open_database


class FakeKeepAwake(KeepAwake):
    """Counts acquire/release instead of talking to the desktop."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def acquire(self) -> str | None:
        self.calls.append("acquire")
        self.active = True
        return None

    def release(self) -> None:
        if self.active:
            self.calls.append("release")
        self.active = False


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "home")
    yield database
    database.close()


def shown_window(
    qtbot: QtBot, clock: FakeClock, db: Database, devices: DeviceHub | None = None
) -> MainWindow:
    """The app's window over `db`, silent, on the fake clock, shown at 1280x800."""
    controller = WorkoutController(
        clock,
        SoundCues("off"),
        training=Training(db),
        keep_awake=FakeKeepAwake(),
        devices=devices,
    )
    w = MainWindow(controller)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.finish_start()  # as the app does once the window is up: the menu's entries, the keys
    return w


@pytest.fixture
def window(qtbot: QtBot, clock: FakeClock, db: Database) -> MainWindow:
    return shown_window(qtbot, clock, db)


def played(window: MainWindow) -> list[str]:
    backend = window.controller.sound.backend
    assert isinstance(backend, SilentBackend)
    return backend.played


def tick_for(window: MainWindow, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Move the fake clock as the precise timer would, firing the runner each step."""
    runner = window.controller.runner
    assert runner is not None
    n = round(seconds / step)
    for _ in range(n):
        clock.advance(step)
        runner.tick()


#: The sizes every screen is pictured at.
SHOT_SIZES = ((1280, 800), (800, 480))


def shoot(widget: QWidget, qtbot: QtBot, screenshot: Callable[..., Path], name: str) -> None:
    """Picture `widget` at each of SHOT_SIZES (as `name-WxH`), then leave it at 1280x800."""
    for w, h in SHOT_SIZES:
        widget.resize(w, h)

        def resized(w: int = w, h: int = h) -> bool:
            return (widget.width(), widget.height()) == (w, h)

        qtbot.waitUntil(resized)
        QApplication.processEvents()  # the layout the resize posted, as before a paint
        screenshot(widget, f"{name}-{w}x{h}")
    widget.resize(1280, 800)
