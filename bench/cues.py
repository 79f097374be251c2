"""Cue latency: from a boundary's due time to the cue's onset recorded at a PulseAudio null
sink, per back end; then again with the measured median latency compensated (cues started that
much early), as the app does with its cue lead.

Needs pulseaudio, parec and pactl (Debian: pulseaudio pulseaudio-utils); simpleaudio is
measured when the extra is installed.

How Qt's figure came down (Qt 6.11, PulseAudio): QSoundEffect plays every effect through one
shared stream (one sink input, whatever the number of effects). A sound whose file ends in more
than ~10 ms of quiet makes the *next* sound start 28 ms late; the countdown used to end in
150 ms of silence, so half the cues were 28 ms late and half on time (p50 31, p95 49 ms).
Ending every cue on its sound put all of them within a few ms (tests/test_sounds.py).

simpleaudio opens a stream per cue, and how long that takes varies by tens of ms on a shared
machine. The figures "no_stall_near" leave out the cues around which the host took a CPU away
for 100 ms or more (tests/audio.py `stall_watch`): those are the machine's, not the app's.
"""

from __future__ import annotations

import importlib.util
import shutil
import statistics
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit, summary
from legtimer import assets
from tests import audio

PLAN = "3s warmup; 12x(2s work, 2s rest)"
CUE_EVENTS = ("countdown", "interval_started", "finished")


#: A CPU lost for this long (tests/audio.py `stall_watch`) can make a cue late by itself.
STALL = 0.1


def latencies(
    env: dict[str, str], backend: str, lead: float, sounds: Path | None = None
) -> tuple[str, list[float], list[float]]:
    """The back end used, each cue's latency in ms, and the latencies of the cues that had no
    stall of the machine near them (from the cue before to half a second after)."""
    with audio.stall_watch(STALL) as watch, audio.recorder(env) as rec:
        result = audio.run_app(env, backend, PLAN, lead, sounds)
    assert rec.start is not None
    heard = rec.onset_times()
    events = result["events"]
    assert isinstance(events, list)
    due = [float(at) for kind, at, _ in events if kind in CUE_EVENTS]
    out, calm = [], []
    for t in due:
        near = [h - t for h in heard if -0.1 <= h - t <= 0.5]
        if near:
            out.append(min(near, key=abs) * 1000)
            if not audio.stalled(watch.stalls, t - 1.0, t + 0.5):
                calm.append(out[-1])
    return str(result["backend"]), out, calm


def main() -> None:
    if not audio.tools_present():
        emit("cues", {"skipped": "pulseaudio, parec or pactl is missing"})
        return
    backends = ["qt"]
    if importlib.util.find_spec("simpleaudio") is not None:
        backends.append("simpleaudio")
    figures: dict[str, object] = {"plan": PLAN}
    with audio.pulse_server() as env:
        for backend in backends:
            used, raw, raw_calm = latencies(env, backend, 0.0)
            lead = statistics.median(raw) / 1000 if raw else 0.0
            _, compensated, compensated_calm = latencies(env, backend, lead)
            figures[backend] = {
                "backend_used": used,
                "latency_ms": summary(raw),
                "measured_lead_ms": lead * 1000,
                "compensated_error_ms": summary(compensated),
                "compensated_abs_error_ms": summary([abs(x) for x in compensated]),
                # The machine's share: the same, over the cues with no stall near them.
                "latency_ms_no_stall_near": summary(raw_calm),
                "compensated_abs_error_ms_no_stall_near": summary(
                    [abs(x) for x in compensated_calm]
                ),
            }
        # The baseline: the cues as they were, the countdown ending in 150 ms of silence.
        with tempfile.TemporaryDirectory() as tmp:
            old = Path(tmp)
            for wav in assets.sounds_dir().glob("*.wav"):
                shutil.copy(wav, old)
            with wave.open(str(assets.cue_path("countdown"))) as w:
                params, frames = w.getparams(), w.readframes(w.getnframes())
            with wave.open(str(old / "countdown.wav"), "wb") as w:
                w.setparams(params)
                w.writeframes(frames + bytes(2 * round(0.15 * params.framerate)))
            _, before, before_calm = latencies(env, "qt", 0.0, old)
            figures["qt_baseline_countdown_with_silent_tail"] = {
                "latency_ms": summary(before),
                "latency_ms_no_stall_near": summary(before_calm),
            }
    emit(
        "cues",
        figures,
        targets={"latency_ms.p95": "<= 30", "compensated_abs_error_ms.p95": "<= 10"},
    )


if __name__ == "__main__":
    main()
