"""A start that paints the home view from what it said last time and loads the templates, the
programs and the history once the window is up (legtimer.app.build with home_first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.home import HomeTexts
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.sound import SoundCues
from legtimer.plans import find_builtin
from legtimer.services import Training
from legtimer.store.db import Database
from legtimer.store.history import HistoryStore
from legtimer.store.settings import Settings, SettingsStore
from tests.gui.conftest import FakeKeepAwake
from tests.store.factory import record_session

pytestmark = pytest.mark.gui


def controller(clock: FakeClock, db: Database) -> WorkoutController:
    return WorkoutController(
        clock, SoundCues("off"), training=Training(db), keep_awake=FakeKeepAwake()
    )


def show(qtbot: QtBot, w: MainWindow, size: tuple[int, int] = (1280, 800)) -> MainWindow:
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()  # the layout posted by show(), as before the first paint
    return w


@pytest.fixture
def store(db: Database) -> SettingsStore:
    store = SettingsStore(db)
    store.save(Settings(backend="off"))
    return store


def test_home_texts_are_kept_as_json_and_anything_else_is_refused() -> None:
    texts = HomeTexts(
        "Sprint 15/45 - week 2 - 8 sprints - 18 min",
        "This week: 1 of 3 sessions done - week 2 of 4",
        "",
        "Start week 2",
        (("HIIT 30/30", "HIIT 30/30\n20 min"), ("Hill repeats", "Hill repeats\n25 min")),
    )
    assert HomeTexts.from_json(texts.to_json()) == texts
    good = texts.to_json()
    bad: object
    for bad in (
        None,
        "Sprint",
        [],
        {**good, "extra": ""},
        {k: v for k, v in good.items() if k != "advice"},
        {**good, "program": 3},
        {**good, "start": "x" * 1001},
        {**good, "picks": "HIIT"},
        {**good, "picks": [["HIIT 30/30"]]},
        {**good, "picks": [["HIIT 30/30", 20]]},
        {**good, "picks": [["HIIT 30/30", "x" * 1001]]},
        {**good, "picks": [["a", "b"]] * 7},
    ):
        assert HomeTexts.from_json(bad) is None, bad


def test_the_window_keeps_what_home_says_whenever_it_changes(
    qtbot: QtBot, clock: FakeClock, db: Database, store: SettingsStore
) -> None:
    assert store.home_texts() is None
    w = show(qtbot, MainWindow(controller(clock, db), settings=store))
    assert HomeTexts.from_json(store.home_texts()) == w.home.texts()
    assert w.home.texts().start == "Start week 1"

    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    record_session(HistoryStore(db), sprint, datetime.now(UTC), week=1)
    w.refresh_home()
    kept = HomeTexts.from_json(store.home_texts())
    assert kept == w.home.texts()
    assert kept is not None and kept.start == "Start week 2"  # the week's session is done


def first_start(
    qtbot: QtBot, clock: FakeClock, db: Database, store: SettingsStore, size: tuple[int, int]
) -> tuple[HomeTexts, QImage]:
    """A start with its controller from the outset, as the very first: what it kept of home's
    texts, and how home looked."""
    w = show(qtbot, MainWindow(controller(clock, db), settings=store), size)
    looked = w.home.grab().toImage()
    w.close()
    kept = HomeTexts.from_json(store.home_texts())
    assert kept is not None
    return kept, looked


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)])
def test_a_start_from_home_texts_looks_the_same_and_waits_for_its_controller(
    qtbot: QtBot,
    clock: FakeClock,
    db: Database,
    store: SettingsStore,
    screenshot: Callable[..., Path],
    size: tuple[int, int],
) -> None:
    kept, looked = first_start(qtbot, clock, db, store, size)
    w = show(qtbot, MainWindow(settings=store, home_texts=kept), size)
    assert not w.attached
    assert w.home.texts() == kept
    assert w.home.grab().toImage() == looked, "the first paint is the home the runner knows"
    assert w.home.property("compact") is (size[0] < 900)
    screenshot(w, f"home-from-its-texts-{size[0]}x{size[1]}")

    # Nothing acts before the controller is there: Start, a tile, the way to the history.
    qtbot.mouseClick(w.home.start_button, Qt.MouseButton.LeftButton)
    pick = w.home.findChild(type(w.home.start_button), "pick:HIIT 30/30")
    assert pick is not None
    qtbot.mouseClick(pick, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.home.history_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is w.home

    c = controller(clock, db)
    w.attach(c)
    assert w.attached and w.controller is c
    assert w.home.texts() == kept
    with pytest.raises(RuntimeError, match="already has its session controller"):
        w.attach(c)
    qtbot.mouseClick(pick, Qt.MouseButton.LeftButton)  # the same tile works now
    assert w.stack.currentWidget() is w.workout
    assert c.template is not None and c.template.name == "HIIT 30/30"


def test_closing_before_the_controller_comes(
    qtbot: QtBot, clock: FakeClock, db: Database, store: SettingsStore
) -> None:
    kept, _ = first_start(qtbot, clock, db, store, (1280, 800))
    w = show(qtbot, MainWindow(settings=store, home_texts=kept))
    assert w.close()
    assert not w.attached


def test_markup_in_a_template_or_in_home_texts_is_shown_as_written(
    qtbot: QtBot, clock: FakeClock, db: Database, store: SettingsStore
) -> None:
    """A shared template's name or cue text, or texts kept in a hand-edited history, may hold
    markup: every label shows it as written, never as rich text (nor loads an image it names)."""
    from PySide6.QtWidgets import QLabel, QMessageBox

    from legtimer.engine import IntervalKind
    from legtimer.plans import IntervalBlock, Template, TemplateKind

    name = "<b>Bold</b> <img src='/nonexistent.png'>"
    c = controller(clock, db)
    c.training.save_template(
        Template(
            name,
            TemplateKind.CUSTOM,
            (IntervalBlock(IntervalKind.WORK, "<i>Go</i>", 20, cue="<h1>Full speed</h1>"),),
        )
    )
    w = show(qtbot, MainWindow(c, settings=store))
    w.start_session(next(t for t in c.training.templates() if t.name == name))
    QApplication.processEvents()
    # Every label shown (a label takes its format from the style sheet when first shown).
    shown = [label for label in w.findChildren(QLabel) if label.isVisibleTo(w)]
    rich = [label.objectName() for label in shown if label.textFormat() != Qt.TextFormat.PlainText]
    assert shown and not rich, rich
    assert w.workout.cue_label.text() == "<h1>Full speed</h1>"
    # A message about a file names it as written too.
    w.files._show_message("Exported", "Written to <b>sessions</b>.csv", error=False)
    box = w.findChild(QMessageBox, "fileMessage")
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    box.close()
    w.close()

    marked = HomeTexts("<b>Sprint</b>", "<i>week</i>", "", "Start", ())
    later = show(qtbot, MainWindow(settings=store, home_texts=marked))
    assert later.home.program_label.text() == "<b>Sprint</b>"
    assert later.home.program_label.textFormat() == Qt.TextFormat.PlainText
    # Drawn as written, tags and all (as rich text it would be as wide as "Sprint").
    label = later.home.program_label
    assert label.sizeHint().width() >= label.fontMetrics().horizontalAdvance("<b>Sprint</b>")
