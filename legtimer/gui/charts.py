"""Minutes per week by kind of session, as stacked bars (QtCharts), and the weekly balance
against what running coaches recommend (interval sessions 1-2 times a week, hill repeats
once).

QtCharts is imported here only, when the chart is first shown: it costs about as much as the
rest of the start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QFrame, QWidget

from legtimer.gui.theme import colour
from legtimer.services import WeekTotal

#: Kind of session -> (label, colour). Okabe-Ito hues, like the interval kinds.
KINDS: dict[str, tuple[str, str]] = {
    "sprint": ("Sprint program", "#E69F00"),
    "hiit": ("HIIT", "#CC79A7"),
    "hill": ("Hill repeats", "#009E73"),
    "custom": ("Own templates", "#56B4E9"),
}


@dataclass(frozen=True)
class Balance:
    label: str
    done: int
    low: int
    high: int

    @property
    def verdict(self) -> str:
        if self.done < self.low:
            return f"{self.low - self.done} to go"
        if self.done > self.high:
            return "more than recommended: rest matters too"
        return "on target"

    @property
    def text(self) -> str:
        target = f"{self.low}" if self.low == self.high else f"{self.low}-{self.high}"
        return f"{self.label}: {self.done} of {target} - {self.verdict}"


def weekly_balance(totals: list[WeekTotal], week_start: date) -> list[Balance]:
    """This week's sessions against the recommendations."""
    this = {t.kind: t.sessions for t in totals if t.week_start == week_start}
    intervals = this.get("sprint", 0) + this.get("hiit", 0)
    return [
        Balance("Interval sessions (sprints, HIIT)", intervals, 1, 2),
        Balance("Hill repeats", this.get("hill", 0), 1, 1),
    ]


def weeks_ending(last_monday: date, count: int) -> list[date]:
    return [last_monday - timedelta(weeks=count - 1 - i) for i in range(count)]


class WeeklyChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weeklyChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        chart = QChart()
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self.minutes: dict[str, list[float]] = {}
        self.weeks: list[date] = []
        self.on_restyle()

    def on_restyle(self) -> None:
        """The theme's colours, now and after every live switch (theme.restyle calls this)."""
        chart = self.chart()
        self.setBackgroundBrush(QColor(colour("#1F2430")))
        self.setStyleSheet(f"background: {colour('#1F2430')}; border: none;")
        chart.setBackgroundBrush(QColor(colour("#1F2430")))
        chart.legend().setLabelColor(QColor(colour("#E5E9F0")))
        chart.setTitleBrush(QColor(colour("#E5E9F0")))
        for axis in chart.axes():
            axis.setLabelsColor(QColor(colour("#C8CED8")))
            axis.setGridLineColor(QColor(colour("#3A4350")))
            axis.setTitleBrush(QColor(colour("#C8CED8")))

    def set_totals(self, totals: list[WeekTotal], last_monday: date, count: int = 12) -> None:
        weeks = weeks_ending(last_monday, count)
        index = {w: i for i, w in enumerate(weeks)}
        minutes = {kind: [0.0] * count for kind in KINDS}
        for t in totals:
            i = index.get(t.week_start)
            if i is not None:
                minutes.setdefault(t.kind, [0.0] * count)[i] += t.active_seconds / 60
        self.weeks, self.minutes = weeks, minutes

        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QStackedBarSeries()
        for kind, values in minutes.items():
            label, fill = KINDS.get(kind, (kind, "#999999"))
            bar = QBarSet(label)
            bar.setColor(QColor(fill))
            bar.setBorderColor(QColor(fill))
            bar.append([round(v, 1) for v in values])
            series.append(bar)
        chart.addSeries(series)
        labels = QBarCategoryAxis()
        labels.append([w.strftime("%d<br>%b") for w in weeks])  # two lines: fits 800 px
        top = max((sum(col) for col in zip(*minutes.values(), strict=True)), default=0)
        scale = QValueAxis()
        ceiling = max(30, (int(top) // 15 + 1) * 15)
        scale.setRange(0, ceiling)
        scale.setTickCount(ceiling // 15 + 1)  # a line every 15 minutes: 0, 15, 30...
        scale.setLabelFormat("%d")
        scale.setTitleText("minutes")
        font = QFont(self.font())
        font.setPixelSize(13)
        for axis in (labels, scale):
            axis.setLabelsFont(font)
        chart.addAxis(labels, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(scale, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(labels)
        series.attachAxis(scale)
        self.on_restyle()
