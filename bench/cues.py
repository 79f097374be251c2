"""Cue timing heard from outside: the app plays a session through a PulseAudio null sink,
`parec` records the sink's monitor, and each cue's onset is compared with its due time.

Side by side in one run: the scheduled stream (the default), Qt Multimedia (the baseline: one
QSoundEffect per cue), simpleaudio when the extra is installed, and the stream again with one
busy process per CPU running beside the app (the hog).

Figures per back end, in ms:
- `jitter`: how far each onset lies from the grid, the grid being every due time plus the
  session's median latency (a constant delay is not jitter: the ear hears the rhythm);
- `first_cue_error`: the same for the session's first cue (the one at the start);
- `latency`: onset minus due time (the constant part, plus the cue file's 10 ms lead-in);
- for the stream, `estimate_error`: the app's own idea of when a cue reaches the output (its
  stream clock) against the onset recorded, less their median difference (the lead-in).
The `_no_stall_near` figures leave out the cues near which the host took a CPU away for 100 ms
or more (tests/audio.py `stall_watch`): the machine's share, not the app's.

Needs pulseaudio, parec and pactl (Debian: pulseaudio pulseaudio-utils) and PortAudio
(libportaudio2, libasound2-plugins).
"""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import os
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit, summary
from tests import audio

PLAN = "3s warmup; 12x(2s work, 2s rest)"
CUE_EVENTS = ("countdown", "interval_started", "finished")
#: A CPU lost for this long (tests/audio.py `stall_watch`) can make a cue late by itself.
STALL = 0.1


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def hog() -> Iterator[None]:
    """One busy process per CPU for the length of the block."""
    procs = [
        multiprocessing.Process(target=_spin, daemon=True)
        for _ in range(len(os.sched_getaffinity(0)))
    ]
    for p in procs:
        p.start()
    try:
        yield
    finally:
        for p in procs:
            p.terminate()
            p.join()


def measure(env: dict[str, str], backend: str, *, busy: bool = False) -> dict[str, object]:
    with contextlib.ExitStack() as stack:
        watch = stack.enter_context(audio.stall_watch(STALL))
        rec = stack.enter_context(audio.recorder(env))
        if busy:
            stack.enter_context(hog())
        result = audio.run_app(env, backend, PLAN)
    assert rec.start is not None
    heard = rec.onset_times()
    events = result["events"]
    assert isinstance(events, list)
    due = [float(at) for kind, at, _ in events if kind in CUE_EVENTS]
    latency: dict[float, float] = {}
    for t in due:
        near = [h - t for h in heard if -0.1 <= h - t <= 0.5]
        if near:
            latency[t] = min(near, key=abs)
    if not latency:
        return {"backend_used": result["backend"], "heard": 0, "due": len(due)}
    median = statistics.median(latency.values())
    jitter = {t: abs(lat - median) * 1000 for t, lat in latency.items()}
    calm = [j for t, j in jitter.items() if not audio.stalled(watch.stalls, t - 1.0, t + 0.5)]
    figures: dict[str, object] = {
        "backend_used": result["backend"],
        "due": len(due),
        "heard": len(latency),
        "extra_onsets": len(heard) - len(latency),
        "stalls": len(watch.stalls),
        "latency_ms": summary([lat * 1000 for lat in latency.values()]),
        "jitter_ms": summary(list(jitter.values())),
        "jitter_ms_no_stall_near": summary(calm),
        "first_cue_error_ms": jitter.get(due[0], float("nan")),
    }
    placed = result.get("placed")
    if isinstance(placed, list) and placed:
        # The app's estimate for each cue (sounds_at) against the onset heard.
        gaps = []
        for _, at, sounds_at in placed:
            near = [h for h in heard if -0.1 <= h - at <= 0.5]
            if near:
                gaps.append(min(near, key=lambda h: abs(h - at)) - sounds_at)
        if gaps:
            mid = statistics.median(gaps)
            figures["estimate_error_ms"] = summary([abs(g - mid) * 1000 for g in gaps])
            figures["estimate_to_onset_median_ms"] = mid * 1000
    return figures


def main() -> None:
    if not audio.tools_present():
        emit("cues", {"skipped": "pulseaudio, parec or pactl is missing"})
        return
    figures: dict[str, object] = {"plan": PLAN}
    with audio.pulse_server() as env:
        figures["stream"] = measure(env, "stream")
        figures["qt_baseline"] = measure(env, "qt")
        if importlib.util.find_spec("simpleaudio") is not None:
            figures["simpleaudio"] = measure(env, "simpleaudio")
        figures["stream_with_hog"] = measure(env, "stream", busy=True)
    emit(
        "cues",
        figures,
        targets={
            "stream.jitter_ms.p95": "<= 1",
            "stream.jitter_ms.max": "<= 2",
            "stream.first_cue_error_ms": "<= 2",
            "stream_with_hog.jitter_ms.p95": "<= 2",
            "stream_with_hog.jitter_ms.max": "<= 5",
        },
    )


if __name__ == "__main__":
    main()
