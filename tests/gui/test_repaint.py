"""What a running second repaints: only what changed, and what is repainted piecewise looks
exactly as if drawn whole (the screen's own pixels, read back from the backing store)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QImage, QPaintEvent, QRegion
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock, IntervalKind
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.timeline import Segment, Timeline
from legtimer.gui.workout import WorkoutView
from legtimer.plans import find_builtin
from tests.gui.conftest import tick_for

pytestmark = pytest.mark.gui


class EventCounter(QObject):
    """How many events of one type (paints unless told) each widget got, by object name."""

    def __init__(self, widgets: list[QWidget], kind: QEvent.Type = QEvent.Type.Paint) -> None:
        super().__init__()
        self.kind = kind
        self.counts: Counter[str] = Counter()
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == self.kind:
            self.counts[watched.objectName()] += 1
        return False


class RegionRecorder(QObject):
    """The union of the regions a widget was asked to paint."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.region = QRegion()
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.region = self.region.united(event.region())
        return False


def on_screen(widget: QWidget) -> QImage:
    """The pixels the window system has for `widget` (its backing store), not a fresh paint."""
    screen = widget.screen()
    assert screen is not None
    return screen.grabWindow(widget.winId()).toImage()


def test_the_strip_drawn_a_step_at_a_time_matches_it_drawn_whole(qtbot: QtBot) -> None:
    strip = Timeline()
    qtbot.addWidget(strip)
    strip.set_segments(
        [
            Segment(IntervalKind.WARMUP, "Warm-up", 300),
            *[
                Segment(k, k.value, s)
                for _ in range(6)
                for k, s in ((IntervalKind.WORK, 15), (IntervalKind.RECOVER, 45))
            ],
            Segment(IntervalKind.COOLDOWN, "Cool-down", 300),
        ]
    )
    strip.resize(700, 48)
    strip.show()
    qtbot.waitExposed(strip)
    paints = EventCounter([strip])
    steps = 0
    for second in range(0, 960, 3):
        strip.set_position(float(second))
        QApplication.processEvents()
        steps += 1
    strip.set_position(961.4)
    QApplication.processEvents()
    # The marker moves about 2 px per 3 s here: a paint for most steps, never more.
    assert 0 < paints.counts["timeline"] <= steps + 1
    assert on_screen(strip) == strip.grab().toImage()


def twenty_seconds_in(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> WorkoutView:
    """The window at 1280x800, 20 s into Sprint 15/45: in the warm-up, past its cue text."""
    template = find_builtin("Sprint 15/45")
    assert template is not None
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.start_session(template, 1)
    tick_for(window, clock, 20)
    QApplication.processEvents()
    return window.workout


def test_a_running_second_repaints_only_the_labels_that_change(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    view = twenty_seconds_in(window, qtbot, clock)
    labels = [
        view.kind_label,
        view.title_label,
        view.targets_label,
        view.next_label,
        view.seconds_label,
        view.remaining_label,
        view.strip,
    ]
    paints = EventCounter(labels)
    for _ in range(10):
        tick_for(window, clock, 1)
        QApplication.processEvents()
    # The clock digits change every second; what the interval is and what comes next do not.
    assert paints.counts["secondsLabel"] == 10
    assert paints.counts["remainingLabel"] == 10
    for name in ("kindLabel", "titleLabel", "targetsLabel", "nextLabel"):
        assert paints.counts[name] == 0, name
    assert paints.counts["sessionStrip"] <= 10
    # Large text may be anti-aliased a shade differently in a fresh paint: the strip, drawn
    # without anti-aliasing, must match to the pixel.
    strip = view.strip.geometry().translated(view.mapTo(window, view.rect().topLeft()))
    assert on_screen(window).copy(strip) == window.grab().toImage().copy(strip)


def test_a_running_second_lays_out_nothing(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    """The digits change every second, their boxes do not: no layout is asked to recompute
    (it would lay out the whole window, up to the main window's own)."""
    view = twenty_seconds_in(window, qtbot, clock)
    watched = [window, window.stack, view]
    layouts = EventCounter(watched, QEvent.Type.LayoutRequest)
    paints = EventCounter([view.seconds_label])
    beneath = RegionRecorder(view)
    for _ in range(10):
        tick_for(window, clock, 1)
        QApplication.processEvents()
    assert paints.counts["secondsLabel"] == 10  # the seconds did change
    assert sum(layouts.counts.values()) == 0, layouts.counts
    # The digits are opaque: the view beneath them is not repainted with them.
    digits = QRect(view.seconds_label.mapTo(view, QPoint(0, 0)), view.seconds_label.size())
    assert not beneath.region.isEmpty()  # the time left and the strip are
    assert not beneath.region.intersects(digits.adjusted(1, 1, -1, -1))
    # A change that does move things still lays them out: the digits follow the window.
    before = view.seconds_label.size()
    window.resize(1000, 600)
    QApplication.processEvents()
    box = view.seconds_label.parentWidget()
    assert box is not None and view.seconds_label.size() == box.size()
    assert view.seconds_label.width() < before.width()
    assert view.seconds_label.height() < before.height()


def test_a_new_second_repaints_only_the_digits_that_changed(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    """Qt draws the big digits from their outlines at every paint: a new second repaints the
    columns of the characters that changed, and the screen then shows what a whole paint
    shows."""
    view = twenty_seconds_in(window, qtbot, clock)
    digits = view.seconds_label
    changed = []
    for _ in range(12):
        before = digits.text()
        region = RegionRecorder(digits)
        tick_for(window, clock, 1)
        QApplication.processEvents()
        after = digits.text()
        differ = sum(a != b for a, b in zip(before, after, strict=True))
        box = region.region.boundingRect()
        assert not box.isEmpty()
        assert digits.rect().contains(box)
        # About a digit's width (a fifth of the box here) for each digit that changed, never
        # the whole box.
        assert box.width() <= differ * 0.25 * digits.width(), (before, after)
        changed.append(differ)
        digits.removeEventFilter(region)
    assert 1 in changed and 2 in changed  # 4:40 -> 4:39 and 4:39 -> 4:38 among them
    where = QRect(digits.mapTo(window, QPoint(0, 0)), digits.size())
    piecewise = on_screen(window).copy(where)
    digits.update()  # all of it, at once
    QApplication.processEvents()
    # Piece by piece, the digits look exactly as drawn whole.
    assert piecewise == on_screen(window).copy(where)
