"""A template while it is being edited: its fields as typed, checked in one place (stdlib only).

The template editor is a view over a `Draft`. Each block keeps the runner's text ("45s", "1:30",
"16,5", "6, 8, 10, 12") until it reads; `problems()` says what is wrong with each block, keyed
by the block's path (its indexes from the top of the tree), and `template()` reads the whole
draft back through the reader that loads template files, so what the editor lets the runner
save is exactly what the app can load. The editing operations (insert, move, indent, outdent,
remove) are here too, each returning where the block went, so the view only shows the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from legtimer.engine.model import IntervalKind
from legtimer.plans.formats import template_from_json, template_to_json
from legtimer.plans.model import (
    KM_PER_MILE,
    MAX_INCLINE_PCT,
    MAX_REPEAT,
    MAX_SECONDS,
    MAX_SPEED_KMH,
    MIN_INCLINE_PCT,
    Block,
    IntervalBlock,
    RepeatBlock,
    Template,
    TemplateKind,
    repeats,
)
from legtimer.plans.words import clock_text

#: A block's place in the draft: its index at the top, then inside each repeat.
Path = tuple[int, ...]

KIND_WORDS = {
    IntervalKind.WARMUP: "Warm-up",
    IntervalKind.WORK: "Work",
    IntervalKind.REST: "Rest",
    IntervalKind.RECOVER: "Recover",
    IntervalKind.COOLDOWN: "Cool-down",
}


EMPTY_REPEAT = "a repeat needs at least one interval inside"


class FieldError(ValueError):
    """A field's text that cannot be used; the message says what is wanted."""


# -- the fields ---------------------------------------------------------------------------------

_UNITS = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?")


def parse_duration(text: str) -> int:
    """Seconds from "45", "45s", "5m", "1m30s", "1:30" or "1:00:00"."""
    t = text.strip().lower()
    if len(t) > 20:  # no duration is written that long; a number that size would not convert
        raise FieldError(f"a duration is 0:01 to {MAX_SECONDS // 3600}:00:00")
    seconds: int | None = None
    if ":" in t:
        parts = t.split(":")
        if all(p.isdigit() for p in parts) and len(parts) in (2, 3):
            nums = [int(p) for p in parts]
            if all(n < 60 for n in nums[1:]):
                seconds = sum(n * 60**i for i, n in enumerate(reversed(nums)))
    elif t.isdigit():
        seconds = int(t)
    elif t and (m := _UNITS.fullmatch(t)) is not None and any(m.groups()):
        h, mins, s = (int(g) if g else 0 for g in m.groups())
        seconds = h * 3600 + mins * 60 + s
    if seconds is None:
        raise FieldError("write the duration as m:ss or with units, like 0:45, 45s or 5m")
    if not 1 <= seconds <= MAX_SECONDS:
        raise FieldError(f"a duration is 0:01 to {MAX_SECONDS // 3600}:00:00")
    return seconds


def parse_optional_number(text: str, what: str, low: float, high: float, unit: str) -> float | None:
    """A number in `low`..`high` (a decimal comma is fine), or None for an empty field."""
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


@dataclass(frozen=True)
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


# -- the blocks ---------------------------------------------------------------------------------


@dataclass
class DraftInterval:
    """An interval's fields as typed."""

    kind: IntervalKind = IntervalKind.WORK
    name: str = "Work"
    duration: str = "0:30"
    speed: str = ""
    incline: str = ""
    cue: str = ""
    #: The stored speed, exact: shown in mph it is rounded, and reading the rounded figure
    #: back must not change a speed nobody touched.
    speed_kmh: float | None = None


@dataclass
class DraftRepeat:
    """A repeat's fields as typed, and the blocks inside it."""

    count: str = "4"
    skip_last_rest: bool = False
    blocks: list[DraftBlock] = field(default_factory=list)


DraftBlock = DraftInterval | DraftRepeat


@dataclass
class Draft:
    """A template being edited. Program settings apply only while `program` is on."""

    name: str = ""
    kind: TemplateKind = TemplateKind.CUSTOM
    program: bool = False
    weeks: int = 4
    per_week: int = 1
    blocks: list[DraftBlock] = field(default_factory=list)
    units: Units = field(default_factory=Units)

    @classmethod
    def of(cls, template: Template | None, units: Units, *, per_week: int = 3) -> Draft:
        """A draft of `template` (None: an empty new one, `per_week` sessions a week)."""
        if template is None:
            return cls(per_week=per_week, units=units)
        return cls(
            name=template.name,
            kind=template.kind,
            program=template.is_program,
            weeks=template.weeks if template.is_program else 4,
            per_week=template.sessions_per_week,
            blocks=[draft_block(b, units) for b in template.blocks],
            units=units,
        )

    @property
    def program_weeks(self) -> int:
        """Weeks a per-week count must give (0: not a program)."""
        return self.weeks if self.program else 0

    # -- finding blocks ---------------------------------------------------------------------

    def at(self, path: Path) -> DraftBlock:
        siblings, index = self._place(path)
        return siblings[index]

    def _place(self, path: Path) -> tuple[list[DraftBlock], int]:
        """The list holding the block at `path`, and its index there."""
        if not path:
            raise IndexError("the empty path names no block")
        siblings = self.blocks
        for i in path[:-1]:
            holder = siblings[i]
            if not isinstance(holder, DraftRepeat):
                raise IndexError(f"{path} passes through an interval")
            siblings = holder.blocks
        if not 0 <= path[-1] < len(siblings):
            raise IndexError(f"no block at {path}")
        return siblings, path[-1]

    def _list(self, parent: Path) -> list[DraftBlock]:
        """The blocks directly inside `parent` (the top for ())."""
        if not parent:
            return self.blocks
        holder = self.at(parent)
        if not isinstance(holder, DraftRepeat):
            raise IndexError(f"{parent} is an interval; only a repeat holds blocks")
        return holder.blocks

    def walk(self) -> Iterator[tuple[Path, DraftBlock]]:
        """Every block with its path, parents before children."""

        def go(blocks: list[DraftBlock], prefix: Path) -> Iterator[tuple[Path, DraftBlock]]:
            for i, b in enumerate(blocks):
                yield (*prefix, i), b
                if isinstance(b, DraftRepeat):
                    yield from go(b.blocks, (*prefix, i))

        return go(self.blocks, ())

    # -- checking ---------------------------------------------------------------------------

    def _speed(self, block: DraftInterval) -> float | None:
        """The speed field as typed, in the runner's units."""
        u = self.units
        return parse_optional_number(block.speed, "Speed", 0, u.max_speed, u.label)

    @staticmethod
    def _incline(block: DraftInterval) -> float | None:
        return parse_optional_number(
            block.incline, "Incline", MIN_INCLINE_PCT, MAX_INCLINE_PCT, "%"
        )

    def _count(self, block: DraftRepeat) -> int | tuple[int, ...]:
        return parse_count(block.count, self.program_weeks)

    def field_problems(self, block: DraftBlock) -> dict[str, str]:
        """What is wrong with each field of `block`, by field name ("duration", "speed",
        "incline", "count"), plus "blocks" for a repeat with nothing inside."""
        checks: dict[str, Callable[[], object]]
        if isinstance(block, DraftRepeat):
            checks = {"count": lambda: self._count(block)}
        else:
            checks = {
                "duration": lambda: parse_duration(block.duration),
                "speed": lambda: self._speed(block),
                "incline": lambda: self._incline(block),
            }
        out = {}
        for name, check in checks.items():
            try:
                check()
            except FieldError as exc:
                out[name] = str(exc)
        if isinstance(block, DraftRepeat) and not block.blocks:
            out["blocks"] = EMPTY_REPEAT
        return out

    def problems(self) -> dict[Path, str]:
        """The first problem of each block that has one, in tree order."""
        out = {}
        for path, block in self.walk():
            found = self.field_problems(block)
            if found:
                out[path] = next(iter(found.values()))
        return out

    def read(self, block: DraftBlock) -> Block:
        """The block as a template block; FieldError for its first bad field (in the order
        `field_problems` gives them), each field read once."""
        if isinstance(block, DraftRepeat):
            count = self._count(block)
            if not block.blocks:
                raise FieldError(EMPTY_REPEAT)
            return RepeatBlock(
                count, tuple(self.read(b) for b in block.blocks), block.skip_last_rest
            )
        seconds = parse_duration(block.duration)
        speed = self._speed(block)
        incline = self._incline(block)
        exact = block.speed_kmh
        kmh = (
            float(exact)
            if exact is not None and block.speed.strip() == self.units.show(exact)
            else self.units.to_kmh(speed)
        )
        return IntervalBlock(
            block.kind,
            block.name.strip() or KIND_WORDS[block.kind],
            seconds,
            kmh,
            incline,
            block.cue.strip() or None,
        )

    def read_blocks(self) -> tuple[Block, ...]:
        """All blocks; FieldError for the first bad field in tree order."""
        return tuple(self.read(b) for b in self.blocks)

    def template(
        self, *, taken: Callable[[str], bool] = lambda _n: False, original: str | None = None
    ) -> Template:
        """The template as edited, checked as a template file would be. FieldError (or the
        file reader's TemplateError) says what is wrong. `taken` says whether a name belongs
        to another template; `original` is the name this one is stored under."""
        name = self.name.strip()
        if not name:
            raise FieldError("the template needs a name")
        if name.casefold() != (original or "").casefold() and taken(name):
            raise FieldError(f"a template named {name!r} already exists")
        blocks = self.read_blocks()
        if not blocks:
            raise FieldError("add at least one interval")
        if self.program and not repeats(blocks):
            raise FieldError("a program needs a repeat whose count changes by week")
        t = Template(name, self.kind, blocks, self.per_week if self.program else 1)
        return template_from_json(template_to_json(t))

    def with_units(self, units: Units) -> Draft:
        """The same draft with speeds shown in `units` (FieldError if a field does not read
        yet, so it cannot be converted)."""
        blocks = self.read_blocks()
        return replace(self, units=units, blocks=[draft_block(b, units) for b in blocks])

    # -- editing ----------------------------------------------------------------------------

    def insert(self, parent: Path, index: int, block: DraftBlock) -> Path:
        siblings = self._list(parent)
        index = min(max(index, 0), len(siblings))
        siblings.insert(index, block)
        return (*parent, index)

    def remove(self, path: Path) -> DraftBlock:
        siblings, index = self._place(path)
        return siblings.pop(index)

    def move(self, path: Path, step: int) -> Path:
        """Up (-1) or down (+1) among its siblings; the path it has now (unchanged at an end)."""
        siblings, index = self._place(path)
        to = index + step
        if not 0 <= to < len(siblings):
            return path
        siblings.insert(to, siblings.pop(index))
        return (*path[:-1], to)

    def indent(self, path: Path) -> Path | None:
        """Into the repeat just above it, at its end; None when no repeat is just above."""
        siblings, index = self._place(path)
        above = siblings[index - 1] if index > 0 else None
        if not isinstance(above, DraftRepeat):
            return None
        above.blocks.append(siblings.pop(index))
        return (*path[:-1], index - 1, len(above.blocks) - 1)

    def outdent(self, path: Path) -> Path:
        """Out of its repeat, just after it (unchanged at the top)."""
        if len(path) < 2:
            return path
        block = self.remove(path)
        parent = path[:-1]
        return self.insert(parent[:-1], parent[-1] + 1, block)

    def label(self, block: DraftBlock) -> str:
        """One line for the block in the tree: "Sprint · 0:15 · Work · 16 km/h · 2%"."""
        if isinstance(block, DraftRepeat):
            count = block.count.strip() or "?"
            return f"{count} times" + ("  (no last rest)" if block.skip_last_rest else "")
        kind = KIND_WORDS[block.kind]
        parts = [block.name or kind, block.duration or "?", kind]
        if block.speed.strip():
            parts.append(f"{block.speed.strip()} {self.units.label}")
        if block.incline.strip():
            parts.append(f"{block.incline.strip()}%")
        return "  ·  ".join(parts)


def _number(x: float) -> str:
    """The shortest text that reads back as `x` ("5", "2.5", "12.3456789")."""
    short = f"{x:g}"
    return short if float(short) == x else repr(x)


def draft_block(b: Block, units: Units) -> DraftBlock:
    """A template block as the fields the editor shows."""
    if isinstance(b, RepeatBlock):
        count = b.count if isinstance(b.count, int) else ", ".join(str(c) for c in b.count)
        return DraftRepeat(str(count), b.skip_last_rest, [draft_block(c, units) for c in b.blocks])
    return DraftInterval(
        b.kind,
        b.name,
        clock_text(b.seconds),
        units.show(b.speed_kmh),
        "" if b.incline_pct is None else _number(b.incline_pct),
        b.cue or "",
        b.speed_kmh,
    )


def new_repeat(weeks: int) -> DraftRepeat:
    """A repeat of a work and a rest, 4 times (each week, in a program of `weeks` weeks)."""
    return DraftRepeat(
        ", ".join(["4"] * weeks) if weeks > 1 else "4",
        False,
        [
            DraftInterval(IntervalKind.WORK, "Work", "0:30"),
            DraftInterval(IntervalKind.REST, "Rest", "0:30"),
        ],
    )
