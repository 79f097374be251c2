"""The cue mixer and the stream clock, driven by made-up callbacks: where each cue lands, to the
frame, whatever the callbacks' timing does."""

from __future__ import annotations

import array
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legtimer.audio import CueMixer, PlannedCue, StreamClock

RATE = 1000  # one frame a millisecond keeps the arithmetic readable
BLOCK = 100
LATENCY = 0.25  # a buffer plays this long after its callback
#: Half a frame, and float rounding.
TOL = 0.5 / RATE + 1e-9
STREAM_BASE = 5000.0  # the stream's own time base is not the monotonic clock


def tone(n: int, value: int = 1000) -> array.array[int]:
    return array.array("h", [value] * n)


class FakeStream:
    """Calls the mixer as an output stream does: a callback per block, each block playing
    LATENCY after the callback; `delays` make the callback's own clock reading late (waiting
    for the interpreter), as on a busy machine."""

    def __init__(self, mixer_sounds: dict[str, array.array[int]] | None = None) -> None:
        self.t = 100.0
        self.mixer = CueMixer(
            mixer_sounds or {"beep": tone(30), "long": tone(250, 2000)},
            RATE,
            now=lambda: self.t + self.delay,
        )
        self.delay = 0.0
        self.calls = 0
        self.out = array.array("h")
        #: Monotonic time at which frame 0 plays (once the stream has started).
        self.origin: float | None = None

    def callback(self, delay: float = 0.0) -> None:
        self.delay = delay
        if self.origin is None:
            self.origin = self.t + LATENCY
        data = self.mixer.render(BLOCK, STREAM_BASE + self.t, STREAM_BASE + self.t + LATENCY)
        self.out.frombytes(data)
        self.t += BLOCK / RATE

    def run(self, seconds: float, delays: Sequence[float] = ()) -> None:
        """Callbacks for `seconds`, the n-th of the stream late by delays[n % len(delays)]."""
        for _ in range(round(seconds * RATE / BLOCK)):
            self.callback(delays[self.calls % len(delays)] if delays else 0.0)
            self.calls += 1

    def onsets(self) -> list[float]:
        """Monotonic times at which sound starts in what was written."""
        assert self.origin is not None
        out = self.out
        return [
            self.origin + i / RATE
            for i in range(len(out))
            if out[i] != 0 and (i == 0 or out[i - 1] == 0)
        ]


def settled_stream() -> FakeStream:
    stream = FakeStream()
    stream.run(0.5)
    assert stream.mixer.clock.settled
    return stream


def test_a_cue_starts_at_the_frame_of_its_due_time() -> None:
    stream = settled_stream()
    at = stream.t + 1.2345
    stream.mixer.plan([PlannedCue("a", "beep", at)])
    stream.run(2)
    [onset] = stream.onsets()
    assert abs(onset - at) <= TOL
    [placed] = stream.mixer.placed_snapshot()
    assert placed.sounds_at == pytest.approx(onset, abs=1e-9) and placed.due == at


def test_late_callbacks_do_not_move_a_cue() -> None:
    """Callbacks that get to run up to 7 ms late, four in five: the earliest reading of the
    last half second wins."""
    stream = settled_stream()
    ats = [stream.t + 1.0 + k * 0.377 for k in range(8)]
    stream.mixer.plan([PlannedCue(k, "beep", at) for k, at in enumerate(ats)])
    stream.run(5, delays=[0.007, 0.003, 0.0, 0.005, 0.006])
    onsets = stream.onsets()
    assert len(onsets) == len(ats)
    assert max(abs(o - a) for o, a in zip(onsets, ats, strict=True)) <= TOL


def test_a_start_burst_does_not_count_as_settled() -> None:
    """A new stream fills its buffer in a burst, then plays much later: cues wait for the
    clock to settle, then land where they belong."""
    stream = FakeStream()
    due = stream.t + 2.5
    stream.mixer.plan([PlannedCue("a", "beep", due)])
    for _ in range(3):  # the burst: three callbacks at once, nothing played yet
        stream.mixer.render(BLOCK, STREAM_BASE + stream.t, STREAM_BASE + stream.t + LATENCY)
    assert not stream.mixer.clock.settled
    stream.t += 1.7  # the stream really starts only now
    stream.run(0.5)
    assert stream.mixer.clock.settled
    assert stream.mixer.placed_snapshot() == []
    stream.run(1.5)
    [placed] = stream.mixer.placed_snapshot()
    # The burst's 300 frames were written before the stream started: frame f plays at
    # (start of the real stream) + (f - 300) / RATE.
    assert abs(placed.sounds_at - due) <= TOL


def test_a_lasting_shift_of_the_stream_is_taken_up() -> None:
    """The output fell behind once (the server played silence): everything after it plays
    later, and the clock follows within its window."""
    stream = settled_stream()
    assert stream.origin is not None
    stream.origin += 0.040  # frames play 40 ms later from now on, and callbacks come later
    stream.t += 0.040
    stream.run(1.0)
    at = stream.t + 1.0
    stream.mixer.plan([PlannedCue("a", "beep", at)])
    stream.run(1.5)
    [onset] = stream.onsets()
    assert abs(onset - at) <= TOL


def test_a_new_plan_withdraws_what_was_not_written_yet() -> None:
    stream = settled_stream()
    soon, later = stream.t + 0.3, stream.t + 1.5
    stream.mixer.plan([PlannedCue("soon", "long", soon), PlannedCue("later", "beep", later)])
    stream.run(0.2)  # "soon" is in the buffer now (it plays 0.25 s after its callback)
    stream.mixer.plan([])  # a skip: nothing planned any more
    stream.run(2)
    assert [p.key for p in stream.mixer.placed_snapshot()] == ["soon"]
    # What was written plays to its end: 250 frames of it.
    assert sum(1 for s in stream.out if s) == 250


def test_a_cue_for_what_happened_now_plays_at_once_and_survives_plans() -> None:
    stream = settled_stream()
    stream.mixer.add(PlannedCue("skip", "beep", stream.t))  # due now: late by the buffer
    stream.mixer.plan([])
    stream.run(0.5)
    [onset] = stream.onsets()
    assert 0 <= onset - stream.mixer.placed_snapshot()[0].due <= LATENCY + BLOCK / RATE


def test_a_cue_planned_and_then_announced_is_heard_once() -> None:
    stream = settled_stream()
    at = stream.t + 0.8
    stream.mixer.plan([PlannedCue("k", "beep", at)])
    stream.run(0.9)
    stream.mixer.add(PlannedCue("k", "beep", at))  # its moment came: already written
    stream.mixer.plan([PlannedCue("k", "beep", at)])  # a plan that still names it
    stream.run(1)
    assert len(stream.onsets()) == 1


def test_a_cue_far_too_late_is_dropped() -> None:
    stream = settled_stream()
    stale = PlannedCue("old", "beep", stream.t - 2.0)
    stream.mixer.add(stale)
    stream.run(0.5)
    assert stream.onsets() == [] and list(stream.mixer.dropped) == [stale]


def test_overlapping_cues_are_mixed_and_clipped() -> None:
    stream = FakeStream({"a": tone(50, 30000), "b": tone(50, 10000)})
    stream.run(0.5)
    at = stream.t + 0.5
    stream.mixer.plan([PlannedCue(1, "a", at), PlannedCue(2, "b", at + 0.025)])
    stream.run(1)
    values = sorted(set(stream.out))
    assert values == [0, 10000, 30000, 32767]


def test_volume_scales_the_samples() -> None:
    stream = settled_stream()
    stream.mixer.plan([PlannedCue(1, "beep", stream.t + 0.5, volume=0.25)])
    stream.run(1)
    assert set(stream.out) == {0, 250}


@settings(max_examples=60, deadline=None)
@given(
    dues=st.lists(st.floats(0.4, 6.0), min_size=1, max_size=12, unique=True),
    delays=st.lists(st.floats(0.0, 0.008), min_size=1, max_size=16),
)
def test_every_cue_lands_on_its_frame_whatever_the_callbacks_do(
    dues: list[float], delays: list[float]
) -> None:
    """However late the callbacks get to run (up to 8 ms), with at least one prompt callback
    among the recent ones, every cue lands within a frame of its due time."""
    stream = FakeStream({"beep": tone(5)})
    delays = [*delays, 0.0]  # one prompt callback in every cycle of delays
    while not stream.mixer.clock.settled:  # the app starts a session once it is
        stream.run(0.1, delays)
    assert stream.t < 100 + 4.0 + 0.1  # settled within its limit, whatever the delays
    ats = sorted({round(stream.t + d, 6) for d in dues})
    ats = [a for i, a in enumerate(ats) if i == 0 or a - ats[i - 1] > 0.01]
    stream.mixer.plan([PlannedCue(i, "beep", at) for i, at in enumerate(ats)])
    stream.run(7, delays)
    onsets = stream.onsets()
    assert len(onsets) == len(ats)
    # The clock keeps the earliest reading of the last 0.5 s: 5 or 6 callbacks of 0.1 s.
    tolerance = 1.0 / RATE if len(delays) <= 5 else max(delays) + 1.0 / RATE
    assert max(abs(o - a) for o, a in zip(onsets, ats, strict=True)) <= tolerance


def test_a_clock_that_never_holds_still_settles_at_its_limit() -> None:
    """Each callback less late than the one before: the estimate moves on every time."""
    stream = FakeStream()
    less_and_less = [1.0 - 0.01 * k for k in range(100)]
    stream.run(3.0, less_and_less)  # the readings span 2.7 s
    assert not stream.mixer.clock.settled
    stream.run(1.6, less_and_less)  # and now 4.14 s
    assert stream.mixer.clock.settled


def test_the_clock_maps_frames_both_ways() -> None:
    clock = StreamClock(RATE)
    for k in range(6):
        clock.observe(k * BLOCK, 10.0 + k * BLOCK / RATE, 9.75 + k * BLOCK / RATE)
    assert clock.settled
    assert clock.time_at(1500) == 11.5
    assert clock.frame_at(11.5) == 1500
