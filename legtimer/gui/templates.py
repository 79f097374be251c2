"""The templates view: the built-ins (read-only, duplicate to change) and the runner's own;
new, edit, duplicate, rename, delete with undo, start, import and export `.json` files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from legtimer.gui.theme import scrolling, style
from legtimer.gui.widgets import UndoBar
from legtimer.plans import Template, TemplateError, read_template_file, write_template_file
from legtimer.plans.words import length_range_text, length_text
from legtimer.services import StoreError, TemplateExists, Training

UNDO_MS = 10000
STYLE = """
#templatesView { background: #1F2430; }
#templatesView QLabel { color: #E5E9F0; font-size: 16px; }
#templatesView #templatesHeading { font-size: 26px; font-weight: 700; }
#templatesView #templatesMessage { color: #FFB000; font-weight: 700; }
#templatesView QListWidget { font-size: 18px; background: #2B3240; color: @on-neutral; }
#templatesView QListWidget::item { padding: 6px; }
#templatesView QListWidget::item:selected { background: #005A8C; }
#templatesView QPushButton { font-size: 16px; color: @on-neutral; background: #3A4350;
    border: 3px solid transparent; outline: none; border-radius: 8px; padding: 5px 11px; }
#templatesView QPushButton:focus { border-color: #FFD21F; }
#templatesView QPushButton:disabled { color: #7A8290; }
#templatesView QPushButton#templateStart { background: #00614A; color: white; font-weight: 700; }
#templatesView #undoBar { background: #FFD21F; border-radius: 8px; }
#templatesView #undoBar QLabel { color: #111; font-weight: 700; }
#templatesView #undoBar QPushButton { background: #111; color: white; }
"""


def describe(t: Template) -> str:
    if t.is_program:
        lengths = length_range_text(t.total_seconds(1), t.total_seconds(t.weeks))
        what = f"{t.weeks}-week program, {lengths}"
    else:
        what = f"{length_text(t.total_seconds())}, {t.work_count()} work"
    return f"{t.name}   -   {what}   ({'built-in' if t.builtin else 'yours'})"


class TemplatesView(QWidget):
    back_requested = Signal()
    start_requested = Signal(object, object)  # Template, week
    edit_requested = Signal(object, object)  # Template or None (new), stored name or None
    changed = Signal()

    def __init__(
        self,
        training: Training,
        builtins: Callable[[], list[Template]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templatesView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style(self, STYLE)
        self.training = training
        self._builtins = builtins
        self.ask_text: Callable[[str, str, str], str | None] = self._ask_text
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self.ask_save_path: Callable[[str], Path | None] = self._ask_save_path

        self.heading = QLabel("Templates", self)
        self.heading.setObjectName("templatesHeading")
        self.back = QPushButton("Back", self)
        self.back.setObjectName("templatesBack")
        self.list = QListWidget(self)
        self.list.setObjectName("templatesList")
        self.list.setAccessibleName("Templates")
        self.message = QLabel(
            "Enter or double-click starts a template. Drop a .json template "
            "file on the window to import it.",
            self,
        )
        self.message.setObjectName("templatesMessage")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text in (
            ("start", "Start"),
            ("edit", "Edit"),
            ("new", "New"),
            ("duplicate", "Duplicate"),
            ("rename", "Rename"),
            ("delete", "Delete"),
            ("import", "Import..."),
            ("export", "Export..."),
        ):
            b = QPushButton(text, self)
            b.setObjectName(f"template{key.capitalize()}")
            self.buttons[key] = b
            row.addWidget(b)
            if key in ("start", "delete"):
                row.addSpacing(12)
        row.addStretch(1)
        self.undo_bar = UndoBar(self, button_name="templateUndo")
        self.undo_button = self.undo_bar.button
        self._deleted: Template | None = None

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.back)
        layout = QVBoxLayout()
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addLayout(top)
        layout.addWidget(self.undo_bar)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        scrolling(self, layout)

        self.back.clicked.connect(self.back_requested)
        self.list.itemActivated.connect(lambda _item: self.start())
        self.list.currentItemChanged.connect(self._update_buttons)
        self.buttons["start"].clicked.connect(self.start)
        self.buttons["edit"].clicked.connect(self.edit)
        self.buttons["new"].clicked.connect(lambda: self.edit_requested.emit(None, None))
        self.buttons["duplicate"].clicked.connect(self.duplicate)
        self.buttons["rename"].clicked.connect(self.rename)
        self.buttons["delete"].clicked.connect(self.delete)
        self.buttons["import"].clicked.connect(lambda: self.import_file())
        self.buttons["export"].clicked.connect(self.export)
        self.undo_bar.undo_clicked.connect(self.undo_delete)
        QShortcut(QKeySequence.StandardKey.Undo, self).activated.connect(self.undo_delete)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete)
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(
            lambda: self.edit_requested.emit(None, None)
        )

    # -- list ----------------------------------------------------------------------------------

    def templates(self) -> list[Template]:
        return self.training.templates()

    def refresh(self, select: str | None = None) -> None:
        chosen = self.current()
        current = select or (chosen.name if chosen is not None else None)
        self.list.clear()
        try:
            templates = self.templates()
        except (StoreError, TemplateError) as exc:
            templates = self._builtins()
            self.say(f"Your templates could not be read: {exc}")
        for t in templates:
            item = QListWidgetItem(describe(t), self.list)
            item.setData(Qt.ItemDataRole.UserRole, t)
            if t.name == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._update_buttons()

    def current(self) -> Template | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, Template) else None

    def _update_buttons(self, *_args: object) -> None:
        t = self.current()
        own = t is not None and not t.builtin and self.training.has_history
        for key in ("start", "duplicate", "export"):
            self.buttons[key].setEnabled(t is not None)
        for key in ("edit", "rename", "delete"):
            self.buttons[key].setEnabled(own)
        for key in ("new", "import"):
            self.buttons[key].setEnabled(self.training.has_history)
        if t is not None and t.builtin:
            self.buttons["edit"].setToolTip("Built-in templates stay as they are: Duplicate it")

    def say(self, text: str) -> None:
        self.message.setText(text)

    def taken(self, name: str) -> bool:
        folded = name.strip().casefold()
        return any(t.name.casefold() == folded for t in self.templates())

    # -- actions -------------------------------------------------------------------------------

    def start(self) -> None:
        t = self.current()
        if t is not None:
            self.start_requested.emit(t, None)

    def edit(self) -> None:
        t = self.current()
        if t is not None and not t.builtin:
            self.edit_requested.emit(t, t.name)

    def duplicate(self) -> None:
        from legtimer.gui.editor import duplicate_name, with_name

        t = self.current()
        if t is not None:
            self.edit_requested.emit(with_name(t, duplicate_name(t.name, self.taken)), None)

    def rename(self) -> None:
        t = self.current()
        if t is None or t.builtin or not self.training.has_history:
            return
        new = self.ask_text("Rename template", "New name", t.name)
        if new is None or new.strip() == t.name:
            return
        try:
            renamed = self.training.rename_template(t.name, new)
        except (TemplateExists, ValueError, StoreError) as exc:
            self.say(f"Not renamed: {exc}.")
            return
        self.say(f"Renamed to {renamed.name}.")
        self.refresh(renamed.name)
        self.changed.emit()

    def delete(self) -> None:
        t = self.current()
        if t is None or t.builtin or not self.training.has_history:
            return
        try:
            self._deleted = self.training.delete_template(t.name)
        except StoreError as exc:
            self.say(f"Not deleted: {exc}")
            return
        self.undo_bar.offer(f"Deleted {t.name}.", UNDO_MS)
        self.refresh()
        self.changed.emit()

    def undo_delete(self) -> None:
        if self._deleted is None or not self.training.has_history:
            return
        template, self._deleted = self._deleted, None
        try:
            self.training.save_template(template)
        except (TemplateExists, StoreError) as exc:
            self.undo_bar.text.setText(f"Could not bring it back: {exc}")
            return
        self.undo_bar.hide()
        self.refresh(template.name)
        self.changed.emit()

    def import_file(self, path: Path | None = None) -> Template | None:
        """Read a template file and add it; a bad file gets the reader's message and changes
        nothing."""
        if not self.training.has_history:
            self.say("Templates cannot be saved in this run (no history file).")
            return None
        path = path or self.ask_open_path()
        if path is None:
            return None
        try:
            template = read_template_file(path)
        except TemplateError as exc:
            self.say(f"{path.name} was not imported: {exc}")
            return None
        except OSError as exc:
            self.say(f"{path.name} could not be read: {exc.strerror or exc}")
            return None
        if self.taken(template.name):
            self.say(
                f"{path.name} was not imported: a template named {template.name!r} already "
                "exists. Rename yours first, or change the name in the file."
            )
            return None
        try:
            self.training.save_template(template)
        except (TemplateExists, StoreError) as exc:
            self.say(f"{path.name} was not imported: {exc}")
            return None
        self.say(f"Imported {template.name}.")
        self.refresh(template.name)
        self.changed.emit()
        return template

    def export(self) -> Path | None:
        t = self.current()
        if t is None:
            return None
        path = self.ask_save_path(t.name)
        if path is None:
            return None
        try:
            write_template_file(t, path)
        except OSError as exc:
            self.say(f"Could not write {path}: {exc.strerror or exc}.")
            return None
        self.say(f"Saved {t.name} to {path.name}: share it, or import it on another computer.")
        return path

    # -- dialogs (replaced in tests) -------------------------------------------------------------

    def _ask_text(self, title: str, label: str, value: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=value)
        return text if ok else None

    def _ask_open_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a template", str(Path.home()), "LegTimer templates (*.json)"
        )
        return Path(path) if path else None

    def _ask_save_path(self, name: str) -> Path | None:
        safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in name).strip() or "template"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the template", str(Path.home() / f"{safe}.json"), "JSON files (*.json)"
        )
        if not path:
            return None
        p = Path(path)
        return p if p.suffix else p.with_suffix(".json")
