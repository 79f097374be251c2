"""Cues heard for real: the app plays through a PulseAudio null sink, `parec` records the
sink's monitor, and every cue's onset must land just after the moment it was due. The scheduled
stream (the default) is held to the grid: every cue within 2 ms of its due time plus one
constant latency, the session's first cue included.

The machine is a shared VM: now and then the host takes a CPU away for a few hundred
milliseconds, and a cue due then sounds late, split in two, or merged with the next one. No
app can help that, so a watcher (tests/audio.py `stall_watch`) notes those stalls. A cue that
missed its moment is let off only where one fell; every other cue is judged strictly, and most
must be heard in time whatever the machine did.
"""

from __future__ import annotations

import importlib.util
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from tests import audio
from tests.conftest import require

PLAN = "5s warmup; 4s work; 2s rest"
CUE_EVENTS = ("countdown", "interval_started", "finished")
#: From due time to onset at the sink: the output latency plus scheduling, generous because
#: the machine is shared (bench/cues.py measures the latency itself).
EARLIEST, LATEST = -0.015, 0.500
#: A cue lasts up to 0.6 s; a stutter inside it under load can look like a second onset.
CUE_LENGTH = 0.6
#: The session's start and its 10 boundaries.
CUES = 11
#: Of those, how many must be heard in time for a session to count, whatever the machine did.
MIN_JUDGED = 7
#: The scheduled stream: how far from the grid (due time plus the median latency) a cue may be.
GRID_TOLERANCE = 0.002
#: A CPU lost for this long is a stall that can make a cue late (the watcher's threshold).
STALL = 0.1
#: Sessions played before giving up: a broken cue path fails every one, a stall rarely twice.
ATTEMPTS = 3


@dataclass
class Heard:
    due: list[float]
    found: list[float]
    result: dict[str, object]
    stalls: list[audio.Stall]

    def disturbed(self, start: float, end: float) -> bool:
        return audio.stalled(self.stalls, start, end)

    def stalls_text(self, origin: float) -> str:
        return str(
            [(round(s.start - origin, 2), round((s.end - s.start) * 1000)) for s in self.stalls]
        )


def portaudio_present() -> bool:
    import ctypes.util

    return ctypes.util.find_library("portaudio") is not None


def heard(env: dict[str, str], backend: str) -> Heard:
    try:
        return _heard(env, backend)
    except subprocess.TimeoutExpired:
        # Qt 6.11's PulseAudio back end now and then spins on a stale socket notifier and the
        # child never finishes (seen in about one run in ten); one more try tells that apart
        # from a cue path that is really broken.
        return _heard(env, backend)


def _heard(env: dict[str, str], backend: str) -> Heard:
    app_env = env
    if backend == "stream":
        # As on a desktop with a sound server: the system's ALSA configuration, so the app
        # chooses its lean one (legtimer.audio.alsa) and the cues must still be heard.
        app_env = {k: v for k, v in env.items() if k != "ALSA_CONFIG_PATH"}
    with audio.stall_watch(STALL) as watch, audio.recorder(env) as rec:
        result = audio.run_app(app_env, backend, PLAN)
    assert rec.start is not None, "parec recorded nothing"
    found = rec.onset_times()
    events = result["events"]
    assert isinstance(events, list)
    due = [float(at) for kind, at, _ in events if kind in CUE_EVENTS]
    return Heard(due, found, result, watch.stalls)


@pytest.mark.gui
@pytest.mark.audio
@pytest.mark.slow
@pytest.mark.parametrize("backend", ["stream", "qt", "simpleaudio"])
def test_cues_are_heard_at_their_boundaries(pulse: dict[str, str], backend: str) -> None:
    if backend == "stream":
        require(
            "LEGTIMER_REQUIRE_AUDIO",
            portaudio_present(),
            "PortAudio's library is missing (Debian: libportaudio2)",
        )
    if backend == "simpleaudio":
        require(
            "LEGTIMER_REQUIRE_AUDIO",
            importlib.util.find_spec("simpleaudio") is not None,
            "the simpleaudio extra is not installed",
        )
    problems = []
    for _ in range(ATTEMPTS):
        problem = check_heard(heard(pulse, backend), backend)
        if problem is None:
            return
        problems.append(problem)
    pytest.fail("in every session:\n" + "\n".join(problems))


def check_heard(h: Heard, backend: str) -> str | None:
    """What is wrong with what was heard, or None."""
    due, found, result = h.due, h.found, h.result
    if result["backend"] != backend:
        return f"played through {result['backend']}, not {backend}: {result['notice']}"
    # The start; 3 countdowns before each of the two 4-5 s boundaries, 1 before the 2 s rest
    # ends, the two boundaries' cues and the finish.
    if len(due) != CUES:
        return f"{len(due)} cues due, not {CUES}"

    def rel(times: list[float]) -> list[float]:
        return [round(t - due[0], 3) for t in times]

    seen = f"heard at {rel(found)}, due at {rel(due)}, stalls {h.stalls_text(due[0])}"
    # A boundary whose cue was not heard in time is let off when a stall fell between the
    # length of the cue before it and the latest its own cue may come.
    missed = [t for t in due if not any(EARLIEST <= f - t <= LATEST for f in found)]
    unexplained = [t for t in missed if not h.disturbed(t - CUE_LENGTH, t + LATEST)]
    if unexplained:
        return f"no cue heard within {LATEST * 1000:.0f} ms of {rel(unexplained)}; {seen}"
    if len(due) - len(missed) < MIN_JUDGED:
        return f"the machine stalled around {len(missed)} of {CUES} cues; {seen}"
    # Typically the cue is heard within a few tens of milliseconds.
    heard_at = {t: min(f - t for f in found if f - t >= EARLIEST) for t in due if t not in missed}
    lateness = sorted(heard_at.values())
    median = lateness[len(lateness) // 2]
    if median > 0.15:
        return f"the median cue was late by more than 150 ms: {lateness}; {seen}"
    if backend == "stream":
        off_grid = [
            (round(t - due[0], 3), round((late - median) * 1000, 2))
            for t, late in heard_at.items()
            if abs(late - median) > GRID_TOLERANCE and not h.disturbed(t - 1.0, t + LATEST)
        ]
        if off_grid:
            return f"cues off the grid by more than 2 ms (at, ms): {off_grid}; {seen}"
    # Nothing heard that was not due, or that a stall does not explain (one inside a cue splits
    # it).
    extra = [
        f
        for f in found
        if not any(EARLIEST <= f - t <= CUE_LENGTH for t in due)
        and not h.disturbed(f - CUE_LENGTH, f)
    ]
    if extra:
        return f"sound where no cue was due: {rel(extra)}; {seen}"
    return None


# What the judging lets through, on made-up recordings: it must still catch a missing cue.

DUE = [100.0 + i for i in range(11)]


def made_up(
    found: list[float], stalls: Sequence[tuple[float, float]] = (), backend: str = "qt"
) -> Heard:
    result: dict[str, object] = {"backend": backend, "notice": None}
    return Heard(DUE, found, result, [audio.Stall(0, a, b) for a, b in stalls])


def on_time() -> list[float]:
    return [t + 0.03 for t in DUE]


def test_judging_passes_cues_heard_on_time() -> None:
    assert check_heard(made_up(on_time()), "qt") is None


def test_judging_catches_a_missing_cue_where_the_machine_ran() -> None:
    found = on_time()
    del found[4]
    problem = check_heard(made_up(found, [(102.0, 102.3)]), "qt")
    assert problem is not None and "no cue heard within 500 ms of [4.0]" in problem


def test_judging_leaves_out_a_boundary_the_machine_stalled_around() -> None:
    found = on_time()
    del found[4]
    found.append(104.8)  # heard late, after the stall
    assert check_heard(made_up(found, [(103.9, 104.5)]), "qt") is None


def test_judging_catches_sound_where_nothing_was_due_and_nothing_stalled() -> None:
    problem = check_heard(made_up(sorted([*on_time(), 104.7])), "qt")
    assert problem is not None and "sound where no cue was due: [4.7]" in problem
    assert check_heard(made_up(sorted([*on_time(), 104.7]), [(104.3, 104.5)]), "qt") is None


def test_judging_needs_most_cues_in_time_however_the_machine_stalled() -> None:
    found = [t + (0.03 if t < 102 or t > 106 else 0.7) for t in DUE]
    assert check_heard(made_up(found), "qt") is not None
    problem = check_heard(made_up(found, [(101.5, 106.0)]), "qt")
    assert problem is not None and "stalled around 5 of 11 cues" in problem
    assert check_heard(made_up(on_time(), [(101.5, 106.0)]), "qt") is None


def test_judging_catches_cues_that_are_late_as_a_rule() -> None:
    problem = check_heard(made_up([t + 0.3 for t in DUE]), "qt")
    assert problem is not None and "median cue was late" in problem


def test_the_stall_watch_sees_a_stall() -> None:
    """Its process stopped for 300 ms: every CPU's watcher saw it, and nothing before."""
    import os
    import signal
    import time

    with audio.stall_watch(STALL) as watch:
        os.kill(watch.pid, signal.SIGSTOP)
        stopped = time.monotonic()
        time.sleep(0.3)
        os.kill(watch.pid, signal.SIGCONT)
    long = [s for s in watch.stalls if s.end - s.start >= 0.25]
    assert {s.cpu for s in long} == set(os.sched_getaffinity(0))
    assert all(s.start <= stopped + 0.05 and s.end >= stopped + 0.3 for s in long)


def test_judging_holds_the_stream_to_the_grid_the_first_cue_included() -> None:
    steady = [t + 0.008 + (0.0005 if i % 2 else -0.0005) for i, t in enumerate(DUE)]
    assert check_heard(made_up(steady, backend="stream"), "stream") is None
    first_off = [steady[0] + 0.0035, *steady[1:]]
    problem = check_heard(made_up(first_off, backend="stream"), "stream")
    assert (
        problem is not None and "off the grid by more than 2 ms (at, ms): [(0.0, 2.5)]" in problem
    )
    # Qt is not held to the grid: it plays a cue when asked.
    assert check_heard(made_up(first_off), "qt") is None
