"""A session without the Qt namespace's enums (legtimer.gui.qtnames, legtimer.gui.painting):
the settings by name do what the enums do, the strip paints the same pixels as with Qt's pens
and brushes, the desktop's colours are read right, and a whole session, keys and summary
included, never builds the namespace (1.4 MB of a session's memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from legtimer.gui import painting
from legtimer.gui.qtnames import key_code, set_enum_property
from legtimer.gui.timeline import skipped_hatch
from tests.conftest import REPO, fake_dbus_service, private_bus
from tests.gui.test_app import at_first_paint, start_as_a_user

pytestmark = pytest.mark.gui


def test_enum_properties_are_set_by_their_values_names(qtbot: QtBot) -> None:
    label = QLabel("12")
    qtbot.addWidget(label)
    set_enum_property(label, "alignment", "AlignCenter")
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    set_enum_property(label, "focusPolicy", "NoFocus")
    assert label.focusPolicy() == Qt.FocusPolicy.NoFocus
    timer = QTimer()
    set_enum_property(timer, "timerType", "PreciseTimer")
    assert timer.timerType() == Qt.TimerType.PreciseTimer
    # A misspelt value or property is an error, not a quiet no-op or a new dynamic property.
    with pytest.raises(ValueError, match="QLabel has no property 'alignment' taking 'Middle'"):
        set_enum_property(label, "alignment", "Middle")
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    with pytest.raises(ValueError, match="QLabel has no property 'alignmnet'"):
        set_enum_property(label, "alignmnet", "AlignLeft")
    assert label.dynamicPropertyNames() == []


def test_keys_by_name_are_the_codes_key_events_carry() -> None:
    assert key_code("Esc") == Qt.Key.Key_Escape.value
    assert key_code("Return") == Qt.Key.Key_Return.value
    assert key_code("Enter") == Qt.Key.Key_Enter.value
    assert key_code("Space") == Qt.Key.Key_Space.value
    for not_one_key in ("", "S, S"):
        with pytest.raises(ValueError, match="does not name one key"):
            key_code(not_one_key)


def drawn(paint: Callable[..., object], *args: object) -> QImage:
    """An image drawn by paint(painter, *args)."""
    image = QImage(160, 60, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(30, 60, 90))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # as the strip draws
    paint(painter, *args)
    painter.end()
    return image


#: Blocks as the strip lays them out: fractional left edges, whole-pixel tops.
BLOCKS = [QRectF(1, 1, 37.3, 44), QRectF(38.3, 1, 12.7, 54), QRectF(51.0, 1, 20.45, 40)]
BLOCKS += [QRectF(71.45, 1, 0.8, 30), QRectF(99.5, 1, 10.5, 30), QRectF(13.77, 1, 20.1, 30)]


@pytest.mark.parametrize("rect", BLOCKS, ids=lambda r: f"x{r.x()}")
def test_the_strip_paints_what_qt_s_pens_and_brushes_paint(rect: QRectF) -> None:
    for colour in (QColor("#933A00"), QColor(0, 0, 0, 140), QColor(255, 255, 255, 90)):
        assert drawn(painting.fill_rect, rect, colour) == drawn(QPainter.fillRect, rect, colour)
    hatch = QBrush(QColor(255, 255, 255, 90), Qt.BrushStyle.BDiagPattern)
    assert drawn(painting.tile_rect, rect, skipped_hatch()) == drawn(QPainter.fillRect, rect, hatch)
    top, bottom = QPointF(rect.right(), rect.top()), QPointF(rect.right(), rect.bottom())
    separator = QColor("#1F2430")
    for width in (1, 3):

        def with_pen(p: QPainter, width: int = width) -> None:
            p.setPen(QPen(separator, width))
            p.drawLine(top, bottom)

        ours = drawn(painting.stroke_line, top, bottom, separator, width)
        assert ours == drawn(with_pen)


def test_the_strip_s_outline_is_qt_s_rectangle() -> None:
    outline = QRectF(0.5, 0.5, 150, 45)

    def with_qt(p: QPainter) -> None:
        p.setPen(QPen(QColor(255, 255, 255, 200), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(outline)

    assert drawn(painting.stroke_rect, outline, QColor(255, 255, 255, 200)) == drawn(with_qt)


def ink(image: QImage, background: QColor) -> QRectF:
    """The box around every pixel that is not the background."""
    xs, ys = [], []
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y) != background:
                xs.append(x)
                ys.append(y)
    assert xs, "nothing was drawn"
    return QRectF(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


@pytest.mark.parametrize("mark", ["▲", "▼", "●"])
def test_a_block_s_mark_is_centred_as_qt_centres_text(qtbot: QtBot, mark: str) -> None:
    rect = QRectF(38.3, 1, 40.7, 44)
    background = QColor(30, 60, 90)

    def mark_with(paint: Callable[[QPainter], None]) -> QImage:
        def in_font(p: QPainter) -> None:
            font = QFont(p.font())
            font.setPixelSize(18)
            p.setFont(font)
            paint(p)

        return drawn(in_font)

    ours = mark_with(lambda p: painting.draw_centred_text(p, rect, mark, QColor("white")))

    def with_pen(p: QPainter) -> None:
        p.setPen(QColor("white"))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, mark)

    theirs = mark_with(with_pen)
    a, b = ink(ours, background), ink(theirs, background)
    assert abs(a.center().x() - b.center().x()) <= 1
    assert abs(a.center().y() - b.center().y()) <= 1
    assert abs(a.width() - b.width()) <= 2 and abs(a.height() - b.height()) <= 2
    centre = a.center().toPoint()
    assert ours.pixelColor(centre) == QColor("white")


#: The desktop portal's settings (org.freedesktop.portal.Desktop): its colour scheme,
#: sys.argv[2], is 0 for no preference, 1 for dark, 2 for light.
PORTAL = r"""
import sys
from jeepney import new_error, new_method_return
def answer(conn, msg, member):
    scheme = int(sys.argv[2])
    if member == "ReadAll":
        settings = {"org.freedesktop.appearance": {"color-scheme": ("u", scheme)}}
        conn.send(new_method_return(msg, "a{sa{sv}}", (settings,)))
    elif member == "ReadOne":
        conn.send(new_method_return(msg, "v", (("u", scheme),)))
    elif member == "Read":
        conn.send(new_method_return(msg, "v", (("v", ("u", scheme)),)))
    else:
        conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))
"""

ASK_THE_DESKTOP = r"""
import json
from PySide6 import QtCore
from PySide6.QtWidgets import QApplication
from legtimer.gui.qtnames import color_scheme_value, desktop_colours
app = QApplication([])
ours = desktop_colours()
built = "Qt" in vars(QtCore)
print(json.dumps({"ours": ours, "value": color_scheme_value(), "built": built,
                  "qt": app.styleHints().colorScheme().value}))
"""


def test_the_desktop_s_colours_are_read_as_qt_reads_them(tmp_path: Path) -> None:
    """The desktop says dark, light or nothing through the portal Qt asks (on a private D-Bus
    bus); the app reads Qt's answer from Qt Gui's own function, without the namespace's
    enums, and it is the answer PySide's enum gives."""
    with private_bus() as address:
        env = dict(
            os.environ,
            DBUS_SESSION_BUS_ADDRESS=address,
            QT_QPA_PLATFORM="offscreen",
            QT_QPA_PLATFORMTHEME="xdgdesktopportal",
        )
        for scheme, expected, qt_value in ((1, "dark", 2), (2, "light", 1), (0, "unknown", 0)):
            with fake_dbus_service("org.freedesktop.portal.Desktop", PORTAL, str(scheme), env=env):
                out = subprocess.run(
                    [sys.executable, "-c", ASK_THE_DESKTOP],
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=REPO,
                    timeout=60,
                )
            assert out.returncode == 0, out.stderr
            answer = json.loads(out.stdout.splitlines()[-1])
            assert answer == {"ours": expected, "value": qt_value, "built": False, "qt": qt_value}


A_WHOLE_SESSION = at_first_paint(
    r"""
import json
from PySide6 import QtCore

def on_paint(app, window):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    seen = []
    # What a runner does: Enter starts, Space pauses and resumes, Right and Left skip and go
    # back, S asks, Esc answers no, S twice stops; F and M on the way; on the summary, 7 for
    # the effort and Enter saves.
    keys = ["Return", "Space", "Space", "Right", "Left", "Right", "F", "F", "M", "M", "S",
            "Esc", "S", "S", "7", "Return"]

    def view():
        return window.stack.currentWidget().objectName()

    def step():
        if not window.attached:
            QtCore.QTimer.singleShot(20, step)
            return
        if not keys:
            print(json.dumps({"views": seen, "Qt namespace": "Qt" in vars(QtCore)}))
            app.quit()
            return
        if not seen or seen[-1] != view():
            seen.append(view())
        target = QApplication.focusWidget() or window
        QTest.keySequence(target, QKeySequence(keys.pop(0)))
        if not seen or seen[-1] != view():
            seen.append(view())
        QtCore.QTimer.singleShot(30, step)

    window.activateWindow()
    QtCore.QTimer.singleShot(20, step)
"""
)


def test_a_whole_session_leaves_the_qt_namespace_unbuilt(tmp_path: Path) -> None:
    """From the first paint through a session, its keys, the stop question and the summary,
    back home: no Qt.* enum is used (the first use of one builds all ~90, 1.4 MB resident;
    bench/session.py measures the session)."""
    for start in ("first", "second"):  # the second paints home from its kept texts
        lines = start_as_a_user(A_WHOLE_SESSION, tmp_path)
        result = json.loads(lines[-1])
        assert result == {
            "views": ["homeView", "workoutView", "summaryView", "homeView"],
            "Qt namespace": False,
        }, start
