"""The app's real start path opens a real X11 window (Xvfb) and exits cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import on_x, run_python_on_x, wait_for_window

pytestmark = pytest.mark.gui

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from legtimer import app, cli

def report():
    for w in QApplication.topLevelWidgets():
        if w.isVisible():
            print("window", w.windowTitle(), w.width(), w.height(), flush=True)
    QApplication.instance().quit()

qapp, window = app.build(cli.parse_args([]))
window.show()
QTimer.singleShot(300, report)
sys.exit(qapp.exec())
"""


def test_app_opens_a_real_window(xvfb_display: str, tmp_path: Path) -> None:
    out = run_python_on_x(xvfb_display, "-c", CHILD)
    assert "window LegTimer" in out.stdout, out.stdout + out.stderr


def test_ctrl_c_closes_the_app(xvfb_display: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "legtimer", "--verbose"],
        env=on_x(xvfb_display),
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ) as proc:
        # A start that hangs must fail the test, not the whole run.
        watchdog = threading.Timer(60, proc.kill)
        watchdog.start()
        wait_for_window(proc)
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=20) == 0
        finally:
            watchdog.cancel()
