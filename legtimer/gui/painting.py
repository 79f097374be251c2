"""Painting without the Qt namespace's enums (see legtimer.gui.qtnames).

QPainter.setPen, setBrush and fillRect, and the QPen and QBrush constructors that take a
colour, have overloads taking Qt.* enums (a pen style, a brush style, a global colour), and
PySide's choice between overloads builds the whole namespace even when a QColor is passed.
These draw the same without them: a fill as a one-pixel pixmap tiled over the rectangle, a
line as a stroked path, text as its outlines, filled. The
session strip (legtimer.gui.timeline), drawn while a session runs, paints with these.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap


@cache
def _solid(rgba: int) -> QPixmap:
    pixmap = QPixmap(1, 1)
    pixmap.fill(QColor.fromRgba(rgba))
    return pixmap


def fill_rect(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """painter.fillRect(rect, colour)."""
    painter.drawTiledPixmap(rect, _solid(colour.rgba()))


def tile_rect(painter: QPainter, rect: QRectF, tile: QPixmap) -> None:
    """painter.fillRect(rect, QBrush(tile)): the tiles aligned on the painter's origin, as a
    pattern brush's are, wherever the rectangle starts."""
    origin = QPointF(rect.x() % tile.width(), rect.y() % tile.height())
    painter.drawTiledPixmap(rect, tile, origin)


def stroke_line(
    painter: QPainter, start: QPointF, end: QPointF, colour: QColor, width: float = 1.0
) -> None:
    """painter.setPen(QPen(colour, width)); painter.drawLine(start, end)."""
    path = QPainterPath(start)
    path.lineTo(end)
    stroke_path(painter, path, colour, width)


def stroke_rect(painter: QPainter, rect: QRectF, colour: QColor, width: float = 1.0) -> None:
    """painter.setPen(QPen(colour, width)); painter.setBrush(no brush); painter.drawRect(rect)."""
    path = QPainterPath()
    path.addRect(rect)
    stroke_path(painter, path, colour, width)


def stroke_path(painter: QPainter, path: QPainterPath, colour: QColor, width: float) -> None:
    pen = QPen()
    pen.setColor(colour)
    pen.setWidthF(width)
    painter.strokePath(path, pen)


def draw_centred_text(painter: QPainter, rect: QRectF, text: str, colour: QColor) -> None:
    """painter.setPen(colour); painter.drawText(rect, Qt.AlignCenter, text): the text's
    outlines filled, antialiased (with the painter's font)."""
    font = painter.font()
    metrics = QFontMetricsF(font)
    baseline = QPointF(
        rect.center().x() - metrics.horizontalAdvance(text) / 2,
        rect.center().y() + (metrics.ascent() - metrics.descent()) / 2,
    )
    path = QPainterPath()
    path.addText(baseline, font, text)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillPath(path, QBrush(_solid(colour.rgba())))
    painter.restore()
