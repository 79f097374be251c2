"""The session log as a lazy Qt table model over the store's pages.

Only the row count is asked up front; rows are read a page at a time as the view scrolls to
them, and a bounded number of pages is kept, so 100,000 sessions open as fast as ten. Sorting
and filtering go to SQL (indexed), not to a proxy model over everything.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from legtimer.gui.widgets import clock_text
from legtimer.services import SessionFilter, SessionRow


class HistoryPages(Protocol):
    """What the model reads: sessions a page at a time, sorted and filtered in SQL."""

    def page(
        self,
        filt: SessionFilter | None = None,
        *,
        offset: int = 0,
        limit: int = 50,
        order: str = "started_at",
        descending: bool = True,
    ) -> list[SessionRow]: ...

    def count(self, filt: SessionFilter | None = None) -> int: ...


PAGE = 200
KEEP_PAGES = 20

#: (heading, the store's sort key)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Date", "started_at"),
    ("Session", "template"),
    ("Week", "week"),
    ("Work done", "work_done"),
    ("Time", "active_seconds"),
    ("Status", "status"),
    ("RPE", "rpe"),
)
STATUS_WORDS = {
    "completed": "completed",
    "partial": "some work skipped",
    "skipped": "skipped through",
    "stopped": "stopped early",
    "interrupted": "interrupted",
    "running": "running",
}

Index = QModelIndex | QPersistentModelIndex


def duration_text(seconds: float) -> str:
    """A recorded time to the nearest second (59.6 s of a 60 s interval shows as 1:00)."""
    return clock_text(round(seconds))


class SessionTableModel(QAbstractTableModel):
    def __init__(self, queries: HistoryPages) -> None:
        super().__init__()
        self.queries = queries
        self.filter = SessionFilter()
        self.order = "started_at"
        self.descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[SessionRow]] = OrderedDict()
        self.pages_read = 0  # for tests and the benchmark
        self.reload()

    # -- what the views ask --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3, 4, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and row.notes:
            return row.notes
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    @staticmethod
    def _text(row: SessionRow, column: int) -> str:
        if column == 0:
            return row.started_at.astimezone().strftime("%d %b %Y  %H:%M")
        if column == 1:
            return row.template
        if column == 2:
            return str(row.week) if row.week else ""
        if column == 3:
            return f"{row.work_done} / {row.work_planned}"
        if column == 4:
            return duration_text(row.active_seconds)
        if column == 5:
            return STATUS_WORDS.get(row.status, row.status)
        return str(row.rpe) if row.rpe else ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.order = COLUMNS[column][1]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # -- ours ----------------------------------------------------------------------------------

    def set_filter(self, filt: SessionFilter) -> None:
        self.filter = filt
        self.reload()

    def reload(self) -> None:
        """Read the count again and forget the cached pages (after a filter, sort or edit)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self.queries.count(self.filter)
        self.endResetModel()

    def row_at(self, i: int) -> SessionRow | None:
        if not 0 <= i < self._count:
            return None
        number, within = divmod(i, PAGE)
        page = self._pages.get(number)
        if page is None:
            page = self.queries.page(
                self.filter,
                offset=number * PAGE,
                limit=PAGE,
                order=self.order,
                descending=self.descending,
            )
            self.pages_read += 1
            self._pages[number] = page
            while len(self._pages) > KEEP_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[within] if within < len(page) else None

    def find(self, uuid: str) -> int | None:
        """The row of a session among the cached pages (to keep the selection after a reload)."""
        for number, page in self._pages.items():
            for within, row in enumerate(page):
                if row.uuid == uuid:
                    return number * PAGE + within
        return None
