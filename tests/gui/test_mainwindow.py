from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from legtimer.gui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)])
def test_main_window_opens_resizes_and_closes(
    qtbot: QtBot, size: tuple[int, int], screenshot: Callable[..., Path]
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "LegTimer"
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    screenshot(window, f"mainwindow-{size[0]}x{size[1]}")
    assert window.close()
    assert not window.isVisible()
