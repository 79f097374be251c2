"""The session state machine.

Time is never counted in ticks. The session keeps the clock reading at which it last started
running and the active time accumulated before that; the active position is derived from the
clock on demand, and every boundary is placed at the exact active time it is due (the previous
boundary plus the interval's length), not at the moment a poll happened to notice it. A late poll
therefore loses nothing and adds no drift: it reports everything it crossed, in order, stamped
with the time each thing was due.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from legtimer.engine.clock import Clock
from legtimer.engine.model import Interval

#: Comparisons of derived times tolerate float rounding of sums of interval lengths.
EPSILON = 1e-9


class State(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"

    @property
    def is_over(self) -> bool:
        return self in (State.FINISHED, State.STOPPED)

    @property
    def is_live(self) -> bool:
        return self in (State.RUNNING, State.PAUSED)


class EventKind(StrEnum):
    INTERVAL_STARTED = "interval_started"
    COUNTDOWN = "countdown"
    HALFWAY = "halfway"
    INTERVAL_ENDED = "interval_ended"
    PAUSED = "paused"
    RESUMED = "resumed"
    SLEEP_DETECTED = "sleep_detected"
    FINISHED = "finished"
    STOPPED = "stopped"


class Outcome(StrEnum):
    NOT_REACHED = "not_reached"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SKIPPED = "skipped"
    STOPPED = "stopped"


class Reason(StrEnum):
    """Why an interval started or ended."""

    START = "start"
    BOUNDARY = "boundary"
    SKIP = "skip"
    BACK = "back"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    index: int
    #: Monotonic clock time at which this was due (not when a poll noticed it).
    at: float
    #: Active session time (pauses excluded) at which this was due.
    active_at: float
    #: Countdown: seconds to the boundary (3, 2, 1). Sleep detected: the gap in seconds.
    value: float | None = None
    reason: Reason | None = None
    #: On INTERVAL_ENDED: the interval's record as it ended.
    record: IntervalRecord | None = None


@dataclass(frozen=True, slots=True)
class IntervalRecord:
    """What actually happened in one planned interval."""

    index: int
    interval: Interval
    actual_seconds: float = 0.0
    paused_seconds: float = 0.0
    outcome: Outcome = Outcome.NOT_REACHED

    @property
    def planned_seconds(self) -> float:
        return self.interval.seconds

    @property
    def completed(self) -> bool:
        return self.outcome is Outcome.COMPLETED


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a screen needs, derived at one instant."""

    state: State
    index: int
    interval: Interval
    next_interval: Interval | None
    seconds_left: float
    interval_elapsed: float
    #: Active time so far (pauses excluded).
    elapsed: float
    #: Planned time still ahead: the rest of this interval plus every later one.
    remaining: float
    total_planned: float
    paused_total: float
    progress: float
    count: int

    @property
    def display_seconds_left(self) -> int:
        """Whole seconds as shown: 15 during the first second of a 15 s interval, 1 in the last."""
        return max(0, math.ceil(self.seconds_left - EPSILON))

    @property
    def display_remaining(self) -> int:
        """The session's time left in whole seconds, rounded as `display_seconds_left` is, so
        the two clocks on screen agree: in the last interval they show the same second."""
        return max(0, math.ceil(self.remaining - EPSILON))


@dataclass(order=True, slots=True)
class _Due:
    active_at: float
    order: int
    kind: EventKind = field(compare=False)
    value: float | None = field(default=None, compare=False)


class Session:
    """Runs a flat list of intervals against an injected clock.

    Operations that make no sense in the current state (resume while running, skip after the
    end...) are no-ops that return no events, so a key pressed at the wrong moment cannot break
    a session. Each operation first brings the session up to the present, so its events follow
    everything that was already due.
    """

    def __init__(
        self,
        intervals: Sequence[Interval],
        clock: Clock,
        *,
        countdown_lead: int = 3,
        halfway_min_seconds: float = 20.0,
        back_window: float = 2.0,
        stall_grace: float | None = 10.0,
    ) -> None:
        if not intervals:
            raise ValueError("a session needs at least one interval")
        for i, interval in enumerate(intervals):
            if not interval.seconds > 0:
                raise ValueError(f"interval {i} ({interval.name!r}) must last more than 0 s")
        if countdown_lead < 0:
            raise ValueError("countdown lead must be 0 or more seconds")
        self.intervals: tuple[Interval, ...] = tuple(intervals)
        self.clock = clock
        self.countdown_lead = countdown_lead
        self.halfway_min_seconds = halfway_min_seconds
        self.back_window = back_window
        self.stall_grace = stall_grace

        starts = [0.0]
        for interval in self.intervals:
            starts.append(starts[-1] + interval.seconds)
        self._plan_starts = starts
        self.total_planned = starts[-1]

        self._state = State.READY
        self._index = 0
        self._active_base = 0.0  # active time at _run_since (running) or now (otherwise)
        self._run_since = 0.0
        self._paused_since = 0.0
        self._paused_total = 0.0
        self._visit_start = 0.0  # active time at which the current visit began
        self._due: list[_Due] = []
        self._records = [IntervalRecord(i, iv) for i, iv in enumerate(self.intervals)]
        self._last_poll: float | None = None
        self._last_wall: float | None = None
        self._expected_next: float | None = None
        self.started_wall: float | None = None
        self.ended_wall: float | None = None

    # -- reading ------------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    def records(self, now: float | None = None) -> tuple[IntervalRecord, ...]:
        """Per-interval records; the one in progress is credited up to `now`."""
        now = self._now(now)
        records = list(self._records)
        if self._state.is_live:
            cur = records[self._index]
            records[self._index] = replace(
                cur,
                actual_seconds=cur.actual_seconds + self._active(now) - self._visit_start,
                paused_seconds=cur.paused_seconds + self._pause_so_far(now),
            )
        return tuple(records)

    def snapshot(self, now: float | None = None) -> Snapshot:
        now = self._now(now)
        interval = self.intervals[self._index]
        if self._state is State.READY:
            elapsed_in = 0.0
            active = 0.0
        elif self._state.is_over:
            active = self._active_base
            elapsed_in = active - self._visit_start
        else:
            active = self._active(now)
            elapsed_in = active - self._visit_start
        if self._state is State.FINISHED:
            left = 0.0
            progress = 1.0
        else:
            left = max(0.0, interval.seconds - elapsed_in)
            done = self._plan_starts[self._index] + min(elapsed_in, interval.seconds)
            progress = min(1.0, done / self.total_planned)
        later = self.total_planned - self._plan_starts[self._index + 1]
        remaining = 0.0 if self._state.is_over else left + later
        nxt = self._index + 1
        return Snapshot(
            state=self._state,
            index=self._index,
            interval=interval,
            next_interval=self.intervals[nxt] if nxt < len(self.intervals) else None,
            seconds_left=left,
            interval_elapsed=elapsed_in,
            elapsed=active,
            remaining=remaining,
            total_planned=self.total_planned,
            paused_total=self._paused_total + self._pause_so_far(now),
            progress=progress,
            count=len(self.intervals),
        )

    def next_deadline(self, now: float | None = None) -> float | None:
        """Monotonic time of the next change worth showing or announcing: the next due event
        or the next change of a displayed whole second. None when nothing will change by
        itself (ready, paused, over)."""
        if self._state is not State.RUNNING:
            return None
        now = self._now(now)
        active = self._active(now)
        candidates = []
        if self._due:
            candidates.append(self._due[0].active_at)
        end = self._visit_start + self.intervals[self._index].seconds
        left = end - active
        shown = math.ceil(left - EPSILON)
        candidates.append(end - (shown - 1))
        candidates.append(math.floor(active + EPSILON) + 1.0)
        return self._mono_at(max(active, min(candidates)))

    def upcoming(self, horizon: float, now: float | None = None) -> list[Event]:
        """Events of the current interval due within `horizon` seconds from `now`, as they will
        be reported if the session keeps running (an interval's end is given as what follows
        it: the next interval's start, or the finish). Nothing is consumed; this lets a cue be
        started early by the output latency so that it is heard on time."""
        if self._state is not State.RUNNING:
            return []
        now = self._now(now)
        active = self._active(now)
        out = []
        for due in self._due:
            if due.active_at > active + horizon + EPSILON:
                break
            at = self._mono_at(due.active_at)
            if due.kind is EventKind.INTERVAL_ENDED:
                nxt = self._index + 1
                if nxt < len(self.intervals):
                    ev = Event(
                        EventKind.INTERVAL_STARTED, nxt, at, due.active_at, reason=Reason.BOUNDARY
                    )
                else:
                    ev = Event(EventKind.FINISHED, self._index, at, due.active_at)
            else:
                ev = Event(due.kind, self._index, at, due.active_at, due.value)
            out.append(ev)
        return out

    def next_due(self) -> float | None:
        """Monotonic time of the next scheduled event, if running."""
        if self._state is not State.RUNNING or not self._due:
            return None
        return self._mono_at(self._due[0].active_at)

    # -- operations ---------------------------------------------------------------------------

    def poll(self, now: float | None = None) -> tuple[Snapshot, list[Event]]:
        """Bring the session up to `now`: the snapshot and every event due since the last poll."""
        events = self._catch_up(now)
        return self.snapshot(now), events

    def start(self, now: float | None = None) -> list[Event]:
        if self._state is not State.READY:
            return []
        now = self._now(now)
        self._state = State.RUNNING
        self._run_since = now
        self._active_base = 0.0
        self.started_wall = self.clock.wall()
        self._mark_polled(now)
        return [self._begin_visit(0, 0.0, Reason.START)]

    def pause(self, now: float | None = None) -> list[Event]:
        now = self._now(now)
        events = self._catch_up(now)
        if self._state is not State.RUNNING:
            return events
        events.append(self._pause_at(now))
        return events

    def resume(self, now: float | None = None) -> list[Event]:
        now = self._now(now)
        if self._state is not State.PAUSED:
            return []
        self._close_pause(now)
        self._state = State.RUNNING
        self._run_since = now
        self._mark_polled(now)
        return [self._event(EventKind.RESUMED, self._active_base)]

    def toggle_pause(self, now: float | None = None) -> list[Event]:
        if self._state is State.PAUSED:
            return self.resume(now)
        if self._state is State.READY:
            return self.start(now)
        return self.pause(now)

    def skip(self, now: float | None = None) -> list[Event]:
        """End the current interval now and go to the next (or finish after the last)."""
        now = self._now(now)
        events = self._catch_up(now)
        if not self._state.is_live:
            return events
        active = self._active(now)
        events.append(self._end_visit(active, Outcome.SKIPPED, Reason.SKIP, now))
        if self._index + 1 < len(self.intervals):
            events.append(self._begin_visit(self._index + 1, active, Reason.SKIP))
        else:
            events.append(self._finish(active, now))
        return events

    def back(self, now: float | None = None) -> list[Event]:
        """Restart the current interval; within its first seconds, go to the previous one."""
        now = self._now(now)
        events = self._catch_up(now)
        if not self._state.is_live:
            return events
        active = self._active(now)
        target = self._index
        if active - self._visit_start < self.back_window and self._index > 0:
            target -= 1
        self._credit(now, active)
        self._records[self._index] = replace(
            self._records[self._index],
            outcome=Outcome.NOT_REACHED if target != self._index else Outcome.IN_PROGRESS,
        )
        events.append(self._begin_visit(target, active, Reason.BACK))
        return events

    def stop(self, now: float | None = None) -> list[Event]:
        """End the session early. What was done is kept in the records."""
        now = self._now(now)
        events = self._catch_up(now)
        if not self._state.is_live:
            return events
        active = self._active(now)
        events.append(self._end_visit(active, Outcome.STOPPED, Reason.STOP, now))
        self._state = State.STOPPED
        self._active_base = active
        self.ended_wall = self.clock.wall()
        events.append(self._event(EventKind.STOPPED, active, at=self._mono_or(now, active)))
        return events

    # -- internals ----------------------------------------------------------------------------

    def _now(self, now: float | None) -> float:
        return self.clock.monotonic() if now is None else now

    def _active(self, now: float) -> float:
        if self._state is State.RUNNING:
            return self._active_base + max(0.0, now - self._run_since)
        return self._active_base

    def _mono_at(self, active: float) -> float:
        return self._run_since + (active - self._active_base)

    def _mono_or(self, now: float, active: float) -> float:
        return self._mono_at(active) if self._state is State.RUNNING else now

    def _pause_so_far(self, now: float) -> float:
        return max(0.0, now - self._paused_since) if self._state is State.PAUSED else 0.0

    def _event(
        self,
        kind: EventKind,
        active: float,
        *,
        at: float | None = None,
        value: float | None = None,
        reason: Reason | None = None,
        record: IntervalRecord | None = None,
    ) -> Event:
        if at is None:
            at = self._mono_at(active) if self._state is State.RUNNING else self._paused_since
        return Event(kind, self._index, at, active, value, reason, record)

    def _mark_polled(self, now: float) -> None:
        self._last_poll = now
        self._last_wall = self.clock.wall()
        self._expected_next = self.next_deadline(now)

    def _schedule(self, start: float) -> None:
        seconds = self.intervals[self._index].seconds
        end = start + seconds
        due = []
        if seconds >= self.halfway_min_seconds:
            due.append(_Due(start + seconds / 2, 0, EventKind.HALFWAY))
        for k in range(self.countdown_lead, 0, -1):
            if end - k > start + EPSILON:
                due.append(_Due(end - k, 1, EventKind.COUNTDOWN, float(k)))
        due.append(_Due(end, 2, EventKind.INTERVAL_ENDED))
        due.sort()
        self._due = due

    def _begin_visit(self, index: int, active: float, reason: Reason) -> Event:
        self._index = index
        self._visit_start = active
        self._records[index] = replace(self._records[index], outcome=Outcome.IN_PROGRESS)
        self._schedule(active)
        return self._event(EventKind.INTERVAL_STARTED, active, reason=reason)

    def _credit(self, now: float, active: float) -> None:
        rec = self._records[self._index]
        self._records[self._index] = replace(
            rec,
            actual_seconds=rec.actual_seconds + (active - self._visit_start),
            paused_seconds=rec.paused_seconds + self._pause_so_far(now),
        )
        if self._state is State.PAUSED:
            self._paused_total += self._pause_so_far(now)
            self._paused_since = now
        self._visit_start = active

    def _end_visit(self, active: float, outcome: Outcome, reason: Reason, now: float) -> Event:
        self._credit(now, active)
        rec = replace(self._records[self._index], outcome=outcome)
        self._records[self._index] = rec
        self._due = []
        return self._event(
            EventKind.INTERVAL_ENDED,
            active,
            at=self._mono_or(now, active),
            reason=reason,
            record=rec,
        )

    def _finish(self, active: float, now: float) -> Event:
        at = self._mono_or(now, active)
        if self._state is State.PAUSED:
            self._close_pause(now)
        self._state = State.FINISHED
        self._active_base = active
        self.ended_wall = self.clock.wall()
        return self._event(EventKind.FINISHED, active, at=at)

    def _pause_at(self, now: float) -> Event:
        self._active_base = self._active(now)
        self._state = State.PAUSED
        self._paused_since = now
        return self._event(EventKind.PAUSED, self._active_base, at=now)

    def _close_pause(self, now: float) -> None:
        gap = self._pause_so_far(now)
        self._paused_total += gap
        rec = self._records[self._index]
        self._records[self._index] = replace(rec, paused_seconds=rec.paused_seconds + gap)
        self._paused_since = now

    def _stalled(self, now: float, *, check_wall: bool) -> float | None:
        """The gap, if the time since the last poll is far beyond anything expected: the
        monotonic clock jumped (Windows counts suspend) or the wall clock moved on much more
        than the monotonic one (Linux stops the monotonic clock during suspend)."""
        if self.stall_grace is None or self._last_poll is None:
            return None
        expected = max(self._last_poll, self._expected_next or self._last_poll)
        if now - expected > self.stall_grace:
            return now - self._last_poll
        if check_wall and self._last_wall is not None:
            wall_gap = self.clock.wall() - self._last_wall
            if wall_gap - (now - self._last_poll) > self.stall_grace:
                return wall_gap
        return None

    def _catch_up(self, now: float | None) -> list[Event]:
        explicit = now is not None
        now = self._now(now)
        events: list[Event] = []
        if self._state is not State.RUNNING:
            return events
        # An explicit `now` says nothing about the wall clock, so only the monotonic gap counts.
        gap = self._stalled(now, check_wall=not explicit)
        if gap is not None:
            # Pause where the session was last seen, so nothing runs by unseen.
            assert self._last_poll is not None
            last = self._last_poll
            events.extend(self._advance(last))
            if self._state is State.RUNNING:
                events.append(self._event(EventKind.SLEEP_DETECTED, self._active(last), value=gap))
                events.append(self._pause_at(last))
            return events
        events.extend(self._advance(now))
        if self._state is State.RUNNING:
            self._mark_polled(now)
        return events

    def _advance(self, now: float) -> list[Event]:
        events: list[Event] = []
        active = self._active(now)
        while (
            self._state is State.RUNNING
            and self._due
            and self._due[0].active_at <= active + EPSILON
        ):
            due = self._due.pop(0)
            if due.kind is EventKind.INTERVAL_ENDED:
                t = due.active_at
                events.append(self._end_visit(t, Outcome.COMPLETED, Reason.BOUNDARY, now))
                if self._index + 1 < len(self.intervals):
                    events.append(self._begin_visit(self._index + 1, t, Reason.BOUNDARY))
                else:
                    events.append(self._finish(t, now))
            else:
                events.append(self._event(due.kind, due.active_at, value=due.value))
        return events
