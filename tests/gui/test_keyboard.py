"""Every view and every action from the keyboard: a runner with sweaty hands, or one who
cannot use a mouse, reaches everything the mouse does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from legtimer.gui.mainwindow import MainWindow
from legtimer.store.db import Database
from legtimer.store.queries import HistoryQueries
from legtimer.store.templates import TemplateStore

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier


def focused() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the focus"
    return w


def key(
    qtbot: QtBot, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), k, modifiers)


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 30) -> None:
    for _ in range(limit):
        if focused() is target:
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.objectName()}; stuck at {focused()}")


def test_start_has_the_focus_from_the_first_moment(window: MainWindow) -> None:
    """A runner who opens the app and presses Enter starts the session home offers."""
    window.activateWindow()
    assert focused() is window.home.start_button


def test_a_whole_session_and_its_summary_without_the_mouse(
    window: MainWindow, qtbot: QtBot, db: Database
) -> None:
    window.activateWindow()
    window.show_home()
    assert focused() is window.home.start_button
    key(qtbot, Qt.Key.Key_Return)  # Enter starts
    assert window.stack.currentWidget() is window.workout
    while window.stack.currentWidget() is window.workout:
        key(qtbot, Qt.Key.Key_Right)  # skip through
    summary = window.summary
    assert window.stack.currentWidget() is summary
    key(qtbot, Qt.Key.Key_7)  # the number keys set the RPE
    assert summary.rpe_group.checkedId() == 7
    key(qtbot, Qt.Key.Key_0)  # 0 is 10
    assert summary.rpe_group.checkedId() == 10
    tab_to(qtbot, summary.notes)
    qtbot.keyClicks(summary.notes, "Skipped it all")
    key(qtbot, Qt.Key.Key_Tab)  # Tab leaves the notes, it types no tab
    assert focused() is not summary.notes
    assert summary.notes.toPlainText() == "Skipped it all"
    tab_to(qtbot, summary.save_button)
    key(qtbot, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.home
    row = HistoryQueries(db).page(limit=1)[0]
    assert (row.status, row.rpe, row.notes) == ("skipped", 10, "Skipped it all")


def test_every_view_and_back_with_keys_only(window: MainWindow, qtbot: QtBot, db: Database) -> None:
    window.activateWindow()
    window.show_home()
    # History, each of its tabs, out of the table, and back.
    key(qtbot, Qt.Key.Key_H, CTRL)
    history = window.history_view
    assert window.stack.currentWidget() is history
    tabs = history.tabs
    for k, mods, index in (
        (Qt.Key.Key_2, CTRL, 1),
        (Qt.Key.Key_Tab, CTRL, 2),
        (Qt.Key.Key_PageDown, CTRL, 3),
        (Qt.Key.Key_PageUp, CTRL, 2),
        (Qt.Key.Key_1, CTRL, 0),
    ):
        key(qtbot, k, mods)
        assert tabs.currentIndex() == index, (k, mods)
    history.log.table.setFocus()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is not history.log.table  # Tab leaves the table
    key(qtbot, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    # Templates, a new one built and saved in the editor, and back out twice.
    key(qtbot, Qt.Key.Key_T, CTRL)
    templates = window.templates_view
    assert window.stack.currentWidget() is templates
    key(qtbot, Qt.Key.Key_N, CTRL)
    editor = window.editor
    assert window.stack.currentWidget() is editor and focused() is editor.name
    qtbot.keyClicks(editor.name, "By keys")
    key(qtbot, Qt.Key.Key_R, CTRL)  # a repeat
    key(qtbot, Qt.Key.Key_Insert)  # an interval after it: the focus stays in the tree
    assert focused() is editor.tree
    key(qtbot, Qt.Key.Key_Right, CTRL)  # into the repeat above
    assert editor.notation.text() == "4x(30s work, 30s rest, 30s work)"
    key(qtbot, Qt.Key.Key_S, CTRL)
    assert TemplateStore(db).find("By keys") is not None
    key(qtbot, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is templates
    key(qtbot, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    # Settings opens and Esc closes it.
    key(qtbot, Qt.Key.Key_Comma, CTRL)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
