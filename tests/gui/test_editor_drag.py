"""Drag and drop in the editor's block tree, with a real mouse drag on a real X server.

The offscreen platform ends every drag at once (it has no drag manager), so the drag runs in a
child process under Xvfb, where Qt's own drag loop takes the mouse events the test sends.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import run_python_on_x

pytestmark = pytest.mark.gui

CHILD = r"""
import json, sys
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from legtimer.gui.editor import TemplateEditor, children
from legtimer.plans import Template, TemplateKind
from legtimer.plans.notation import parse

app = QApplication(sys.argv[:1])
editor = TemplateEditor()
editor.resize(1280, 800)
editor.load(Template("Drag", TemplateKind.CUSTOM, parse(sys.argv[1])), original_name="Drag")
editor.show()
QTest.qWaitForWindowExposed(editor)
tree = editor.tree

def item(path):
    # "2" is the third top-level block; "1.0" the first child of the second.
    node = tree.topLevelItem(int(path[0]))
    for step in path[1:]:
        node = node.child(int(step))
    return node

def drag(source, target, where):
    # where: "on" the target's middle, "below" its lower edge.
    rect = tree.visualItemRect(target)
    start = tree.visualItemRect(source).center()
    end = rect.center() if where == "on" else QPoint(rect.center().x(), rect.bottom() - 1)
    viewport = tree.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    def finish():
        QTest.mouseMove(viewport, end - QPoint(0, 1))
        QTest.mouseMove(viewport, end)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    # The drag loop runs inside startDrag; the moves and the release reach it from a timer.
    QTimer.singleShot(100, finish)
    tree.setCurrentItem(source)
    tree.startDrag(Qt.DropAction.MoveAction)

results = []
for source, target, where in json.loads(sys.argv[2]):
    drag(item(source), item(target), where)
    results.append({"notation": editor.notation.text(), "dirty": editor.dirty,
                    "save": editor.save.isEnabled()})
print(json.dumps(results), flush=True)
"""


def run_drags(
    display: str, notation: str, drags: list[tuple[str, str, str]]
) -> list[dict[str, Any]]:
    out = run_python_on_x(display, "-c", CHILD, notation, json.dumps(drags))
    results: list[dict[str, Any]] = json.loads(out.stdout.strip().splitlines()[-1])
    return results


def test_drag_an_interval_into_a_repeat_and_back_out(xvfb_display: str) -> None:
    results = run_drags(
        xvfb_display,
        "5m warmup; 3x(30s work, 30s rest); 2m jog; 5m cooldown",
        [
            # The jog onto the repeat: it becomes the repeat's last child.
            ("2", "1", "on"),
            # The repeat's first child onto the cool-down, which takes no children: the
            # interval lands beside it instead (a reorder at the top level).
            ("10", "2", "below"),
        ],
    )
    assert results[0]["notation"] == "5m warmup; 3x(30s work, 30s rest, 2m jog); 5m cooldown"
    assert results[0]["dirty"] and results[0]["save"]
    assert results[1]["notation"] == "5m warmup; 3x(30s rest, 2m jog); 5m cooldown; 30s work"


def test_dropping_onto_an_interval_does_not_nest(xvfb_display: str) -> None:
    results = run_drags(xvfb_display, "5m warmup; 30s work; 5m cooldown", [("0", "1", "on")])
    notation = results[0]["notation"]
    # Intervals take no children: whatever the drop did, every block is still at the top.
    assert "(" not in notation
    assert sorted(notation.split("; ")) == ["30s work", "5m cooldown", "5m warmup"]
