"""The File menu's work: export (CSV, JSON, TCX, iCalendar) over a date range, backup and
restore, with file dialogs, a progress dialog for long work and plain messages for errors.

Reading 100,000 sessions takes seconds, so the work runs on Qt's thread pool with its own
SQLite connection (connections must stay on their thread; WAL lets it read while the app's
connection goes on) and reports back by a signal, while the window, and a session running in
it, go on as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from legtimer.gui.history import local_midnight, qdate
from legtimer.gui.theme import style
from legtimer.services import StoreError, Training, utc_now

T = TypeVar("T")


@dataclass(frozen=True)
class Format:
    key: str
    title: str
    suffix: str
    filter: str


FORMATS = {
    f.key: f
    for f in (
        Format("csv", "CSV (spreadsheet)", ".csv", "CSV files (*.csv)"),
        Format("json", "JSON (LegTimer backup)", ".json", "JSON files (*.json)"),
        Format("tcx", "TCX (training log apps)", ".tcx", "TCX files (*.tcx)"),
        Format("ics", "iCalendar (calendar apps)", ".ics", "iCalendar files (*.ics)"),
    )
}


@dataclass(frozen=True)
class DateRange:
    since: date | None
    until: date | None  # inclusive

    def describe(self) -> str:
        if self.since is None and self.until is None:
            return "all sessions"
        a = self.since.strftime("%d %b %Y") if self.since else "the first session"
        b = self.until.strftime("%d %b %Y") if self.until else "today"
        return f"sessions from {a} to {b}"


class RangeDialog(QDialog):
    """Which sessions to export: all, or a date range."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rangeDialog")
        self.setWindowTitle(title)
        self.all = QCheckBox("All history", self)
        self.all.setObjectName("rangeAll")
        self.all.setChecked(True)
        today = QDate.currentDate()
        self.since = QDateEdit(today.addMonths(-3), self)
        self.since.setObjectName("rangeSince")
        self.until = QDateEdit(today, self)
        self.until.setObjectName("rangeUntil")
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setEnabled(False)
        self.problem = QLabel("", self)
        self.problem.setObjectName("rangeProblem")
        style(self.problem, "color: #FFB000; font-weight: 700;")  # amber; darker when light
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file...")
        form = QFormLayout(self)
        form.addRow(self.all)
        form.addRow("From", self.since)
        form.addRow("To", self.until)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.all.toggled.connect(self._on_all_toggled)
        self.since.dateChanged.connect(self._check)
        self.until.dateChanged.connect(self._check)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _on_all_toggled(self, on: bool) -> None:
        self.since.setEnabled(not on)
        self.until.setEnabled(not on)
        self._check()

    def _check(self) -> None:
        bad = not self.all.isChecked() and self.since.date() > self.until.date()
        self.problem.setText("'From' is after 'To'." if bad else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not bad)

    def value(self) -> DateRange:
        if self.all.isChecked():
            return DateRange(None, None)
        return DateRange(qdate(self.since.date()), qdate(self.until.date()))


class _Relay(QObject):
    """Carries a job's outcome from the pool's thread back to the GUI thread (queued)."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            value = self._work()
        except BaseException as exc:  # told to the GUI thread, which says it to the runner
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(value)


class FileActions(QObject):
    """Export, backup and restore for the main window. The dialogs are attributes so tests
    can replace them."""

    #: After a restore added something: the views should read the store again.
    restored = Signal()
    #: The last message shown (tests read it).
    message = Signal(str)
    #: A file operation is over (True when it did what was asked; after its message).
    finished = Signal(bool)

    def __init__(self, training: Training, parent: QWidget) -> None:
        super().__init__(parent)
        self.training = training
        self.window = parent
        self.ask_range: Callable[[str], DateRange | None] = self._ask_range
        self.ask_save_path: Callable[[str, Format], Path | None] = self._ask_save_path
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self.show_message: Callable[[str, str, bool], None] = self._show_message
        self.last_message = ""
        self._relay: _Relay | None = None
        self._progress: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        """Whether a file is being written or read."""
        return self._relay is not None

    def _run(
        self,
        label: str,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run `work` on Qt's thread pool, with a busy dialog if it takes a while; `done` or
        `failed` then runs here, on the GUI thread, and `finished` follows."""
        relay = _Relay(self)
        progress = QProgressDialog(label, "", 0, 0, self.window)
        progress.setObjectName("workProgress")
        progress.setWindowTitle("LegTimer")
        progress.setCancelButton(None)
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._relay, self._progress = relay, progress

        def over(ok: bool) -> None:
            progress.reset()
            progress.deleteLater()
            relay.deleteLater()
            self._relay = self._progress = None
            self.finished.emit(ok)

        def on_succeeded(value: object) -> None:
            done(value)  # type: ignore[arg-type]
            over(True)

        def on_failed(exc: object) -> None:
            assert isinstance(exc, BaseException)
            failed(exc)
            over(False)

        relay.succeeded.connect(on_succeeded)
        relay.failed.connect(on_failed)
        QThreadPool.globalInstance().start(_Job(work, relay))

    def _refuse(self, title: str) -> bool:
        """True (having said why) when a file operation cannot start now."""
        if not self.training.has_history:
            self._say(title, "History is off for this run: there is nothing to read.", error=True)
        elif self.busy:
            self._say(title, "Another file is being written; try again when it is done.", True)
        else:
            return False
        self.finished.emit(False)
        return True

    # -- dialogs (replaced in tests) -----------------------------------------------------------

    def _ask_range(self, title: str) -> DateRange | None:
        dialog = RangeDialog(title, self.window)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _ask_save_path(self, title: str, fmt: Format) -> Path | None:
        name = f"legtimer-{utc_now().astimezone().strftime('%Y-%m-%d')}{fmt.suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self.window, title, str(Path.home() / name), fmt.filter
        )
        if not path:
            return None
        p = Path(path)
        return p if p.suffix else p.with_suffix(fmt.suffix)

    def _ask_open_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Restore a backup", str(Path.home()), "LegTimer backups (*.json)"
        )
        return Path(path) if path else None

    def _show_message(self, title: str, text: str, error: bool) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information,
            title,
            text,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("fileMessage")
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and errors, as written
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _say(self, title: str, text: str, error: bool = False) -> None:
        self.last_message = text
        self.message.emit(text)
        self.show_message(title, text, error)

    # -- actions -------------------------------------------------------------------------------

    def _cancelled(self) -> None:
        self.finished.emit(False)

    def export(self, key: str) -> None:
        """Ask for a range and a file, and write the sessions there (`finished` tells when)."""
        fmt = FORMATS[key]
        title = f"Export {fmt.title}"
        if self._refuse(title):
            return
        chosen = self.ask_range(title)
        path = self.ask_save_path(title, fmt) if chosen is not None else None
        if chosen is None or path is None:
            self._cancelled()
            return

        def written(result: tuple[list[Path], int]) -> None:
            files, n = result
            names = " and ".join(p.name for p in files)
            self._say(title, f"Exported {n} session{'s' if n != 1 else ''} to {names}.")

        self._write(title, key, chosen, path, written)

    def backup(self) -> None:
        """A JSON backup of everything: the same file as the JSON export of all history."""
        title = "Back up"
        if self._refuse(title):
            return
        path = self.ask_save_path(title, FORMATS["json"])
        if path is None:
            self._cancelled()
            return

        def written(result: tuple[list[Path], int]) -> None:
            _, n = result
            self._say(title, f"Backed up {n} sessions, your templates and settings to {path.name}.")

        self._write(title, "json", DateRange(None, None), path, written)

    def _write(
        self,
        title: str,
        key: str,
        chosen: DateRange,
        path: Path,
        written: Callable[[tuple[list[Path], int]], None],
    ) -> None:
        """Read the sessions in range and write them, off the GUI thread."""
        training = self.training

        def work() -> tuple[list[Path], int]:
            reader = training.for_another_thread()
            try:
                since = _midnight(chosen.since)
                until = _midnight(chosen.until + timedelta(days=1)) if chosen.until else None
                return reader.export(key, path, since, until)
            finally:
                reader.close()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, StoreError | OSError):
                raise exc
            self._say(title, _why_not_written(path, exc), error=True)

        self._run(f"Writing {path.name}...", work, written, failed)

    def restore(self) -> None:
        """Ask for a backup and merge it in (`finished` tells when, and whether it did)."""
        title = "Restore"
        if self._refuse(title):
            return
        path = self.ask_open_path()
        if path is None:
            self._cancelled()
            return
        training = self.training

        def work() -> str:
            writer = training.for_another_thread()
            try:
                return str(writer.restore(path))
            finally:
                writer.close()

        def done(result: str) -> None:
            self._say(title, f"Restored from {path.name}: {result}.")
            self.restored.emit()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, StoreError | OSError):
                raise exc
            said = str(exc).removesuffix("; nothing was restored")
            self._say(title, f"Nothing was restored: {said}", error=True)

        self._run(f"Restoring {path.name}...", work, done, failed)


def _midnight(day: date | None) -> datetime | None:
    return local_midnight(day) if day is not None else None


def _why_not_written(path: Path, exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return f"Could not write {path}: permission denied. Choose another folder."
    if isinstance(exc, OSError):
        return f"Could not write {path}: {exc.strerror or exc}."
    return f"Could not export: {exc}"
