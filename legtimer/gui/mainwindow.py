"""The main window: a stack of views (home, workout, history, templates)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("LegTimer")
        self.setMinimumSize(640, 400)
        self.resize(1280, 800)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("viewStack")
        placeholder = QLabel("LegTimer", self.stack)
        placeholder.setObjectName("homeTitle")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(placeholder)
        self.setCentralWidget(self.stack)
