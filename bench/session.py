"""A session running with the window visible: CPU and memory.

The app runs a real session (SystemClock, the workout view shown, cues through the default
scheduled stream) for a minute in a child process; beside it, in the same run, the same session
with the cues through Qt Multimedia (the former default), and a bare PySide6 window sitting idle
for the same time. Figures: CPU seconds used (and % of one core, also per thread: "main" is the
GUI thread; PortAudio's callback thread has the interpreter's name, PulseAudio's client is
"threaded-ml"), and the resident set size at the end. Sound goes to a private PulseAudio null
sink when PulseAudio is installed.

Where the stream's memory goes (measured here): importing sounddevice initialises PortAudio,
which opens every ALSA device the system's configuration defines to list them, and so loads
every ALSA plug-in library installed (on Debian with libasound2-plugins: the a52 encoder with
libavcodec and its codecs, JACK, speex...): about 14 MB more than PortAudio itself. Where a
sound server runs, the app gives ALSA a configuration naming only that server
(legtimer/audio/alsa.py), and the child here runs as on such a desktop. What importing
sounddevice still costs there, 6.6 MB: Debian's PortAudio starts its JACK host API too, and
libjack's jack_client_open (which fails: no JACK server) first sets up JACK's metadata store in
Berkeley DB, 1.2 MB more of libdb resident (272 kB loaded, 1468 kB after that call); ALSA
0.7 MB; libpulse with libsndfile and its codecs about 1.6 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit
from tests import audio

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
seconds = float(sys.argv[2])
app = QApplication([])
if sys.argv[1].startswith("legtimer"):
    # As the app does, before any of its own modules (legtimer.gui.pysidefix).
    from legtimer.gui.pysidefix import lighten_feature_hook
    lighten_feature_hook()
    from legtimer import app as app_module, cli
    from legtimer.plans import find_builtin
    _, window = app_module.build(cli.parse_args([]), single_instance=False)
    window.controller.sound.set_preference(sys.argv[1].partition(":")[2] or "auto")
    window.start_session(find_builtin("Sprint 15/45"))
else:
    window = QMainWindow()
    window.resize(1280, 800)
window.resize(1280, 800)
window.show()
if sys.argv[1].startswith("legtimer"):
    # As the app goes on once its window is up (the services, the collector settled).
    QTimer.singleShot(50, lambda: app_module.window_up(window, single_instance=False))
marks = {}
def threads():
    # CPU time of each thread so far (ns), by (name, id); the main thread is "main".
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                name = "main" if tid == str(os.getpid()) else f.read().strip()
            with open(f"/proc/self/task/{tid}/schedstat") as f:
                out[name, tid] = int(f.read().split()[0])
        except OSError:
            pass  # a thread that ended meanwhile
    return out
def begin():
    marks["cpu"] = time.process_time()
    marks["wall"] = time.monotonic()
    marks["threads"] = threads()
def end():
    cpu = time.process_time() - marks["cpu"]
    wall = time.monotonic() - marks["wall"]
    per_thread = {}
    for (name, tid), ns in threads().items():
        used = ns - marks["threads"].get((name, tid), 0)
        if used > 0:
            per_thread[name] = per_thread.get(name, 0.0) + used / 1e9 / wall * 100
    rss = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    print(json.dumps({"cpu_s": cpu, "wall_s": wall, "rss_mb": rss,
                      "thread_pct_of_core": {k: round(v, 3) for k, v in per_thread.items()},
                      "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    app.quit()
QTimer.singleShot(2000, begin)  # after start-up settles
QTimer.singleShot(int(2000 + seconds * 1000), end)
app.exec()
"""


def run(variant: str, seconds: float, home: str, env: dict[str, str]) -> dict[str, float | str]:
    env = dict(env, LEGTIMER_HOME=home, QT_QPA_PLATFORM="offscreen")
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, variant, str(seconds)],
            env=env,
            stdout=subprocess.PIPE,
            # Not kept: a back end that spins (Qt Multimedia's, now and then) writes warnings
            # by the gigabyte.
            stderr=subprocess.DEVNULL,
            text=True,
            check=True,
            timeout=seconds + 60,
        )
    except subprocess.TimeoutExpired:
        # Qt Multimedia's PulseAudio back end can hang the event loop (a known Qt 6.11 fault).
        return {"failed": f"did not finish within {seconds + 60:.0f} s"}
    data: dict[str, float | str] = json.loads(out.stdout.strip().splitlines()[-1])
    data["cpu_pct_of_core"] = float(data["cpu_s"]) / float(data["wall_s"]) * 100
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        env = dict(os.environ)
        if audio.tools_present():
            env = stack.enter_context(audio.pulse_server())
            # As on a desktop with a sound server: the system's ALSA configuration (the test
            # server's own routes simpleaudio only), so the app picks its lean one.
            env.pop("ALSA_CONFIG_PATH", None)
        home = stack.enter_context(tempfile.TemporaryDirectory())
        app = run("legtimer", args.seconds, home, env)
        qt = run("legtimer:qt", args.seconds, home, env)
        bare = run("bare", args.seconds, home, env)
    emit(
        "session",
        {
            "seconds": args.seconds,
            "legtimer_session": app,
            "legtimer_session_qt_multimedia": qt,
            "bare_pyside6_window": bare,
        },
        targets={
            "legtimer_session.cpu_pct_of_core": "<= 0.5",
            "legtimer_session.rss_mb": "<= 75",
        },
    )


if __name__ == "__main__":
    main()
