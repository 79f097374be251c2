"""The shipped cue sounds are what the generator makes, and fit the cue rules."""

from __future__ import annotations

import filecmp
import runpy
import struct
import wave
from pathlib import Path

from legtimer import assets


def test_sounds_match_generator(tmp_path: Path) -> None:
    module = runpy.run_path(str(assets.sounds_dir() / "generate.py"))
    module["main"](tmp_path)
    for name in (*assets.CUE_NAMES, "silence"):
        shipped = assets.sounds_dir() / f"{name}.wav"
        assert filecmp.cmp(tmp_path / f"{name}.wav", shipped, shallow=False), name


def test_sounds_are_pcm16_with_lead_in_and_long_enough() -> None:
    for name in assets.CUE_NAMES:
        with wave.open(str(assets.cue_path(name))) as w:
            assert w.getsampwidth() == 2
            assert w.getcomptype() == "NONE"
            rate = w.getframerate()
            n = w.getnframes()
            assert n / rate >= 0.300, name
            frames = w.readframes(n)
        samples = struct.unpack(f"<{n * w.getnchannels()}h", frames)
        lead = int(rate * 0.005)
        assert max(abs(s) for s in samples[:lead]) == 0, f"{name}: no silent lead-in"
        assert max(abs(s) for s in samples) > 12000, f"{name}: too quiet"


def test_sounds_end_on_their_sound_not_on_silence() -> None:
    """Qt 6.11 plays every sound effect through one shared stream, and a cue whose file ends
    in more than ~10 ms of quiet makes the next cue start 28 ms later (bench/cues.py heard the
    countdown's old 150 ms silent tail do this to half the cues)."""
    for name in assets.CUE_NAMES:
        with wave.open(str(assets.cue_path(name))) as w:
            rate = w.getframerate()
            samples = struct.unpack(f"<{w.getnframes()}h", w.readframes(w.getnframes()))
        quiet = next(i for i, s in enumerate(reversed(samples)) if abs(s) >= 328)  # -40 dBFS
        assert quiet <= rate * 0.005, f"{name}: ends in {quiet / rate * 1000:.0f} ms of quiet"
