"""Cues heard for real: the app plays through a PulseAudio null sink, `parec` records the
sink's monitor, and every cue's onset must land just after the moment it was due."""

from __future__ import annotations

import importlib.util
import subprocess

import pytest

from tests import audio
from tests.conftest import require

pytestmark = [pytest.mark.gui, pytest.mark.audio, pytest.mark.slow]

PLAN = "5s warmup; 4s work; 2s rest"
CUE_EVENTS = ("countdown", "interval_started", "finished")
#: From due time to onset at the sink: the output latency plus scheduling, generous because
#: the machine is shared (bench/cues.py measures the latency itself).
EARLIEST, LATEST = -0.015, 0.500
#: A cue lasts up to 0.6 s; a stutter inside it under load can look like a second onset.
CUE_LENGTH = 0.6


def heard(env: dict[str, str], backend: str) -> tuple[list[float], list[float], dict[str, object]]:
    try:
        return _heard(env, backend)
    except subprocess.TimeoutExpired:
        # Qt 6.11's PulseAudio back end now and then spins on a stale socket notifier and the
        # child never finishes (seen in about one run in ten); one more try tells that apart
        # from a cue path that is really broken.
        return _heard(env, backend)


def _heard(env: dict[str, str], backend: str) -> tuple[list[float], list[float], dict[str, object]]:
    with audio.recorder(env) as rec:
        result = audio.run_app(env, backend, PLAN)
    assert rec.start is not None, "parec recorded nothing"
    found = [rec.start + t for t in audio.onsets(rec.samples())]
    events = result["events"]
    assert isinstance(events, list)
    due = [float(at) for kind, at, _ in events if kind in CUE_EVENTS]
    return due, found, result


@pytest.mark.parametrize("backend", ["qt", "simpleaudio"])
def test_cues_are_heard_at_their_boundaries(pulse: dict[str, str], backend: str) -> None:
    if backend == "simpleaudio":
        require(
            "LEGTIMER_REQUIRE_AUDIO",
            importlib.util.find_spec("simpleaudio") is not None,
            "the simpleaudio extra is not installed",
        )
    problem = check_heard(*heard(pulse, backend), backend)
    if problem:
        # Under load, Qt 6.11's PulseAudio output now and then stalls for half a second and
        # then plays what queued up (seen in about one full CI run in five, never alone): one
        # more session tells that apart from a cue path that is really broken, which fails
        # both times. Issue 6's cue-latency work is where the stall itself is to be met.
        problem = check_heard(*heard(pulse, backend), backend)
    assert not problem, problem


def check_heard(
    due: list[float], found: list[float], result: dict[str, object], backend: str
) -> str | None:
    """What is wrong with what was heard, or None."""
    if result["backend"] != backend:
        return f"played through {result['backend']}, not {backend}: {result['notice']}"
    # 3 countdowns before each of the two 4-5 s boundaries, 1 before the 2 s rest ends,
    # plus the three interval starts' cues and the finish.
    if len(due) != 10:
        return f"{len(due)} cues due, not 10"
    for t in due:
        near = [f - t for f in found if EARLIEST <= f - t <= LATEST]
        if not near:
            return (
                f"no cue heard within {LATEST * 1000:.0f} ms of a boundary due at {t}; heard at "
                f"{[round(f - due[0], 3) for f in found]}, due at "
                f"{[round(x - due[0], 3) for x in due]}"
            )
    # Typically the cue is heard within a few tens of milliseconds.
    lateness = sorted(min((f - t for f in found if f - t >= EARLIEST), default=9) for t in due)
    if lateness[len(lateness) // 2] > 0.15:
        return f"the median cue was late by more than 150 ms: {lateness}"
    # Nothing heard that was not due. (The cue at the very start is not among the boundaries,
    # and the first moments of a new stream may stutter, so the check begins at the first.)
    later = [f for f in found if f >= due[0] + EARLIEST]
    extra = [f for f in later if not any(EARLIEST <= f - t <= CUE_LENGTH for t in due)]
    if extra:
        return (
            f"sound where no cue was due: {[round(f - due[0], 3) for f in extra]} "
            f"(due at {[round(x - due[0], 3) for x in due]})"
        )
    return None
