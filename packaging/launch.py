"""The bundle's entry point (PyInstaller runs this as __main__)."""

import sys

from PySide6.QtCore import QtMsgType, qFormatLogMessage, qInstallMessageHandler

from legtimer.__main__ import main

#: What Qt Multimedia says at start-up when it finds no media back-end plugin. The bundle leaves
#: the FFmpeg back end out on purpose (see legtimer.spec): the cues need none.
NO_BACKEND = "No QtMultimedia backends found."


def _qt_message(kind: QtMsgType, context: object, message: str) -> None:
    if not message.startswith(NO_BACKEND):
        sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")


qInstallMessageHandler(_qt_message)
sys.exit(main())
