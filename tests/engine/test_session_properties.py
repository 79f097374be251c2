"""Random operations at random times keep the engine's invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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

intervals = st.lists(
    st.builds(
        Interval,
        kind=st.sampled_from(list(IntervalKind)),
        name=st.just("x"),
        seconds=st.integers(1, 40).map(lambda n: n / 2),
    ),
    min_size=1,
    max_size=8,
)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(0, 4000).map(lambda ms: ms / 100)),
        st.tuples(st.sampled_from(["poll", "pause", "resume", "skip", "back", "stop"])),
    ),
    max_size=60,
)
timing_ops = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(0, 4000).map(lambda ms: ms / 100)),
        st.tuples(st.sampled_from(["poll", "pause", "resume"])),
    ),
    max_size=60,
)


def run(plan: list[Interval], script: list[tuple[object, ...]], lead: int = 3):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    s = Session(plan, clock, countdown_lead=lead, stall_grace=None)
    events: list[Event] = list(s.start())
    for op in script:
        if op[0] == "advance":
            clock.advance(float(op[1]))  # type: ignore[arg-type]
        elif op[0] == "poll":
            events.extend(s.poll()[1])
        else:
            events.extend(getattr(s, str(op[0]))())
        snap = s.snapshot()
        assert sum(r.actual_seconds for r in s.records()) == pytest.approx(snap.elapsed, abs=1e-6)
        assert 0.0 <= snap.progress <= 1.0
        assert snap.seconds_left >= 0
    return s, clock, events


def check_sequence(s: Session, events: list[Event]) -> None:
    ats = [e.at for e in events]
    assert ats == sorted(ats), "events out of time order"
    actives = [e.active_at for e in events]
    assert actives == sorted(actives), "events out of active-time order"
    current = None
    for i, e in enumerate(events):
        if e.kind is K.INTERVAL_STARTED:
            if e.reason in (Reason.BOUNDARY, Reason.SKIP):
                prev = events[i - 1]
                assert prev.kind is K.INTERVAL_ENDED and prev.index + 1 == e.index
            current = e.index
        elif e.kind in (K.COUNTDOWN, K.HALFWAY, K.INTERVAL_ENDED):
            assert e.index == current, "event for an interval that is not running"
    ends = [e for e in events if e.kind in (K.FINISHED, K.STOPPED)]
    assert len(ends) <= 1
    if ends:
        assert events[-1] is ends[0]
        assert s.state.is_over


@settings(max_examples=300, deadline=None)
@given(intervals, ops, st.integers(0, 5))
def test_any_operations_keep_invariants(
    plan: list[Interval], script: list[tuple[object, ...]], lead: int
) -> None:
    s, _, events = run(plan, script, lead)
    check_sequence(s, events)
    # Each boundary is announced once per visit: one start per ended interval, no doubles.
    for e in events:
        if e.kind is K.INTERVAL_ENDED:
            assert e.record is not None
            assert e.record.outcome in (Outcome.COMPLETED, Outcome.SKIPPED, Outcome.STOPPED)


@settings(max_examples=300, deadline=None)
@given(intervals, timing_ops)
def test_without_skips_the_session_ends_exactly_at_planned_time(
    plan: list[Interval], script: list[tuple[object, ...]]
) -> None:
    s, clock, events = run(plan, script)
    s.resume()
    clock.advance(s.total_planned + 1)
    events.extend(s.poll()[1])
    check_sequence(s, events)
    assert s.state is State.FINISHED
    finished = events[-1]
    assert finished.kind is K.FINISHED
    assert finished.active_at == pytest.approx(s.total_planned, abs=1e-6)
    started = [e.index for e in events if e.kind is K.INTERVAL_STARTED]
    assert started == list(range(len(plan))), "a boundary was missed or doubled"
    ended = [e.index for e in events if e.kind is K.INTERVAL_ENDED]
    assert ended == list(range(len(plan)))
    for rec, iv in zip(s.records(), plan, strict=True):
        assert rec.outcome is Outcome.COMPLETED
        assert rec.actual_seconds == pytest.approx(iv.seconds, abs=1e-6)
    # Monotonic time at the finish is the start plus plan plus pauses: zero drift.
    first = events[0].at
    snap = s.snapshot()
    assert finished.at == pytest.approx(first + s.total_planned + snap.paused_total, abs=1e-6)
    countdowns = [e for e in events if e.kind is K.COUNTDOWN]
    for e in countdowns:
        end_of = next(x for x in events if x.kind is K.INTERVAL_ENDED and x.index == e.index)
        assert end_of.active_at - e.active_at == pytest.approx(e.value, abs=1e-6)
