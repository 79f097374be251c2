"""Start-up: process start to the first painted main window, against a bare PySide6 window.

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
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
if sys.argv[1] == "legtimer":
    # The app's own start path: database, templates, sound, the home view.
    from legtimer import app as app_module, cli
    _, window = app_module.build(cli.parse_args([]), single_instance=False)
else:
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(time.clock_gettime(time.CLOCK_BOOTTIME) - t0, flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
f = Painted()
window.installEventFilter(f)
window.show()
app.exec()
"""


def run_once(variant: str, home: str) -> float:
    env = dict(os.environ, LEGTIMER_HOME=home)
    # As installed for a user: compiled bytecode cached (the first, warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, variant], capture_output=True, text=True, env=env, check=True
    )
    return float(out.stdout.strip().splitlines()[-1]) * 1000


def main(rounds: int = 7) -> None:
    bare: list[float] = []
    app: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        run_once("bare", home)  # warm the page cache and the bytecode cache for both
        run_once("legtimer", home)
        for _ in range(rounds):
            bare.append(run_once("bare", home))
            app.append(run_once("legtimer", home))
    b, a = summary(bare), summary(app)
    emit(
        "startup",
        {
            "bare_pyside6_ms": b,
            "legtimer_ms": a,
            "ratio_p50": a["p50"] / b["p50"],
        },
        targets={"ratio_p50": "<= 1.5"},
    )


if __name__ == "__main__":
    main()
