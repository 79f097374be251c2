"""A session as a strip of coloured blocks, one per interval, width by time.

Used for a recorded session (planned against actual, skipped ones hatched), for a template's
preview in the editor, and on the workout screen for the session running (`set_position`: what
has run so far is bright, what is to come dimmed, the current block growing). Colours come from
the theme, and each block also carries its kind's mark when there is room, so the strip does not
rely on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRect, QRectF, QSize
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from legtimer.engine import IntervalKind
from legtimer.gui.painting import (
    draw_centred_text,
    fill_rect,
    stroke_line,
    stroke_rect,
    tile_rect,
)
from legtimer.gui.theme import appearance, colour, style_for


@cache
def skipped_hatch() -> QPixmap:
    """Thin light diagonals over a skipped block: Qt's BDiagPattern in 90/255 white, as the
    8x8 tile it repeats (the pattern brush itself needs the Qt namespace's enums, see
    legtimer.gui.painting)."""
    blank = QPixmap(8, 8)
    blank.fill(QColor(0, 0, 0, 0))  # QPixmap's fill: QImage's has Qt.GlobalColor overloads
    tile = blank.toImage()
    for x in range(8):
        tile.setPixelColor(x, 7 - x, QColor(255, 255, 255, 90))
    return QPixmap.fromImage(tile)


@dataclass(frozen=True)
class Segment:
    kind: IntervalKind
    name: str
    seconds: float
    #: For a recorded interval: how long it actually ran (None for a plan).
    actual: float | None = None
    skipped: bool = False

    @property
    def tip(self) -> str:
        planned = _duration(self.seconds)
        if self.actual is None:
            return f"{self.name}: {planned}"
        state = " (skipped)" if self.skipped else ""
        return f"{self.name}: {_duration(self.actual)} of {planned}{state}"


def _duration(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 60}:{s % 60:02d}" if s >= 60 else f"{s} s"


class Timeline(QWidget):
    """Draws `segments` left to right; a recorded session shows its planned strip above a thin
    strip of what actually ran."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self._segments: list[Segment] = []
        #: The segments' seconds added up (kept: every repaint and every second asks).
        self._total = 0.0
        #: Active seconds run so far, for a session running (None: no position shown).
        self._position: float | None = None
        #: The blocks as last drawn, and what they were drawn for (size, pixel ratio, theme):
        #: a running session's strip repaints every few seconds, its blocks only on a change.
        self._blocks: QPixmap | None = None
        self._blocks_key: tuple[object, ...] | None = None
        self.setMinimumHeight(36)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    @property
    def segments(self) -> list[Segment]:
        return list(self._segments)

    def set_segments(self, segments: list[Segment]) -> None:
        self._segments = list(segments)
        self._total = sum(s.seconds for s in self._segments)
        self._position = None
        self._blocks = None
        self.setAccessibleDescription(", ".join(s.tip for s in segments))
        self.update()

    def set_position(self, seconds: float | None) -> None:
        """Show a running session `seconds` (active time) in. Repaints only the strip's
        columns that change: the marker moves a pixel every second or so."""
        if seconds == self._position:
            return
        before = self._marker_x(self._position)
        self._position = seconds
        after = self._marker_x(seconds)
        if before is None or after is None:
            self.update()
        elif round(before) != round(after):
            left, right = sorted((before, after))
            self.update(QRect(int(left) - 3, 0, int(right - left) + 7, self.height()))

    def _marker_x(self, seconds: float | None) -> float | None:
        if seconds is None or self._total <= 0:
            return None
        return 1 + (self.width() - 2) * min(1.0, max(0.0, seconds) / self._total)

    @property
    def position(self) -> float | None:
        return self._position

    def sizeHint(self) -> QSize:
        return QSize(400, 56)

    def _rects(self) -> list[tuple[Segment, QRectF]]:
        total = self._total
        if total <= 0:
            return []
        width = self.width() - 2
        x = 1.0
        out = []
        planned_height = self.height() - (12 if self._recorded else 2)
        for s in self._segments:
            w = width * s.seconds / total
            out.append((s, QRectF(x, 1, max(w, 1.0), planned_height)))
            x += w
        return out

    @property
    def _recorded(self) -> bool:
        return any(s.actual is not None for s in self._segments)

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        key = (self.size(), ratio, appearance().theme)
        if self._blocks is None or key != self._blocks_key:
            self._blocks = QPixmap(self.size() * ratio)
            self._blocks.setDevicePixelRatio(ratio)
            self._blocks.fill(QColor(0, 0, 0, 0))
            self._blocks_key = key
            painter = QPainter(self._blocks)
            self._paint_blocks(painter)
            painter.end()
        p = QPainter(self)
        p.drawPixmap(0, 0, self._blocks)
        if self._position is not None and self._segments:
            self._paint_position(p)
        p.end()

    def _paint_blocks(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        rects = self._rects()
        font = p.font()
        font.setPixelSize(max(10, min(18, self.height() // 3)))
        p.setFont(font)
        for s, r in rects:
            style = style_for(s.kind)
            fill = QColor(style.background)
            if s.skipped:
                fill = fill.darker(160)
            fill_rect(p, r, fill)
            if s.skipped:
                tile_rect(p, r, skipped_hatch())
            separator = QColor(colour("#1F2430"))
            stroke_line(p, QPointF(r.right(), r.top()), QPointF(r.right(), r.bottom()), separator)
            if r.width() > p.fontMetrics().horizontalAdvance(style.mark) + 4:
                draw_centred_text(p, r, style.mark, QColor(style.foreground))
            if s.actual is not None and s.seconds > 0:
                done = r.width() * min(1.0, s.actual / s.seconds)
                bar = QRectF(r.left(), r.bottom() + 3, done, 7)
                fill_rect(p, bar, QColor(style.background).lighter(140))
                # What was planned but did not run is dimmed in the block itself too.
                if done < r.width():
                    rest = QRectF(r.left() + done, r.top(), r.width() - done, r.height())
                    fill_rect(p, rest, QColor(0, 0, 0, 140))

    def _paint_position(self, p: QPainter) -> None:
        """Dim what is still to come, and mark where the session is, with an outline that
        shows on any background (the strip sits on the current interval's colour)."""
        found = self._marker_x(self._position)
        if found is None:
            return
        x = float(round(found))  # drawn where set_position expects it: whole pixels
        top, bottom = 1.0, self.height() - (12 if self._recorded else 2) + 1.0
        fill_rect(p, QRectF(x, top, self.width() - 1 - x, bottom - top), QColor(0, 0, 0, 150))
        stroke_line(p, QPointF(x, top), QPointF(x, bottom), QColor("#FFFFFF"), 3)
        outline = QRectF(0.5, top - 0.5, self.width() - 1, bottom - top + 1)
        stroke_rect(p, outline, QColor(255, 255, 255, 200))

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QHelpEvent.Type.ToolTip:
            for s, r in self._rects():
                if r.left() <= event.pos().x() <= r.right():
                    QToolTip.showText(event.globalPos(), s.tip, self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]
