"""A whole sprint session with the simulated treadmill and strap: the app's own device thread,
FTMS client, driver and recorder, with only the radio simulated. The fake clock moves half a
second at a time; after each step the test waits for the device thread to finish what it was
handed (a few milliseconds), nothing longer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from legtimer.devices.recorder import RESTS
from legtimer.engine import FakeClock, IntervalKind
from legtimer.gui.devices import DeviceHub
from legtimer.gui.mainwindow import MainWindow
from legtimer.plans import find_builtin
from legtimer.services import Database
from tests.gui.conftest import shoot, shown_window

pytestmark = pytest.mark.gui


@pytest.fixture
def hub(clock: FakeClock) -> Iterator[DeviceHub]:
    devices = DeviceHub.simulated(clock.monotonic, reconnect_s=0.01)
    devices.drive = True
    yield devices
    devices.shutdown()


@pytest.fixture
def window(qtbot: QtBot, clock: FakeClock, db: Database, hub: DeviceHub) -> MainWindow:
    return shown_window(qtbot, clock, db, hub)


def step(window: MainWindow, clock: FakeClock, hub: DeviceHub, seconds: float) -> None:
    runner = window.controller.runner
    assert runner is not None
    for _ in range(round(seconds / 0.5)):
        clock.advance(0.5)
        runner.tick()
        hub.settle()
        QApplication.processEvents()


def test_a_whole_sprint_session_drives_and_records_the_belt(
    window: MainWindow,
    clock: FakeClock,
    hub: DeviceHub,
    qtbot: QtBot,
    screenshot: Callable[..., Path],
) -> None:
    template = find_builtin("Sprint 15/45")
    assert template is not None
    window.start_session(template, 1)
    runner = window.controller.runner
    assert runner is not None and hub.gym is not None
    hub.settle()
    intervals = runner.session.intervals
    shown = False
    previous = intervals[0].speed_kmh or 0.0
    index = 0
    while not runner.session.state.is_over:
        step(window, clock, hub, 0.5)
        snap = runner.session.snapshot()
        if snap.index != index and not snap.state.is_over:
            index = snap.index
            target = snap.interval.speed_kmh or 0.0
            belt = hub.gym.speed
            # Faster: at speed on the "go"; slower: still at the sprint's speed to its end.
            assert abs(belt - (target if target > previous else previous)) <= 0.3, (index, belt)
            previous = target
        if not shown and snap.interval.kind is IntervalKind.WORK and snap.interval_elapsed > 8:
            shown = True
            text = window.workout.devices_label.text()
            assert text.startswith("Belt 16.0 km/h") and "♥" in text
            shoot(window, qtbot, screenshot, "workout-devices")
    summary = window.controller.last_summary
    assert summary is not None and summary.recorded is not None
    measures = summary.recorded.measures
    recorded = sum(m.distance_m or 0 for m in measures)
    assert recorded == pytest.approx(hub.gym.distance_m, rel=0.01)
    drops = [m.hr_drop for m in measures if intervals[m.position].kind in RESTS]
    assert len(drops) == 6 and all(d is not None and d >= 12 for d in drops)
    figures = window.summary.figures.text()
    assert "drop over each rest: " + ", ".join(str(d) for d in drops) + " bpm" in figures
    assert "Belt: 2." in figures
    shoot(window, qtbot, screenshot, "summary-devices")
    # The end of the session leaves the belt at the cool-down speed, not at a halt.
    hub.settle()
    assert hub.gym.target_speed == intervals[-1].speed_kmh
    # Kept with the session: the history's detail gives the same figures.
    assert summary.uuid is not None
    detail = window.controller.training.detail(summary.uuid)
    assert detail is not None and len(detail.measures) == len(intervals)
    window.summary.save_button.click()
    window.show_history()
    panel = window.history_view.log.detail
    panel.show_detail(detail)
    assert "drop over each rest: " + ", ".join(str(d) for d in drops) + " bpm" in panel.line.text()
    tree = panel.intervals
    header = [tree.headerItem().text(c) for c in range(tree.columnCount())]
    assert header == ["Interval", "Planned", "Done", "km/h", "HR avg/max", "Drop", ""]
    sprint, rest = tree.topLevelItem(1), tree.topLevelItem(2)
    assert sprint is not None and rest is not None
    assert sprint.text(3) == "16.0" and sprint.text(5) == ""
    assert rest.text(5) == str(drops[0])
    qtbot.wait(20)  # the detail's new lines laid out, as the event loop does before a paint
    screenshot(window, "history-devices-1280x800")


def test_the_treadmill_vanishes_mid_session_and_comes_back(
    window: MainWindow, clock: FakeClock, hub: DeviceHub, qtbot: QtBot
) -> None:
    template = find_builtin("Sprint 15/45")
    assert template is not None and hub.gym is not None
    gym = hub.gym
    window.start_session(template, 1)
    hub.settle()
    step(window, clock, hub, 60)
    hub.on_loop(gym.treadmill.vanish)
    step(window, clock, hub, 2)
    label = window.workout.devices_label
    assert label.text() == "Lost LegTimer Simulated Treadmill: the session goes on; reconnecting."
    runner = window.controller.runner
    assert runner is not None and runner.session.state.name == "RUNNING"
    step(window, clock, hub, 20)
    hub.on_loop(gym.treadmill.come_back)

    def back() -> bool:
        step(window, clock, hub, 0.5)
        return label.text() == "LegTimer Simulated Treadmill is back."

    qtbot.waitUntil(back, timeout=5000)
    # The runner set the belt by hand meanwhile; LegTimer leaves it until the next interval.
    hub.on_loop(lambda: gym.press_speed(7.0))
    sent = len(gym.treadmill.received)
    left = runner.session.snapshot().seconds_left
    step(window, clock, hub, left - 20)
    assert len(gym.treadmill.received) == sent
    step(window, clock, hub, 25)
    assert len(gym.treadmill.received) > sent
    assert gym.target_speed == 16.0  # the first sprint's speed, driven again
