"""WorkoutController: runs one session at a time and connects it to everything around it.

It builds the engine Session for a template and week, drives it with a SessionRunner, turns
events into cues (sound, voice), records every finished interval to the history as it ends,
keeps the screen awake while running, and works out what the program does next. A history that
cannot be written (read-only or full disk) never stops the session: the records wait in memory
and are retried, and the runner is told once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from legtimer.engine import Clock, Interval, IntervalKind
from legtimer.gui.keepawake import KeepAwake
from legtimer.gui.sound import SoundCues
from legtimer.gui.voice import Voice, announcement
from legtimer.plans import Template
from legtimer.plans.progression import ProgramStatus, describe_transition
from legtimer.services import Database, NoHistory, SessionStart, StoreError, Training, utc_now

if TYPE_CHECKING:
    from legtimer.engine import Event, IntervalRecord, State
    from legtimer.gui.devices import DeviceHub, Recorded
    from legtimer.gui.runner import SessionRunner
    from legtimer.services.writer import BackgroundWriter

log = logging.getLogger(__name__)

#: How far ahead cues are handed to a sound back end that schedules them: far more than its
#: buffer, so a stalled event loop (a busy laptop) cannot make a cue late.
PLAN_HORIZON_S = 2.0


class SessionSummary(NamedTuple):
    """How a session ended, for the summary screen (a NamedTuple: this module loads before the
    first paint, where a dataclass's definition costs more)."""

    template: Template
    week: int | None
    status: str  # one of legtimer.plans.rules.FINAL_STATUSES
    records: tuple[IntervalRecord, ...]
    planned_seconds: float
    active_seconds: float
    paused_seconds: float
    work_planned: int
    work_done: int
    next_step: str | None
    uuid: str | None
    #: What the treadmill and the strap recorded (None without devices).
    recorded: Recorded | None = None

    @property
    def counted(self) -> bool:
        from legtimer.plans.rules import counts_for_program

        return counts_for_program(self.work_planned, self.work_done)


def work_noun(template: Template) -> str:
    first = next((i for i in template.expand(1) if i.kind is IntervalKind.WORK), None)
    return first.name if first else "Work"


class WorkoutController(QObject):
    session_started = Signal(object)  # SessionRunner
    session_ended = Signal(object)  # SessionSummary
    notice = Signal(str)

    def __init__(
        self,
        clock: Clock,
        sound: SoundCues,
        *,
        training: Training | None = None,
        voice: Voice | None = None,
        keep_awake: KeepAwake | None = None,
        countdown_lead: int = 3,
        devices: DeviceHub | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        #: The Bluetooth treadmill and strap (or their simulation); None without them.
        self.devices = devices
        self.sound = sound
        #: The history's use cases (a run without a history file gets one that keeps nothing).
        self.training = training or NoHistory()
        self.voice = voice or Voice(False, self)
        self.keep_awake = keep_awake or KeepAwake()
        self.countdown_lead = countdown_lead
        #: Whether the countdown before each boundary beeps (the boundary cues always sound).
        self.beeps = True
        #: Whether speeds are spoken in mph (else km/h), as the screen shows them.
        self.mph = False
        #: The templates whose sessions may drive the belt (when driving is on at all).
        self.drive_templates: frozenset[str] = frozenset()
        self.runner: SessionRunner | None = None
        self.template: Template | None = None
        self.week: int | None = None
        self._handle: SessionStart | None = None
        self._pending: list[IntervalRecord] = []
        #: The session's interval writes, off the GUI thread (services/writer.py).
        self._writer: BackgroundWriter | None = None
        self._store_failed = False
        self._before: ProgramStatus | None = None
        self._started_at: datetime | None = None
        self.last_summary: SessionSummary | None = None

    # -- program ------------------------------------------------------------------------------

    @property
    def db(self) -> Database | None:
        """The history file's database (None in a run without one), for tests to look in."""
        return self.training.db if self.training.has_history else None

    def program_status(self, template: Template) -> ProgramStatus | None:
        if not template.is_program:
            return None
        try:
            return self.training.program_status(template)
        except StoreError as exc:
            self._tell_store_problem(exc)
            return None

    # -- running ------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.runner is not None and self.runner.session.state.is_live

    def start(self, template: Template, week: int | None = None) -> SessionRunner:
        if self.active:
            raise RuntimeError("a session is already running")
        self._before = self.program_status(template)
        if template.is_program and week is None:
            week = self._before.week if self._before else 1
        from legtimer.engine import Session  # loaded with the first session (see the engine)

        plan = template.expand(week)
        session = Session(plan, self.clock, countdown_lead=self.countdown_lead)
        self.template, self.week = template, week if template.is_program else None
        self._handle, self._pending, self._store_failed = None, [], False
        if self.runner is not None:
            self.runner.deleteLater()
        from legtimer.gui.runner import SessionRunner

        schedules = self.sound.schedules
        runner = SessionRunner(session, self, plan_horizon=PLAN_HORIZON_S if schedules else 0.0)
        self.runner = runner
        runner.event_occurred.connect(self._on_runner_event_occurred)
        runner.cue_due.connect(self._on_runner_cue_due)
        runner.cues_planned.connect(self._on_runner_cues_planned)
        if self.devices is not None:
            devices = self.devices
            drive = devices.simulation or (devices.drive and template.name in self.drive_templates)
            devices.start_session(plan, drive=drive)
            runner.snapshot_changed.connect(self.devices.on_snapshot)
        self._started_at = utc_now()
        try:
            self._handle = self.training.begin_session(
                template, self.week, session.records(), self._started_at
            )
        except StoreError as exc:
            self._tell_store_problem(exc)
        if self.training.has_history:
            from legtimer.services.writer import BackgroundWriter

            self._writer = BackgroundWriter(self.training)
        self.sound.warm(True)
        problem = self.keep_awake.acquire()
        if problem:
            self.notice.emit(f"Note: {problem}.")
        self.session_started.emit(runner)

        def go() -> None:
            from legtimer.engine import State

            # Not if the session was left or replaced while the sound got ready.
            if self.runner is runner and runner.session.state is State.READY:
                # The first cue, like every other, is placed ahead of its moment.
                runner.start(delay=self.sound.lead if schedules else 0.0)

        self.sound.when_ready(go)
        return runner

    def _on_runner_event_occurred(self, event: Event) -> None:
        from legtimer.engine import EventKind

        kind = event.kind
        if kind is EventKind.INTERVAL_ENDED and event.record is not None:
            self._pending.append(event.record)
            self._flush()
        elif kind is EventKind.FINISHED:
            self._end(None)
        elif kind is EventKind.STOPPED:
            self._end("stopped")

    def _cue_sound(self, event: Event) -> str | None:
        """The sound of a cue event, if it has one."""
        from legtimer.engine import EventKind

        runner = self.runner
        assert runner is not None
        if event.kind is EventKind.COUNTDOWN:
            return "countdown" if self.beeps else None
        if event.kind is EventKind.INTERVAL_STARTED:
            work = runner.session.intervals[event.index].kind is IntervalKind.WORK
            return "work" if work else "rest"
        if event.kind is EventKind.FINISHED:
            return "complete"
        return None

    def _on_runner_cues_planned(self, events: list[Event]) -> None:
        from legtimer.gui.runner import cue_key

        plan = []
        for event in events:
            sound = self._cue_sound(event)
            if sound is not None:
                plan.append((cue_key(event), sound, event.at))
        self.sound.plan(plan)

    def _on_runner_cue_due(self, event: Event) -> None:
        from legtimer.engine import EventKind
        from legtimer.gui.runner import cue_key

        sound = self._cue_sound(event)
        if sound is not None:
            self.sound.cue(cue_key(event), sound, event.at)
        runner = self.runner
        assert runner is not None
        intervals = runner.session.intervals
        if event.kind is EventKind.INTERVAL_STARTED:
            interval = intervals[event.index]
            previous: Interval | None = intervals[event.index - 1] if event.index else None
            self.voice.say(announcement(interval, previous, mph=self.mph))
        elif event.kind is EventKind.HALFWAY:
            self.voice.say("Halfway")
        elif event.kind is EventKind.FINISHED:
            self.voice.say("Session complete")

    def _flush(self) -> None:
        """Hand the intervals that ended to the writer's thread: another process holding the
        file's write lock must not stop the digits and the cues (the end of the session writes
        every interval again, so one that failed is not lost)."""
        handle, writer = self._handle, self._writer
        if handle is None:
            return
        self._tell_writer_problems()
        while self._pending:
            record = self._pending.pop(0)
            if writer is not None:

                def write(training: Training, r: IntervalRecord = record) -> None:
                    training.record_interval(handle, r)

                writer.submit(write)
                continue
            try:
                self.training.record_interval(handle, record)
            except StoreError as exc:
                self._tell_store_problem(exc)

    def _tell_writer_problems(self) -> None:
        if self._writer is not None:
            for problem in self._writer.problems():
                self._tell_store_problem(StoreError(problem))

    def _close_writer(self) -> None:
        """Let the writer finish what it was given (the end of a session), then stop it."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.drain(timeout=15)
            for problem in writer.problems():
                self._tell_store_problem(StoreError(problem))
            writer.close()

    def _end(self, status: str | None) -> None:
        """The session ended: stopped (`status`), or reached its end (None: its status then
        says whether the work was done, `legtimer.plans.rules.finished_status`)."""
        from legtimer.engine import Outcome
        from legtimer.plans.rules import finished_status

        runner = self.runner
        assert runner is not None and self.template is not None
        session = runner.session
        records = session.records()
        work = [r for r in records if r.interval.kind is IntervalKind.WORK]
        work_done = sum(1 for r in work if r.outcome is Outcome.COMPLETED)
        if status is None:
            status = finished_status(len(work), work_done)
        self.sound.warm(False)
        self.keep_awake.release()
        self._close_writer()
        recorded = None
        if self.devices is not None:
            recorded = self.devices.finish_session(session.snapshot())
        uuid = None
        try:
            if self._handle is None:
                self._handle = self.training.begin_session(
                    self.template, self.week, records, self._started_at
                )
            if self._handle is not None:
                self.training.finish_session(
                    self._handle,
                    status,
                    records,
                    measures=recorded.measures if recorded is not None else (),
                    samples=recorded.samples if recorded is not None else (),
                )
                self._pending = []
                uuid = self._handle.uuid
        except StoreError as exc:
            self._tell_store_problem(exc)
        after = self.program_status(self.template)
        next_step = None
        if self._before is not None and after is not None:
            weeks = range(1, self.template.weeks + 1)
            next_step = describe_transition(
                self._before,
                after,
                work_noun(self.template),
                {w: self.template.work_count(w) for w in weeks},
            )
        snap = session.snapshot()
        summary = SessionSummary(
            template=self.template,
            week=self.week,
            status=status,
            records=records,
            planned_seconds=session.total_planned,
            active_seconds=snap.elapsed,
            paused_seconds=snap.paused_total,
            work_planned=len(work),
            work_done=work_done,
            next_step=next_step,
            uuid=uuid,
            recorded=recorded,
        )
        self.last_summary = summary
        self.session_ended.emit(summary)

    def save_feedback(self, rpe: int | None, notes: str) -> bool:
        """Store the runner's RPE and notes on the last session; False if it could not."""
        summary = self.last_summary
        if summary is None or summary.uuid is None:
            return False
        try:
            self.training.save_feedback(summary.uuid, rpe, notes)
        except StoreError as exc:
            self._tell_store_problem(exc)
            return False
        return True

    def _tell_store_problem(self, exc: StoreError) -> None:
        log.warning("history store: %s", exc)
        if not self._store_failed:
            self._store_failed = True
            self.notice.emit(f"History not saved: {exc}. The session goes on.")

    def shutdown(self) -> None:
        """The window is closing: a live session is stopped and recorded as such."""
        if self.runner is not None and self.runner.session.state.is_live:
            self.runner.stop()
        if self.devices is not None:
            self.devices.shutdown()
        self.sound.warm(False)
        self.keep_awake.release()
        self.voice.close()

    @property
    def state(self) -> State | None:
        return self.runner.session.state if self.runner else None
