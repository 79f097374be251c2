"""Start-up: process start to the first painted main window, against a bare PySide6 window.

The app runs as the `legtimer` command does (legtimer.__main__.main with no arguments).

Each variant runs in a fresh interpreter (cold imports, as a user sees it), alternating, and the
child reports the time from its own process start (read from /proc) to the first paint event.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit, summary

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


def run_once(variant: str, home: str) -> tuple[float, float]:
    """Milliseconds from process start to the first paint: wall clock and CPU time (the CPU
    figure shows less of what other guests on a shared machine take)."""
    env = dict(os.environ, LEGTIMER_HOME=home)
    # As installed for a user: compiled bytecode cached (the first, warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, variant], capture_output=True, text=True, env=env, check=True
    )
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall) * 1000, float(cpu) * 1000


def main(rounds: int = 9) -> None:
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "legtimer": []}
    with tempfile.TemporaryDirectory() as home:
        run_once("bare", home)  # warm the page cache and the bytecode cache for both
        run_once("legtimer", home)
        for _ in range(rounds):
            for variant, times in runs.items():
                times.append(run_once(variant, home))
    wall = {v: summary([w for w, _ in times]) for v, times in runs.items()}
    cpu = {v: summary([c for _, c in times]) for v, times in runs.items()}
    emit(
        "startup",
        {
            "bare_pyside6_ms": wall["bare"],
            "legtimer_ms": wall["legtimer"],
            "ratio_p50": wall["legtimer"]["p50"] / wall["bare"]["p50"],
            "bare_pyside6_cpu_ms": cpu["bare"],
            "legtimer_cpu_ms": cpu["legtimer"],
            "cpu_ratio_p50": cpu["legtimer"]["p50"] / cpu["bare"]["p50"],
        },
        targets={"ratio_p50": "<= 1.5"},
    )


if __name__ == "__main__":
    main()
