"""The template editor: the block tree, the fields of the selected block, the quick text line,
and a live preview, with validation inline.

The editor is a view over a `legtimer.plans.draft.Draft`, which holds the template while it is
edited (its fields as typed), checks every field, does the editing operations and reads the
template back through the reader that loads template files. The tree shows the draft: each item
carries its draft block, an operation on the draft moves the item with it, and a drag and drop
(the tree's own move) is read back into the draft.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from legtimer.engine import IntervalKind
from legtimer.gui.theme import scrolling, style
from legtimer.gui.timeline import Segment, Timeline
from legtimer.gui.widgets import clock_text
from legtimer.plans import (
    Block,
    NotationError,
    Template,
    TemplateError,
    TemplateKind,
    format_blocks,
    parse,
)
from legtimer.plans.draft import (
    KIND_WORDS,
    Draft,
    DraftBlock,
    DraftInterval,
    DraftRepeat,
    FieldError,
    Path,
    Units,
    draft_block,
    new_repeat,
)
from legtimer.plans.model import MAX_CUE, MAX_NAME, MAX_WEEKS, repeats

__all__ = ["FieldError", "TemplateEditor", "Units"]

TEMPLATE_KINDS = {
    TemplateKind.CUSTOM: "Own",
    TemplateKind.SPRINT: "Sprints",
    TemplateKind.HIIT: "HIIT",
    TemplateKind.HILL: "Hill repeats",
}
ROLE = Qt.ItemDataRole.UserRole

STYLE = """
#templateEditor { background: #1F2430; }
#templateEditor QLabel { color: #E5E9F0; font-size: 15px; }
#templateEditor #editorHeading { font-size: 26px; font-weight: 700; }
#templateEditor #problem, #templateEditor #notationProblem, #templateEditor #templateProblem {
    color: #FFB000; font-weight: 700; }
#templateEditor QPushButton { font-size: 15px; color: @on-neutral; background: #3A4350;
    border: 3px solid transparent; outline: none; border-radius: 8px; padding: 4px 3px; }
#templateEditor QPushButton:focus { border-color: #FFD21F; }
#templateEditor QPushButton:disabled { color: #7A8290; }
#templateEditor QPushButton#editorSave { background: #00614A; color: white; }
#templateEditor QPushButton#editorSave:disabled { background: #3A4350; color: #7A8290; }
#templateEditor QTreeWidget { background: #2B3240; color: @on-neutral; font-size: 15px; }
#templateEditor QLineEdit, #templateEditor QComboBox, #templateEditor QSpinBox {
    font-size: 15px; padding: 3px; }
#templateEditor QLineEdit[invalid="true"] { border: 2px solid #FFB000; background: #3A2A10;
    color: white; }
#templateEditor QCheckBox { color: #E5E9F0; font-size: 15px; }
"""


# -- the tree ---------------------------------------------------------------------------------


class BlockTree(QTreeWidget):
    """Intervals and repeats; only repeats take children. Drag and drop moves blocks."""

    moved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockTree")
        self.setAccessibleName("Blocks")
        self.setHeaderHidden(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIndentation(24)

    def dropEvent(self, event: Any) -> None:
        super().dropEvent(event)
        self.moved.emit()


class TemplateEditor(QWidget):
    """Edits one template. `saved(template, original_name)` when Save is pressed."""

    saved = Signal(object, object)
    closed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        units: Units | None = None,
        taken: Callable[[str], bool] = lambda _name: False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style(self, STYLE)
        self.units = units or Units()
        #: A change of units waiting for the next `load` (the tree had a field it could not
        #: read, so it could not be converted).
        self._next_units: Units | None = None
        #: Sessions per week a new program starts with (the runner's setting).
        self.default_per_week = 3
        #: Whether a name belongs to another template (built-in or the runner's).
        self.taken = taken
        self.original_name: str | None = None
        self.dirty = False
        self._loading = False
        #: The template being edited; the widgets show it.
        self.draft = Draft(units=self.units)
        #: Asked when closing with unsaved changes: "save", "discard" or "cancel".
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved

        self.heading = QLabel("New template", self)
        self.heading.setObjectName("editorHeading")
        self.name = QLineEdit(self)
        self.name.setObjectName("templateName")
        self.name.setAccessibleName("Template name")
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText("Name, like Hill repeats 8x45")
        self.kind = QComboBox(self)
        self.kind.setObjectName("templateKind")
        self.kind.setAccessibleName("Template kind")
        for k, word in TEMPLATE_KINDS.items():
            self.kind.addItem(word, k)
        self.program = QCheckBox("Program over", self)
        self.program.setObjectName("programMode")
        self.weeks = QSpinBox(self)
        self.weeks.setObjectName("programWeeks")
        self.weeks.setAccessibleName("Program weeks")
        self.weeks.setRange(2, MAX_WEEKS)
        self.weeks.setValue(4)
        self.weeks.setSuffix(" weeks")
        self.per_week = QSpinBox(self)
        self.per_week.setObjectName("sessionsPerWeek")
        self.per_week.setAccessibleName("Sessions per week")
        self.per_week.setRange(1, 14)
        self.per_week.setSuffix(" per week")
        self.notation = QLineEdit(self)
        self.notation.setObjectName("notationLine")
        self.notation.setAccessibleName("Quick notation")
        self.notation.setPlaceholderText("5m warmup; 6x(15s sprint @16kmh, 45s rest); 5m cooldown")
        self.notation_problem = QLabel("", self)
        self.notation_problem.setObjectName("notationProblem")
        self.notation_problem.hide()

        self.tree = BlockTree(self)
        self.add_interval = QPushButton("+ Interval", self)
        self.add_interval.setObjectName("addInterval")
        self.add_interval.setToolTip("Insert")
        self.add_repeat = QPushButton("+ Repeat", self)
        self.add_repeat.setObjectName("addRepeat")
        self.add_repeat.setToolTip("Ctrl+R")
        self.indent = QPushButton("Indent >", self)
        self.indent.setObjectName("indentBlock")
        self.indent.setToolTip("Into the repeat above (Ctrl+Right)")
        self.outdent = QPushButton("< Out", self)
        self.outdent.setObjectName("outdentBlock")
        self.outdent.setToolTip("Out of its repeat (Ctrl+Left)")
        self.up = QPushButton("▲", self)
        self.up.setObjectName("moveUp")
        self.up.setAccessibleName("Move up")
        self.up.setToolTip("Move up (Ctrl+Up)")
        self.down = QPushButton("▼", self)
        self.down.setObjectName("moveDown")
        self.down.setAccessibleName("Move down")
        self.down.setToolTip("Move down (Ctrl+Down)")
        self.remove = QPushButton("Remove", self)
        self.remove.setObjectName("removeBlock")
        self.remove.setToolTip("Delete")

        # Fields of the selected block: one page for an interval, one for a repeat.
        self.fields = QStackedWidget(self)
        self.none_page = QLabel("Select a block to edit it, or add one.", self)
        interval_page = QWidget(self)
        form = QFormLayout(interval_page)
        self.f_name = QLineEdit(interval_page)
        self.f_name.setObjectName("fieldName")
        self.f_name.setMaxLength(MAX_NAME)
        self.f_kind = QComboBox(interval_page)
        self.f_kind.setObjectName("fieldKind")
        for ik, word in KIND_WORDS.items():
            self.f_kind.addItem(word, ik)
        self.f_duration = QLineEdit(interval_page)
        self.f_duration.setObjectName("fieldDuration")
        self.f_duration.setPlaceholderText("m:ss, or 45s, 5m")
        self.f_speed = QLineEdit(interval_page)
        self.f_speed.setObjectName("fieldSpeed")
        self.f_speed.setAccessibleName("Speed")
        self.f_speed.setPlaceholderText("none")
        self.f_incline = QLineEdit(interval_page)
        self.f_incline.setObjectName("fieldIncline")
        self.f_incline.setPlaceholderText("none")
        self.f_cue = QLineEdit(interval_page)
        self.f_cue.setObjectName("fieldCue")
        self.f_cue.setMaxLength(MAX_CUE)
        self.f_cue.setPlaceholderText("said at the start (optional)")
        self.speed_label = QLabel(f"Speed ({self.units.label})", interval_page)
        form.addRow("Name", self.f_name)
        form.addRow("Kind", self.f_kind)
        form.addRow("Duration", self.f_duration)
        form.addRow(self.speed_label, self.f_speed)
        form.addRow("Incline (%)", self.f_incline)
        form.addRow("Cue", self.f_cue)
        repeat_page = QWidget(self)
        rform = QFormLayout(repeat_page)
        self.f_count = QLineEdit(repeat_page)
        self.f_count.setObjectName("fieldCount")
        self.f_skip = QCheckBox("Skip the last rest", repeat_page)
        self.f_skip.setObjectName("fieldSkipLastRest")
        self.count_label = QLabel("Times", repeat_page)
        rform.addRow(self.count_label, self.f_count)
        rform.addRow(self.f_skip)
        self.fields.addWidget(self.none_page)
        self.fields.addWidget(interval_page)
        self.fields.addWidget(repeat_page)
        self.problem = QLabel("", self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)

        self.preview = QWidget(self)
        self.preview.setObjectName("preview")
        self.preview_rows = QGridLayout(self.preview)
        self.preview_rows.setContentsMargins(0, 0, 0, 0)
        self.totals = QLabel("", self)
        self.totals.setObjectName("previewTotals")
        self.template_problem = QLabel("", self)
        self.template_problem.setObjectName("templateProblem")
        self.template_problem.setWordWrap(True)
        self.save = QPushButton("Save", self)
        self.save.setObjectName("editorSave")
        self.cancel = QPushButton("Close", self)
        self.cancel.setObjectName("editorClose")

        self._lay_out()
        self._connect()

    # -- layout ------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.save)
        top.addWidget(self.cancel)
        meta = QHBoxLayout()
        meta.addWidget(QLabel("Name", self))
        meta.addWidget(self.name, 3)
        meta.addWidget(self.kind)
        meta.addWidget(self.program)
        meta.addWidget(self.weeks)
        meta.addWidget(self.per_week)
        tools = QHBoxLayout()
        for b in (self.add_interval, self.add_repeat, self.indent, self.outdent, self.up):
            tools.addWidget(b)
        tools.addWidget(self.down)
        tools.addStretch(1)
        tools.addWidget(self.remove)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(tools)
        lv.addWidget(self.tree, 1)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(8, 0, 0, 0)
        rv.addWidget(self.fields)
        rv.addWidget(self.problem)
        rv.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout()
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addLayout(top)
        layout.addLayout(meta)
        layout.addWidget(self.notation)
        layout.addWidget(self.notation_problem)
        layout.addWidget(split, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.preview)
        layout.addWidget(self.template_problem)
        scrolling(self, layout)

    def _connect(self) -> None:
        self.tree.currentItemChanged.connect(self._show_fields)
        self.tree.moved.connect(self._read_drop)
        self.add_interval.clicked.connect(lambda: self.add_interval_block())
        self.add_repeat.clicked.connect(self.add_repeat_block)
        self.indent.clicked.connect(self.indent_block)
        self.outdent.clicked.connect(self.outdent_block)
        self.up.clicked.connect(lambda: self.move_block(-1))
        self.down.clicked.connect(lambda: self.move_block(1))
        self.remove.clicked.connect(self.remove_block)
        for seq, slot in (
            # From the keyboard the focus stays in the tree, so the next Ctrl+Arrow moves the
            # new block (a click on "+ Interval" goes to its name instead).
            ("Insert", lambda: self.add_interval_block(focus_fields=False)),
            ("Ctrl+R", self.add_repeat_block),
            ("Ctrl+Right", self.indent_block),
            ("Ctrl+Left", self.outdent_block),
            ("Ctrl+Up", lambda: self.move_block(-1)),
            ("Ctrl+Down", lambda: self.move_block(1)),
            ("Ctrl+S", self._on_save_clicked),
        ):
            QShortcut(QKeySequence(seq), self).activated.connect(slot)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_block)
        for edit in (self.f_name, self.f_duration, self.f_speed, self.f_incline, self.f_cue):
            edit.textEdited.connect(self._on_field_edited)
        self.f_count.textEdited.connect(self._on_field_edited)
        self.f_kind.currentIndexChanged.connect(self._on_field_edited)
        self.f_skip.toggled.connect(self._on_field_edited)
        self.name.textEdited.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._changed)
        self.program.toggled.connect(self._on_program_toggled)
        self.weeks.valueChanged.connect(self._on_program_toggled)
        self.per_week.valueChanged.connect(self._changed)
        self.notation.textEdited.connect(self._on_notation_edited)
        self.save.clicked.connect(self._on_save_clicked)
        self.cancel.clicked.connect(self.request_close)

    def sizeHint(self) -> QSize:
        return QSize(1200, 760)

    # -- loading -----------------------------------------------------------------------------

    def load(self, template: Template | None, *, original_name: str | None = None) -> None:
        """Edit `template` (None: a new one). `original_name`: the stored template it came from
        (None for new and duplicated ones)."""
        if self._next_units is not None:
            self._use_units(self._next_units)
        self._loading = True
        self.original_name = original_name
        self.heading.setText("Edit template" if original_name else "New template")
        self.draft = Draft.of(template, self.units, per_week=self.default_per_week)
        d = self.draft
        self.name.setText(d.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(d.kind)))
        self.program.setChecked(d.program)
        self.weeks.setValue(d.weeks)
        self.per_week.setValue(d.per_week)
        self._fill_tree()
        self._loading = False
        self.dirty = False
        self._refresh(sync_notation=True)
        self.name.setFocus()

    def set_units(self, units: Units) -> None:
        """Show and take speeds in `units`, converting what is in the tree now."""
        if units == self.units:
            return
        try:
            self.draft = self.draft.with_units(units)
        except FieldError:
            self._next_units = units  # a field does not read yet: convert at the next load
            return
        dirty = self.dirty
        self._use_units(units)
        self._loading = True
        self._fill_tree()
        self._loading = False
        self._refresh(sync_notation=True)
        self.dirty = dirty

    def _use_units(self, units: Units) -> None:
        self.units, self._next_units = units, None
        self.draft.units = units
        self.speed_label.setText(f"Speed ({units.label})")

    # -- the tree shows the draft --------------------------------------------------------------

    def _fill_tree(self) -> None:
        """The tree anew from the draft (after a load, the text line, a change of units)."""
        self.tree.clear()

        def add(parent: QTreeWidgetItem | None, b: DraftBlock) -> None:
            item = self._new_item(b, parent)
            if isinstance(b, DraftRepeat):
                for child in b.blocks:
                    add(item, child)
                item.setExpanded(True)

        for b in self.draft.blocks:
            add(None, b)
        first = children(self.tree.invisibleRootItem())
        if first:
            self.tree.setCurrentItem(first[0])
        else:
            self._show_fields(None, None)

    def _new_item(
        self, block: DraftBlock, parent: QTreeWidgetItem | None, index: int | None = None
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, ROLE, block)
        flags = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        if isinstance(block, DraftRepeat):
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)
        siblings = parent if parent is not None else self.tree.invisibleRootItem()
        siblings.insertChild(siblings.childCount() if index is None else index, item)
        item.setText(0, self.draft.label(block))
        return item

    @staticmethod
    def block_of(item: QTreeWidgetItem) -> DraftBlock:
        """The draft block an item shows."""
        block = item.data(0, ROLE)
        assert isinstance(block, DraftInterval | DraftRepeat)
        return block

    def path_of(self, item: QTreeWidgetItem) -> Path:
        path: list[int] = []
        node: QTreeWidgetItem | None = item
        while node is not None:
            parent = node.parent()
            holder = parent if parent is not None else self.tree.invisibleRootItem()
            path.insert(0, holder.indexOfChild(node))
            node = parent
        return tuple(path)

    def item_at(self, path: Path) -> QTreeWidgetItem:
        node = self.tree.invisibleRootItem()
        for i in path:
            child = node.child(i)
            assert child is not None, f"the tree has no block at {path}"
            node = child
        return node

    def _relocate(self, item: QTreeWidgetItem, path: Path | None) -> None:
        """Show a block the draft has moved: out of its place, then in at `path` (None: it
        was removed). The tree's items move with it, so the view keeps its selection."""
        expanded = item.isExpanded()
        holder = item.parent() or self.tree.invisibleRootItem()
        holder.takeChild(holder.indexOfChild(item))
        if path is None:
            return
        parent = self.item_at(path[:-1])
        parent.insertChild(path[-1], item)
        parent.setExpanded(True)
        item.setExpanded(expanded)
        for child in children(item):
            child.setExpanded(True)
        self.tree.setCurrentItem(item)

    def _read_drop(self) -> None:
        """A drag and drop moved items in the tree: the draft takes their new order."""

        def read(holder: QTreeWidgetItem) -> list[DraftBlock]:
            blocks = []
            for item in children(holder):
                block = self.block_of(item)
                if isinstance(block, DraftRepeat):
                    block.blocks = read(item)
                blocks.append(block)
            return blocks

        self.draft.blocks = read(self.tree.invisibleRootItem())
        self._changed()

    def _label_all(self, problems: dict[Path, str]) -> None:
        for path, block in self.draft.walk():
            item = self.item_at(path)
            problem = problems.get(path)
            text = self.draft.label(block)
            item.setText(0, ("⚠ " + text) if problem else text)
            item.setToolTip(0, problem or "")

    # -- reading the draft back ---------------------------------------------------------------

    def _take_meta(self) -> None:
        """The name, kind and program settings as the widgets show them, into the draft."""
        d = self.draft
        d.name = self.name.text()
        d.kind = TemplateKind(self.kind.currentData())
        d.program = self.program.isChecked()
        d.weeks = self.weeks.value()
        d.per_week = self.per_week.value()

    def blocks(self) -> tuple[Block, ...]:
        """The blocks as edited; raises FieldError for the first field that is wrong."""
        self._take_meta()
        return self.draft.read_blocks()

    def template(self) -> Template:
        """The template as edited, checked as a template file would be; FieldError or
        TemplateError says what is wrong."""
        self._take_meta()
        return self.draft.template(taken=self.taken, original=self.original_name)

    # -- editing operations ------------------------------------------------------------------

    def _insertion_point(self) -> Path:
        """Where a new block goes: inside an open repeat that is selected (at its end), else
        just after the selected block, else at the end."""
        item = self.tree.currentItem()
        if item is None:
            return (len(self.draft.blocks),)
        path = self.path_of(item)
        block = self.block_of(item)
        if isinstance(block, DraftRepeat) and item.isExpanded():
            return (*path, len(block.blocks))
        return (*path[:-1], path[-1] + 1)

    def _add(self, block: DraftBlock) -> QTreeWidgetItem:
        where = self._insertion_point()
        path = self.draft.insert(where[:-1], where[-1], block)
        parent = self.item_at(path[:-1])
        item = self._new_item(block, parent if path[:-1] else None, path[-1])
        if isinstance(block, DraftRepeat):
            for child in block.blocks:
                self._new_item(child, item)
            item.setExpanded(True)
        parent.setExpanded(True)
        self.tree.setCurrentItem(item)
        self._changed()
        return item

    def add_interval_block(self, *, focus_fields: bool = True) -> QTreeWidgetItem:
        item = self._add(DraftInterval(IntervalKind.WORK, "Work", "0:30"))
        if focus_fields:
            self.f_name.setFocus()
            self.f_name.selectAll()
        else:
            self.tree.setFocus()
        return item

    def add_repeat_block(self) -> QTreeWidgetItem:
        """A repeat with one work and one rest inside, after the selected block."""
        self._take_meta()
        item = self._add(new_repeat(self.draft.program_weeks))
        self.f_count.setFocus()
        self.f_count.selectAll()
        return item

    def move_block(self, step: int) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        path = self.path_of(item)
        moved = self.draft.move(path, step)
        if moved != path:
            self._relocate(item, moved)
            self._changed()

    def indent_block(self) -> None:
        """Into the repeat just above it (at its end)."""
        item = self.tree.currentItem()
        if item is None:
            return
        moved = self.draft.indent(self.path_of(item))
        if moved is None:
            self.problem.setText("Indent moves a block into the repeat just above it.")
            return
        self._relocate(item, moved)
        self._changed()

    def outdent_block(self) -> None:
        item = self.tree.currentItem()
        if item is None or item.parent() is None:
            return
        self._relocate(item, self.draft.outdent(self.path_of(item)))
        self._changed()

    def remove_block(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        self.draft.remove(self.path_of(item))
        self._relocate(item, None)
        self._changed()

    # -- fields ------------------------------------------------------------------------------

    def _show_fields(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        self._loading_fields = True
        block = self.block_of(item) if item is not None else None
        if block is None:
            self.fields.setCurrentIndex(0)
        elif isinstance(block, DraftRepeat):
            self.fields.setCurrentIndex(2)
            self.f_count.setText(block.count)
            self.f_skip.setChecked(block.skip_last_rest)
            self.count_label.setText("Times each week" if self.program.isChecked() else "Times")
        else:
            self.fields.setCurrentIndex(1)
            self.f_name.setText(block.name)
            self.f_kind.setCurrentIndex(self.f_kind.findData(block.kind))
            self.f_duration.setText(block.duration)
            self.f_speed.setText(block.speed)
            self.f_incline.setText(block.incline)
            self.f_cue.setText(block.cue)
        self._loading_fields = False
        self._mark_fields(block)
        for b in (self.indent, self.outdent, self.up, self.down, self.remove):
            b.setEnabled(item is not None)

    _loading_fields = False

    def _on_field_edited(self) -> None:
        if self._loading_fields:
            return
        item = self.tree.currentItem()
        if item is None:
            return
        block = self.block_of(item)
        if isinstance(block, DraftRepeat):
            block.count = self.f_count.text()
            block.skip_last_rest = self.f_skip.isChecked()
        else:
            block.name = self.f_name.text()
            block.kind = IntervalKind(self.f_kind.currentData())
            block.duration = self.f_duration.text()
            block.speed = self.f_speed.text()
            block.incline = self.f_incline.text()
            block.cue = self.f_cue.text()
        self._changed()

    def _mark_fields(self, block: DraftBlock | None) -> None:
        """Mark the fields of the selected block that are wrong, and say why."""
        self._take_meta()
        found = self.draft.field_problems(block) if block is not None else {}
        edits = {
            "duration": self.f_duration,
            "speed": self.f_speed,
            "incline": self.f_incline,
            "count": self.f_count,
        }
        for name, edit in edits.items():
            edit.setProperty("invalid", name in found)
            edit.setToolTip(found.get(name, ""))
            edit.style().unpolish(edit)
            edit.style().polish(edit)
        self.problem.setText(next(iter(found.values())).capitalize() + "." if found else "")

    def _on_program_toggled(self) -> None:
        on = self.program.isChecked()
        self.weeks.setEnabled(on)
        self.per_week.setEnabled(on)
        if not self._loading:
            self._changed()
            self._show_fields(self.tree.currentItem(), None)

    # -- the text line -------------------------------------------------------------------------

    def _on_notation_edited(self, text: str) -> None:
        try:
            blocks = parse(text)
        except NotationError as exc:
            self.notation.setProperty("invalid", True)
            self.notation_problem.setText(f"Column {exc.column}: {exc.problem}")
            self.notation_problem.show()
        else:
            self.notation.setProperty("invalid", False)
            self.notation_problem.setText("")
            self.notation_problem.hide()
            weeks = {len(r.count) for r in repeats(blocks) if isinstance(r.count, tuple)}
            self._loading = True  # the line is the source now: no writing back while applying
            if weeks:
                self.program.setChecked(True)
                self.weeks.setValue(max(weeks))
            self.draft.blocks = [draft_block(b, self.units) for b in blocks]
            self._fill_tree()
            self._loading = False
            self._changed(sync_notation=False)
        self.notation.style().unpolish(self.notation)
        self.notation.style().polish(self.notation)

    # -- state -------------------------------------------------------------------------------

    def _changed(self, *_args: object, sync_notation: bool = True) -> None:
        if self._loading:
            return
        self.dirty = True
        self._refresh(sync_notation=sync_notation)

    def _refresh(self, *, sync_notation: bool) -> None:
        self._take_meta()
        problems = self.draft.problems()
        self._label_all(problems)
        current = self.tree.currentItem()
        self._mark_fields(self.block_of(current) if current is not None else None)
        self.weeks.setEnabled(self.program.isChecked())
        self.per_week.setEnabled(self.program.isChecked())
        try:
            template = self.template()
        except (FieldError, TemplateError) as exc:
            template = None
            self.template_problem.setText(f"Cannot save yet: {exc}.")
        else:
            self.template_problem.setText("")
        self.save.setEnabled(template is not None and (self.dirty or self.original_name is None))
        if sync_notation and not problems:
            with contextlib.suppress(FieldError):  # checked just above; a race-free belt
                self.notation.setText(format_blocks(self.draft.read_blocks()))
            self.notation.setProperty("invalid", False)
            self.notation_problem.setText("")
            self.notation_problem.hide()
        self._show_preview(template)

    def _show_preview(self, template: Template | None) -> None:
        while (child := self.preview_rows.takeAt(0)) is not None:
            if (w := child.widget()) is not None:
                w.hide()
                w.deleteLater()
        self.preview_lines: list[Timeline] = []
        #: Week -> its line of figures ("Week 1: 16:00 in all - 6 work - 1:30 at work").
        self.preview_labels: dict[int, QLabel] = {}
        if template is None:
            self.totals.setText("")
            return
        weeks: list[int | None] = (
            list(range(1, template.weeks + 1)) if template.is_program else [None]
        )
        for row, week in enumerate(weeks):
            intervals = template.expand(week)
            line = Timeline(self.preview)
            line.setFixedHeight(26 if len(weeks) > 1 else 40)
            line.set_segments([Segment(i.kind, i.title, i.seconds) for i in intervals])
            self.preview_lines.append(line)
            if week is not None:
                label = QLabel(self._summary(template, week), self.preview)
                label.setObjectName(f"previewWeek{week}")
                self.preview_labels[week] = label
                self.preview_rows.addWidget(label, row, 0)
            self.preview_rows.addWidget(line, row, 1)
            self.preview_rows.setColumnStretch(1, 1)
        self.totals.setText(
            f"{template.weeks} weeks, {template.sessions_per_week} session(s) a week"
            if template.is_program
            else self._summary(template, None)
        )

    @staticmethod
    def _summary(template: Template, week: int | None) -> str:
        intervals = template.expand(week)
        work = [i for i in intervals if i.kind is IntervalKind.WORK]
        total = sum(i.seconds for i in intervals)
        at_work = sum(i.seconds for i in work)
        head = f"Week {week}: " if week is not None else ""
        return (
            f"{head}{clock_text(total)} in all - {len(work)} work - {clock_text(at_work)} at work"
        )

    # -- save and close ----------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        if not self.save.isEnabled():
            return
        try:
            template = self.template()
        except (FieldError, TemplateError) as exc:
            self.template_problem.setText(f"Cannot save yet: {exc}.")
            return
        self.saved.emit(template, self.original_name)

    def mark_saved(self, template: Template) -> None:
        self.original_name = template.name
        self.heading.setText("Edit template")
        self.dirty = False
        self._refresh(sync_notation=False)

    def request_close(self) -> bool:
        """Close, asking first when there are unsaved changes. False if the runner stays."""
        if self.dirty:
            answer = self.ask_unsaved()
            if answer == "cancel":
                return False
            if answer == "save":
                if not self.save.isEnabled():
                    return False
                self._on_save_clicked()
                if self.dirty:
                    return False
        self.dirty = False
        self.closed.emit()
        return True

    def _ask_unsaved(self) -> str:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle("Unsaved changes")
        box.setText("Save the changes to this template?")
        save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def children(parent: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for i in range(parent.childCount()) if (c := parent.child(i)) is not None]


def duplicate_name(name: str, taken: Callable[[str], bool]) -> str:
    n = 2
    while taken(candidate := f"{name} ({n})"):
        n += 1
    return candidate


def with_name(template: Template, name: str) -> Template:
    """A copy under another name: the runner's own, a new template with no progress yet."""
    return replace(template, name=name, builtin=False, key="")
