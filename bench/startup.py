"""Start-up: process start to the first painted main window, against a bare PySide6 window.

The app runs as the `legtimer` command does (legtimer.__main__.main with no arguments).

Each variant runs in a fresh interpreter (cold imports, as a user sees it), alternating, and the
child reports the time from its own process start (read from /proc) to the first paint event.
A first run of each, not measured, warms the caches; for the app it is also the very first
start (a new history file), which keeps home's texts: the measured runs are the starts a user
makes every day, whose first paint shows those texts before the templates and the history load
(legtimer.app.build).

Where Xvfb is installed, both variants run again on a real X server (the xcb platform), where
the first paint comes once the window is mapped and exposed: what a user waits for.

Where valgrind is installed, each variant also runs once under callgrind, which counts the
instructions the process ran up to its first paint (it exits there). That count does not move
with the load of a shared machine, so it shows a change that the wall clock's noise hides; it
does not weigh waiting for the disk or the page cache, which the times do.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit, summary
from tests.xserver import x_server

CHILD = r"""
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
def process_start():
    # /proc/self/stat field 22 is the start time in clock ticks since boot.
    with open("/proc/self/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return time.clock_gettime(time.CLOCK_BOOTTIME) - uptime + ticks / os.sysconf("SC_CLK_TCK")
t0 = process_start()

def report_first_paint(app, window):
    from PySide6.QtCore import QEvent, QObject, QTimer
    class Painted(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                import resource
                use = resource.getrusage(resource.RUSAGE_SELF)
                cpu = use.ru_utime + use.ru_stime  # CPU seconds since the process began
                print(time.clock_gettime(time.CLOCK_BOOTTIME) - t0, cpu, flush=True)
                if os.environ.get("BENCH_EXIT_AT_PAINT"):
                    os._exit(0)  # under callgrind: count up to the paint, not the way out
                QTimer.singleShot(0, app.quit)
                obj.removeEventFilter(self)
            return False
    window._painted = Painted()
    window.installEventFilter(window._painted)

if sys.argv[1] == "legtimer":
    # The `legtimer` command's own path, in its own order (arguments, then Qt, the database,
    # templates, settings, the home view); only build() is wrapped to watch for the paint.
    from legtimer import app as app_module
    from legtimer.__main__ import main
    build = app_module.build
    def watched(*args, **kwargs):
        app, window = build(*args, **kwargs)
        report_first_paint(app, window)
        return app, window
    app_module.build = watched
    main([])
else:
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
    report_first_paint(app, window)
    window.show()
    app.exec()
"""


@contextlib.contextmanager
def maybe_x_server() -> Iterator[str | None]:
    """A private Xvfb's DISPLAY, or None without Xvfb."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    with x_server() as display:
        yield display


def _env(home: str, display: str | None = None) -> dict[str, str]:
    # The data folder found as a user's is (the XDG rule), not named by LEGTIMER_HOME.
    env = dict(os.environ, XDG_DATA_HOME=home)
    env.pop("LEGTIMER_HOME", None)
    if display is not None:
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    # As installed for a user: compiled bytecode cached (the first, warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(variant: str, home: str, display: str | None = None) -> tuple[float, float]:
    """Milliseconds from process start to the first paint: wall clock and CPU time (the CPU
    figure shows less of what other guests on a shared machine take)."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, variant],
        capture_output=True,
        text=True,
        env=_env(home, display),
        check=True,
    )
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall) * 1000, float(cpu) * 1000


def instructions(variant: str, home: str) -> int | None:
    """Instructions (user space) from process start to the first paint, counted by callgrind;
    None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    callgrind = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    out = subprocess.run(
        [*callgrind, sys.executable, "-c", CHILD, variant],
        capture_output=True,
        text=True,
        env=dict(_env(home), BENCH_EXIT_AT_PAINT="1"),
        check=True,
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    return int(found.group(1)) if found else None


def compare(home: str, rounds: int, display: str | None = None) -> dict[str, object]:
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "legtimer": []}
    run_once("bare", home, display)  # warm the page cache and the bytecode cache for both
    run_once("legtimer", home, display)
    for _ in range(rounds):
        for variant, times in runs.items():
            times.append(run_once(variant, home, display))
    wall = {v: summary([w for w, _ in times]) for v, times in runs.items()}
    cpu = {v: summary([c for _, c in times]) for v, times in runs.items()}
    fastest = {v: min(w for w, _ in times) for v, times in runs.items()}
    return {
        "bare_pyside6_ms": wall["bare"],
        "legtimer_ms": wall["legtimer"],
        "ratio_p50": wall["legtimer"]["p50"] / wall["bare"]["p50"],
        # Another guest's load only ever adds time: the fastest of each shows the least of it.
        "ratio_fastest": fastest["legtimer"] / fastest["bare"],
        "bare_pyside6_cpu_ms": cpu["bare"],
        "legtimer_cpu_ms": cpu["legtimer"],
        "cpu_ratio_p50": cpu["legtimer"]["p50"] / cpu["bare"]["p50"],
    }


def main(rounds: int = 15) -> None:
    with tempfile.TemporaryDirectory() as home, maybe_x_server() as display:
        figures = compare(home, rounds)
        if display is not None:
            figures["on_x_server"] = compare(home, rounds, display)
        else:
            figures["on_x_server"] = "not measured: Xvfb is not installed"
        counted = {v: instructions(v, home) for v in ("bare", "legtimer")}
    emit(
        "startup",
        {**figures, **_instruction_figures(counted)},
        targets={"ratio_p50": "<= 1.3", "on_x_server.ratio_p50": "<= 1.3"},
    )


def _instruction_figures(counted: dict[str, int | None]) -> dict[str, object]:
    bare, legtimer = counted["bare"], counted["legtimer"]
    if bare is None or legtimer is None:
        return {"instructions": "not counted: valgrind is not installed"}
    return {
        "bare_pyside6_instructions": bare,
        "legtimer_instructions": legtimer,
        "instructions_ratio": legtimer / bare,
    }


if __name__ == "__main__":
    main()
