"""Placing cues to the sample in an output stream that is kept open.

An output stream asks for audio a little ahead of the moment it plays it: each callback fills a
buffer whose first frame reaches the output at a time the stream reports (PortAudio's
`outputBufferDacTime`, in the stream's own time base, next to `currentTime` in the same base).
`StreamClock` turns those reports into a mapping from the stream's frame count to the monotonic
clock the session runs on; `CueMixer` then writes each cue at the frame where its due time falls.
Where a cue starts no longer depends on when the GUI thread got round to it: only on the stream's
clock. A cue handed over late (a skip, which happens now) starts in the next buffer.

Callbacks run on the audio thread; `plan()` and `add()` come from the GUI thread. The two share
only the pending list, under a lock held for a list swap.
"""

from __future__ import annotations

import array
import threading
import time
import wave
from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


def read_pcm16(path: Path) -> tuple[array.array[int], int, int]:
    """A WAV file's 16-bit samples, its channel count and its rate."""
    with wave.open(str(path)) as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path.name} is not 16-bit PCM")
        samples = array.array("h")
        samples.frombytes(w.readframes(w.getnframes()))
        return samples, w.getnchannels(), w.getframerate()


@dataclass(frozen=True, slots=True)
class PlannedCue:
    """A cue to sound at monotonic time `at` (in the past: as soon as the stream can)."""

    key: Hashable
    sound: str
    at: float
    volume: float = 1.0


@dataclass(frozen=True, slots=True)
class Placed:
    """A cue written into the stream: at which frame, and when the stream clock says that
    frame reaches the output (the app's own estimate of when the cue is heard)."""

    key: Hashable
    sound: str
    due: float
    frame: int
    sounds_at: float
    #: Monotonic time of the callback that wrote it.
    written_at: float


class StreamClock:
    """The monotonic time at which each of a stream's frames reaches the output.

    Every callback gives one estimate of the monotonic time of frame 0: the callback's own
    reading of the monotonic clock, plus how far ahead of the stream's "now" its buffer plays,
    less the frames written before it. The reading is taken when Python gets to run the
    callback, which can only be later than the stream's "now" (waiting for the interpreter),
    never earlier: so the smallest estimate of the last `window_s` seconds is the best one. A
    shift that lasts (the output fell behind and the server played silence) is taken up once
    the window has seen nothing else.

    A stream that has just started fills its buffer in a burst and may then wait a long time
    before it plays (1.6-1.9 s through ALSA's PulseAudio plug-in here); the estimates of that
    burst agree with each other and are wrong. So the clock counts as settled only once its
    estimate has held (within `settle_tolerance`) for `settle` callbacks in a row spread over at
    least `settle_span` seconds of real time, or in any case `settle_limit` seconds after the
    first callback (a machine so busy that the estimate never holds still: the best it has).
    """

    def __init__(
        self,
        rate: int,
        *,
        window_s: float = 0.5,
        settle: int = 4,
        settle_span: float = 0.1,
        settle_tolerance: float = 0.005,
        settle_limit: float = 4.0,
    ) -> None:
        self.rate = rate
        self._window = window_s
        self._settle = settle
        self._settle_span = settle_span
        self._tolerance = settle_tolerance
        self._settle_limit = settle_limit
        self._first: float | None = None
        self._recent: deque[tuple[float, float]] = deque()
        self._steady_since: float | None = None
        self._steady_count = 0
        self.offset: float | None = None
        self.settled = False

    def observe(self, frame: int, plays_at: float, now: float) -> None:
        """A callback at monotonic `now` says that `frame` reaches the output at `plays_at`."""
        if self._first is None:
            self._first = now
        recent = self._recent
        recent.append((now, plays_at - frame / self.rate))
        while now - recent[0][0] > self._window:
            recent.popleft()
        offset = min(o for _, o in recent)
        if self.offset is None or abs(offset - self.offset) > self._tolerance:
            self._steady_since, self._steady_count = now, 1
        else:
            self._steady_count += 1
        self.offset = offset
        if not self.settled and self._steady_since is not None:
            steady = now - self._steady_since >= self._settle_span
            self.settled = (self._steady_count >= self._settle and steady) or (
                now - self._first >= self._settle_limit
            )

    def time_at(self, frame: int) -> float:
        assert self.offset is not None, "no callback has been observed yet"
        return self.offset + frame / self.rate

    def frame_at(self, t: float) -> int:
        assert self.offset is not None, "no callback has been observed yet"
        return round((t - self.offset) * self.rate)


@dataclass(slots=True)
class _Active:
    key: Hashable
    samples: array.array[int]
    start: int


class CueMixer:
    """Mono 16-bit cues mixed into silence, each starting at the frame of its due time."""

    def __init__(
        self,
        sounds: Mapping[str, array.array[int]],
        rate: int,
        *,
        clock: StreamClock | None = None,
        now: Callable[[], float] = time.monotonic,
        stale_s: float = 0.6,
        history: int = 512,
    ) -> None:
        self.rate = rate
        self.clock = clock or StreamClock(rate)
        self._sounds = dict(sounds)
        self._scaled: dict[tuple[str, float], array.array[int]] = {}
        self._now = now
        self._stale = stale_s
        self._lock = threading.Lock()
        #: Cues not yet written, each with whether it was added (kept by later plans).
        self._pending: list[tuple[PlannedCue, bool]] = []
        self._active: list[_Active] = []
        #: Keys already written, so a plan that names them again does not play them twice.
        self._done: deque[Hashable] = deque(maxlen=history)
        self._frame = 0
        self._silence = b""
        #: Every cue written into the stream, newest last.
        self.placed: deque[Placed] = deque(maxlen=history)
        #: Cues that came too late to be worth playing.
        self.dropped: deque[PlannedCue] = deque(maxlen=history)
        #: Monotonic time of the last callback (None before the first).
        self.last_render: float | None = None

    @property
    def frames_rendered(self) -> int:
        return self._frame

    def plan(self, cues: Sequence[PlannedCue]) -> None:
        """The cues still to come, replacing the previous plan. A cue already written into the
        stream plays on; one that is no longer planned is not written."""
        with self._lock:
            added = [(c, True) for c, sticky in self._pending if sticky]
            known = {c.key for c, _ in added} | set(self._done)
            planned = [(c, False) for c in cues if c.key not in known]
            self._pending = sorted(added + planned, key=lambda p: p[0].at)

    def add(self, cue: PlannedCue) -> None:
        """One more cue, kept whatever later plans say (a cue for something that happened).
        A cue of the same key already planned becomes this one."""
        with self._lock:
            if cue.key in self._done:
                return
            others = [p for p in self._pending if p[0].key != cue.key]
            self._pending = sorted([*others, (cue, True)], key=lambda p: p[0].at)

    def pending(self) -> list[PlannedCue]:
        with self._lock:
            return [c for c, _ in self._pending]

    def placed_snapshot(self) -> list[Placed]:
        with self._lock:
            return list(self.placed)

    def render(self, frames: int, current_time: float, dac_time: float) -> bytes:
        """The next `frames` frames, for a callback whose stream time is `current_time` and
        whose first frame reaches the output at stream time `dac_time`."""
        now = self._now()
        first, end = self._frame, self._frame + frames
        self.clock.observe(first, now + (dac_time - current_time), now)
        self.last_render = now
        with self._lock:
            if self._pending:
                self._pending = self._place(first, end, now)
        self._frame = end
        if not self._active:
            if len(self._silence) != frames * 2:
                self._silence = bytes(frames * 2)
            return self._silence  # the same block of silence each time: nothing to allocate
        return self._mix(first, end)

    def _place(self, first: int, end: int, now: float) -> list[tuple[PlannedCue, bool]]:
        keep = []
        for item in self._pending:
            cue = item[0]
            if not self.clock.settled:
                if cue.at >= now - self._stale:
                    keep.append(item)
                else:
                    self.dropped.append(cue)
                continue
            start = self.clock.frame_at(cue.at)
            if start >= end:
                keep.append(item)
            elif start < first - round(self._stale * self.rate):
                self.dropped.append(cue)
            else:
                start = max(start, first)
                self._active.append(_Active(cue.key, self._samples(cue), start))
                self._done.append(cue.key)
                sounds_at = self.clock.time_at(start)
                self.placed.append(Placed(cue.key, cue.sound, cue.at, start, sounds_at, now))
        return keep

    def _samples(self, cue: PlannedCue) -> array.array[int]:
        volume = round(min(1.0, max(0.0, cue.volume)), 2)
        key = (cue.sound, volume)
        scaled = self._scaled.get(key)
        if scaled is None:
            base = self._sounds[cue.sound]
            scaled = base if volume == 1.0 else array.array("h", (int(s * volume) for s in base))
            self._scaled[key] = scaled
        return scaled

    def _mix(self, first: int, end: int) -> bytes:
        out = bytearray((end - first) * 2)
        written: list[tuple[int, int]] = []
        still = []
        for cue in self._active:
            lo, hi = max(cue.start, first), min(cue.start + len(cue.samples), end)
            if hi > lo:
                seg = cue.samples[lo - cue.start : hi - cue.start]
                a, b = (lo - first) * 2, (hi - first) * 2
                if any(lo < w_hi and hi > w_lo for w_lo, w_hi in written):
                    under = array.array("h")
                    under.frombytes(out[a:b])
                    seg = array.array(
                        "h",
                        (max(-32768, min(32767, x + y)) for x, y in zip(under, seg, strict=True)),
                    )
                out[a:b] = seg.tobytes()
                written.append((lo, hi))
            if cue.start + len(cue.samples) > end:
                still.append(cue)
        self._active = still
        return bytes(out)
