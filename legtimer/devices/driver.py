"""When the belt gets which target: the session's plan turned into treadmill commands.

Pure logic (no I/O, no clock of its own): `BeltDriver.update(snapshot, now)` is called with
every session snapshot and returns the commands to send now. The rules:

- Speeding up is sent early, by the time the belt takes to get there (the machine's measured
  ramp), so the runner is at speed on the "go"; slowing down is sent at the boundary, so a
  sprint is never cut short. The same holds for the incline.
- Values outside the machine's ranges are clamped to them, and said once.
- While paused, nothing is raised. A stopped or finished session brings the belt down to the
  cool-down speed: never to a halt, which is the runner's key to press.
- The runner's own buttons win: when the machine reports a target LegTimer did not send, the
  driver stops until the next interval begins, and says so.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from legtimer.devices.ftms import Range
from legtimer.engine import Interval, IntervalKind, Snapshot, State

SPEED = "speed"
INCLINE = "incline"
#: Before a machine's ramp is measured: a cautious 1 km/h a second (home machines take 5-15 s
#: from 5 to 16 km/h).
DEFAULT_RAMP = 1.0
#: Inclines move about half a percent a second on home machines.
INCLINE_RATE = 0.5
#: With no cool-down speed in the template, the belt is brought down to a walk.
WALK_KMH = 5.0
#: Added to every lead: the session is seen about once a second, so a command may go out up
#: to a second after its moment.
LEAD_MARGIN_S = 1.0


@dataclass(frozen=True)
class Command:
    what: str  # SPEED or INCLINE
    value: float
    #: The interval the value belongs to.
    index: int


class RampMeter:
    """The belt's speed change rate (km/h per second), measured from its speed reports after
    each commanded change of at least 2 km/h; the median of the last five."""

    def __init__(self, known: list[float] | None = None) -> None:
        self.samples: deque[float] = deque(known or [], maxlen=5)
        self._change: tuple[float, float, float] | None = None  # (sent at, from, to)

    @property
    def rate(self) -> float:
        return statistics.median(self.samples) if self.samples else DEFAULT_RAMP

    def commanded(self, now: float, belt: float | None, target: float) -> None:
        if belt is not None and abs(target - belt) >= 2.0:
            self._change = (now, belt, target)
        else:
            self._change = None

    def observe(self, now: float, belt: float) -> float | None:
        """A speed report; the new measurement when a change just completed."""
        if self._change is None:
            return None
        sent, start, target = self._change
        if abs(belt - target) <= 0.3 and now > sent:
            self._change = None
            rate = (abs(target - start) - 0.3) / (now - sent)
            if 0.05 <= rate <= 10:
                self.samples.append(round(rate, 3))
                return rate
        return None


class BeltDriver:
    def __init__(
        self,
        intervals: Sequence[Interval],
        *,
        speed_range: Range | None,
        incline_range: Range | None,
        ramp: float = DEFAULT_RAMP,
        drive_incline: bool = True,
    ) -> None:
        self.intervals = intervals
        self.speed_range = speed_range
        self.incline_range = incline_range
        self.ramp = ramp
        self.drive_incline = drive_incline and incline_range is not None
        #: The last value sent of each kind, and the few before (a machine's echo of an
        #: earlier command may arrive after a later one was sent).
        self.sent: dict[str, float | None] = {SPEED: None, INCLINE: None}
        self._recent: dict[str, deque[float]] = {SPEED: deque(maxlen=4), INCLINE: deque(maxlen=4)}
        self._early: set[tuple[str, int]] = set()
        self._index: int | None = None
        self._applied: int | None = None
        self.overridden = False
        self.finished = False
        #: Things to tell the runner, oldest first (the screen takes them).
        self.messages: list[str] = []
        self._said: set[str] = set()

    # -- what the machine says --------------------------------------------------------------------

    def machine_target(self, what: str, value: float) -> None:
        """The machine reports a new target: LegTimer's echo, or the runner's buttons."""
        if self.finished or self.overridden:
            return
        tolerance = self._step(what) / 2 + 0.051
        if any(abs(value - v) <= tolerance for v in self._recent[what]):
            return
        if self.sent[what] is None:
            return
        self.overridden = True
        self._say("Your treadmill buttons are in charge until the next interval.")

    # -- what to send ------------------------------------------------------------------------

    def update(self, snap: Snapshot) -> list[Command]:
        if self.finished:
            return []
        if snap.state.is_over:
            return self._cool_down()
        out: list[Command] = []
        if snap.index != self._index:
            self._index = snap.index
            self.overridden = False
        if snap.state is not State.RUNNING:
            return out  # paused: nothing raised, nothing changed until the runner goes on
        if self._applied != snap.index:
            self._applied = snap.index
            out += self._targets(snap.interval, snap.index)
        if self.overridden:
            return out
        following = snap.index + 1
        if following < len(self.intervals):
            nxt = self.intervals[following]
            for what, rate in ((SPEED, self.ramp), (INCLINE, INCLINE_RATE)):
                if (what, following) in self._early:
                    continue
                want = self._wanted(what, nxt)
                now = self.sent[what]
                if want is None or now is None or want <= now:
                    continue
                lead = min(snap.interval.seconds, (want - now) / max(rate, 0.05) + LEAD_MARGIN_S)
                if snap.seconds_left <= lead:
                    self._early.add((what, following))
                    out += self._send(what, want, following)
        return out

    def _targets(self, interval: Interval, index: int) -> list[Command]:
        out = []
        for what in (SPEED, INCLINE):
            want = self._wanted(what, interval)
            if want is None or want == self.sent[what]:
                continue
            out += self._send(what, want, index)
        return out

    def _wanted(self, what: str, interval: Interval) -> float | None:
        if what == SPEED:
            if interval.speed_kmh is None or self.speed_range is None:
                return None
            return self._clamp(what, interval.speed_kmh, self.speed_range, "km/h")
        if not self.drive_incline or interval.incline_pct is None or self.incline_range is None:
            return None
        return self._clamp(what, interval.incline_pct, self.incline_range, "%")

    def _clamp(self, what: str, value: float, rng: Range, unit: str) -> float:
        clamped = rng.clamp(value)
        if abs(clamped - value) > rng.step / 2 + 1e-9:
            side = "above" if value > clamped else "below"
            limit = rng.high if value > clamped else rng.low
            self._say(
                f"{value:g} {unit} is {side} this treadmill's {limit:g} {unit}: "
                f"LegTimer sets {clamped:g} {unit}."
            )
        return clamped

    def _send(self, what: str, value: float, index: int) -> list[Command]:
        self.sent[what] = value
        self._recent[what].append(value)
        return [Command(what, value, index)]

    def _cool_down(self) -> list[Command]:
        self.finished = True
        speed = self.sent[SPEED]
        if speed is None or self.speed_range is None:
            return []
        cools = [i.speed_kmh for i in self.intervals if i.kind is IntervalKind.COOLDOWN]
        cool = next((s for s in cools if s), None)
        target = self.speed_range.clamp(cool if cool is not None else WALK_KMH)
        if target >= speed:
            return []
        return self._send(SPEED, target, len(self.intervals) - 1)

    def _step(self, what: str) -> float:
        rng = self.speed_range if what == SPEED else self.incline_range
        return rng.step if rng is not None else 0.1

    def _say(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self.messages.append(message)
