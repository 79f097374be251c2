"""The devices through a whole session, for real down to the GATT seam: the FTMS client, the
driver, the recorder and the link run as in the app; only the radio is the simulated gym.
Time is a fake clock, moved a quarter second at a time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from legtimer.devices import ftms
from legtimer.devices.driver import RampMeter
from legtimer.devices.link import Live, SessionLink
from legtimer.devices.recorder import RESTS
from legtimer.devices.simulated import SimulatedGym
from legtimer.devices.treadmill import Strap, Treadmill
from legtimer.engine import FakeClock, Interval, IntervalKind, Session, State
from legtimer.plans import find_builtin

STEP = 0.25


@dataclass
class Run:
    clock: FakeClock
    gym: SimulatedGym
    session: Session
    link: SessionLink
    #: (interval index, its target km/h, the belt's km/h at the moment it began)
    arrivals: list[tuple[int, float, float]] = field(default_factory=list)
    reports: list[object] = field(default_factory=list)


def build(
    template: str = "Sprint 15/45",
    week: int = 1,
    *,
    drive: bool = True,
    intervals: list[Interval] | None = None,
) -> Run:
    found = find_builtin(template)
    assert found is not None
    clock = FakeClock()
    gym = SimulatedGym(clock.monotonic)
    session = Session(intervals or found.expand(week), clock)
    reports: list[object] = []
    link = SessionLink(
        session.intervals,
        clock.monotonic,
        treadmill=Treadmill(gym.treadmill),
        strap=Strap(gym.strap),
        drive=drive,
        report=reports.append,
        reconnect_s=0.0,
    )
    return Run(clock, gym, session, link, reports=reports)


async def step(run: Run, seconds: float, *, until_over: bool = False) -> None:
    """Move the session, the link and the gym on together, as the app does each tick."""
    for _ in range(round(seconds / STEP)):
        if run.session.state.is_over:
            break
        before = run.session.snapshot().index
        run.clock.advance(STEP)
        run.session.poll()
        snap = run.session.snapshot()
        run.link.on_snapshot(snap)
        await run.link.settle()
        await asyncio.sleep(0)
        if snap.index != before and snap.interval.speed_kmh is not None:
            run.arrivals.append((snap.index, snap.interval.speed_kmh, run.gym.speed))
        run.gym.advance_to(run.clock.monotonic())
        await asyncio.sleep(0)


async def whole_session(run: Run) -> None:
    await run.link.start()
    run.session.start()
    snap = run.session.snapshot()
    run.link.on_snapshot(snap)
    await run.link.settle()
    # The belt starts from standstill: the runner is on it before the session's first second.
    run.gym.advance_to(run.clock.monotonic())
    while not run.session.state.is_over:
        await step(run, 60)
    run.link.on_snapshot(run.session.snapshot())
    await run.link.settle()
    await run.link.close()


def test_a_whole_sprint_session_on_the_simulated_treadmill() -> None:
    run = build()
    asyncio.run(whole_session(run))
    sprints = [a for a in run.arrivals if a[1] >= 15]
    assert len(sprints) == 6
    # Faster: the belt is at the interval's speed as it begins (sent early by the ramp).
    # Slower: the belt was still at the sprint's speed to its last moment (sent at the
    # boundary, so no sprint is cut short).
    previous = run.arrivals[0][1]
    for index, target, belt in run.arrivals:
        if target > previous:
            assert abs(belt - target) <= 0.3, (index, target, belt)
        else:
            assert abs(belt - previous) <= 0.3, (index, previous, belt)
        previous = target
    measures = {m.position: m for m in run.link.recorder.measures()}
    recorded = sum(m.distance_m or 0 for m in measures.values())
    assert recorded == pytest.approx(run.gym.distance_m, rel=0.01)
    # Every rest after a sprint shows the heart coming down.
    rests = [
        measures[i] for i, interval in enumerate(run.session.intervals) if interval.kind in RESTS
    ]
    assert len(rests) == 6
    for rest in rests:
        assert rest.hr_drop is not None and rest.hr_drop >= 12, rest
    for i, interval in enumerate(run.session.intervals):
        if interval.kind is IntervalKind.WORK:
            peak = measures[i].max_hr
            assert peak is not None and peak > 120
            assert measures[i].mean_speed_kmh is not None
    # The end of the session brings the belt to the cool-down speed, never to a halt.
    assert run.gym.target_speed > 0
    assert any(isinstance(r, Live) and r.hr for r in run.reports)
    # The ramp was measured from the belt's own reports, close to the simulated 1 km/h/s.
    assert run.link.ramp.samples
    assert 0.8 <= run.link.ramp.rate <= 1.05


def test_the_control_point_writes_are_the_ones_the_plan_asks_for() -> None:
    run = build()
    asyncio.run(whole_session(run))
    writes = run.gym.treadmill.received
    assert writes[0] == ftms.request_control()
    speeds = [int.from_bytes(w[1:3], "little") / 100 for w in writes if w[0] == 0x02]
    # Warm-up, then sprint and recovery six times, then the cool-down: each once.
    plan = [i.speed_kmh for i in run.session.intervals if i.speed_kmh is not None]
    collapsed = [v for k, v in enumerate(plan) if k == 0 or plan[k - 1] != v]
    assert speeds == collapsed


def test_without_driving_the_belt_is_only_recorded() -> None:
    run = build(drive=False)

    async def go() -> None:
        await run.link.start()
        run.gym.press_speed(8.0)  # the runner sets the belt by hand
        run.session.start()
        await step(run, 120)
        await run.link.close()

    asyncio.run(go())
    assert run.gym.treadmill.received == []
    m = run.link.recorder.measures()[0]
    assert m.distance_m is not None and m.distance_m > 100


def test_the_runners_buttons_win_until_the_next_interval() -> None:
    run = build()

    async def go() -> None:
        await run.link.start()
        run.session.start()
        await step(run, 10)
        run.gym.press_speed(9.5)  # faster warm-up, by hand
        await step(run, 20)
        assert run.gym.target_speed == 9.5
        assert any("buttons are in charge" in s for s in run.link.said)
        # The warm-up ends; the next interval is driven again.
        await step(run, run.session.snapshot().seconds_left + 1)
        assert run.gym.target_speed == run.session.snapshot().interval.speed_kmh
        await run.link.close()

    asyncio.run(go())


def test_a_refused_command_is_said_once_and_driving_stops() -> None:
    run = build()
    run.gym.treadmill.refuse[ftms.Op.SET_TARGET_SPEED] = ftms.Result.FAILED

    async def go() -> None:
        await run.link.start()
        run.session.start()
        await step(run, 400)
        await run.link.close()

    asyncio.run(go())
    refused = [s for s in run.link.said if "could not do it" in s]
    assert refused == [
        "Setting the belt's speed: the machine could not do it. "
        "LegTimer stops driving the belt for this session."
    ]
    assert run.gym.treadmill.received.count(ftms.set_target_speed(6.0)) <= 1
    assert run.session.state is State.RUNNING


def test_a_speed_outside_the_machines_range_is_clamped_and_said() -> None:
    run = build(intervals=[Interval(IntervalKind.WARMUP, "Warm-up", 300, speed_kmh=25.0)])

    async def go() -> None:
        await run.link.start()
        run.session.start()
        await step(run, 2)
        await run.link.close()

    asyncio.run(go())
    assert ftms.set_target_speed(18.0) in run.gym.treadmill.received
    assert "25 km/h is above this treadmill's 18 km/h: LegTimer sets 18 km/h." in run.link.said


def test_the_treadmill_vanishes_and_comes_back() -> None:
    run = build()

    async def go() -> None:
        await run.link.start()
        run.session.start()
        await step(run, 30)
        run.gym.treadmill.vanish()
        await step(run, 20)
        assert any("Lost LegTimer Simulated Treadmill" in s for s in run.link.said)
        assert run.session.state is State.RUNNING
        run.gym.treadmill.come_back()
        await step(run, 5)
        assert any("is back" in s for s in run.link.said)
        # Driving resumes at the next boundary, not before.
        run.gym.press_speed(7.0)
        before = len(run.gym.treadmill.received)
        left = run.session.snapshot().seconds_left
        await step(run, left - 20)
        assert len(run.gym.treadmill.received) == before
        await step(run, 25)
        assert len(run.gym.treadmill.received) > before
        await run.link.close()

    asyncio.run(go())


def test_pause_raises_nothing() -> None:
    run = build()

    async def go() -> None:
        await run.link.start()
        run.session.start()
        # To the last seconds of the warm-up, where the sprint's speed goes out early.
        await step(run, run.session.snapshot().seconds_left - 15)
        run.session.pause()
        run.link.on_snapshot(run.session.snapshot())
        sent = len(run.gym.treadmill.received)
        await step(run, 30)
        assert len(run.gym.treadmill.received) == sent
        run.session.resume()
        await step(run, 16)
        assert len(run.gym.treadmill.received) > sent
        await run.link.close()

    asyncio.run(go())


def test_ramp_meter_measures_a_change_from_its_reports() -> None:
    meter = RampMeter()
    meter.commanded(100.0, 5.0, 16.0)
    assert meter.observe(105.0, 10.0) is None
    measured = meter.observe(111.0, 15.8)
    assert measured == pytest.approx((11 - 0.3) / 11)
    assert meter.rate == pytest.approx(measured, abs=1e-3)
    meter.commanded(200.0, 16.0, 15.0)  # a small change: not measured
    assert meter.observe(201.0, 15.0) is None
