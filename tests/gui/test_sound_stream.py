"""The scheduled stream under abuse, heard for real at a PulseAudio null sink: a runner hammering
the session keys, and a sound server that dies in mid-session.

Each runs the real window in a child process (PortAudio reads its ALSA and PulseAudio settings
once per process), with a private PulseAudio server of its own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests import audio

pytestmark = [pytest.mark.gui, pytest.mark.audio, pytest.mark.slow]

#: The child: the main window with the stream back end, a long session started, then keys
#: pressed as the test says; prints what happened as JSON.
CHILD = r"""
import json, os, random, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer, Qt, qInstallMessageHandler, QtMsgType
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
warnings = []
def on_message(kind, context, text):
    if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        warnings.append(text)
qInstallMessageHandler(on_message)
app = QApplication([])
from legtimer.engine import SystemClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.keepawake import KeepAwake
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.runner import cue_key
from legtimer.gui.sound import SoundCues
from legtimer.plans import Template, TemplateKind, parse

class NoKeepAwake(KeepAwake):
    def acquire(self): return None

mode, presses, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sound = SoundCues("stream")
controller = WorkoutController(SystemClock(), sound, keep_awake=NoKeepAwake())
window = MainWindow(controller)
window.resize(1280, 800)
window.show()
notices, beats, occurred, planned = [], [], [], []
sound.notice.connect(notices.append)
beat = QTimer()
beat.setInterval(20)
beat.timeout.connect(lambda: beats.append(time.monotonic()))
beat.start()
handed_over = sound.cue
def cue(key, name, at):  # noted as it is handed to the mixer
    occurred.append([str(key), at, time.monotonic()])
    handed_over(key, name, at)
sound.cue = cue
def watch(runner):
    runner.cues_planned.connect(
        lambda es: planned.append([time.monotonic(), [str(cue_key(e)) for e in es]]))
controller.session_started.connect(watch)
ended = []
def on_ended(summary):
    ended.append(summary.status)
    if mode == "announce":
        QTimer.singleShot(300, app.quit)
controller.session_ended.connect(on_ended)
template = Template("stress", TemplateKind.CUSTOM, parse(sys.argv[4]))
rng = random.Random(seed)
keys = [Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Space]
pressed = []
def press(left):
    if left == 0 or ended:
        QTimer.singleShot(1500, app.quit)
        return
    key = rng.choice(keys)
    QTest.keyClick(window.workout, key)
    pressed.append([key.name, time.monotonic()])
    # Mostly quick presses, now and then a pause long enough to hear what was planned.
    gap = rng.uniform(0.02, 0.06) if rng.random() < 0.8 else rng.uniform(0.25, 0.6)
    QTimer.singleShot(int(gap * 1000), lambda: press(left - 1))
def begin():
    window.start_session(template)
    if mode != "announce":
        sound.when_ready(lambda: QTimer.singleShot(300, lambda: press(presses)))
sound.load()
QTimer.singleShot(100, begin)
if mode == "announce":
    print("started", flush=True)
app.exec()
mixer = getattr(sound.backend, "mixer", None) if sound.backend_name == "stream" else None
placed = [[str(p.key), p.sound, p.due, p.sounds_at, p.written_at]
          for p in mixer.placed_snapshot()] if mixer else []
gaps = [b - a for a, b in zip(beats, beats[1:])]
print(json.dumps({"notices": notices, "ended": ended, "backend": sound.backend_name,
                  "warnings": warnings, "max_beat_gap": max(gaps) if gaps else None,
                  "beats": len(beats), "pressed": pressed, "occurred": occurred,
                  "planned": planned, "placed": placed, "state": str(controller.state)}))
"""

#: Short intervals, so that cues are nearly always planned and a press nearly always moves some.
LONG = "10s warmup; 99x(3s work, 2s rest); 10s cooldown"
#: The GUI thread notes a plan's time just after handing it over; the audio thread may write
#: from it in between.
PLAN_RACE_S = 0.005


def child(
    env: dict[str, str], mode: str, presses: int, seed: int, plan: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(presses), str(seed), plan],
        env=dict(env, PYTHONPATH=str(audio.REPO)),
        cwd=audio.REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str], timeout: float) -> tuple[dict[str, object], str]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result, err


def test_keys_hammered_for_a_minute_never_stall_the_app_or_play_a_withdrawn_cue(
    own_pulse: dict[str, str],
) -> None:
    """500 presses of Right, Left and Space at random: the event loop keeps running, Qt warns
    of nothing, the log stays short, and nothing is heard but the cues of what happened."""
    with audio.stall_watch(0.1) as watch, audio.recorder(own_pulse) as rec:
        result, err = finish(child(own_pulse, "", 500, 17, LONG), timeout=240)
    assert result["backend"] == "stream", result["notices"]
    assert result["warnings"] == []
    assert len(err.splitlines()) < 100, err[-2000:]
    pressed = result["pressed"]
    assert isinstance(pressed, list) and len(pressed) == 500
    # The event loop ran throughout: a 20 ms timer never waited long, but where the host took
    # the CPU away.
    assert isinstance(result["max_beat_gap"], float)
    if not watch.stalls:
        assert result["max_beat_gap"] < 0.25
    placed = result["placed"]
    occurred = result["occurred"]
    planned = result["planned"]
    assert isinstance(placed, list) and isinstance(occurred, list) and isinstance(planned, list)
    happened = {key: seen for key, _, seen in occurred}
    ever_planned = {key for _, keys in planned for key in keys}
    assert ever_planned - set(happened), "the presses withdrew no cue: the test proves nothing"
    # The mixer wrote a cue only while it was planned (a plan replaces the one before), or
    # once its moment had come and it was handed over. A cue written and then withdrawn was
    # in the output's buffer already, and plays.
    for key, _, _, _, written_at in placed:
        before = [keys for t, keys in planned if t <= written_at + PLAN_RACE_S]
        in_plan = any(key in keys for keys in before[-2:])
        assert in_plan or happened.get(key, float("inf")) <= written_at + PLAN_RACE_S, (
            f"{key} was written at {written_at} while not planned"
        )
    # And the recording agrees: every onset heard is a cue the mixer wrote, where it wrote it
    # (an onset is found after 0.15 s of quiet, so only some cues show one).
    heard = rec.onset_times()
    assert heard, "nothing was heard"
    sounds_at = [float(p[3]) for p in placed]
    unexplained = [
        round(h - heard[0], 3)
        for h in heard
        if not any(-0.003 <= h - s <= 0.02 for s in sounds_at)
        and not audio.stalled(watch.stalls, h - 0.6, h)
    ]
    assert unexplained == [], f"sound where the mixer wrote none: {unexplained}"


def test_a_sound_server_that_dies_mid_session_falls_back_and_the_session_goes_on(
    own_pulse: dict[str, str],
) -> None:
    with audio.stall_watch(0.1) as watch:
        proc = child(own_pulse, "announce", 0, 1, "4s warmup; 3x(2s work, 1s rest)")
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "started"
        time.sleep(3)  # into the session (the server's death is the subject: real time)
        server = subprocess.run(
            ["pgrep", "-f", f"sink_name={audio.SINK}"], capture_output=True, text=True
        ).stdout.split()
        assert server, "the test's PulseAudio server was not found"
        for pid in server:
            os.kill(int(pid), signal.SIGKILL)
        result, _ = finish(proc, timeout=60)
    assert result["ended"] == ["completed"]
    assert result["backend"] == "off"
    assert result["notices"] == [
        "Sound stopped: the audio output stopped. The session goes on with the cues on screen."
    ]
    if not watch.stalls:
        assert isinstance(result["max_beat_gap"], float) and result["max_beat_gap"] < 0.25


#: The stream sleeps after an idle spell (shortened here), costs nothing while it sleeps, and a
#: session after it wakes it and sounds as before.
IDLE_CHILD = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from legtimer.engine import SystemClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.keepawake import KeepAwake
from legtimer.gui.sound import SoundCues, StreamBackend
from legtimer.plans import Template, TemplateKind, parse

class NoKeepAwake(KeepAwake):
    def acquire(self): return None

StreamBackend.IDLE_S = 1.0
sound = SoundCues("stream")
controller = WorkoutController(SystemClock(), sound, keep_awake=NoKeepAwake())
out = {}
def asleep():
    backend = sound.backend
    out["running_after_idle"] = backend.running
    out["renders_before"] = backend.mixer.frames_rendered
    out["cpu_start"] = time.process_time()
    QTimer.singleShot(2000, idle_measured)
def idle_measured():
    backend = sound.backend
    out["cpu_asleep_s"] = time.process_time() - out.pop("cpu_start")
    out["renders_while_asleep"] = backend.mixer.frames_rendered - out.pop("renders_before")
    controller.start(Template("t", TemplateKind.CUSTOM, parse("3s warmup; 2s work")))
def ended(summary):
    backend = sound.backend
    out.update(status=summary.status, backend=sound.backend_name, notice=sound.last_notice,
               running_in_session=getattr(backend, "running", None),
               placed=[p.sound for p in backend.mixer.placed_snapshot()])
    QTimer.singleShot(200, app.quit)
controller.session_ended.connect(ended)
sound.load()
QTimer.singleShot(3500, asleep)  # settled (about 2 s), then 1 s idle
QTimer.singleShot(30000, app.quit)
app.exec()
print(json.dumps(out))
"""


def test_an_idle_stream_sleeps_and_a_session_wakes_it(own_pulse: dict[str, str]) -> None:
    result = audio.run_child(IDLE_CHILD, env=own_pulse)
    assert result["running_after_idle"] is False
    assert result["renders_while_asleep"] == 0  # no callbacks: the stream really stopped
    assert result["status"] == "completed" and result["backend"] == "stream", result
    assert result["notice"] is None
    # The session woke it, and every cue of the session was written: the start, the two
    # countdown beeps a 3 s warm-up has room for, the work, its one, and the finish.
    cues = ["rest", "countdown", "countdown", "work", "countdown", "complete"]
    assert result["placed"] == cues
