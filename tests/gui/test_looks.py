"""The screens as a runner sees them: contrast measured on the pixels, layout at every size,
the two clocks in step, the marks that must not be missed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from legtimer.devices.scan import STRAP, TREADMILL, Found
from legtimer.engine import FakeClock
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.sound import _FACTORIES, CueBackend
from legtimer.plans import Template, TemplateKind, find_builtin, parse
from legtimer.store.db import Database
from legtimer.store.history import HistoryStore
from tests.gui.conftest import tick_for
from tests.gui.looks import contrast_problems, layout_problems, luminance
from tests.store.factory import sprint_months

pytestmark = pytest.mark.gui

SIZES = [(800, 480), (1280, 800), (1920, 1080)]


def seconds_of(text: str) -> int:
    """ "45" -> 45, "4:59" -> 299, "1:02:03" -> 3723 (a trailing " left" allowed)."""
    parts = [int(p) for p in text.removesuffix(" left").split(":")]
    total = 0
    for p in parts:
        total = total * 60 + p
    return total


def resize(window: MainWindow, qtbot: QtBot, w: int, h: int) -> None:
    window.resize(w, h)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (w, h))
    settle_layouts()


def settle_layouts() -> None:
    """Deliver the layout requests a resize or a restyle set off, each of which may post the
    next (a view's compact style changes its size hints, its layout then its scroll area's):
    on a loaded machine a fixed short wait saw some of them not yet done."""
    from PySide6.QtWidgets import QApplication

    for _ in range(6):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def test_the_two_clocks_agree_at_every_instant(window: MainWindow, clock: FakeClock) -> None:
    template = Template("Clocks", TemplateKind.CUSTOM, parse("65s warmup; 2x(7s work, 5s rest)"))
    runner = window.start_session(template)
    view = window.workout
    lengths = [i.seconds for i in runner.session.intervals]
    seen = 0
    while runner.session.state.is_live:
        index = runner.snapshot.index
        big = seconds_of(view.seconds_label.text())
        corner = seconds_of(view.remaining_label.text())
        # The corner is the big number plus the intervals still to come, at every instant.
        assert corner == big + sum(lengths[index + 1 :]), (clock.monotonic(), big, corner)
        seen += 1
        tick_for(window, clock, 0.25, step=0.25)
    assert seen == 4 * sum(lengths)
    assert view.strip.position is not None


def test_the_workout_screen_reads_from_the_treadmill(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, screenshot: Callable[..., Path]
) -> None:
    """AAA contrast for every text of the workout screen, in each kind of interval, in the
    last 5 s (dark on yellow), paused and with the stop prompt; nothing cut at any size."""
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    window.start_session(sprint, 1)
    view = window.workout

    def check(name: str) -> None:
        # Under the paused overlay only the overlay is meant to be read.
        covered = (
            [w for w in view.findChildren(QWidget) if not view.overlay.isAncestorOf(w)]
            if view.overlay.isVisible()
            else []
        )
        for w, h in SIZES:
            resize(window, qtbot, w, h)
            screenshot(window, f"looks-workout-{name}-{w}x{h}")
            assert contrast_problems(window, strict=[view], skip=covered) == [], (name, w, h)
            assert layout_problems(view) == [], (name, w, h)

    check("warmup")
    tick_for(window, clock, 300)
    check("work")
    tick_for(window, clock, 15 + 41)
    assert view.property("emphasisNext") is True
    check("last5")
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert window.confirm.isVisible()
    check("stop-prompt")
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    check("paused")


class HeardBackend(CueBackend):
    """A back end that works (it only counts what it plays)."""

    name = "heard"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.played: list[str] = []

    def play(self, cue: str, volume: float) -> None:
        self.played.append(cue)


def test_a_mark_stays_on_the_workout_screen_while_the_sound_is_off(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(_FACTORIES, "stream", HeardBackend)
    sound = window.controller.sound
    sound.set_preference("stream")
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    window.start_session(sprint, 1)
    view = window.workout
    assert sound.backend_name == "heard"
    assert not view.sound_off_label.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_M)
    assert view.sound_off_label.isVisible()
    assert view.sound_off_label.text() == "✕ SOUND OFF"
    qtbot.keyClick(view, Qt.Key.Key_M)
    assert not view.sound_off_label.isVisible()
    sound.set_volume(0)
    assert view.sound_off_label.text() == "✕ VOLUME 0" and view.sound_off_label.isVisible()
    sound.set_volume(0.8)
    assert not view.sound_off_label.isVisible()
    sound.backend.failed.emit("the device went away")  # falls back to silence
    assert view.sound_off_label.text() == "✕ NO SOUND" and view.sound_off_label.isVisible()


def test_full_screen_shows_nothing_but_the_session(window: MainWindow, qtbot: QtBot) -> None:
    window.setMenuBar(window.menuBar())
    assert window.menuBar().isVisibleTo(window)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert not window.menuBar().isVisibleTo(window)
    assert not window.statusBar().isVisibleTo(window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.menuBar().isVisibleTo(window) and window.statusBar().isVisibleTo(window)


def views(window: MainWindow, clock: FakeClock, qtbot: QtBot) -> Iterator[tuple[str, QWidget]]:
    """Walk to each view and dialog in turn; yields (name, what to check)."""
    window.show_home()
    yield "home", window
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    window.start_session(sprint, 1)
    tick_for(window, clock, 300 + 15 + 45 + 5)
    qtbot.keyClick(window.workout, Qt.Key.Key_S)
    qtbot.keyClick(window.workout, Qt.Key.Key_S)
    yield "summary", window
    window.summary.save_button.click()
    window.show_history()
    tabs = window.history_view.tabs
    for n, name in enumerate(("log", "calendar", "weekly", "program")):
        tabs.setCurrentIndex(n)
        yield f"history-{name}", window
    window.show_templates()
    yield "templates", window
    window.show_devices()
    window.devices_view._on_scanned(
        [
            Found("C0:FF:EE:00:00:01", "Home Runner T7", TREADMILL, -58),
            Found("C0:FF:EE:00:00:02", "Chest strap", STRAP, -81),
        ]
    )
    yield "devices", window
    window.edit_template(sprint)
    yield "editor", window
    window.editor.request_close()
    window.show_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    yield "settings", dialog
    dialog.reject()
    ask = QInputDialog(window)  # the rename dialog, as the templates view builds it
    ask.setWindowTitle("Rename template")
    ask.setLabelText("New name")
    ask.setTextValue("Mine")
    ask.show()
    yield "rename-dialog", ask
    ask.reject()
    files = QFileDialog(window, "Export CSV")  # Qt's own file dialog, as on a bare desktop
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.show()
    yield "file-dialog", files
    files.reject()
    from legtimer.gui.fileops import RangeDialog

    export = RangeDialog("Export CSV", window)  # a range that ends before it starts
    export.all.setChecked(False)
    export.since.setDate(export.until.date().addDays(5))
    export.show()
    assert export.problem.text()
    yield "export-range-dialog", export
    export.reject()
    box = QMessageBox(window)  # the editor's question on closing with changes
    box.setText("Save the changes to this template?")
    box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.show()
    yield "unsaved-dialog", box
    box.reject()


@pytest.mark.parametrize(
    ("theme", "scale", "sizes"),
    [
        ("dark", 1.0, SIZES),
        ("light", 1.0, SIZES),
        ("dark", 1.5, SIZES),
    ],
)
def test_every_view_is_readable_and_fits_at_every_size(
    window: MainWindow,
    qtbot: QtBot,
    clock: FakeClock,
    db: Database,
    screenshot: Callable[..., Path],
    theme: str,
    scale: float,
    sizes: list[tuple[int, int]],
) -> None:
    """Both themes; 800x480, 1280x800 and 1920x1080, and 150 % text: AA contrast for every
    text on its pixels, nothing sticking out of the window, no text squeezed."""
    sprint_months(HistoryStore(db), datetime(2026, 8, 3, 7, tzinfo=UTC))
    window.apply_settings(window.settings.with_(theme=theme, font_scale=scale), save=False)
    problems = []
    for name, shown in views(window, clock, qtbot):
        for w, h in sizes if shown is window else [(None, None)]:
            if w is not None and h is not None:
                resize(window, qtbot, w, h)
            qtbot.wait(10)
            size = f"{shown.width()}x{shown.height()}"
            screenshot(shown, f"looks-{theme}-{round(scale * 100)}-{name}-{size}")
            problems += [f"{name} {size}: {p}" for p in contrast_problems(shown)]
            problems += [f"{name} {size}: {p}" for p in layout_problems(shown)]
    assert not problems, "\n".join(problems)


def test_a_live_theme_switch_restyles_everything_qt_draws(
    window: MainWindow, qtbot: QtBot, db: Database, screenshot: Callable[..., Path]
) -> None:
    """Dark to light with the history open: the chart's background and axis labels, the
    combo boxes, and a dialog opened afterwards all take the light colours."""
    from collections import Counter

    from PySide6.QtCharts import QValueAxis
    from PySide6.QtGui import QImage

    sprint_months(HistoryStore(db), datetime(2026, 8, 3, 7, tzinfo=UTC))
    window.apply_settings(window.settings.with_(theme="dark"), save=False)
    window.show_history()
    window.history_view.tabs.setCurrentIndex(2)
    chart = window.history_view.weekly.ensure_chart()

    def commonest(widget: QWidget) -> str:
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        counts = Counter(
            image.pixelColor(x, y).name()
            for y in range(0, image.height(), 4)
            for x in range(0, image.width(), 4)
        )
        return counts.most_common(1)[0][0]

    assert commonest(chart) == "#1f2430"
    window.apply_settings(window.settings.with_(theme="light"), save=False)
    qtbot.wait(10)
    screenshot(window, "looks-live-switch-weekly")
    assert commonest(chart) == "#f3f5f8"
    scale = next(a for a in chart.chart().axes() if isinstance(a, QValueAxis))
    assert scale.labelsColor().name() == "#3a4350"
    # Ticks every 15 minutes, never 7 or 22.
    assert (scale.max() / (scale.tickCount() - 1)) == 15
    assert contrast_problems(window) == []
    # A combo box, which no style sheet of the view reaches, is drawn light too.
    window.history_view.tabs.setCurrentIndex(0)
    combo = window.history_view.log.kind
    qtbot.wait(10)
    fill = combo.palette().color(combo.backgroundRole())
    assert luminance((fill.red(), fill.green(), fill.blue())) > 0.5


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a screen reader could not name: no accessible name, no text of their own, no
    label pointing at them."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QSlider,
    )

    kinds = (
        QAbstractButton,
        QLineEdit,
        QComboBox,
        QAbstractSpinBox,
        QAbstractItemView,
        QPlainTextEdit,
        QSlider,
    )
    labelled = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, kinds) or not w.isVisibleTo(root):
            continue
        if w.objectName().startswith("qt_") or isinstance(w, QHeaderView):
            continue  # Qt's own parts of a control (a spin box's line edit, a table's header)
        text = w.text() if isinstance(w, QAbstractButton) else ""
        named = w.accessibleName().strip() or text.strip(" ▲▼◀▶") or id(w) in labelled
        if not named:
            out.append(f"{type(w).__name__} {w.objectName()!r}")
    return out


def test_every_control_has_a_name_a_screen_reader_can_say(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, db: Database
) -> None:
    missing = []
    for name, shown in views(window, clock, qtbot):
        missing += [f"{name}: {m}" for m in unnamed_controls(shown)]
    assert not missing, "\n".join(missing)


def test_every_kind_of_interval_reads_at_aaa(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, screenshot: Callable[..., Path]
) -> None:
    template = Template(
        "Kinds",
        TemplateKind.CUSTOM,
        parse("10s warmup; 10s work; 10s recover; 10s rest; 10s cooldown"),
    )
    window.start_session(template)
    view = window.workout
    resize(window, qtbot, 1280, 800)
    for kind in ("warmup", "work", "recover", "rest", "cooldown"):
        tick_for(window, clock, 2)
        screenshot(window, f"looks-workout-kind-{kind}")
        assert contrast_problems(window, strict=[view]) == [], kind
        tick_for(window, clock, 8)
