"""The template editor: the block tree, the fields of the selected block, the quick text line,
and a live preview, with validation inline.

The tree widget holds the template while it is edited: each item carries its block's fields
(as typed), so drag and drop, indenting and moving are the tree's own operations, and the
template is read back from the tree after every change. Fields are checked as they are typed;
the whole template is then checked by the same reader that loads template files, so what the
editor lets you save is exactly what the app can load.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
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
from legtimer.gui.theme import style
from legtimer.gui.timeline import Segment, Timeline
from legtimer.gui.widgets import clock_text
from legtimer.plans import (
    Block,
    IntervalBlock,
    NotationError,
    RepeatBlock,
    Template,
    TemplateError,
    TemplateKind,
    format_blocks,
    parse,
    template_from_json,
    template_to_json,
)
from legtimer.plans.model import (
    KM_PER_MILE,
    MAX_CUE,
    MAX_INCLINE_PCT,
    MAX_NAME,
    MAX_REPEAT,
    MAX_SECONDS,
    MAX_SPEED_KMH,
    MAX_WEEKS,
    MIN_INCLINE_PCT,
    repeats,
)

KIND_WORDS = {
    IntervalKind.WARMUP: "Warm-up",
    IntervalKind.WORK: "Work",
    IntervalKind.REST: "Rest",
    IntervalKind.RECOVER: "Recover",
    IntervalKind.COOLDOWN: "Cool-down",
}
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
    border: none; border-radius: 8px; padding: 7px 8px; }
#templateEditor QPushButton:disabled { color: #7A8290; }
#templateEditor QPushButton#editorSave { background: #00664A; color: white; }
#templateEditor QPushButton#editorSave:disabled { background: #3A4350; color: #7A8290; }
#templateEditor QTreeWidget { background: #2B3240; color: @on-neutral; font-size: 15px; }
#templateEditor QLineEdit, #templateEditor QComboBox, #templateEditor QSpinBox {
    font-size: 15px; padding: 3px; }
#templateEditor QLineEdit[invalid="true"] { border: 2px solid #FFB000; background: #3A2A10;
    color: white; }
#templateEditor QCheckBox { color: #E5E9F0; font-size: 15px; }
"""


# -- typed fields -------------------------------------------------------------------------------


class FieldError(ValueError):
    """A field's text that cannot be used; the message says what is wanted."""


def parse_duration(text: str) -> int:
    t = text.strip()
    try:
        if ":" in t:
            parts = [int(p) for p in t.split(":")]
            if len(parts) == 2 and 0 <= parts[1] < 60:
                seconds = parts[0] * 60 + parts[1]
            elif len(parts) == 3 and 0 <= parts[1] < 60 and 0 <= parts[2] < 60:
                seconds = parts[0] * 3600 + parts[1] * 60 + parts[2]
            else:
                raise ValueError
        else:
            seconds = int(t)
    except ValueError:
        raise FieldError("write the duration as m:ss, like 0:45 or 5:00") from None
    if not 1 <= seconds <= MAX_SECONDS:
        raise FieldError(f"a duration is 0:01 to {MAX_SECONDS // 3600}:00:00")
    return seconds


def parse_optional_number(text: str, what: str, low: float, high: float, unit: str) -> float | None:
    t = text.strip().replace(",", ".")
    if not t:
        return None
    try:
        value = float(t)
    except ValueError:
        raise FieldError(f"{what} is a number, like {high / 4:g}") from None
    if not low <= value <= high:
        raise FieldError(f"{what} is {low:g} to {high:g} {unit}")
    return value


def parse_count(text: str, weeks: int) -> int | tuple[int, ...]:
    """'6', or in a program one count per week: '6, 8, 10, 12' (one number = every week)."""
    try:
        counts = [int(p) for p in text.replace(";", ",").split(",") if p.strip()]
    except ValueError:
        raise FieldError("the count is a whole number, like 6") from None
    if not counts:
        raise FieldError("how many times? a whole number, like 6")
    for c in counts:
        if not 1 <= c <= MAX_REPEAT:
            raise FieldError(f"a count is 1 to {MAX_REPEAT}")
    if weeks == 0:
        if len(counts) != 1:
            raise FieldError("one count (counts per week are for programs)")
        return counts[0]
    if len(counts) == 1:
        return tuple(counts * weeks)
    if len(counts) != weeks:
        raise FieldError(f"give one count for each of the {weeks} weeks, like 6, 8, 10, 12")
    return tuple(counts)


@dataclass
class Units:
    """Speeds are stored in km/h; shown and typed in the runner's unit."""

    mph: bool = False

    @property
    def label(self) -> str:
        return "mph" if self.mph else "km/h"

    @property
    def max_speed(self) -> float:
        return round(MAX_SPEED_KMH / KM_PER_MILE, 1) if self.mph else MAX_SPEED_KMH

    def show(self, kmh: float | None) -> str:
        if kmh is None:
            return ""
        return f"{round(kmh / KM_PER_MILE, 1) if self.mph else kmh:g}"

    def to_kmh(self, value: float | None) -> float | None:
        if value is None:
            return None
        return round(value * KM_PER_MILE, 2) if self.mph else value


# -- the tree -----------------------------------------------------------------------------------


def interval_fields(b: IntervalBlock, units: Units) -> dict[str, Any]:
    return {
        "type": "interval",
        "kind": b.kind,
        "name": b.name,
        "duration": clock_text(b.seconds),
        "speed": units.show(b.speed_kmh),
        # The exact stored speed: shown in mph it is rounded, and reading the rounded figure
        # back must not change a speed nobody touched.
        "speed_kmh": b.speed_kmh,
        "incline": "" if b.incline_pct is None else f"{b.incline_pct:g}",
        "cue": b.cue or "",
    }


def repeat_fields(b: RepeatBlock) -> dict[str, Any]:
    count = b.count if isinstance(b.count, int) else ", ".join(str(c) for c in b.count)
    return {"type": "repeat", "count": str(count), "skip_last_rest": b.skip_last_rest}


class BlockTree(QTreeWidget):
    """Intervals and repeats; only repeats take children. Drag and drop moves blocks."""

    moved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockTree")
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
        self.problems: dict[int, str] = {}  # id(item) -> what is wrong with it
        #: Asked when closing with unsaved changes: "save", "discard" or "cancel".
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved

        self.heading = QLabel("New template", self)
        self.heading.setObjectName("editorHeading")
        self.name = QLineEdit(self)
        self.name.setObjectName("templateName")
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText("Name, like Hill repeats 8x45")
        self.kind = QComboBox(self)
        self.kind.setObjectName("templateKind")
        for k, word in TEMPLATE_KINDS.items():
            self.kind.addItem(word, k)
        self.program = QCheckBox("Program over", self)
        self.program.setObjectName("programMode")
        self.weeks = QSpinBox(self)
        self.weeks.setObjectName("programWeeks")
        self.weeks.setRange(2, MAX_WEEKS)
        self.weeks.setValue(4)
        self.weeks.setSuffix(" weeks")
        self.per_week = QSpinBox(self)
        self.per_week.setObjectName("sessionsPerWeek")
        self.per_week.setRange(1, 14)
        self.per_week.setSuffix(" per week")
        self.notation = QLineEdit(self)
        self.notation.setObjectName("notationLine")
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
        self.up.setToolTip("Move up (Ctrl+Up)")
        self.down = QPushButton("▼", self)
        self.down.setObjectName("moveDown")
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
        self.f_duration.setPlaceholderText("m:ss")
        self.f_speed = QLineEdit(interval_page)
        self.f_speed.setObjectName("fieldSpeed")
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addLayout(top)
        layout.addLayout(meta)
        layout.addWidget(self.notation)
        layout.addWidget(self.notation_problem)
        layout.addWidget(split, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.preview)
        layout.addWidget(self.template_problem)

    def _connect(self) -> None:
        self.tree.currentItemChanged.connect(self._show_fields)
        self.tree.moved.connect(self._changed)
        self.add_interval.clicked.connect(self.add_interval_block)
        self.add_repeat.clicked.connect(self.add_repeat_block)
        self.indent.clicked.connect(self.indent_block)
        self.outdent.clicked.connect(self.outdent_block)
        self.up.clicked.connect(lambda: self.move_block(-1))
        self.down.clicked.connect(lambda: self.move_block(1))
        self.remove.clicked.connect(self.remove_block)
        for seq, slot in (
            ("Insert", self.add_interval_block),
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
        t = template or Template("", TemplateKind.CUSTOM, ())
        self.name.setText(t.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(t.kind)))
        self.program.setChecked(t.is_program)
        if t.is_program:
            self.weeks.setValue(t.weeks)
        self.per_week.setValue(t.sessions_per_week if template else self.default_per_week)
        self._fill_tree(t.blocks)
        self._loading = False
        self.dirty = False
        self._refresh(sync_notation=True)
        self.name.setFocus()

    def set_units(self, units: Units) -> None:
        """Show and take speeds in `units`, converting what is in the tree now."""
        if units == self.units:
            return
        try:
            blocks = self.blocks()
        except ValueError:
            self._next_units = units  # a field does not read yet: convert at the next load
            return
        dirty = self.dirty
        self._use_units(units)
        self._loading = True
        self._fill_tree(blocks)
        self._loading = False
        self._refresh(sync_notation=True)
        self.dirty = dirty

    def _use_units(self, units: Units) -> None:
        self.units, self._next_units = units, None
        self.speed_label.setText(f"Speed ({units.label})")

    def _fill_tree(self, blocks: tuple[Block, ...]) -> None:
        self.tree.clear()
        self.problems.clear()

        def add(parent: QTreeWidgetItem | None, b: Block) -> None:
            fields = (
                interval_fields(b, self.units) if isinstance(b, IntervalBlock) else repeat_fields(b)
            )
            item = self._new_item(fields, parent)
            if isinstance(b, RepeatBlock):
                for child in b.blocks:
                    add(item, child)
                item.setExpanded(True)

        for b in blocks:
            add(None, b)
        first = children(self.tree.invisibleRootItem())
        if first:
            self.tree.setCurrentItem(first[0])
        else:
            self._show_fields(None, None)

    def _new_item(
        self, fields: dict[str, Any], parent: QTreeWidgetItem | None, index: int | None = None
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, ROLE, fields)
        flags = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        if fields["type"] == "repeat":
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)
        siblings = parent if parent is not None else self.tree.invisibleRootItem()
        siblings.insertChild(siblings.childCount() if index is None else index, item)
        self._label(item)
        return item

    def _label(self, item: QTreeWidgetItem) -> None:
        f = item.data(0, ROLE)
        if f["type"] == "repeat":
            count = f["count"].strip() or "?"
            text = f"{count} times" + ("  (no last rest)" if f["skip_last_rest"] else "")
        else:
            kind = KIND_WORDS[IntervalKind(f["kind"])]
            parts = [f["name"] or kind, f["duration"] or "?", kind]
            if f["speed"].strip():
                parts.append(f"{f['speed'].strip()} {self.units.label}")
            if f["incline"].strip():
                parts.append(f"{f['incline'].strip()}%")
            text = "  ·  ".join(parts)
        problem = self.problems.get(id(item))
        item.setText(0, ("⚠ " + text) if problem else text)
        item.setToolTip(0, problem or "")

    # -- reading the tree back ---------------------------------------------------------------

    def blocks(self) -> tuple[Block, ...]:
        """The blocks as edited; raises FieldError for the first field that is wrong."""
        self._check_all()
        if self.problems:
            raise FieldError(next(iter(self.problems.values())))
        return self._read(self.tree.invisibleRootItem())

    def _read(self, parent: QTreeWidgetItem) -> tuple[Block, ...]:
        return tuple(self._block(item) for item in children(parent))

    def _kmh(self, f: dict[str, Any], speed: float | None) -> float | None:
        """The speed in km/h: the stored one while the field still shows it."""
        exact = f.get("speed_kmh")
        if exact is not None and f["speed"].strip() == self.units.show(exact):
            return float(exact)
        return self.units.to_kmh(speed)

    def _block(self, item: QTreeWidgetItem) -> Block:
        f = item.data(0, ROLE)
        weeks = self.weeks.value() if self.program.isChecked() else 0
        if f["type"] == "repeat":
            return RepeatBlock(
                parse_count(f["count"], weeks), self._read(item), bool(f["skip_last_rest"])
            )
        name = f["name"].strip() or KIND_WORDS[IntervalKind(f["kind"])]
        speed = parse_optional_number(
            f["speed"], "Speed", 0, self.units.max_speed, self.units.label
        )
        incline = parse_optional_number(
            f["incline"], "Incline", MIN_INCLINE_PCT, MAX_INCLINE_PCT, "%"
        )
        return IntervalBlock(
            IntervalKind(f["kind"]),
            name,
            parse_duration(f["duration"]),
            self._kmh(f, speed),
            incline,
            f["cue"].strip() or None,
        )

    def _check_all(self) -> None:
        self.problems.clear()

        def walk(parent: QTreeWidgetItem) -> None:
            for item in children(parent):
                try:
                    self._block_alone(item)
                except FieldError as exc:
                    self.problems[id(item)] = str(exc)
                if item.data(0, ROLE)["type"] == "repeat":
                    if item.childCount() == 0:
                        self.problems[id(item)] = "a repeat needs at least one interval inside"
                    walk(item)
                self._label(item)

        walk(self.tree.invisibleRootItem())

    def _block_alone(self, item: QTreeWidgetItem) -> None:
        f = item.data(0, ROLE)
        weeks = self.weeks.value() if self.program.isChecked() else 0
        if f["type"] == "repeat":
            parse_count(f["count"], weeks)
        else:
            parse_duration(f["duration"])
            parse_optional_number(f["speed"], "Speed", 0, self.units.max_speed, self.units.label)
            parse_optional_number(f["incline"], "Incline", MIN_INCLINE_PCT, MAX_INCLINE_PCT, "%")

    def template(self) -> Template:
        """The template as edited, checked as a template file would be; FieldError or
        TemplateError says what is wrong."""
        name = self.name.text().strip()
        if not name:
            raise FieldError("the template needs a name")
        if name.casefold() != (self.original_name or "").casefold() and self.taken(name):
            raise FieldError(f"a template named {name!r} already exists")
        blocks = self.blocks()
        if not blocks:
            raise FieldError("add at least one interval")
        if self.program.isChecked() and not repeats(blocks):
            raise FieldError("a program needs a repeat whose count changes by week")
        t = Template(
            name,
            TemplateKind(self.kind.currentData()),
            blocks,
            sessions_per_week=self.per_week.value() if self.program.isChecked() else 1,
        )
        return template_from_json(template_to_json(t))

    # -- editing operations ------------------------------------------------------------------

    def _current_parent_and_index(self) -> tuple[QTreeWidgetItem | None, int]:
        item = self.tree.currentItem()
        if item is None:
            return None, self.tree.topLevelItemCount()
        if item.data(0, ROLE)["type"] == "repeat" and item.isExpanded():
            return item, item.childCount()
        parent = item.parent()
        siblings = parent or self.tree.invisibleRootItem()
        return parent, siblings.indexOfChild(item) + 1

    def add_interval_block(self) -> QTreeWidgetItem:
        parent, index = self._current_parent_and_index()
        fields = interval_fields(IntervalBlock(IntervalKind.WORK, "Work", 30), self.units)
        item = self._new_item(fields, parent, index)
        self.tree.setCurrentItem(item)
        self._changed()
        self.f_name.setFocus()
        self.f_name.selectAll()
        return item

    def add_repeat_block(self) -> QTreeWidgetItem:
        """A repeat with one work and one rest inside, after the selected block."""
        parent, index = self._current_parent_and_index()
        count: int | tuple[int, ...] = 4
        if self.program.isChecked():
            count = (4,) * self.weeks.value()
        block = RepeatBlock(
            count,
            (
                IntervalBlock(IntervalKind.WORK, "Work", 30),
                IntervalBlock(IntervalKind.REST, "Rest", 30),
            ),
        )
        item = self._new_item(repeat_fields(block), parent, index)
        for child in block.blocks:
            assert isinstance(child, IntervalBlock)
            self._new_item(interval_fields(child, self.units), item)
        item.setExpanded(True)
        self.tree.setCurrentItem(item)
        self._changed()
        self.f_count.setFocus()
        self.f_count.selectAll()
        return item

    def _take(self, item: QTreeWidgetItem) -> tuple[QTreeWidgetItem, bool]:
        expanded = item.isExpanded()
        parent = item.parent() or self.tree.invisibleRootItem()
        parent.takeChild(parent.indexOfChild(item))
        return item, expanded

    def _put(
        self, item: QTreeWidgetItem, parent: QTreeWidgetItem, index: int, expanded: bool
    ) -> None:
        parent.insertChild(index, item)
        item.setExpanded(expanded)
        for child in children(item):
            child.setExpanded(True)
        self.tree.setCurrentItem(item)
        self._changed()

    def move_block(self, step: int) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        parent = item.parent() or self.tree.invisibleRootItem()
        index = parent.indexOfChild(item) + step
        if not 0 <= index < parent.childCount():
            return
        item, expanded = self._take(item)
        self._put(item, parent, index, expanded)

    def indent_block(self) -> None:
        """Into the repeat just above it (at its end)."""
        item = self.tree.currentItem()
        if item is None:
            return
        parent = item.parent() or self.tree.invisibleRootItem()
        index = parent.indexOfChild(item)
        above = parent.child(index - 1) if index > 0 else None
        if above is None or above.data(0, ROLE)["type"] != "repeat":
            self.problem.setText("Indent moves a block into the repeat just above it.")
            return
        item, expanded = self._take(item)
        above.setExpanded(True)
        self._put(item, above, above.childCount(), expanded)

    def outdent_block(self) -> None:
        item = self.tree.currentItem()
        if item is None or item.parent() is None:
            return
        repeat = item.parent()
        assert repeat is not None
        outer = repeat.parent() or self.tree.invisibleRootItem()
        item, expanded = self._take(item)
        self._put(item, outer, outer.indexOfChild(repeat) + 1, expanded)

    def remove_block(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        self._take(item)
        self._changed()

    # -- fields ------------------------------------------------------------------------------

    def _show_fields(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        self._loading_fields = True
        if item is None:
            self.fields.setCurrentIndex(0)
        else:
            f = item.data(0, ROLE)
            if f["type"] == "repeat":
                self.fields.setCurrentIndex(2)
                self.f_count.setText(f["count"])
                self.f_skip.setChecked(bool(f["skip_last_rest"]))
                self.count_label.setText("Times each week" if self.program.isChecked() else "Times")
            else:
                self.fields.setCurrentIndex(1)
                self.f_name.setText(f["name"])
                self.f_kind.setCurrentIndex(self.f_kind.findData(str(f["kind"])))
                self.f_duration.setText(f["duration"])
                self.f_speed.setText(f["speed"])
                self.f_incline.setText(f["incline"])
                self.f_cue.setText(f["cue"])
        self._loading_fields = False
        self._mark_fields(item)
        for b in (self.indent, self.outdent, self.up, self.down, self.remove):
            b.setEnabled(item is not None)

    _loading_fields = False

    def _on_field_edited(self) -> None:
        if self._loading_fields:
            return
        item = self.tree.currentItem()
        if item is None:
            return
        f = dict(item.data(0, ROLE))
        if f["type"] == "repeat":
            f["count"] = self.f_count.text()
            f["skip_last_rest"] = self.f_skip.isChecked()
        else:
            f["name"] = self.f_name.text()
            f["kind"] = IntervalKind(self.f_kind.currentData())
            f["duration"] = self.f_duration.text()
            f["speed"] = self.f_speed.text()
            f["incline"] = self.f_incline.text()
            f["cue"] = self.f_cue.text()
        item.setData(0, ROLE, f)
        self._changed()

    def _mark_fields(self, item: QTreeWidgetItem | None) -> None:
        """Mark the field that is wrong and say why."""
        bad: dict[QLineEdit, str] = {}
        if item is not None:
            f = item.data(0, ROLE)
            checks: list[tuple[QLineEdit, Callable[[], object]]]
            if f["type"] == "repeat":
                weeks = self.weeks.value() if self.program.isChecked() else 0
                checks = [(self.f_count, lambda: parse_count(f["count"], weeks))]
            else:
                u = self.units
                checks = [
                    (self.f_duration, lambda: parse_duration(f["duration"])),
                    (
                        self.f_speed,
                        lambda: parse_optional_number(f["speed"], "Speed", 0, u.max_speed, u.label),
                    ),
                    (
                        self.f_incline,
                        lambda: parse_optional_number(
                            f["incline"], "Incline", MIN_INCLINE_PCT, MAX_INCLINE_PCT, "%"
                        ),
                    ),
                ]
            for edit, check in checks:
                try:
                    check()
                except FieldError as exc:
                    bad[edit] = str(exc)
            if f["type"] == "repeat" and item.childCount() == 0 and not bad:
                self.problem.setText("A repeat needs at least one interval inside.")
        for edit in (self.f_duration, self.f_speed, self.f_incline, self.f_count):
            edit.setProperty("invalid", edit in bad)
            edit.setToolTip(bad.get(edit, ""))
            edit.style().unpolish(edit)
            edit.style().polish(edit)
        if bad:
            self.problem.setText(next(iter(bad.values())).capitalize() + ".")
        elif item is None or item.childCount() or item.data(0, ROLE)["type"] != "repeat":
            self.problem.setText("")

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
            self.notation_problem.setText(f"Column {exc.column}: {exc}")
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
            self._fill_tree(blocks)
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
        self._check_all()
        self._mark_fields(self.tree.currentItem())
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
        if sync_notation and not self.problems:
            with contextlib.suppress(FieldError):  # checked just above; a race-free belt
                self.notation.setText(format_blocks(self._read(self.tree.invisibleRootItem())))
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
    return replace(template, name=name, builtin=False)
