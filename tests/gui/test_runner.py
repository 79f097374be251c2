from __future__ import annotations

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


def test_tick_sleeps_the_last_sliver_before_a_deadline(qtbot: QtBot) -> None:
    clock = FakeClock()
    runner = SessionRunner(Session(plan(), clock), sleep=clock.advance)
    events: list[Event] = []
    runner.event_occurred.connect(events.append)
    runner.start()
    for _ in range(14):
        clock.advance(1)
        runner.tick()
    clock.advance(0.999)  # the timer fired 1 ms before the boundary
    runner.tick()
    assert [e.kind for e in events][-2:] == [EventKind.INTERVAL_ENDED, EventKind.INTERVAL_STARTED]
    assert clock.monotonic() == pytest.approx(1000 + 15)


def test_cue_lead_announces_cues_early_and_once(qtbot: QtBot) -> None:
    clock = FakeClock()
    runner = SessionRunner(
        Session(plan(), clock, countdown_lead=1), sleep=clock.advance, cue_lead=0.08
    )
    cues: list[tuple[EventKind, float]] = []
    runner.cue_due.connect(lambda e: cues.append((e.kind, clock.monotonic() - 1000)))
    runner.start()
    assert cues == [(EventKind.INTERVAL_STARTED, 0.0)]
    # The runner arms for 80 ms before the countdown at 14 s (and wakes a little earlier still).
    for _ in range(13):
        clock.advance(1)
        runner.tick()
    armed = runner.armed_in_ms
    assert armed is not None and armed <= 920
    clock.advance(0.92)
    runner.tick()
    assert cues[-1][0] is EventKind.COUNTDOWN
    assert cues[-1][1] == pytest.approx(13.92, abs=0.002)
    clock.advance(0.08)
    runner.tick()  # the countdown itself is now due: not announced a second time
    assert [k for k, _ in cues].count(EventKind.COUNTDOWN) == 1
    while clock.monotonic() - 1000 < 15:
        clock.advance(0.02)
        runner.tick()
    starts = [t for k, t in cues if k is EventKind.INTERVAL_STARTED]
    assert len(starts) == 2 and starts[1] == pytest.approx(14.92, abs=0.021)
