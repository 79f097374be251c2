"""The template model: a tree of intervals and (nested) repeats, expanded to a flat plan.

A program is a template in which some repeat counts depend on the week ("by_week"); expanding it
for a week gives that week's session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from legtimer.engine.model import Interval, IntervalKind

MIN_SECONDS = 1
MAX_SECONDS = 4 * 3600
MAX_SPEED_KMH = 40.0
#: Speeds are kept in km/h; a runner who chose mph sees and hears them converted.
KM_PER_MILE = 1.609344
MIN_INCLINE_PCT = -10.0
MAX_INCLINE_PCT = 40.0
MIN_REPEAT = 1
MAX_REPEAT = 99
MAX_EXPANDED = 2000
MAX_WEEKS = 52
MAX_SESSIONS_PER_WEEK = 14
MAX_NAME = 80
MAX_CUE = 200

RESTING_KINDS = frozenset({IntervalKind.REST, IntervalKind.RECOVER})


class TemplateKind(StrEnum):
    SPRINT = "sprint"
    HIIT = "hiit"
    HILL = "hill"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class IntervalBlock:
    kind: IntervalKind
    name: str
    seconds: int
    speed_kmh: float | None = None
    incline_pct: float | None = None
    cue: str | None = None


@dataclass(frozen=True, slots=True)
class RepeatBlock:
    #: A fixed count, or one count per program week.
    count: int | tuple[int, ...]
    blocks: tuple[Block, ...]
    #: Drop the trailing rest/recover intervals of the last repetition.
    skip_last_rest: bool = False

    @property
    def by_week(self) -> bool:
        return isinstance(self.count, tuple)

    def count_for(self, week: int | None) -> int:
        if isinstance(self.count, int):
            return self.count
        if week is None:
            week = 1
        return self.count[min(max(week, 1), len(self.count)) - 1]


Block = IntervalBlock | RepeatBlock


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    kind: TemplateKind
    blocks: tuple[Block, ...]
    #: For a program: how many counted sessions open the next week.
    sessions_per_week: int = 1
    description: str = ""
    builtin: bool = field(default=False, compare=False)
    #: The store's id for the runner's own template ("" for a built-in or one not yet saved):
    #: its program progress is filed under it, so a rename keeps the progress.
    key: str = field(default="", compare=False)

    @property
    def weeks(self) -> int:
        """Number of program weeks (0 for a plain template)."""
        return max(
            (len(r.count) for r in repeats(self.blocks) if isinstance(r.count, tuple)), default=0
        )

    @property
    def is_program(self) -> bool:
        return self.weeks > 0

    def check_week(self, week: int | None) -> int | None:
        """`week` if it fits this template (None for no week), else ValueError saying why."""
        if week is None:
            return None
        if not self.is_program:
            raise ValueError(f"{self.name!r} is not a program; --week applies to programs")
        if not 1 <= week <= self.weeks:
            raise ValueError(f"week must be 1 to {self.weeks} for {self.name!r}")
        return week

    def expand(self, week: int | None = None) -> list[Interval]:
        return expand(self.blocks, week)

    def total_seconds(self, week: int | None = None) -> int:
        return int(sum(i.seconds for i in self.expand(week)))

    def work_count(self, week: int | None = None) -> int:
        return sum(1 for i in self.expand(week) if i.kind is IntervalKind.WORK)


def find_template(templates: Iterable[Template], name: str) -> Template:
    """The template called `name` (case does not matter), or LookupError naming the choices."""
    candidates = list(templates)
    folded = name.casefold()
    found = next((t for t in candidates if t.name.casefold() == folded), None)
    if found is None:
        known = ", ".join(t.name for t in candidates)
        raise LookupError(f"no template named {name!r} (known: {known})")
    return found


def repeats(blocks: tuple[Block, ...]) -> list[RepeatBlock]:
    """Every repeat block, nested ones included, outermost first."""
    out: list[RepeatBlock] = []
    for b in blocks:
        if isinstance(b, RepeatBlock):
            out.append(b)
            out.extend(repeats(b.blocks))
    return out


class TooManyIntervals(ValueError):
    pass


def expand(
    blocks: tuple[Block, ...], week: int | None = None, *, limit: int | None = None
) -> list[Interval]:
    """The flat interval list the engine runs, each labelled with its place in its repeat.

    With `limit`, stops with TooManyIntervals as soon as the list would pass it, so a template
    nesting 99 x 99 x 99 is refused without building a million intervals."""
    out: list[Interval] = []
    _expand_into(out, blocks, week, None, limit)
    return out


def _expand_into(
    out: list[Interval],
    blocks: tuple[Block, ...],
    week: int | None,
    place: tuple[int, int] | None,
    limit: int | None,
) -> None:
    for b in blocks:
        if isinstance(b, IntervalBlock):
            if limit is not None and len(out) >= limit:
                raise TooManyIntervals(f"more than {limit} intervals")
            label = f"{b.name} {place[0]} of {place[1]}" if place else ""
            out.append(
                Interval(
                    kind=b.kind,
                    name=b.name,
                    seconds=b.seconds,
                    speed_kmh=b.speed_kmh,
                    incline_pct=b.incline_pct,
                    cue=b.cue,
                    label=label,
                    repetition=place[0] if place else None,
                    repetitions=place[1] if place else None,
                )
            )
        else:
            count = b.count_for(week)
            for i in range(1, count + 1):
                start = len(out)
                _expand_into(out, b.blocks, week, (i, count), limit)
                if b.skip_last_rest and i == count:
                    while len(out) > start and out[-1].kind in RESTING_KINDS:
                        out.pop()
