"""A session as a strip of coloured blocks, one per interval, width by time.

Used for a recorded session (planned against actual, skipped ones hatched) and for a template's
preview in the editor. Colours come from the theme, and each block also carries its kind's mark
when there is room, so the strip does not rely on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from legtimer.engine import IntervalKind
from legtimer.gui.theme import colour, style_for


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
        self.setMinimumHeight(36)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    @property
    def segments(self) -> list[Segment]:
        return list(self._segments)

    def set_segments(self, segments: list[Segment]) -> None:
        self._segments = list(segments)
        self.setAccessibleDescription(", ".join(s.tip for s in segments))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, 56)

    def _rects(self) -> list[tuple[Segment, QRectF]]:
        total = sum(s.seconds for s in self._segments)
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
        p = QPainter(self)
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
            p.fillRect(r, fill)
            if s.skipped:
                p.fillRect(r, QBrush(QColor(255, 255, 255, 90), Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(QColor(colour("#1F2430")), 1))
            p.drawLine(QPointF(r.right(), r.top()), QPointF(r.right(), r.bottom()))
            if r.width() > p.fontMetrics().horizontalAdvance(style.mark) + 4:
                p.setPen(QColor(style.foreground))
                p.drawText(r, Qt.AlignmentFlag.AlignCenter, style.mark)
            if s.actual is not None and s.seconds > 0:
                done = r.width() * min(1.0, s.actual / s.seconds)
                bar = QRectF(r.left(), r.bottom() + 3, done, 7)
                p.fillRect(bar, QColor(style.background).lighter(140))
        p.end()

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QHelpEvent.Type.ToolTip:
            for s, r in self._rects():
                if r.left() <= event.pos().x() <= r.right():
                    QToolTip.showText(event.globalPos(), s.tip, self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]
