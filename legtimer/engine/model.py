"""What the engine runs: a flat list of intervals (the plans package expands templates to it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IntervalKind(StrEnum):
    WARMUP = "warmup"
    WORK = "work"
    REST = "rest"
    RECOVER = "recover"
    COOLDOWN = "cooldown"

    @property
    def is_work(self) -> bool:
        return self is IntervalKind.WORK


@dataclass(frozen=True, slots=True)
class Interval:
    kind: IntervalKind
    name: str
    seconds: float
    speed_kmh: float | None = None
    incline_pct: float | None = None
    cue: str | None = None
    #: Place in its repeat, for the screen and voice: "Sprint 3 of 8". Empty outside repeats.
    label: str = ""
    repetition: int | None = None
    repetitions: int | None = None

    @property
    def title(self) -> str:
        return self.label or self.name
