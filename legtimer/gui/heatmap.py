"""A year of training days as a calendar heat map: one square per day, one column per week
(Monday on top), shaded by minutes run.

Hand-painted: the chart libraries Qt offers have no calendar grid, and this is a few rectangles.
Shading uses lightness as well as hue, so it reads in grey, and every square has a tooltip.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from legtimer.gui.theme import colour

#: Minutes at or above each level's floor get its colour (level 0: nothing that day).
LEVELS = ((0, "#3A4350"), (1, "#5B4A2E"), (15, "#8F5A16"), (30, "#C26A00"), (45, "#FFA53D"))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def level_colour(minutes: float) -> str:
    colour = LEVELS[0][1]
    for floor, c in LEVELS[1:]:
        if minutes >= floor:
            colour = c
    return colour if minutes > 0 else LEVELS[0][1]


class HeatMap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heatMap")
        self._days: dict[date, tuple[int, float]] = {}
        self._last = date.today()
        self.setMinimumHeight(120)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(True)

    def set_days(self, days: dict[date, tuple[int, float]], last: date) -> None:
        """`days`: sessions and active seconds per day; `last`: the newest day shown."""
        self._days = dict(days)
        self._last = last
        self.update()

    @property
    def first(self) -> date:
        monday = self._last - timedelta(days=self._last.weekday())
        return monday - timedelta(weeks=52)

    LABEL_W, LABEL_H, LEGEND_H = 34.0, 20.0, 26.0

    def sizeHint(self) -> QSize:
        return QSize(900, self.heightForWidth(900))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        cell = (width - self.LABEL_W - 4) / 53
        return int(self.LABEL_H + 7 * cell + self.LEGEND_H + 6)

    def _geometry(self) -> tuple[float, float, float]:
        """Cell size, left and top offsets."""
        label_w, label_h = self.LABEL_W, self.LABEL_H
        cell = min(
            (self.width() - label_w - 4) / 53,
            (self.height() - label_h - self.LEGEND_H - 6) / 7,
        )
        return max(cell, 4.0), label_w, label_h

    def _cell(self, day: date) -> QRectF:
        cell, left, top = self._geometry()
        col = (day - self.first).days // 7
        return QRectF(left + col * cell, top + day.weekday() * cell, cell - 2, cell - 2)

    def day_at(self, x: float, y: float) -> date | None:
        cell, left, top = self._geometry()
        col, row = int((x - left) // cell), int((y - top) // cell)
        if not (0 <= col < 53 and 0 <= row < 7):
            return None
        day = self.first + timedelta(weeks=col, days=row)
        return day if day <= self._last else None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        cell, left, top = self._geometry()
        font = p.font()
        font.setPixelSize(max(9, min(14, int(cell * 0.8))))
        p.setFont(font)
        p.setPen(QColor(colour("#C8CED8")))
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            p.drawText(
                QRectF(0, top + row * cell, left - 4, cell),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        day = self.first
        label_end = -1.0  # where the last month's name ends: the next starts after it
        while day <= self._last:
            r = self._cell(day)
            minutes = self._days.get(day, (0, 0.0))[1] / 60
            p.fillRect(r, QColor(colour(level_colour(minutes))))
            # The first column's month only when enough of it shows to hold its name.
            starts = day.day == 1 or (day == self.first and day.day <= 14)
            if starts and r.left() >= label_end:
                name = MONTHS[day.month - 1]
                p.setPen(QColor(colour("#C8CED8")))
                p.drawText(
                    QRectF(r.left(), 0, 4 * cell, top - 2),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                    name,
                )
                label_end = r.left() + p.fontMetrics().horizontalAdvance(name) + 4
            day += timedelta(days=1)
        # Legend, bottom right: Less [] [] [] [] [] More
        size = min(cell - 2, 16)
        y = top + 7 * cell + 8
        x = self.width() - 4 - 5 * (size + 4) - 40
        p.setPen(QColor(colour("#C8CED8")))
        p.drawText(QRectF(x - 44, y, 40, size), Qt.AlignmentFlag.AlignRight, "Less")
        for _, level in LEVELS:
            p.fillRect(QRectF(x, y, size, size), QColor(colour(level)))
            x += size + 4
        p.drawText(QRectF(x + 2, y, 40, size), Qt.AlignmentFlag.AlignLeft, "More")
        p.end()

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QHelpEvent.Type.ToolTip:
            day = self.day_at(event.pos().x(), event.pos().y())
            if day is None:
                QToolTip.hideText()
            else:
                n, seconds = self._days.get(day, (0, 0.0))
                text = day.strftime("%a %d %b %Y") + (
                    f": {n} session{'s' if n != 1 else ''}, {round(seconds / 60)} min"
                    if n
                    else ": rest day"
                )
                QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)  # type: ignore[arg-type]
