"""Spoken announcements: offered only where an engine reaches Ready, and heard for real.

The engine runs in a child app against a private PulseAudio server with a null sink; on Debian
speech-dispatcher starts on demand (in the server's private runtime folder) and speaks through
espeak-ng.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from legtimer.engine import Interval, IntervalKind
from legtimer.gui.voice import announcement
from tests import audio
from tests.conftest import require

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from legtimer.gui.voice import Voice
on = sys.argv[2] == "on"
voice = Voice(on)
result = {}
def known(available):
    # The engine runs in the app's helper process: nothing of speech is loaded here.
    result.update(available=available, problem=voice.problem, engine=voice.engine,
                  speech_loaded="PySide6.QtTextToSpeech" in sys.modules)
    if available:
        voice.enabled = True  # the runner turns it on: the engine starts here now
        voice.say(sys.argv[1])
    result["said_at"] = time.monotonic()
    QTimer.singleShot(8000 if available else 0, app.quit)
voice.availability_changed.connect(known)
beats = []
beat = QTimer()
beat.timeout.connect(lambda: beats.append(time.monotonic()))
beat.start(20)
voice.probe()
QTimer.singleShot(30000, app.quit)
app.exec()
voice.close()
gaps = [b - a for a, b in zip(beats, beats[1:])]
result["max_beat_gap"] = max(gaps) if gaps else None
print(json.dumps(result))
"""

SPOKEN = "Sprint 1 of 6. Full speed"


def speak(env: dict[str, str], text: str = SPOKEN, *, on: bool = True) -> dict[str, object]:
    return audio.run_child(CHILD, text, "on" if on else "off", env=env)


def speech_installed() -> bool:
    modules = Path("/usr/lib/speech-dispatcher-modules")
    return shutil.which("speech-dispatcher") is not None and any(modules.glob("sd_espeak*"))


@pytest.mark.gui
@pytest.mark.audio
@pytest.mark.slow
@pytest.mark.parametrize("on", [True, False], ids=["voice-on", "voice-off"])
def test_a_working_engine_is_offered_and_its_announcement_is_heard(
    pulse: dict[str, str], on: bool
) -> None:
    """The engine runs in the app's helper process (the app loads no speech library). Voice
    on at start: the helper probes and stays to speak. Voice off: it only probes, and comes
    back when the runner turns the voice on."""
    require(
        "LEGTIMER_REQUIRE_VOICE",
        speech_installed(),
        "speech-dispatcher with its espeak-ng module is not installed",
    )
    with audio.recorder(pulse) as rec:
        result = speak(pulse, on=on)
    assert result["available"] is True, result["problem"]
    assert result["engine"] == "speechd"
    assert result["speech_loaded"] is False
    said_at = result["said_at"]
    assert isinstance(said_at, float)
    samples = rec.samples()
    loud = [i for i, s in enumerate(samples) if abs(s) >= 1500]
    assert loud, "nothing was heard at the sink"
    # Speech, not a click: loud for at least half a second in all, starting after the call.
    assert len(loud) / audio.RATE >= 0.5
    assert rec.time_at(loud[0] / audio.RATE) >= said_at
    # The probe and the speech ran outside the app: its timer never waited long.
    assert isinstance(result["max_beat_gap"], float) and result["max_beat_gap"] < 0.5


@pytest.mark.gui
@pytest.mark.slow
def test_an_engine_that_cannot_start_is_not_offered(tmp_path: Path) -> None:
    """The speech-dispatcher plug-in is listed on every Linux, speech-dispatcher or not; one
    that cannot be reached is not offered, and the reason is kept."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "SPEECHD_ADDRESS": f"unix_socket:{tmp_path}/missing/speechd.sock",
    }
    for on in (True, False):
        result = speak(env, on=on)
        assert result["available"] is False
        assert isinstance(result["problem"], str) and result["problem"]
        assert "speech-dispatcher" in result["problem"], result["problem"]


def sprint() -> Interval:
    return Interval(IntervalKind.WORK, "Sprint", 15, 16, 1, "Full speed", "Sprint 1 of 6")


def test_the_announcement_speaks_the_cue_text_in_the_runners_units() -> None:
    assert announcement(sprint(), None) == (
        "Sprint 1 of 6. Speed 16 kilometres an hour. Incline 1 percent. Full speed"
    )
    assert announcement(sprint(), None, mph=True) == (
        "Sprint 1 of 6. Speed 9.9 miles an hour. Incline 1 percent. Full speed"
    )
    rest = Interval(IntervalKind.REST, "Rest", 45, 16, 1)
    assert announcement(rest, sprint()) == "Rest, 45 seconds"
