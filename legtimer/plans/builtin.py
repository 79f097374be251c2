"""The built-in sessions (read-only; the runner duplicates one to change it).

The sprint program's numbers come from DOMAIN.md: 15 s sprint / 45 s rest, 6, 8, 10 and 12
repetitions in weeks 1 to 4, wrapped in a 5-minute warm-up and cool-down.
"""

from __future__ import annotations

from dataclasses import replace

from legtimer.engine.model import IntervalKind as K
from legtimer.plans.model import IntervalBlock, RepeatBlock, Template, TemplateKind

SPRINT_WEEKS = (6, 8, 10, 12)
SPRINT_SECONDS = 15
SPRINT_REST_SECONDS = 45
WARMUP_SECONDS = 5 * 60
COOLDOWN_SECONDS = 5 * 60

SPRINT_PROGRAM = "Sprint 15/45"


def _warmup(speed: float = 8, incline: float = 1) -> IntervalBlock:
    return IntervalBlock(
        K.WARMUP, "Warm-up", WARMUP_SECONDS, speed, incline, "Easy jog: land softly, stay tall"
    )


def _cooldown(speed: float = 6, incline: float = 1) -> IntervalBlock:
    return IntervalBlock(K.COOLDOWN, "Cool-down", COOLDOWN_SECONDS, speed, incline)


def sprint_program() -> Template:
    return Template(
        name=SPRINT_PROGRAM,
        kind=TemplateKind.SPRINT,
        description="The 4-week sprint program: 15 s sprint at full speed, 45 s rest; "
        "6, 8, 10, then 12 sprints.",
        sessions_per_week=1,
        blocks=(
            _warmup(),
            RepeatBlock(
                SPRINT_WEEKS,
                (
                    IntervalBlock(K.WORK, "Sprint", SPRINT_SECONDS, 16, 1, "Full speed"),
                    IntervalBlock(K.REST, "Rest", SPRINT_REST_SECONDS, 5, 1),
                ),
            ),
            _cooldown(),
        ),
    )


def hiit_30_30() -> Template:
    return Template(
        name="HIIT 30/30",
        kind=TemplateKind.HIIT,
        description="Ten rounds of 30 s hard, 30 s easy.",
        blocks=(
            _warmup(),
            RepeatBlock(
                10,
                (
                    IntervalBlock(K.WORK, "Hard", 30, 14, 1),
                    IntervalBlock(K.REST, "Easy", 30, 6, 1),
                ),
            ),
            _cooldown(),
        ),
    )


def tabata_20_10() -> Template:
    return Template(
        name="Tabata 20/10",
        kind=TemplateKind.HIIT,
        description="Eight rounds of 20 s all-out, 10 s rest.",
        blocks=(
            _warmup(),
            RepeatBlock(
                8,
                (
                    IntervalBlock(K.WORK, "All-out", 20, 15, 1),
                    IntervalBlock(K.REST, "Rest", 10, 5, 1),
                ),
            ),
            _cooldown(),
        ),
    )


def hill_repeats() -> Template:
    return Template(
        name="Hill repeats",
        kind=TemplateKind.HILL,
        description="Six hard uphill minutes with 90 s recovery on the flat.",
        blocks=(
            IntervalBlock(K.WARMUP, "Warm-up jog", WARMUP_SECONDS, 8, 1),
            RepeatBlock(
                6,
                (
                    IntervalBlock(K.WORK, "Uphill", 60, 10, 6, "Drive the knees, short steps"),
                    IntervalBlock(K.REST, "Recover", 90, 5, 1),
                ),
            ),
            IntervalBlock(K.COOLDOWN, "Cool-down", COOLDOWN_SECONDS, 6, 1),
        ),
    )


def builtins() -> list[Template]:
    return [
        replace(t, builtin=True)
        for t in (sprint_program(), hiit_30_30(), tabata_20_10(), hill_repeats())
    ]


def find_builtin(name: str) -> Template | None:
    folded = name.casefold()
    return next((t for t in builtins() if t.name.casefold() == folded), None)
