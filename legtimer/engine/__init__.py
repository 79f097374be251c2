"""The session engine: stdlib only, no Qt. Time is derived from an injected clock.

The session machinery (`legtimer.engine.session`) loads on first use of one of its names: the
home screen needs intervals but no session, and building the session's classes (four
dataclasses, four enums) is a few milliseconds of start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from legtimer.engine.clock import Clock, FakeClock, SystemClock
from legtimer.engine.model import Interval, IntervalKind
from legtimer.lazy import lazy_names

if TYPE_CHECKING:
    from legtimer.engine.session import (
        Event,
        EventKind,
        IntervalRecord,
        Outcome,
        Reason,
        Session,
        Snapshot,
        State,
    )

__all__ = [
    "Clock",
    "Event",
    "EventKind",
    "FakeClock",
    "Interval",
    "IntervalKind",
    "IntervalRecord",
    "Outcome",
    "Reason",
    "Session",
    "Snapshot",
    "State",
    "SystemClock",
]

__getattr__ = lazy_names(
    globals(),
    "legtimer.engine.session",
    ["Event", "EventKind", "IntervalRecord", "Outcome", "Reason", "Session", "Snapshot", "State"],
)
