"""A real sound path for tests and benchmarks: a private PulseAudio server with a null sink,
`parec` recording its monitor, and onset detection in what was recorded.

Both the app (a child process) and the recorder stamp times with CLOCK_MONOTONIC, which is
system-wide, so a cue's onset in the recording can be compared with the moment it was due.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

RATE = 44_100
SINK = "legtimer_test"
REPO = Path(__file__).resolve().parent.parent


def tools_present() -> bool:
    return all(shutil.which(t) for t in ("pulseaudio", "parec", "pactl"))


@contextmanager
def pulse_server() -> Iterator[dict[str, str]]:
    """A throwaway PulseAudio server; yields the environment that points clients at it."""
    runtime = Path(tempfile.mkdtemp(prefix="legtimer-pulse-"))
    socket = runtime / "native"
    env = dict(
        os.environ, XDG_RUNTIME_DIR=str(runtime), PULSE_SERVER=f"unix:{socket}", HOME=str(runtime)
    )
    proc = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--use-pid-file=no",
            "-n",
            "--log-target=stderr",
            "--log-level=error",
            f"--load=module-null-sink sink_name={SINK} rate={RATE}",
            f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
            "--load=module-always-sink",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # The server has no readiness signal of its own: ask it until it answers.
        deadline = time.monotonic() + 15
        while True:
            ok = subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0
            if ok:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"pulseaudio did not start: {err}")
            time.sleep(0.05)
        subprocess.run(["pactl", "set-default-sink", SINK], env=env, check=True)
        # Route ALSA clients (simpleaudio) through the pulse plugin to the same server.
        asoundrc = runtime / "asoundrc"
        asoundrc.write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
        env["ALSA_CONFIG_PATH"] = _alsa_config(asoundrc)
        yield env
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stderr:
            proc.stderr.close()
        # What a client spawned in this runtime folder (speech-dispatcher) goes with it.
        subprocess.run(["pkill", "-f", str(runtime)], check=False)
        shutil.rmtree(runtime, ignore_errors=True)


def _alsa_config(extra: Path) -> str:
    base = "/usr/share/alsa/alsa.conf"
    return f"{base}:{extra}" if Path(base).exists() else str(extra)


@dataclass
class Recording:
    data: bytearray = field(default_factory=bytearray)
    #: Monotonic time of the first recorded sample (estimated from the first chunk's arrival).
    start: float | None = None
    #: (monotonic arrival time, samples recorded so far) for every chunk read.
    arrivals: list[tuple[float, int]] = field(default_factory=list)

    def samples(self) -> tuple[int, ...]:
        n = len(self.data) // 2
        return struct.unpack(f"<{n}h", bytes(self.data[: n * 2]))

    def time_at(self, seconds: float) -> float:
        """The monotonic time at which the sample `seconds` into the recording was recorded.

        Not `start + seconds`: the null sink's sample clock and CLOCK_MONOTONIC (which NTP
        slews) part by a few hundred ppm here, 16 ms over 40 s. So the time comes from the
        chunks that arrived within a second after the sample: each one says that the sample
        was recorded no later than its arrival less the samples after it; the tightest of
        those bounds is the chunk that came most promptly."""
        i = round(seconds * RATE)
        first = bisect.bisect_left(self.arrivals, i, key=lambda a: a[1])
        within = itertools.takewhile(
            lambda a: a[1] - i <= RATE, itertools.islice(self.arrivals, first, None)
        )
        return min((at - (n - i) / RATE for at, n in within), default=self.arrivals[-1][0])

    def onset_times(self) -> list[float]:
        """The monotonic times at which sounds start (see `onsets`)."""
        return [self.time_at(t) for t in onsets(self.samples())]


@contextmanager
def recorder(env: dict[str, str]) -> Iterator[Recording]:
    rec = Recording()
    proc = subprocess.Popen(
        [
            "parec",
            f"--device={SINK}.monitor",
            "--format=s16le",
            f"--rate={RATE}",
            "--channels=1",
            "--raw",
            "--latency-msec=2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    stream = proc.stdout
    started = threading.Event()

    def pump() -> None:
        while True:
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                started.set()
                return
            now = time.monotonic()
            if rec.start is None:
                rec.start = now - len(chunk) / 2 / RATE
                started.set()
            rec.data.extend(chunk)
            rec.arrivals.append((now, len(rec.data) // 2))

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    started.wait(10)  # the first recorded chunk, not a guess at how long parec takes
    try:
        yield rec
    finally:
        proc.terminate()
        proc.wait(5)
        thread.join(5)
        stream.close()


#: One sleeper thread pinned to each CPU, each noting when it woke up much later than asked.
#: It does almost nothing, so a late wake-up means that CPU ran nothing of ours: the host took it
#: (steal time on a shared VM) or something else held it. Prints the stalls when stdin closes.
WATCHER = r"""
import json, os, sys, threading, time
threshold, stalls, lock = float(sys.argv[1]), [], threading.Lock()
cpus = sorted(os.sched_getaffinity(0))
last = {cpu: time.monotonic() for cpu in cpus}
ready = threading.Barrier(len(cpus) + 1)
def watch(cpu):
    os.sched_setaffinity(0, {cpu})
    with lock:
        last[cpu] = time.monotonic()
    ready.wait()
    while True:
        time.sleep(0.005)
        now = time.monotonic()
        with lock:
            if now - last[cpu] > threshold:
                stalls.append((cpu, last[cpu], now))
            last[cpu] = now
for cpu in cpus:
    threading.Thread(target=watch, args=(cpu,), daemon=True).start()
ready.wait()
print("watching", flush=True)
sys.stdin.read()
now = time.monotonic()
with lock:  # a stall still going on (the watcher has just woken) counts up to now
    stalls += [(cpu, t, now) for cpu, t in last.items() if now - t > threshold]
    print(json.dumps(stalls), flush=True)
"""


@dataclass
class Stall:
    cpu: int
    start: float
    end: float


def stalled(stalls: list[Stall], start: float, end: float) -> bool:
    """Whether any of `stalls` overlaps the stretch from `start` to `end`."""
    return any(s.start < end and s.end > start for s in stalls)


@dataclass
class StallWatch:
    pid: int
    #: Filled when the watch ends.
    stalls: list[Stall] = field(default_factory=list)


@contextmanager
def stall_watch(threshold: float = 0.05) -> Iterator[StallWatch]:
    """Notes every stretch of more than `threshold` seconds (CLOCK_MONOTONIC, like the app's
    times) when one of the machine's CPUs ran none of the watcher: what a real-time path such
    as the sound output cannot be blamed for. The stalls are there once the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WATCHER, str(threshold)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    watch = StallWatch(proc.pid)
    try:
        proc.stdout.readline()  # "watching": every thread runs
        yield watch
    finally:
        out, _ = proc.communicate("", timeout=10)
    watch.stalls.extend(Stall(cpu, a, b) for cpu, a, b in json.loads(out))


def onsets(samples: tuple[int, ...], threshold: int = 1500, quiet_s: float = 0.15) -> list[float]:
    """Seconds into the recording where sound starts after at least `quiet_s` of quiet."""
    quiet = int(quiet_s * RATE)
    out = []
    last_loud = -quiet - 1
    for i, s in enumerate(samples):
        if abs(s) >= threshold:
            if i - last_loud > quiet:
                out.append(i / RATE)
            last_loud = i
    return out


CHILD = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from legtimer.engine import SystemClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.keepawake import KeepAwake
from legtimer.gui.sound import SoundCues
from legtimer.plans import Template, TemplateKind, parse

class NoKeepAwake(KeepAwake):
    def acquire(self): return None

backend, plan, sounds = sys.argv[1], sys.argv[2], sys.argv[3]
if sounds:  # other cue files (a benchmark's baseline)
    from pathlib import Path
    import legtimer.assets
    legtimer.assets.sounds_dir = lambda: Path(sounds)
sound = SoundCues(backend)
plays, events = [], []
sound.played.connect(lambda cue: plays.append((cue, time.monotonic())))
controller = WorkoutController(SystemClock(), sound, keep_awake=NoKeepAwake())
template = Template("audio", TemplateKind.CUSTOM, parse(plan))
def watch(runner):
    runner.event_occurred.connect(lambda e: events.append((e.kind.value, e.at, time.monotonic())))
controller.session_started.connect(watch)
def go():
    controller.start(template)
controller.session_ended.connect(lambda s: QTimer.singleShot(700, app.quit))
sound.load()
sound.warm(True)
QTimer.singleShot(600, go)  # let the output open first, as the app does before any session
app.exec()
mixer = getattr(sound.backend, "mixer", None)
placed = [(p.sound, p.due, p.sounds_at) for p in mixer.placed_snapshot()] if mixer else []
print(json.dumps({"backend": sound.backend_name, "notice": sound.last_notice,
                  "plays": plays, "events": events, "placed": placed}))
"""


def run_child(
    code: str, *arguments: str, env: dict[str, str], timeout: float = 60
) -> dict[str, object]:
    """Run `python -c code arguments...` from the repository and return the JSON object its
    last line printed; fail with the end of its error output if it did not succeed."""
    out = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        env=dict(env, PYTHONPATH=str(REPO)),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child failed: {out.stderr[-2000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def run_app(
    env: dict[str, str], backend: str, plan: str, sounds: Path | None = None
) -> dict[str, object]:
    """Runs a session of `plan` in a child app; `sounds` is a folder of other cue files."""
    return run_child(CHILD, backend, plan, str(sounds or ""), env=env)
