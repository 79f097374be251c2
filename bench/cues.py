"""Cue latency: from a boundary's due time to the cue's onset recorded at a PulseAudio null
sink, per back end; then again with the measured median latency compensated (cues started that
much early), as the app does with its cue lead.

Needs pulseaudio, parec and pactl (Debian: pulseaudio pulseaudio-utils); simpleaudio is
measured when the extra is installed.

What limits the figures (measured with Qt 6.11 on a shared 2-core VM): QSoundEffect and
simpleaudio open an output stream per cue, and how long that takes varies by tens of ms. One
stream kept open, with each cue written at the frame that reaches the device at its moment
(QAudioSink, position from processedUSecs), placed cues within a few ms while the machine was
quiet, but Qt's PulseAudio sink asks the server for a 1024-frame buffer (23 ms; not settable
from PySide), which underran often here and pushed later cues up to 200 ms late; with
PULSE_LATENCY_MSEC=60 the spikes went, at ~50 ms of latency; and an open stream costs 2-3 % of
a core. Measure that design again on quiet hardware before taking it up.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit, summary
from tests import audio

PLAN = "3s warmup; 12x(2s work, 2s rest)"
CUE_EVENTS = ("countdown", "interval_started", "finished")


#: A CPU lost for this long (tests/audio.py `stall_watch`) can make a cue late by itself.
STALL = 0.1


def latencies(env: dict[str, str], backend: str, lead: float) -> tuple[str, list[float], int]:
    """The back end used, each cue's latency in ms, and how many of those cues had a stall of
    the machine near them (from the cue before to half a second after)."""
    with audio.stall_watch(STALL) as watch, audio.recorder(env) as rec:
        result = audio.run_app(env, backend, PLAN, lead)
    assert rec.start is not None
    heard = rec.onset_times()
    events = result["events"]
    assert isinstance(events, list)
    due = [float(at) for kind, at, _ in events if kind in CUE_EVENTS]
    out, stalled = [], 0
    for t in due:
        near = [h - t for h in heard if -0.1 <= h - t <= 0.5]
        if near:
            out.append(min(near, key=abs) * 1000)
            stalled += any(s.start < t + 0.5 and s.end > t - 1.0 for s in watch.stalls)
    return str(result["backend"]), out, stalled


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
            used, raw, stalled = latencies(env, backend, 0.0)
            lead = statistics.median(raw) / 1000 if raw else 0.0
            _, compensated, stalled_compensated = latencies(env, backend, lead)
            figures[backend] = {
                "backend_used": used,
                "latency_ms": summary(raw),
                "measured_lead_ms": lead * 1000,
                "compensated_error_ms": summary(compensated),
                "compensated_abs_error_ms": summary([abs(x) for x in compensated]),
                # The machine's share: cues with a stall near them, of those measured.
                "cues_near_a_stall": f"{stalled}/{len(raw)}",
                "compensated_cues_near_a_stall": f"{stalled_compensated}/{len(compensated)}",
            }
    emit(
        "cues",
        figures,
        targets={"latency_ms.p95": "<= 30", "compensated_abs_error_ms.p95": "<= 10"},
    )


if __name__ == "__main__":
    main()
