"""Generate LegTimer's cue sounds as 16-bit PCM mono WAV files.

Run `python sounds/generate.py` to rewrite them; the output is deterministic, so a regenerated
file is byte-identical and the repository only changes when this script does.

Each sound starts with a short silent lead-in (output devices often swallow the first
milliseconds of a stream), lasts at least 300 ms so it is heard over a treadmill, and ends on
its sound, never on silence: Qt plays all effects through one stream, and a quiet tail of more
than ~10 ms makes the next cue start 28 ms late (tests/test_sounds.py holds this). The tones
differ in pitch *and* rhythm, so a runner with headphones can tell them apart without looking:
- countdown: one short mid beep (played at 3, 2, 1);
- work: a rising two-note "go" figure, loud and bright;
- rest: a falling two-note figure, softer;
- complete: a rising three-note arpeggio with a held top note.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
LEAD_IN_S = 0.010
PEAK = 0.8


def _tone(freq: float, seconds: float, gain: float = 1.0) -> list[float]:
    n = int(RATE * seconds)
    attack = int(RATE * 0.004)
    release = int(RATE * 0.030)
    out = []
    for i in range(n):
        env = 1.0
        if i < attack:
            env = i / attack
        elif i > n - release:
            env = max(0.0, (n - i) / release)
        # A little third harmonic makes the beep cut through treadmill noise.
        s = math.sin(2 * math.pi * freq * i / RATE) + 0.25 * math.sin(6 * math.pi * freq * i / RATE)
        out.append(gain * env * s / 1.25)
    return out


def _silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def cues() -> dict[str, list[float]]:
    lead = _silence(LEAD_IN_S)
    return {
        "countdown": lead + _tone(880, 0.29),
        "work": lead + _tone(988, 0.12) + _silence(0.03) + _tone(1319, 0.28),
        "rest": lead + _tone(784, 0.14, 0.8) + _silence(0.03) + _tone(523, 0.28, 0.8),
        "complete": lead
        + _tone(523, 0.12)
        + _tone(659, 0.12)
        + _tone(784, 0.12)
        + _tone(1047, 0.45),
    }


def write_wav(path: Path, samples: list[float]) -> None:
    frames = b"".join(
        struct.pack("<h", round(max(-1.0, min(1.0, s)) * PEAK * 32767)) for s in samples
    )
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)


def main(out_dir: Path) -> None:
    for name, samples in cues().items():
        write_wav(out_dir / f"{name}.wav", samples)
    # Played as a session is about to start, so the output stream is open before the first cue.
    write_wav(out_dir / "silence.wav", _silence(0.5))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
