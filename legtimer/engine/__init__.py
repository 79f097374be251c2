"""The session engine: stdlib only, no Qt. Time is derived from an injected clock."""

from legtimer.engine.clock import Clock, FakeClock, SystemClock
from legtimer.engine.model import Interval, IntervalKind
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
