"""The templates view and the editor, driven through the real widgets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from legtimer.engine import IntervalKind
from legtimer.gui.editor import TemplateEditor, Units, children
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.templates import TemplatesView
from legtimer.plans import (
    IntervalBlock,
    RepeatBlock,
    Template,
    TemplateKind,
    find_builtin,
    write_template_file,
)
from legtimer.plans.draft import DraftInterval, DraftRepeat
from legtimer.store.db import Database
from legtimer.store.templates import TemplateStore

pytestmark = pytest.mark.gui
Shot = Callable[..., Path]


@pytest.fixture
def view(window: MainWindow) -> TemplatesView:
    window.show_templates()
    return window.templates_view


def new_editor(window: MainWindow, view: TemplatesView, qtbot: QtBot) -> TemplateEditor:
    qtbot.mouseClick(view.buttons["new"], Qt.MouseButton.LeftButton)
    editor = window.editor
    assert window.stack.currentWidget() is editor
    return editor


def type_into(qtbot: QtBot, widget: object, text: str) -> None:
    """Replace a field's text the way a person does: select all, then type (or delete)."""
    widget.selectAll()  # type: ignore[attr-defined]
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def test_build_hill_repeats_from_nothing(
    window: MainWindow, view: TemplatesView, qtbot: QtBot, db: Database
) -> None:
    editor = new_editor(window, view, qtbot)
    assert not editor.save.isEnabled()
    assert "needs a name" in editor.template_problem.text()
    qtbot.keyClicks(editor.name, "My hills")
    # Warm-up: Insert adds an interval, the fields take the typing.
    qtbot.keyClick(editor, Qt.Key.Key_Insert)
    type_into(qtbot, editor.f_name, "Warm-up jog")
    editor.f_kind.setCurrentIndex(editor.f_kind.findData(IntervalKind.WARMUP))
    type_into(qtbot, editor.f_duration, "5:00")
    type_into(qtbot, editor.f_speed, "8")
    # The repeat: Ctrl+R gives a repeat with a work and a rest inside.
    qtbot.keyClick(editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    type_into(qtbot, editor.f_count, "6")
    editor.f_skip.setChecked(True)
    repeat = editor.tree.currentItem()
    assert repeat is not None
    work, rest = children(repeat)
    editor.tree.setCurrentItem(work)
    type_into(qtbot, editor.f_name, "Uphill")
    type_into(qtbot, editor.f_duration, "0:45")
    type_into(qtbot, editor.f_speed, "10")
    type_into(qtbot, editor.f_incline, "6")
    editor.tree.setCurrentItem(rest)
    type_into(qtbot, editor.f_duration, "1:30")
    type_into(qtbot, editor.f_speed, "5")
    type_into(qtbot, editor.f_incline, "0")
    # Cool-down: added inside the repeat (after the rest), then moved out with the mouse.
    qtbot.mouseClick(editor.add_interval, Qt.MouseButton.LeftButton)
    editor.f_kind.setCurrentIndex(editor.f_kind.findData(IntervalKind.COOLDOWN))
    type_into(qtbot, editor.f_name, "Cool-down")
    type_into(qtbot, editor.f_duration, "5:00")
    qtbot.mouseClick(editor.outdent, Qt.MouseButton.LeftButton)
    assert editor.notation.text() == (
        '5m warmup "Warm-up jog" @8kmh; 6x(45s uphill @10kmh 6%, 1m30s rest @5kmh 0%) '
        "nolastrest; 5m cooldown"
    )
    assert editor.save.isEnabled(), editor.template_problem.text()
    # 5:00 + 6 x 0:45 + 5 x 1:30 (no last rest) + 5:00
    assert editor.totals.text() == "22:00 in all - 6 work - 4:30 at work"
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = TemplateStore(db).find("My hills")
    assert saved is not None
    assert saved.blocks == (
        IntervalBlock(IntervalKind.WARMUP, "Warm-up jog", 300, 8.0),
        RepeatBlock(
            6,
            (
                IntervalBlock(IntervalKind.WORK, "Uphill", 45, 10.0, 6.0),
                IntervalBlock(IntervalKind.REST, "Rest", 90, 5.0, 0.0),
            ),
            skip_last_rest=True,
        ),
        IntervalBlock(IntervalKind.COOLDOWN, "Cool-down", 300),
    )
    assert not editor.dirty and not editor.save.isEnabled()
    qtbot.mouseClick(editor.cancel, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is view
    current = view.current()
    assert current is not None and current.name == "My hills"
    assert window.home.findChild(type(view.buttons["new"]), "pick:My hills") is not None


def test_edit_a_programs_weeks(
    window: MainWindow, view: TemplatesView, qtbot: QtBot, db: Database
) -> None:
    sprint = find_builtin("Sprint 15/45")
    view.refresh("Sprint 15/45")
    assert not view.buttons["edit"].isEnabled()  # built-ins are duplicated, not edited
    view.buttons["duplicate"].click()
    editor = window.editor
    assert editor.name.text() == "Sprint 15/45 (2)"
    assert editor.program.isChecked() and editor.weeks.value() == 4
    top = children(editor.tree.invisibleRootItem())
    repeat = next(i for i in top if isinstance(editor.block_of(i), DraftRepeat))
    editor.tree.setCurrentItem(repeat)
    assert editor.f_count.text() == "6, 8, 10, 12"
    assert editor.count_label.text() == "Times each week"
    type_into(qtbot, editor.f_count, "5, 7, 9, 11")
    weeks = [editor.preview_labels[w] for w in (1, 4)]
    assert weeks[0].text().startswith("Week 1: ")
    assert " - 5 work - " in weeks[0].text() and " - 11 work - " in weeks[1].text()
    assert len(editor.preview_lines) == 4
    editor.per_week.setValue(2)
    editor.save.click()
    stored = TemplateStore(db).find("Sprint 15/45 (2)")
    assert stored is not None and sprint is not None
    assert [stored.work_count(w) for w in (1, 2, 3, 4)] == [5, 7, 9, 11]
    assert stored.sessions_per_week == 2
    assert sprint.work_count(1) == 6  # the built-in is untouched


def test_nest_a_repeat_by_indenting(window: MainWindow, view: TemplatesView, qtbot: QtBot) -> None:
    editor = new_editor(window, view, qtbot)
    qtbot.keyClicks(editor.name, "Pyramids")
    outer = editor.add_repeat_block()
    type_into(qtbot, editor.f_count, "3")
    outer.setExpanded(False)  # a collapsed repeat: the next block goes after it
    inner = editor.add_repeat_block()
    type_into(qtbot, editor.f_count, "2")
    assert inner.parent() is None
    qtbot.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert inner.parent() is outer
    blocks = editor.template().blocks
    assert len(blocks) == 1
    top = blocks[0]
    assert isinstance(top, RepeatBlock) and top.count == 3
    assert isinstance(top.blocks[-1], RepeatBlock) and top.blocks[-1].count == 2
    assert editor.notation.text() == "3x(30s work, 30s rest, 2x(30s work, 30s rest))"
    # Move up and down with the keyboard, inside the repeat.
    qtbot.keyClick(editor, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert outer.indexOfChild(inner) == 1
    qtbot.keyClick(editor, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert inner.parent() is None


def test_invalid_input_cannot_be_saved(
    window: MainWindow, view: TemplatesView, qtbot: QtBot, screenshot: Shot
) -> None:
    editor = new_editor(window, view, qtbot)
    qtbot.keyClicks(editor.name, "Broken")
    editor.add_interval_block()
    assert editor.save.isEnabled()
    type_into(qtbot, editor.f_duration, "1:75")
    assert not editor.save.isEnabled()
    assert editor.f_duration.property("invalid") is True
    assert editor.problem.text() == (
        "Write the duration as m:ss or with units, like 0:45, 45s or 5m."
    )
    item = editor.tree.currentItem()
    assert item is not None and item.text(0).startswith("⚠ ")
    type_into(qtbot, editor.f_duration, "0:30")
    type_into(qtbot, editor.f_speed, "99")
    assert editor.problem.text() == "Speed is 0 to 40 km/h."
    assert not editor.save.isEnabled()
    type_into(qtbot, editor.f_speed, "")
    editor.add_repeat_block()
    type_into(qtbot, editor.f_count, "0")
    assert editor.problem.text() == "A count is 1 to 99."
    type_into(qtbot, editor.f_count, "4")
    assert editor.save.isEnabled()
    editor.name.clear()
    qtbot.keyClicks(editor.name, "HIIT 30/30")  # a built-in's name
    assert not editor.save.isEnabled()
    assert "a template named 'HIIT 30/30' already exists" in editor.template_problem.text()


def test_unsaved_changes_ask_before_closing(
    window: MainWindow, view: TemplatesView, qtbot: QtBot, db: Database
) -> None:
    editor = new_editor(window, view, qtbot)
    answers = iter(["cancel", "save"])
    editor.ask_unsaved = lambda: next(answers)
    qtbot.keyClicks(editor.name, "Keep me")
    editor.add_interval_block()
    assert not editor.request_close()  # "keep editing"
    assert window.stack.currentWidget() is editor
    assert editor.request_close()  # "save"
    assert TemplateStore(db).find("Keep me") is not None
    assert window.stack.currentWidget() is view


def test_text_line_and_tree_stay_in_step(
    window: MainWindow, view: TemplatesView, qtbot: QtBot
) -> None:
    editor = new_editor(window, view, qtbot)
    qtbot.keyClicks(editor.notation, "5m warmup; [4,6]x(20s sprint @18kmh, 40s rest); 5m cooldown")
    assert editor.notation_problem.text() == ""
    assert editor.program.isChecked() and editor.weeks.value() == 2
    top = children(editor.tree.invisibleRootItem())
    assert [type(editor.block_of(i)) for i in top] == [DraftInterval, DraftRepeat, DraftInterval]
    repeat = editor.block_of(top[1])
    assert isinstance(repeat, DraftRepeat) and repeat.count == "4, 6"
    # A mistake in the line says where, and leaves the tree alone.
    qtbot.keyClicks(editor.notation, "; 3x(")
    assert editor.notation_problem.text().startswith("Column ")
    assert "column" not in editor.notation_problem.text()  # said once, not twice
    assert editor.notation.property("invalid") is True
    assert len(children(editor.tree.invisibleRootItem())) == 3
    # The tree writes the line back.
    editor.tree.setCurrentItem(children(editor.tree.invisibleRootItem())[0])
    type_into(qtbot, editor.f_duration, "10:00")
    assert editor.notation.text().startswith("10m warmup; [4,6]x(20s sprint @18kmh")
    assert editor.notation_problem.text() == ""


def test_speeds_follow_the_units(qtbot: QtBot) -> None:
    editor = TemplateEditor(units=Units(mph=True))
    qtbot.addWidget(editor)
    editor.load(
        Template(
            "Run", TemplateKind.HIIT, (IntervalBlock(IntervalKind.WORK, "Fast", 60, 16.09344),)
        )
    )
    assert editor.speed_label.text() == "Speed (mph)"
    assert editor.f_speed.text() == "10"
    type_into(qtbot, editor.f_speed, "6")
    block = editor.template().blocks[0]
    assert isinstance(block, IntervalBlock) and block.speed_kmh == pytest.approx(9.66, abs=0.01)


def test_delete_with_undo_and_rename(
    window: MainWindow, view: TemplatesView, qtbot: QtBot, db: Database
) -> None:
    store = TemplateStore(db)
    hiit = find_builtin("HIIT 30/30")
    assert hiit is not None
    from dataclasses import replace

    store.save(replace(hiit, name="Mine", builtin=False))
    view.refresh("Mine")
    view.ask_text = lambda _t, _l, _v: "Mine too"
    view.buttons["rename"].click()
    assert store.find("Mine") is None and store.find("Mine too") is not None
    view.ask_text = lambda _t, _l, _v: "Tabata 20/10"
    view.buttons["rename"].click()
    assert "already exists" in view.message.text()
    view.refresh("Mine too")
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert store.find("Mine too") is None
    assert view.undo_bar.isVisibleTo(view)
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert store.find("Mine too") is not None
    current = view.current()
    assert current is not None and current.name == "Mine too"


def test_import_bad_file_changes_nothing_good_file_by_drop(
    window: MainWindow, view: TemplatesView, qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    store = TemplateStore(db)
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "legtimer.template/1",
                "name": "X",
                "kind": "custom",
                "blocks": [{"interval": "work", "seconds": -5}],
            }
        )
    )
    before = [t.name for t in store.all()]
    view.ask_open_path = lambda: bad
    view.buttons["import"].click()
    assert view.message.text().startswith("bad.json was not imported: blocks[0]")
    assert [t.name for t in store.all()] == before
    good = tmp_path / "good.json"
    hill = find_builtin("Hill repeats")
    assert hill is not None
    from dataclasses import replace

    write_template_file(replace(hill, name="Shared hills"), good)
    window.show_home()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(good))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert window.stack.currentWidget() is view
    assert store.find("Shared hills") is not None
    assert view.message.text() == "Imported Shared hills."
    # The same file again: the name is taken, nothing changes.
    view.import_file(good)
    assert "already exists" in view.message.text()
    # Export writes a file that reads back the same.
    view.refresh("Shared hills")
    out = tmp_path / "out.json"
    view.ask_save_path = lambda _name: out
    view.buttons["export"].click()
    assert json.loads(out.read_text())["name"] == "Shared hills"


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)], ids=["1280x800", "800x480"])
def test_screenshots(
    window: MainWindow,
    view: TemplatesView,
    qtbot: QtBot,
    screenshot: Shot,
    size: tuple[int, int],
) -> None:
    window.resize(*size)
    view.refresh("Sprint 15/45")
    qtbot.wait(20)
    screenshot(window, f"templates-list-{size[0]}x{size[1]}")
    view.buttons["duplicate"].click()
    editor = window.editor
    top = children(editor.tree.invisibleRootItem())
    repeat = next(i for i in top if isinstance(editor.block_of(i), DraftRepeat))
    # Nest: a repeat inside the program's repeat, then an error in a field.
    editor.tree.setCurrentItem(repeat)
    inner = editor.add_repeat_block()
    assert inner.parent() is repeat
    type_into(qtbot, editor.f_count, "2")
    work = children(inner)[0]
    editor.tree.setCurrentItem(work)
    type_into(qtbot, editor.f_duration, "0:7x")
    assert not editor.save.isEnabled()
    qtbot.wait(20)
    screenshot(window, f"editor-{size[0]}x{size[1]}")
