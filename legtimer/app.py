"""Composition root: builds the objects the GUI needs and wires them together.

This is the only place that decides which concrete store, clock and sound player the app uses;
everything below receives them, so tests can build the same objects with fakes.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
from typing import TYPE_CHECKING

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from legtimer.gui.mainwindow import MainWindow


def build(args: argparse.Namespace) -> tuple[QApplication, MainWindow]:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from legtimer import __version__, assets
    from legtimer.gui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("LegTimer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("legtimer")
    app.setWindowIcon(QIcon(str(assets.icon_path())))
    window = MainWindow()
    return app, window


def _close_on_sigint(window: MainWindow) -> None:
    """Ctrl+C in the terminal closes the window the normal way.

    Python runs signal handlers only when the interpreter gets control, which Qt's event loop
    does not give it; a wake-up socket watched by Qt does, without a polling timer.
    """
    from PySide6.QtCore import QSocketNotifier, QTimer

    read, write = socket.socketpair()
    read.setblocking(False)
    write.setblocking(False)
    signal.set_wakeup_fd(write.fileno())
    # Queued, so a signal that lands before the event loop runs is not lost.
    signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, window.close))
    notifier = QSocketNotifier(read.fileno(), QSocketNotifier.Type.Read, window)
    notifier.activated.connect(lambda *_: read.recv(64))
    window.setProperty("_sigint_sockets", (read, write))  # keep both ends alive


def run(args: argparse.Namespace) -> int:
    app, window = build(args)
    _close_on_sigint(window)
    from PySide6.QtCore import QTimer

    window.show()
    QTimer.singleShot(0, lambda: log.info("main window shown"))
    return app.exec()
