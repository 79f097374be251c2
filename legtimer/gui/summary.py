"""End of session: how it ended, the intervals planned against done (a strip the width of the
screen: each interval's planned block above a bar of what ran, skipped ones hatched), what the
program does next, and the runner's RPE (the number keys, 0 for 10) and notes, saved to the
session."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from legtimer.engine import Outcome
from legtimer.gui.controller import SessionSummary
from legtimer.gui.theme import follow_size, scrolling, style
from legtimer.gui.timeline import Segment, Timeline
from legtimer.gui.widgets import clock_text

RPE_WORDS = {1: "very easy", 3: "easy", 5: "moderate", 7: "hard", 9: "very hard", 10: "maximal"}


#: How the summary's title says how the session ended.
STATUS_WORDS = {
    "completed": "complete",
    "partial": "finished, some work skipped",
    "skipped": "skipped through",
    "stopped": "stopped early",
}


class SummaryView(QFrame):
    saved = Signal(object, str)  # rpe (int | None), notes
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A QFrame paints its style sheet background by itself (see legtimer.gui.qtnames).
        self.setObjectName("summaryView")
        #: "kmh" or "mph", as the runner chose (the belt's figures follow it).
        self.units = "kmh"
        self.title = QLabel("", self)
        self.title.setObjectName("summaryTitle")
        self.title.setWordWrap(True)
        #: The intervals: planned above, what ran below.
        self.chart = Timeline(self)
        self.chart.setObjectName("summaryChart")
        self.chart.setMinimumHeight(60)
        self.chart.setMaximumHeight(200)
        self.chart.setAccessibleName("The intervals, planned against done")
        self.figures = QLabel("", self)
        self.figures.setObjectName("summaryFigures")
        self.figures.setWordWrap(True)
        self.next_step = QLabel("", self)
        self.next_step.setObjectName("summaryNext")
        self.next_step.setWordWrap(True)

        rpe_label = QLabel("How hard was it? (RPE 1-10)", self)
        rpe_label.setObjectName("rpeHeading")
        self.rpe_group = QButtonGroup(self)
        self.rpe_group.setExclusive(True)
        rpe_row = QHBoxLayout()
        rpe_row.setSpacing(6)
        for n in range(1, 11):
            b = QPushButton(str(n), self)
            b.setObjectName(f"rpe{n}")
            b.setCheckable(True)
            b.setMinimumSize(44, 44)
            b.setToolTip(RPE_WORDS.get(n, ""))
            b.setAccessibleName(f"RPE {n}" + (f", {RPE_WORDS[n]}" if n in RPE_WORDS else ""))
            self.rpe_group.addButton(b, n)
            rpe_row.addWidget(b)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("summaryNotes")
        self.notes.setPlaceholderText("Notes: how the legs felt, treadmill, anything to remember")
        self.notes.setMaximumHeight(110)
        self.notes.setTabChangesFocus(True)  # Tab leaves the notes; it types no tab
        self.notes.setAccessibleName("Notes")
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("summaryStatus")

        self.save_button = QPushButton("Save and finish", self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.skip_button = QPushButton("Finish without notes", self)
        self.skip_button.setObjectName("finishButton")
        self.skip_button.clicked.connect(self.done.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button, 2)
        buttons.addWidget(self.skip_button, 1)

        layout = QVBoxLayout()
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.figures)
        layout.addWidget(self.next_step)
        layout.addWidget(self.chart, 1)
        layout.addWidget(rpe_label)
        layout.addLayout(rpe_row)
        layout.addWidget(self.notes)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        scrolling(self, layout)
        style(
            self,
            "#summaryView { background: #1F2430; }"
            "#summaryView QLabel { color: #E5E9F0; }"
            "#summaryView QLabel#summaryTitle { font-size: 38px; font-weight: 800; }"
            "#summaryView QLabel#summaryFigures { font-size: 22px; }"
            "#summaryView QLabel#summaryNext"
            " { font-size: 24px; font-weight: 700; color: #FFD21F; }"
            "#summaryView QLabel#rpeHeading { font-size: 18px; color: #A9B1C0; }"
            "#summaryView QPushButton { font-size: 18px; color: @on-neutral; background: #3A4350;"
            " border: 3px solid transparent; outline: none; border-radius: 8px; padding: 5px; }"
            "#summaryView QPushButton:focus { border-color: #FFD21F; }"
            "#summaryView QPushButton:checked { background: #933A00; color: white; }"
            "#summaryView QPushButton#saveButton { background: #00614A; color: white;"
            " font-weight: 700; }"
            "#summaryNotes { font-size: 16px; background: #2B3240; color: @on-neutral; }"
            '#summaryView[compact="true"] QLabel#summaryTitle { font-size: 26px; }'
            '#summaryView[compact="true"] QLabel#summaryFigures { font-size: 18px; }'
            '#summaryView[compact="true"] QLabel#summaryNext { font-size: 19px; }',
        )
        self.setProperty("compact", False)

    def show_summary(self, s: SessionSummary) -> None:
        week = f" - week {s.week}" if s.week else ""
        done = STATUS_WORDS.get(s.status, s.status)
        self.title.setText(f"{s.template.name}{week}: {done}")
        lines = [
            f"Work intervals: {s.work_done} of {s.work_planned}",
            f"Time: {clock_text(s.active_seconds)} of {clock_text(s.planned_seconds)} planned"
            + (f", paused {clock_text(s.paused_seconds)}" if s.paused_seconds >= 1 else ""),
        ]
        if s.recorded is not None and not s.recorded.empty:
            from legtimer.devices.recorder import summary_lines

            kinds = [r.interval.kind for r in s.records]
            lines += summary_lines(s.recorded.measures, kinds, mph=self.units == "mph")
        self.figures.setText("\n".join(lines))
        self.chart.set_segments(
            [
                Segment(
                    r.interval.kind,
                    r.interval.title,
                    r.planned_seconds,
                    actual=r.actual_seconds,
                    skipped=r.outcome is Outcome.SKIPPED,
                )
                for r in s.records
            ]
        )
        self.next_step.setText(s.next_step or "")
        self.next_step.setVisible(bool(s.next_step))
        self.rpe_group.setExclusive(False)
        for b in self.rpe_group.buttons():
            b.setChecked(False)
        self.rpe_group.setExclusive(True)
        self.notes.clear()
        self.status_label.setText("" if s.uuid else "This session could not be saved.")
        self.save_button.setEnabled(s.uuid is not None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow_size(self)
        super().resizeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """1-9 and 0 (for 10) set the RPE, wherever the focus is but in the notes."""
        text = event.text()
        if len(text) == 1 and text.isdigit() and not self.notes.hasFocus():
            button = self.rpe_group.button(int(text) or 10)
            if button is not None:
                button.setChecked(True)
                event.accept()
                return
        super().keyPressEvent(event)

    def _on_save_button_clicked(self) -> None:
        rpe = self.rpe_group.checkedId()
        self.saved.emit(rpe if rpe > 0 else None, self.notes.toPlainText())
