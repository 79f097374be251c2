"""SessionRunner: the Qt adapter that drives an engine Session in the event loop.

Rather than waking at a fixed rate, it arms one single-shot precise timer for the next moment
anything changes (the next cue, boundary or displayed second), so the screen is punctual and the
process sleeps in between. With a plan horizon it also hands over, ahead of time, the cues due
within it (`cues_planned`), again after anything that moves them (pause, skip, back, stop), so a
sound back end that schedules can place each one exactly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from legtimer.engine import Event, EventKind, Session, Snapshot, State
from legtimer.gui.qtnames import set_enum_property

#: Qt's timers have millisecond resolution and may fire up to a millisecond late. For a due
#: event (a boundary, a countdown beep) the runner arms this much early and waits out the last
#: sliver itself, so the event is on time to well under a millisecond. It spins rather than
#: sleeps: on a idle (virtual) machine time.sleep(0.002) was measured overshooting by up to
#: 25 ms, and the sliver costs at most 2-3 ms of CPU per event.
EARLY_S = 0.002


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


CUE_KINDS = frozenset(
    {EventKind.COUNTDOWN, EventKind.INTERVAL_STARTED, EventKind.FINISHED, EventKind.HALFWAY}
)


def cue_key(event: Event) -> tuple[EventKind, int, float]:
    """The same for an event planned ahead and for that event when it happens."""
    return (event.kind, event.index, round(event.at, 6))


class SessionRunner(QObject):
    #: A fresh Snapshot after anything that may change what is shown.
    snapshot_changed = Signal(object)
    #: Each engine Event, in order, as soon as it is due.
    event_occurred = Signal(object)
    #: The session's State when it changes.
    state_changed = Signal(object)
    #: Events that have a sound, as they happen.
    cue_due = Signal(object)
    #: The events with a sound due within the plan horizon, as a list: the whole plan each
    #: time it changes (empty when paused or over).
    cues_planned = Signal(object)

    def __init__(
        self,
        session: Session,
        parent: QObject | None = None,
        *,
        sleep: Callable[[float], None] = spin,
        plan_horizon: float = 0.0,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._sleep = sleep
        self.plan_horizon = max(0.0, plan_horizon)
        self._planned: tuple[Event, ...] = ()
        self._deadline: float | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("sessionRunnerTimer")
        self._timer.setSingleShot(True)
        set_enum_property(self._timer, "timerType", "PreciseTimer")
        self._timer.timeout.connect(self.tick)
        self._state = session.state

    @property
    def snapshot(self) -> Snapshot:
        return self.session.snapshot()

    @property
    def armed_in_ms(self) -> int | None:
        """Milliseconds until the timer fires, or None when it is not armed (tests)."""
        return self._timer.remainingTime() if self._timer.isActive() else None

    def start(self, delay: float = 0.0) -> None:
        """Start the session, `delay` seconds from now (time for its first cue to be placed)."""
        now = self.session.clock.monotonic()
        self._apply(self.session.start(now + max(0.0, delay)))

    @Slot()
    def pause(self) -> None:
        self._apply(self.session.pause())

    @Slot()
    def resume(self) -> None:
        self._apply(self.session.resume())

    @Slot()
    def toggle_pause(self) -> None:
        self._apply(self.session.toggle_pause())

    @Slot()
    def skip(self) -> None:
        self._apply(self.session.skip())

    @Slot()
    def back(self) -> None:
        self._apply(self.session.back())

    @Slot()
    def stop(self) -> None:
        self._apply(self.session.stop())

    @Slot()
    def tick(self) -> None:
        """Bring the session up to now. Public so tests can drive it with a fake clock."""
        if self._deadline is not None:
            ahead = self._deadline - self.session.clock.monotonic()
            if 0 < ahead <= 2 * EARLY_S:
                self._sleep(ahead)
        _, events = self.session.poll()
        self._apply(events)

    def _apply(self, events: list[Event]) -> None:
        for event in events:
            self.event_occurred.emit(event)
            if event.kind in CUE_KINDS:
                self.cue_due.emit(event)
        if self.plan_horizon > 0:
            planned = tuple(self._upcoming_cues(self.plan_horizon))
            if [cue_key(e) for e in planned] != [cue_key(e) for e in self._planned]:
                self._planned = planned
                self.cues_planned.emit(list(planned))
        state = self.session.state
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)
        self.snapshot_changed.emit(self.session.snapshot())
        self._arm()

    def _upcoming_cues(self, horizon: float) -> list[Event]:
        return [e for e in self.session.upcoming(horizon) if e.kind in CUE_KINDS]

    def _arm(self) -> None:
        deadline = self.session.next_deadline()
        due = self.session.next_due()
        if deadline is None or self.session.state is not State.RUNNING:
            self._deadline = None
            self._timer.stop()
            return
        # Only a cue played when its event happens needs sub-millisecond timing (the spin in
        # `tick`); a new second on screen can be a ms late, and so can an event whose cue the
        # stream has had in its plan since it came within the horizon.
        precise = due is not None and due <= deadline + 1e-9 and self.plan_horizon == 0
        if self.plan_horizon > 0:
            # Wake when the next cue not yet planned comes within the horizon.
            known = {cue_key(e) for e in self._planned}
            later = [
                e.at - self.plan_horizon
                for e in self._upcoming_cues(self.plan_horizon + 24 * 3600)
                if cue_key(e) not in known
            ]
            if later and min(later) < deadline:
                deadline, precise = max(min(later), self.session.clock.monotonic()), False
        self._deadline = deadline if precise else None
        delay = deadline - self.session.clock.monotonic() - (EARLY_S if precise else 0.0)
        self._timer.start(max(0, math.ceil(delay * 1000)))
