"""The history: the session log with its detail, the calendar, the weekly chart and balance,
and the program's ladder.

Each page reads the store when it is first shown and again after anything changes, so opening
the history costs one page of sessions, not the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from legtimer.engine import IntervalKind
from legtimer.gui.heatmap import HeatMap
from legtimer.gui.historymodel import STATUS_WORDS, SessionTableModel, duration_text
from legtimer.gui.theme import scrolling, style
from legtimer.gui.timeline import Segment, Timeline
from legtimer.gui.widgets import UndoBar
from legtimer.plans import Template
from legtimer.plans.model import KM_PER_MILE
from legtimer.plans.progression import (
    ChoiceKind,
    ProgramChoice,
    ProgramStatus,
    repeat_week_choice,
    restart_choice,
    set_week_choice,
)
from legtimer.plans.words import length_text
from legtimer.services import (
    SessionDetail,
    SessionFilter,
    SessionRow,
    StoreError,
    Training,
)

if TYPE_CHECKING:
    from legtimer.gui.charts import WeeklyChart

KIND_CHOICES = (
    ("All kinds", ""),
    ("Sprint program", "sprint"),
    ("HIIT", "hiit"),
    ("Hill repeats", "hill"),
    ("Own templates", "custom"),
)
STATUS_CHOICES = (("Any status", ""), *((w, s) for s, w in STATUS_WORDS.items()))
#: The "no date" sentinel of the date fields (shown as "any").
NO_DATE = QDate(2000, 1, 1)
UNDO_MS = 10000

STYLE = """
#historyView, #historyView QWidget#page { background: #1F2430; }
#historyView QLabel { color: #E5E9F0; font-size: 16px; }
#historyView #historyHeading { font-size: 26px; font-weight: 700; }
#historyView #emptyState { font-size: 20px; color: #FFD21F; }
#historyView #detailTitle { font-size: 22px; font-weight: 700; }
#historyView #undoBar { background: #FFD21F; border-radius: 8px; }
#historyView #undoBar QLabel { color: #111; font-weight: 700; }
#historyView QPushButton { font-size: 16px; color: @on-neutral; background: #3A4350;
    border: 3px solid transparent; outline: none; border-radius: 8px; padding: 5px 11px; }
#historyView QPushButton:disabled { color: #7A8290; }
#historyView QPushButton:focus { border-color: #FFD21F; }
#historyView #undoBar QPushButton { background: #111; color: white; }
#historyView QTableView, #historyView QTreeWidget, #historyView QPlainTextEdit {
    background: #2B3240; color: @on-neutral; font-size: 15px; gridline-color: #3A4350;
    selection-background-color: #005A8C; }
#historyView QHeaderView::section { background: #3A4350; color: @on-neutral; font-size: 15px;
    padding: 4px; border: none; }
#historyView QComboBox, #historyView QLineEdit, #historyView QDateEdit, #historyView QSpinBox {
    font-size: 15px; padding: 4px; }
#historyView QTabBar::tab { font-size: 17px; padding: 8px 18px; color: #E5E9F0;
    background: #2B3240; }
#historyView QTabBar::tab:selected { background: #3A4350; border-bottom: 3px solid #FFD21F; }
#historyView QTabWidget::pane { border: none; }
#ladder QFrame#rung { background: #2B3240; border-radius: 8px; }
#ladder QLabel { font-size: 19px; }
#ladder QFrame#rung[current="true"] { border: 3px solid #FFD21F; }
"""


def local_offset() -> timedelta:
    offset = datetime.now().astimezone().utcoffset()
    return offset or timedelta(0)


def qdate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def segments_of(detail: SessionDetail) -> list[Segment]:
    return [
        Segment(
            IntervalKind(i.kind),
            i.name,
            i.planned_seconds,
            actual=i.actual_seconds,
            skipped=i.outcome == "skipped",
        )
        for i in detail.intervals
    ]


class TemplateCombo(QComboBox):
    """Lists the templates sessions were run from, read when the list is first opened."""

    def __init__(self, names: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = names
        self._loaded = False
        self.addItem("All sessions", "")

    def load(self) -> None:
        if not self._loaded:
            self._loaded = True
            for name in self._names():
                self.addItem(name, name)

    def showPopup(self) -> None:
        self.load()
        super().showPopup()


class DetailPanel(QWidget):
    """One session: planned against actual, notes and RPE (editable), delete."""

    changed = Signal(str)  # uuid
    delete_requested = Signal(str)

    def __init__(self, training: Training, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.training = training
        self.detail: SessionDetail | None = None
        self.to_list = QPushButton("◀ All sessions", self)
        self.to_list.setObjectName("detailToList")
        self.to_list.hide()  # only when the window is too narrow for list and detail together
        self.title = QLabel("Pick a session to see its intervals", self)
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        #: "kmh" or "mph": how the belt's figures are given.
        self.units = "kmh"
        self.line = QLabel("", self)
        self.line.setObjectName("detailLine")
        self.line.setWordWrap(True)
        self.timeline = Timeline(self)
        self.intervals = QTreeWidget(self)
        self.intervals.setObjectName("detailIntervals")
        self.intervals.setAccessibleName("Intervals of the session")
        self.intervals.setHeaderLabels(["Interval", "Planned", "Done", ""])
        self.intervals.setRootIsDecorated(False)
        self.intervals.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rpe = QSpinBox(self)
        self.rpe.setObjectName("detailRpe")
        self.rpe.setAccessibleName("RPE")
        self.rpe.setRange(0, 10)
        self.rpe.setSpecialValueText("-")
        self.rpe.setToolTip("How hard it felt, 1 (easy) to 10 (all out)")
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("detailNotes")
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("Notes: how the legs felt, the treadmill, the weather...")
        self.notes.setMaximumHeight(90)
        self.save = QPushButton("Save", self)
        self.save.setObjectName("detailSave")
        self.delete = QPushButton("Delete session", self)
        self.delete.setObjectName("detailDelete")
        self.status = QLabel("", self)
        self.status.setObjectName("detailStatus")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.to_list, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.title)
        layout.addWidget(self.line)
        layout.addWidget(self.timeline)
        layout.addWidget(self.intervals, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("RPE", self))
        row.addWidget(self.rpe)
        row.addStretch(1)
        row.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(self.notes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addStretch(1)
        buttons.addWidget(self.delete)
        layout.addLayout(buttons)

        self.save.clicked.connect(self._on_save_clicked)
        self.delete.clicked.connect(self._on_delete_clicked)
        self.rpe.valueChanged.connect(self._on_edited)
        self.notes.textChanged.connect(self._on_edited)
        self.show_detail(None)

    def show_detail(self, detail: SessionDetail | None) -> None:
        self.detail = detail
        editable = detail is not None
        for w in (self.rpe, self.notes, self.delete):
            w.setEnabled(editable)
        self.intervals.clear()
        self.status.setText("")
        if detail is None:
            self.title.setText("Pick a session to see its intervals")
            self.line.setText("")
            self.timeline.set_segments([])
            self.rpe.setValue(0)
            self.notes.setPlainText("")
            self.save.setEnabled(False)
            return
        s = detail.session
        week = f" - week {s.week}" if s.week else ""
        self.title.setText(f"{s.template}{week}")
        line = (
            f"{s.started_at.astimezone().strftime('%A %d %B %Y, %H:%M')} - "
            f"{STATUS_WORDS.get(s.status, s.status)} - {s.work_done} of {s.work_planned} work - "
            f"{duration_text(s.active_seconds)} of {duration_text(s.planned_seconds)}"
        )
        if detail.measures:
            from legtimer.services import device_lines

            line += "\n" + "\n".join(device_lines(detail, mph=self.units == "mph"))
        self.line.setText(line)
        self.timeline.set_segments(segments_of(detail))
        devices = bool(detail.measures)
        mph = self.units == "mph"
        header = self.intervals.header()
        self.intervals.setHeaderLabels(
            ["Interval", "Planned", "Done"]
            # The belt's mean speed, the heart's mean and highest, and a rest's drop in bpm.
            + (["mph" if mph else "km/h", "HR avg/max", "Drop"] if devices else [])
            + [""]
        )
        for i in detail.intervals:
            measured = []
            if devices:
                m = detail.measure(i.position)
                speed = m.belt_kmh if m is not None else None
                if speed is not None and mph:
                    speed /= KM_PER_MILE
                hr = "" if m is None or m.hr_mean is None else f"{round(m.hr_mean)}/{m.hr_max}"
                measured = [
                    f"{speed:.1f}" if speed is not None else "",
                    hr,
                    str(m.hr_drop) if m is not None and m.hr_drop is not None else "",
                ]
            QTreeWidgetItem(
                self.intervals,
                [
                    i.name,
                    duration_text(i.planned_seconds),
                    duration_text(i.actual_seconds),
                    *measured,
                    "" if i.outcome == "completed" else i.outcome,
                ],
            )
        # The name takes what the figures leave; each figure as wide as it needs.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.intervals.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.rpe.blockSignals(True)
        self.notes.blockSignals(True)
        self.rpe.setValue(s.rpe or 0)
        self.notes.setPlainText(s.notes)
        self.rpe.blockSignals(False)
        self.notes.blockSignals(False)
        self.save.setEnabled(False)

    def _on_edited(self) -> None:
        self.save.setEnabled(self.detail is not None)
        self.status.setText("")

    def _on_save_clicked(self) -> None:
        if self.detail is None:
            return
        uuid = self.detail.session.uuid
        try:
            self.training.set_rpe(uuid, self.rpe.value() or None)
            self.training.set_notes(uuid, self.notes.toPlainText())
        except (StoreError, ValueError) as exc:
            self.status.setText(f"Not saved: {exc}")
            return
        self.changed.emit(uuid)  # the log reads the row again (and may show it afresh)
        self.save.setEnabled(False)
        self.status.setText("Saved")

    def _on_delete_clicked(self) -> None:
        if self.detail is not None:
            self.delete_requested.emit(self.detail.session.uuid)


class LogPage(QWidget):
    """Filters, the table, and the selected session's detail."""

    def __init__(self, training: Training, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.training = training
        self.model = SessionTableModel(training)

        self.kind = QComboBox(self)
        self.kind.setObjectName("filterKind")
        self.kind.setAccessibleName("Kind filter")
        for label, value in KIND_CHOICES:
            self.kind.addItem(label, value)
        self.template = TemplateCombo(training.template_names, self)
        self.template.setObjectName("filterTemplate")
        self.template.setAccessibleName("Session filter")
        self.status = QComboBox(self)
        self.status.setObjectName("filterStatus")
        self.status.setAccessibleName("Status filter")
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value)
        self.since = self._date_edit("filterSince", "From")
        self.since.setAccessibleName("From date")
        self.until = self._date_edit("filterUntil", "To")
        self.until.setAccessibleName("To date")
        self.search = QLineEdit(self)
        self.search.setObjectName("filterSearch")
        self.search.setAccessibleName("Search notes")
        self.search.setPlaceholderText("Search notes")
        self.search.setClearButtonEnabled(True)
        self.dates = QWidget(self)
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(QLabel("From", self.dates))
        dates.addWidget(self.since)
        dates.addWidget(QLabel("to", self.dates))
        dates.addWidget(self.until)
        self.filter_bar = QWidget(self)
        self.filters = QGridLayout(self.filter_bar)
        self.filters.setContentsMargins(0, 0, 0, 0)

        self.table = QTableView(self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("Sessions")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        # Tab leaves the table (to the detail, the filters, the tabs) instead of walking its
        # cells: the arrows do that.
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.fit_columns()
        self.empty = QLabel("", self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.detail = DetailPanel(training, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("logSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = self.layout_ = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.splitter, 1)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        for combo in (self.kind, self.template, self.status):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.since.dateChanged.connect(self.apply_filter)
        self.until.dateChanged.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.clicked.connect(self._open_detail)
        self.table.activated.connect(self._open_detail)
        self.detail.to_list.clicked.connect(self._close_detail)
        self.model.modelReset.connect(self._update_empty)
        self.narrow: bool | None = None
        self._lay_out(narrow=False)
        self._update_empty()

    # -- narrow windows: the list, or one session -----------------------------------------------

    #: Below this width the list and the detail take turns instead of sharing the page.
    NARROW = 1000

    #: What each column's widest usual entry looks like, so its width follows the text size.
    COLUMN_SAMPLES = (
        "30 Sep 2026  08:00",
        "Sprint 15/45",
        "12",
        "12 / 12",
        "25:00",
        "stopped early",
        "10",
    )

    def fit_columns(self) -> None:
        """Column widths (and row height) from the fonts in use: at 150 % text nothing is cut."""
        cells = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column, sample in enumerate(self.COLUMN_SAMPLES):
            title = header.sectionSizeFromContents(column).width()  # the sort mark included
            self.table.setColumnWidth(column, max(cells.horizontalAdvance(sample) + 16, title))
        self.table.verticalHeader().setDefaultSectionSize(cells.height() + 10)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()
        super().changeEvent(event)

    def resizeEvent(self, event: object) -> None:
        self._lay_out(self.width() < self.NARROW)
        super().resizeEvent(event)  # type: ignore[arg-type]

    def _lay_out(self, narrow: bool) -> None:
        if narrow == self.narrow:
            return
        self.narrow = narrow
        grid = self.filters
        for w in (self.kind, self.template, self.status, self.dates, self.search):
            grid.removeWidget(w)
        grid.addWidget(self.kind, 0, 0)
        grid.addWidget(self.template, 0, 1)
        grid.addWidget(self.status, 0, 2)
        if narrow:
            grid.addWidget(self.dates, 1, 0, 1, 2)
            grid.addWidget(self.search, 1, 2)
        else:
            grid.addWidget(self.dates, 0, 3)
            grid.addWidget(self.search, 0, 4)
        for column in range(5):
            grid.setColumnStretch(column, 1 if column == (2 if narrow else 4) else 0)
        self.detail.to_list.setVisible(narrow)
        self.detail.setVisible(not narrow)
        self.table.setVisible(True)
        if not narrow:
            self.splitter.setSizes([740, 500])
        self._update_empty()

    def _open_detail(self) -> None:
        if self.narrow and self.detail.detail is not None:
            self.table.hide()
            self.filter_bar.hide()
            self.detail.show()
            self.detail.to_list.setFocus()

    def _close_detail(self) -> None:
        if self.narrow:
            self.detail.hide()
            self.filter_bar.show()
            self.table.show()
            self.table.setFocus()

    def _date_edit(self, name: str, tip: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd MMM yyyy")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("any")
        edit.setDate(NO_DATE)
        edit.setToolTip(f"{tip}: the first day shown is 'any'")
        return edit

    def current_filter(self) -> SessionFilter:
        kind = self.kind.currentData()
        status = self.status.currentData()
        since = self.since.date()
        until = self.until.date()
        return SessionFilter(
            kinds=(kind,) if kind else (),
            template=self.template.currentData() or None,
            statuses=(status,) if status else (),
            since=local_midnight(qdate(since)) if since != NO_DATE else None,
            until=local_midnight(qdate(until) + timedelta(days=1)) if until != NO_DATE else None,
            text=self.search.text().strip() or None,
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self.detail.show_detail(None)

    def reload(self, keep: str | None = None) -> None:
        self.model.reload()
        row = self.model.find(keep) if keep else None
        if keep and row is None:
            self.model.row_at(0)  # the selected one may have moved; look at the first page
            row = self.model.find(keep)
        if row is not None:
            self.table.selectRow(row)
        else:
            self.detail.show_detail(None)

    def _update_empty(self) -> None:
        filtered = self.model.filter != SessionFilter()
        # With no history at all, the message is the whole page.
        anything = bool(self.model.rowCount()) or filtered
        self.filter_bar.setVisible(anything)
        self.splitter.setVisible(anything)
        self.layout_.setStretchFactor(self.empty, 0 if anything else 1)
        if self.model.rowCount():
            self.empty.hide()
            return
        self.empty.setText(
            "No session matches these filters."
            if filtered
            else "No sessions yet. Go back and press Start: week 1 of the sprint program is "
            "six 15-second sprints, 16 minutes in all. Every session you run shows up here."
        )
        self.empty.show()

    def _on_current_row_changed(self, current: object, _previous: object) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        self.detail.show_detail(self.training.detail(row.uuid) if row is not None else None)

    def selected(self) -> SessionRow | None:
        return self.model.row_at(self.table.currentIndex().row())


class CalendarPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.heat = HeatMap(self)
        self.streak = QLabel("", self)
        self.streak.setObjectName("streakLine")
        self.streak.setWordWrap(True)
        self.totals = QLabel("", self)
        self.totals.setObjectName("yearLine")
        legend = QLabel(
            "Each square is a day, shaded by the minutes run: none, under 15, "
            "15-30, 30-45, 45 or more. Hover for the day's sessions.",
            self,
        )
        legend.setObjectName("heatLegend")
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.streak)
        layout.addWidget(self.totals)
        layout.addWidget(self.heat)
        layout.addWidget(legend)
        layout.addStretch(1)


class WeeklyPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.chart: WeeklyChart | None = None
        self.balance_heading = QLabel("This week", self)
        self.balance_heading.setObjectName("balanceHeading")
        self.balance = QLabel("", self)
        self.balance.setObjectName("balanceLines")
        self.balance.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 12, 0, 0)
        self.layout_.addWidget(self.balance_heading)
        self.layout_.addWidget(self.balance)

    def ensure_chart(self) -> WeeklyChart:
        if self.chart is None:
            from legtimer.gui.charts import WeeklyChart

            self.chart = WeeklyChart(self)
            self.layout_.insertWidget(0, self.chart, 1)
        return self.chart


class ProgramPage(QWidget):
    """Weeks 1 to N as a ladder (top: the last week), and the runner's choices."""

    choice_made = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        #: Which program: shown when there is more than one (yours as well as the sprints).
        self.choice = QComboBox(self)
        self.choice.setObjectName("programChoice")
        self.choice.setAccessibleName("Program")
        self.choice.hide()
        self.heading = QLabel("", self)
        self.heading.setObjectName("programHeading")
        self.heading.setWordWrap(True)
        self.ladder = QWidget(self)
        self.ladder.setObjectName("ladder")
        self.rungs = QVBoxLayout(self.ladder)
        self.rungs.setContentsMargins(0, 0, 0, 0)
        self.rungs.setSpacing(6)
        self.repeat = QPushButton("Repeat week", self)
        self.repeat.setObjectName("repeatWeek")
        self.jump_week = QComboBox(self)
        self.jump_week.setObjectName("jumpWeekChoice")
        self.jump_week.setAccessibleName("Week to jump to")
        self.jump = QPushButton("Jump to week", self)
        self.jump.setObjectName("jumpWeek")
        self.restart = QPushButton("Restart program", self)
        self.restart.setObjectName("restartProgram")
        self.result = QLabel("", self)
        self.result.setObjectName("programResult")
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.repeat)
        buttons.addWidget(self.jump)
        buttons.addWidget(self.jump_week)
        buttons.addStretch(1)
        buttons.addWidget(self.restart)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 12, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.choice)
        layout.addLayout(top)
        layout.addWidget(self.ladder)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addStretch(1)
        scrolling(self, layout)
        self._armed_restart = False
        #: Week -> the label with its sessions ("■■□  2 sessions").
        self.session_labels: dict[int, QLabel] = {}

    def show_ladder(self, program: Template, status: ProgramStatus, counts: dict[int, int]) -> None:
        while (item := self.rungs.takeAt(0)) is not None:
            if (w := item.widget()) is not None:
                w.hide()
                w.deleteLater()
        self.session_labels.clear()
        from legtimer.gui.home import week_progress_line

        self.heading.setText(f"{program.name}: {week_progress_line(status)}")
        noun = "sprints" if program.kind.value == "sprint" else "work intervals"
        for week in range(program.weeks, 0, -1):
            rung = QFrame(self.ladder)
            rung.setObjectName("rung")
            current = week == status.week and not status.complete
            rung.setProperty("current", current)
            row = QGridLayout(rung)
            done = counts.get(week, 0)
            finished = week < status.week or status.complete
            marks = "".join(
                "■" if i < done else "□" for i in range(max(status.sessions_per_week, done))
            )
            state = "done" if finished else ("you are here" if current else "")
            title = QLabel(f"Week {week}", rung)
            title.setObjectName(f"rungTitle{week}")
            row.addWidget(title, 0, 0)
            row.setHorizontalSpacing(24)
            row.addWidget(
                QLabel(
                    f"{program.work_count(week)} {noun} - "
                    f"{length_text(program.total_seconds(week))}",
                    rung,
                ),
                0,
                1,
            )
            sessions = QLabel(f"{marks}  {done} session{'s' if done != 1 else ''}", rung)
            sessions.setObjectName(f"rungSessions{week}")
            self.session_labels[week] = sessions
            sessions.setAccessibleName(f"week {week}: {done} sessions {state}")
            row.addWidget(sessions, 0, 2)
            row.addWidget(QLabel(state, rung), 0, 3)
            row.setColumnStretch(1, 1)
            self.rungs.addWidget(rung)
        self.jump_week.clear()
        for week in range(1, program.weeks + 1):
            self.jump_week.addItem(f"week {week}", week)
        self.jump_week.setCurrentIndex(max(0, status.week - 1))
        self._armed_restart = False
        self.restart.setText("Restart program")


class HistoryView(QWidget):
    back_requested = Signal()
    #: After an edit that changes what home shows (a program choice, a deletion).
    history_changed = Signal()

    def __init__(
        self,
        training: Training,
        programs: Callable[[], list[Template]],
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style(self, STYLE)
        self.training = training
        #: Every program there is (the one home offers first); the Program tab shows one.
        self.programs = programs
        self.now = now or training.now
        self.heading = QLabel("History", self)
        self.heading.setObjectName("historyHeading")
        self.back = QPushButton("Back", self)
        self.back.setObjectName("historyBack")
        self.back.clicked.connect(self.back_requested)

        self.undo_bar = UndoBar(self)
        self.undo_button = self.undo_bar.button
        self._undo_uuid: str | None = None
        self.undo_bar.undo_clicked.connect(self.undo_delete)
        QShortcut(QKeySequence.StandardKey.Undo, self).activated.connect(self.undo_delete)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.undo_bar)
        if not training.has_history:
            top = QHBoxLayout()
            top.addWidget(self.heading)
            top.addStretch(1)
            top.addWidget(self.back)
            layout.insertLayout(0, top)
            off = QLabel("History is off for this run: the history file could not be opened.")
            off.setObjectName("emptyState")
            layout.addWidget(off, 1)
            return
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("historyTabs")
        self.log = LogPage(self.training)
        self.calendar = CalendarPage()
        self.weekly = WeeklyPage()
        self.program_page = ProgramPage()
        self.tabs.addTab(self.log, "Log")
        self.tabs.addTab(self.calendar, "Calendar")
        self.tabs.addTab(self.weekly, "Weekly")
        self.tabs.addTab(self.program_page, "Program")
        # The heading and Back sit beside the tabs: one row less on a small screen.
        self.heading.setContentsMargins(0, 0, 16, 0)
        self.tabs.setCornerWidget(self.heading, Qt.Corner.TopLeftCorner)
        self.tabs.setCornerWidget(self.back, Qt.Corner.TopRightCorner)
        self.tabs.tabBar().setUsesScrollButtons(False)
        layout.addWidget(self.tabs, 1)
        self._stale = {"calendar", "weekly", "program"}
        self._filling_choice = False
        self.tabs.currentChanged.connect(self._refresh_current)
        # The tabs from anywhere in the view: Ctrl+1..4, Ctrl+Tab / Ctrl+Shift+Tab and
        # Ctrl+PgDown / Ctrl+PgUp (the table would otherwise keep them).
        for n in range(4):
            QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self).activated.connect(
                lambda n=n: self.tabs.setCurrentIndex(n)
            )
        for seq, step in (
            ("Ctrl+Tab", 1),
            ("Ctrl+PgDown", 1),
            ("Ctrl+Shift+Tab", -1),
            ("Ctrl+PgUp", -1),
        ):
            QShortcut(QKeySequence(seq), self).activated.connect(
                lambda step=step: self.tabs.setCurrentIndex(
                    (self.tabs.currentIndex() + step) % self.tabs.count()
                )
            )
        self.log.detail.changed.connect(self._on_detail_changed)
        self.log.detail.delete_requested.connect(self.delete_session)
        p = self.program_page
        p.choice.currentIndexChanged.connect(self._on_program_choice_changed)
        p.repeat.clicked.connect(self._on_repeat_clicked)
        p.jump.clicked.connect(self._on_jump_clicked)
        p.restart.clicked.connect(self._on_restart_clicked)

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Everything may have changed (a new session, a restore): read again what is shown."""
        if not self.training.has_history:
            return
        keep = self.log.selected()
        self.log.reload(keep.uuid if keep else None)
        self._stale = {"calendar", "weekly", "program"}
        self._refresh_current()

    def _refresh_current(self) -> None:
        page = self.tabs.currentWidget()
        name = {self.calendar: "calendar", self.weekly: "weekly", self.program_page: "program"}
        key = name.get(page)
        if key in self._stale:
            self._stale.discard(key)
            getattr(self, f"_fill_{key}")()

    def _today(self) -> date:
        return (self.now() + local_offset()).date()

    def _fill_calendar(self) -> None:
        today = self._today()
        page = self.calendar
        start = today - timedelta(days=today.weekday()) - timedelta(weeks=52)
        since = local_midnight(start)
        days = self.training.daily_totals(since, utc_offset=local_offset())
        page.heat.set_days(days, today)
        sessions = sum(n for n, _ in days.values())
        minutes = round(sum(s for _, s in days.values()) / 60)
        page.totals.setText(
            f"Last 12 months: {sessions} session{'s' if sessions != 1 else ''} on "
            f"{len(days)} day{'s' if len(days) != 1 else ''}, {minutes} minutes"
        )
        program = self.program()
        if program is None:
            page.streak.setText("")
            return
        per_week = program.sessions_per_week or 1
        current, best = self.training.streaks(
            program, per_week, today=today, utc_offset=local_offset()
        )
        page.streak.setText(
            f"Streak: {current} week{'s' if current != 1 else ''} in a row with "
            f"{per_week} {program.name} session{'s' if per_week != 1 else ''} - best {best}"
        )

    def _fill_weekly(self) -> None:
        from legtimer.gui.charts import weekly_balance

        today = self._today()
        monday = today - timedelta(days=today.weekday())
        totals = self.training.weekly_totals(
            local_midnight(monday - timedelta(weeks=11)), utc_offset=local_offset()
        )
        self.weekly.ensure_chart().set_totals(totals, monday)
        lines = weekly_balance(totals, monday)
        self.weekly.balance.setText(
            "\n".join(("✓ " if b.verdict == "on target" else "• ") + b.text for b in lines)
        )

    def program(self) -> Template | None:
        """The program the Program tab shows (the one home offers, until another is chosen)."""
        programs = self.programs()
        chosen = self.program_page.choice.currentData()
        return next((t for t in programs if t.name == chosen), programs[0] if programs else None)

    def _on_program_choice_changed(self) -> None:
        if not self._filling_choice:
            self._fill_program()
            self._stale.add("calendar")  # its streak is the chosen program's

    def _fill_program(self) -> None:
        page = self.program_page
        names = [t.name for t in self.programs()]
        if names != [page.choice.itemData(i) for i in range(page.choice.count())]:
            chosen = page.choice.currentData()
            self._filling_choice = True
            page.choice.clear()
            for name in names:
                page.choice.addItem(name, name)
            page.choice.setCurrentIndex(max(0, names.index(chosen)) if chosen in names else 0)
            self._filling_choice = False
        page.choice.setVisible(len(names) > 1)
        program = self.program()
        for b in (page.repeat, page.jump, page.jump_week, page.restart):
            b.setEnabled(program is not None)
        if program is None:
            page.heading.setText("No program: the sprint program is a built-in template.")
            return
        status = self.training.program_status(program)
        restarts = [
            c.at for c in self.training.program_choices(program) if c.kind is ChoiceKind.RESTART
        ]
        counts = self.training.program_week_counts(program, max(restarts) if restarts else None)
        page.show_ladder(program, status, counts)

    # -- program choices -----------------------------------------------------------------------

    def _choose(self, make: Callable[[ProgramStatus, datetime], ProgramChoice]) -> None:
        """Record a program choice; the store keeps it, and the current week follows."""
        program = self.program()
        if program is None or not self.training.has_history:
            return
        try:
            choice = make(self.training.program_status(program), self.now())
            self.training.record_choice(program, choice)
        except (StoreError, ValueError) as exc:
            self.program_page.result.setText(f"Not changed: {exc}")
            return
        self._fill_program()
        said = {
            ChoiceKind.REPEAT_WEEK: f"Week {choice.week} again: its sessions count afresh.",
            ChoiceKind.SET_WEEK: f"Now on week {choice.week}.",
            ChoiceKind.RESTART: "Restarted: week 1 opens. Every recorded session is kept.",
        }
        self.program_page.result.setText(said[choice.kind])
        self.history_changed.emit()

    def _on_repeat_clicked(self) -> None:
        self._choose(repeat_week_choice)

    def _on_jump_clicked(self) -> None:
        week = int(self.program_page.jump_week.currentData() or 1)
        self._choose(lambda status, now: set_week_choice(status, week, now))

    def _on_restart_clicked(self) -> None:
        page = self.program_page
        if not page._armed_restart:  # a second press confirms: the history itself stays
            page._armed_restart = True
            page.restart.setText("Press again to restart at week 1")
            page.result.setText("Restarting keeps every recorded session; week 1 opens again.")
            return
        self._choose(lambda _status, now: restart_choice(now))

    # -- edits ---------------------------------------------------------------------------------

    def _on_detail_changed(self, uuid: str) -> None:
        self.log.reload(uuid)

    def delete_session(self, uuid: str) -> None:
        if not self.training.has_history:
            return
        try:
            self.training.delete_session(uuid)
        except StoreError as exc:
            self.log.detail.status.setText(f"Not deleted: {exc}")
            return
        self._undo_uuid = uuid
        self.undo_bar.offer("Session deleted.", UNDO_MS)
        self.refresh()
        self.history_changed.emit()

    def undo_delete(self) -> None:
        if self._undo_uuid is None or not self.training.has_history:
            return
        uuid, self._undo_uuid = self._undo_uuid, None
        try:
            self.training.undelete_session(uuid)
        except StoreError as exc:
            self.undo_bar.text.setText(f"Could not bring it back: {exc}")
            return
        self.undo_bar.hide()
        self.log.reload(uuid)
        self._stale = {"calendar", "weekly", "program"}
        self._refresh_current()
        self.history_changed.emit()
