from __future__ import annotations

import pytest

from legtimer.engine import (
    Event,
    EventKind,
    FakeClock,
    Interval,
    IntervalKind,
    Outcome,
    Reason,
    Session,
    State,
)

K = EventKind


def sprint_plan(reps: int = 2) -> list[Interval]:
    plan = [Interval(IntervalKind.WARMUP, "Warm-up", 300)]
    for i in range(1, reps + 1):
        plan.append(Interval(IntervalKind.WORK, "Sprint", 15, label=f"Sprint {i} of {reps}"))
        plan.append(Interval(IntervalKind.REST, "Rest", 45, label=f"Rest {i} of {reps}"))
    plan.append(Interval(IntervalKind.COOLDOWN, "Cool-down", 300))
    return plan


def run_for(s: Session, clock: FakeClock, seconds: int) -> list[Event]:
    """Advance second by second, polling each time, as the Qt runner does."""
    events: list[Event] = []
    for _ in range(seconds):
        clock.advance(1)
        events.extend(s.poll()[1])
    return events


def kinds(events: list[Event]) -> list[EventKind]:
    return [e.kind for e in events]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make(
    clock: FakeClock,
    plan: list[Interval] | None = None,
    *,
    countdown_lead: int = 3,
    stall_grace: float | None = None,
) -> Session:
    """Stall detection is off unless a test is about it: most tests jump the clock by minutes,
    which is exactly what a stall looks like."""
    return Session(
        plan or sprint_plan(), clock, countdown_lead=countdown_lead, stall_grace=stall_grace
    )


def test_rejects_empty_or_zero_plans(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="at least one interval"):
        Session([], clock)
    with pytest.raises(ValueError, match=r"interval 0 \('x'\) must last more than 0 s"):
        Session([Interval(IntervalKind.WORK, "x", 0)], clock)


def test_ready_snapshot_shows_first_interval(clock: FakeClock) -> None:
    s = make(clock)
    snap = s.snapshot()
    assert snap.state is State.READY
    assert snap.interval.name == "Warm-up"
    assert snap.display_seconds_left == 300
    assert snap.remaining == snap.total_planned == 300 + 2 * 60 + 300
    assert snap.progress == 0
    assert s.next_deadline() is None


def test_start_and_countdown_and_boundary(clock: FakeClock) -> None:
    s = make(clock)
    t0 = clock.monotonic()
    events = s.start()
    assert kinds(events) == [K.INTERVAL_STARTED]
    assert events[0].reason is Reason.START
    clock.advance(150)
    snap, events = s.poll()
    assert kinds(events) == [K.HALFWAY]
    assert events[0].at == t0 + 150
    clock.advance(148)  # 298 s: countdown 3 at 297, 2 at 298
    _, events = s.poll()
    assert [(e.kind, e.value) for e in events] == [(K.COUNTDOWN, 3.0), (K.COUNTDOWN, 2.0)]
    assert [e.at for e in events] == [t0 + 297, t0 + 298]
    clock.advance(2)
    snap, events = s.poll()
    assert kinds(events) == [K.COUNTDOWN, K.INTERVAL_ENDED, K.INTERVAL_STARTED]
    assert events[1].record is not None and events[1].record.outcome is Outcome.COMPLETED
    assert events[2].index == 1 and events[2].at == t0 + 300
    assert snap.interval.label == "Sprint 1 of 2"
    assert snap.display_seconds_left == 15
    assert snap.next_interval is not None and snap.next_interval.name == "Rest"


def test_late_poll_loses_nothing_and_stamps_due_times(clock: FakeClock) -> None:
    s = make(clock, stall_grace=None)
    t0 = clock.monotonic()
    s.start()
    clock.advance(330)  # through warm-up, sprint 1 and into rest 1
    _, events = s.poll()
    starts = [e for e in events if e.kind is K.INTERVAL_STARTED]
    assert [e.index for e in starts] == [1, 2]
    assert [e.at for e in starts] == [t0 + 300, t0 + 315]
    assert [e.at for e in events] == sorted(e.at for e in events)
    # Nothing is delivered twice.
    _, again = s.poll()
    assert again == []


def test_display_seconds_left(clock: FakeClock) -> None:
    s = make(clock, [Interval(IntervalKind.WORK, "Sprint", 15)])
    s.start()
    assert s.snapshot().display_seconds_left == 15
    clock.advance(0.5)
    assert s.snapshot().display_seconds_left == 15
    clock.advance(0.5)
    assert s.snapshot().display_seconds_left == 14
    clock.advance(13.9)
    assert s.snapshot().display_seconds_left == 1


def test_finish_exactly_at_planned_time(clock: FakeClock) -> None:
    s = make(clock, stall_grace=None)
    t0 = clock.monotonic()
    s.start()
    clock.advance(s.total_planned - 0.001)
    snap, _ = s.poll()
    assert snap.state is State.RUNNING
    clock.advance(0.002)
    snap, events = s.poll()
    assert events[-1].kind is K.FINISHED
    assert events[-1].at == pytest.approx(t0 + s.total_planned, abs=1e-9)
    assert snap.state is State.FINISHED
    assert snap.elapsed == pytest.approx(s.total_planned)
    assert snap.progress == 1.0 and snap.remaining == 0
    assert all(r.outcome is Outcome.COMPLETED for r in s.records())
    # Finished: operations are no-ops.
    for op in (s.start, s.pause, s.resume, s.skip, s.back, s.stop):
        assert op() == []
    assert s.state is State.FINISHED


def test_pause_across_a_boundary_holds_position(clock: FakeClock) -> None:
    s = make(clock)
    t0 = clock.monotonic()
    s.start()
    clock.advance(299.5)
    s.poll()
    events = s.pause()
    assert kinds(events) == [K.PAUSED]
    clock.advance(5)  # the boundary at 300 would have passed while paused
    snap, events = s.poll()
    assert events == []
    assert snap.state is State.PAUSED
    assert snap.index == 0
    assert snap.seconds_left == pytest.approx(0.5)
    assert snap.paused_total == pytest.approx(5)
    assert s.next_deadline() is None
    assert kinds(s.resume()) == [K.RESUMED]
    clock.advance(0.5)
    snap, events = s.poll()
    assert kinds(events) == [K.INTERVAL_ENDED, K.INTERVAL_STARTED]
    assert events[1].at == pytest.approx(t0 + 305.0)
    rec = s.records()[0]
    assert rec.actual_seconds == pytest.approx(300)
    assert rec.paused_seconds == pytest.approx(5)


def test_invalid_operations_are_no_ops(clock: FakeClock) -> None:
    s = make(clock)
    assert s.pause() == [] and s.resume() == [] and s.skip() == []
    assert s.back() == [] and s.stop() == []
    assert s.state is State.READY
    s.start()
    assert s.start() == []
    assert s.resume() == []
    s.pause()
    assert s.pause() == []
    assert s.snapshot().state is State.PAUSED


def test_toggle_pause_starts_pauses_and_resumes(clock: FakeClock) -> None:
    s = make(clock)
    assert kinds(s.toggle_pause()) == [K.INTERVAL_STARTED]
    assert kinds(s.toggle_pause()) == [K.PAUSED]
    assert kinds(s.toggle_pause()) == [K.RESUMED]


def test_skip_mid_interval_and_at_the_end(clock: FakeClock) -> None:
    s = make(clock, [Interval(IntervalKind.WORK, "A", 10), Interval(IntervalKind.REST, "B", 20)])
    t0 = clock.monotonic()
    s.start()
    clock.advance(4)
    events = s.skip()
    assert kinds(events) == [K.INTERVAL_ENDED, K.INTERVAL_STARTED]
    assert events[0].record is not None
    assert events[0].record.outcome is Outcome.SKIPPED
    assert events[0].record.actual_seconds == pytest.approx(4)
    assert events[1].reason is Reason.SKIP and events[1].at == t0 + 4
    clock.advance(1)
    events = s.skip()
    assert kinds(events) == [K.INTERVAL_ENDED, K.FINISHED]
    assert s.state is State.FINISHED
    assert s.snapshot().elapsed == pytest.approx(5)
    assert [r.outcome for r in s.records()] == [Outcome.SKIPPED, Outcome.SKIPPED]


def test_skip_while_paused_stays_paused(clock: FakeClock) -> None:
    s = make(clock)
    s.start()
    clock.advance(10)
    s.pause()
    clock.advance(3)
    events = s.skip()
    assert kinds(events) == [K.INTERVAL_ENDED, K.INTERVAL_STARTED]
    assert s.state is State.PAUSED
    assert s.records()[0].paused_seconds == pytest.approx(3)
    clock.advance(2)
    s.resume()
    assert s.records()[1].paused_seconds == pytest.approx(2)
    assert s.snapshot().paused_total == pytest.approx(5)


def test_back_restarts_or_goes_to_previous(clock: FakeClock) -> None:
    s = make(clock)
    s.start()
    clock.advance(301)  # 1 s into sprint 1
    s.poll()
    events = s.back()  # within 2 s: back to the warm-up
    assert kinds(events) == [K.INTERVAL_STARTED]
    assert events[0].index == 0 and events[0].reason is Reason.BACK
    snap = s.snapshot()
    assert snap.index == 0 and snap.display_seconds_left == 300
    assert s.records()[1].outcome is Outcome.NOT_REACHED
    assert s.records()[1].actual_seconds == pytest.approx(1)
    clock.advance(10)
    events = s.back()  # 10 s in: restart the warm-up itself
    assert events[0].index == 0
    assert s.snapshot().seconds_left == pytest.approx(300)
    # The time spent still counts as active time on the interval's record.
    assert s.records()[0].actual_seconds == pytest.approx(300 + 10)


def test_back_at_first_interval_restarts_it(clock: FakeClock) -> None:
    s = make(clock)
    s.start()
    clock.advance(1)
    events = s.back()
    assert events[0].index == 0
    assert s.snapshot().seconds_left == pytest.approx(300)


def test_stop_mid_interval_keeps_the_record(clock: FakeClock) -> None:
    s = make(clock)
    s.start()
    clock.advance(310)
    s.poll()
    events = s.stop()
    assert kinds(events) == [K.INTERVAL_ENDED, K.STOPPED]
    assert s.state is State.STOPPED
    records = s.records()
    assert records[0].outcome is Outcome.COMPLETED
    assert records[1].outcome is Outcome.STOPPED
    assert records[1].actual_seconds == pytest.approx(10)
    assert all(r.outcome is Outcome.NOT_REACHED for r in records[2:])
    clock.advance(100)
    snap, events = s.poll()
    assert events == [] and snap.elapsed == pytest.approx(310)
    assert s.ended_wall is not None and s.started_wall is not None


def test_stop_while_paused_counts_the_pause(clock: FakeClock) -> None:
    s = make(clock)
    s.start()
    clock.advance(20)
    s.pause()
    clock.advance(7)
    s.stop()
    assert s.records()[0].paused_seconds == pytest.approx(7)
    assert s.snapshot().paused_total == pytest.approx(7)


def test_stall_of_ten_minutes_pauses_at_last_known_position(clock: FakeClock) -> None:
    s = make(clock, stall_grace=10)
    s.start()
    run_for(s, clock, 100)
    clock.advance(600)  # the process was stopped, or Windows slept (monotonic counts on)
    snap, events = s.poll()
    assert kinds(events) == [K.SLEEP_DETECTED, K.PAUSED]
    assert events[0].value == pytest.approx(600)
    assert snap.state is State.PAUSED
    assert snap.elapsed == pytest.approx(100)
    assert snap.index == 0
    s.resume()
    run_for(s, clock, 200)
    snap = s.snapshot()
    assert snap.index == 1  # the warm-up ends 200 s after resuming, not during the gap
    assert snap.paused_total == pytest.approx(600)


def test_linux_suspend_detected_by_wall_clock(clock: FakeClock) -> None:
    s = make(clock, stall_grace=10)
    s.start()
    run_for(s, clock, 50)
    clock.suspend(3600)  # monotonic stands still, the wall clock moves an hour
    clock.advance(0.5)
    snap, events = s.poll()
    assert kinds(events) == [K.SLEEP_DETECTED, K.PAUSED]
    assert events[0].value == pytest.approx(3600.5)
    assert snap.state is State.PAUSED
    assert snap.elapsed == pytest.approx(50)


def test_short_event_loop_stall_is_caught_up_not_paused(clock: FakeClock) -> None:
    s = make(clock, stall_grace=10)
    s.start()
    run_for(s, clock, 296)
    clock.advance(6)  # a few seconds late: deliver, do not pause
    snap, events = s.poll()
    assert snap.state is State.RUNNING
    assert kinds(events) == [K.COUNTDOWN] * 3 + [K.INTERVAL_ENDED, K.INTERVAL_STARTED]


def test_countdown_lead_is_configurable_and_fits_short_intervals(clock: FakeClock) -> None:
    plan = [Interval(IntervalKind.WORK, "A", 10), Interval(IntervalKind.REST, "B", 3)]
    s = make(clock, plan, countdown_lead=5, stall_grace=None)
    s.start()
    clock.advance(13)
    _, events = s.poll()
    counts = [(e.index, e.value) for e in events if e.kind is K.COUNTDOWN]
    # 5..1 before the 10 s interval ends; only 2 and 1 fit after the 3 s one starts.
    assert counts == [(0, 5.0), (0, 4.0), (0, 3.0), (0, 2.0), (0, 1.0), (1, 2.0), (1, 1.0)]
    assert not any(e.kind is K.HALFWAY for e in events)


def test_next_deadline_is_next_second_or_event(clock: FakeClock) -> None:
    s = make(clock, [Interval(IntervalKind.WORK, "A", 2.5)])
    t0 = clock.monotonic()
    s.start()
    assert s.next_deadline() == pytest.approx(t0 + 0.5)  # 2.5 -> shows 3 until 2.0 left
    clock.advance(0.5)
    s.poll()
    assert s.next_deadline() == pytest.approx(t0 + 1.0)


def test_snapshot_progress_and_remaining(clock: FakeClock) -> None:
    s = make(clock)
    s.start()
    clock.advance(330)
    snap, _ = s.poll()
    assert snap.elapsed == pytest.approx(330)
    assert snap.remaining == pytest.approx(s.total_planned - 330)
    assert snap.progress == pytest.approx(330 / s.total_planned)
