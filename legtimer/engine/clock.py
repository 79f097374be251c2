"""Clocks. The engine never reads time itself: it is handed a clock, so tests move time by hand."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards (its origin is arbitrary)."""
        ...

    def wall(self) -> float:
        """Seconds since the epoch (may jump: suspend on Linux, clock changes)."""
        ...


class SystemClock:
    """The real clocks. Linux's monotonic clock stops during suspend while Windows' counts on;
    the engine compares both to notice a sleep either way."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1000.0, wall_start: float = 1_700_000_000.0) -> None:
        self._mono = start
        self._wall = wall_start

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Both clocks move on together, as when the machine is awake."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._mono += seconds
        self._wall += seconds

    def suspend(self, seconds: float, *, monotonic_counts: bool = False) -> None:
        """The machine sleeps: wall time moves on; monotonic time moves only where the
        platform counts suspended time (Windows) and stands still where it does not (Linux)."""
        self._wall += seconds
        if monotonic_counts:
            self._mono += seconds
