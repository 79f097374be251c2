from __future__ import annotations

import itertools

import pytest
from pytestqt.qtbot import QtBot

from legtimer.engine import (
    Event,
    EventKind,
    FakeClock,
    Interval,
    IntervalKind,
    Session,
    State,
    SystemClock,
)
from legtimer.gui.runner import SessionRunner

pytestmark = pytest.mark.gui


def plan() -> list[Interval]:
    return [Interval(IntervalKind.WORK, "Sprint", 15), Interval(IntervalKind.REST, "Rest", 45)]


def test_runner_arms_for_the_next_change_and_emits_events(qtbot: QtBot) -> None:
    clock = FakeClock()
    runner = SessionRunner(Session(plan(), clock), sleep=clock.advance)
    events: list[Event] = []
    states: list[State] = []
    runner.event_occurred.connect(events.append)
    runner.state_changed.connect(states.append)
    with qtbot.waitSignal(runner.snapshot_changed) as blocker:
        runner.start()
    assert blocker.args is not None and blocker.args[0].display_seconds_left == 15
    assert states == [State.RUNNING]
    armed = runner.armed_in_ms
    assert armed is not None and 990 <= armed <= 1000  # the next displayed second
    for _ in range(12):  # the timer would fire each second; the test fires it by hand
        clock.advance(1)
        runner.tick()
    assert [e.kind for e in events][-1] is EventKind.COUNTDOWN
    for _ in range(3):
        clock.advance(1)
        runner.tick()
    assert [e.kind for e in events][-2:] == [EventKind.INTERVAL_ENDED, EventKind.INTERVAL_STARTED]
    runner.pause()
    assert runner.armed_in_ms is None  # paused: nothing to wake for
    assert states[-1] is State.PAUSED
    runner.resume()
    assert runner.armed_in_ms is not None
    runner.stop()
    assert runner.armed_in_ms is None
    assert states[-1] is State.STOPPED


def test_runner_in_real_time(qtbot: QtBot) -> None:
    """A few short intervals in the real event loop: every boundary arrives, in order, soon."""
    clock = SystemClock()
    short = [Interval(IntervalKind.WORK, f"I{i}", 0.2) for i in range(4)]
    runner = SessionRunner(Session(short, clock, countdown_lead=0))
    delivered: list[tuple[Event, float]] = []
    runner.event_occurred.connect(lambda e: delivered.append((e, clock.monotonic())))
    with qtbot.waitSignal(runner.state_changed, timeout=5000, check_params_cb=lambda s: s.is_over):
        runner.start()
    kinds = [e.kind for e, _ in delivered]
    assert kinds.count(EventKind.INTERVAL_STARTED) == 4
    assert kinds[-1] is EventKind.FINISHED
    start = delivered[0][0].at
    finished, seen = delivered[-1]
    assert finished.at == pytest.approx(start + 0.8)
    assert seen >= finished.at  # never early


@pytest.mark.parametrize("horizon", [0.0, 2.0])
def test_the_runner_spins_the_last_sliver_only_for_cues_played_at_their_event(
    qtbot: QtBot, horizon: float
) -> None:
    """Without a plan (horizon 0) a cue plays when its event happens: the runner sleeps the last
    sliver so the boundary is on time. With the stream's plan each cue is placed long before it
    is due: a boundary may reach the screen a timer's millisecond late, and nothing spins."""
    clock = FakeClock()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    runner = SessionRunner(Session(plan(), clock), sleep=sleep, plan_horizon=horizon)
    events: list[Event] = []
    runner.event_occurred.connect(events.append)
    runner.start()
    for _ in range(14):
        clock.advance(1)
        runner.tick()
    clock.advance(0.999)  # the timer fired 1 ms before the boundary
    runner.tick()
    if horizon == 0:
        assert slept == [pytest.approx(0.001)]
        assert clock.monotonic() == pytest.approx(1000 + 15)
    else:
        assert slept == []
        assert events[-1].kind is not EventKind.INTERVAL_STARTED
        clock.advance(0.002)  # the timer again, just after it
        runner.tick()
    assert [e.kind for e in events][-2:] == [EventKind.INTERVAL_ENDED, EventKind.INTERVAL_STARTED]


def planned_cues(runner: SessionRunner) -> list[list[tuple[EventKind, float]]]:
    plans: list[list[tuple[EventKind, float]]] = []
    runner.cues_planned.connect(lambda es: plans.append([(e.kind, e.at - 1000) for e in es]))
    return plans


def test_cues_are_planned_ahead_within_the_horizon_and_replanned(qtbot: QtBot) -> None:
    clock = FakeClock()
    runner = SessionRunner(
        Session(plan(), clock, countdown_lead=3), sleep=clock.advance, plan_horizon=2.0
    )
    plans = planned_cues(runner)
    runner.start()
    assert plans == []  # nothing due within 2 s of the start of a 15 s sprint
    # The runner wakes when the first countdown (at 12 s) comes within the horizon.
    for _ in range(10):
        clock.advance(1)
        runner.tick()
    assert plans == [[(EventKind.COUNTDOWN, 12.0)]]
    clock.advance(1)
    runner.tick()
    assert plans[-1] == [(EventKind.COUNTDOWN, 12.0), (EventKind.COUNTDOWN, 13.0)]
    # Pause withdraws everything; resume plans again, shifted by the pause.
    runner.pause()
    assert plans[-1] == []
    clock.advance(5)
    runner.resume()
    assert plans[-1] == [(EventKind.COUNTDOWN, 17.0), (EventKind.COUNTDOWN, 18.0)]
    # A skip replaces the plan with the next interval's (nothing within 2 s of a 45 s rest).
    runner.skip()
    assert plans[-1] == []
    # The boundary's cue is planned as the start of what follows, once the end is near.
    while clock.monotonic() - 1000 < 16 + 45 - 2:
        clock.advance(0.5)
        runner.tick()
    kinds = [k for k, _ in plans[-1]]
    assert EventKind.FINISHED in kinds


def test_a_plan_is_sent_only_when_it_changes(qtbot: QtBot) -> None:
    clock = FakeClock()
    runner = SessionRunner(Session(plan(), clock), sleep=clock.advance, plan_horizon=2.0)
    plans = planned_cues(runner)
    runner.start()
    for _ in range(40):
        clock.advance(0.25)
        runner.tick()
    assert all(a != b for a, b in itertools.pairwise(plans))


def test_start_can_wait_for_the_first_cue_to_be_placed(qtbot: QtBot) -> None:
    clock = FakeClock()
    runner = SessionRunner(Session(plan(), clock), sleep=clock.advance)
    events: list[Event] = []
    runner.event_occurred.connect(events.append)
    runner.start(delay=0.25)
    assert events[0].kind is EventKind.INTERVAL_STARTED
    assert events[0].at == pytest.approx(1000.25)
    assert runner.snapshot.display_seconds_left == 15
    clock.advance(1.25)
    runner.tick()
    assert runner.snapshot.seconds_left == pytest.approx(14.0)
