"""A session running with the window visible: CPU and memory.

The app runs a real session (SystemClock, the workout view shown) for a minute in a child
process; beside it, in the same run, a bare PySide6 window sits idle for the same time as the
baseline. Figures: CPU seconds used (and % of one core), and the resident set size at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
seconds = float(sys.argv[2])
app = QApplication([])
if sys.argv[1] == "legtimer":
    from legtimer import app as app_module, cli
    _, window = app_module.build(cli.parse_args(["--start", "Sprint 15/45"]),
                                 single_instance=False)
else:
    window = QMainWindow()
    window.resize(1280, 800)
window.resize(1280, 800)
window.show()
marks = {}
def begin():
    marks["cpu"] = time.process_time()
    marks["wall"] = time.monotonic()
def end():
    cpu = time.process_time() - marks["cpu"]
    wall = time.monotonic() - marks["wall"]
    rss = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    print(json.dumps({"cpu_s": cpu, "wall_s": wall, "rss_mb": rss,
                      "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    app.quit()
QTimer.singleShot(2000, begin)  # after start-up settles
QTimer.singleShot(int(2000 + seconds * 1000), end)
app.exec()
"""


def run(variant: str, seconds: float, home: str) -> dict[str, float]:
    env = dict(os.environ, LEGTIMER_HOME=home, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, variant, str(seconds)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    data: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    data["cpu_pct_of_core"] = data["cpu_s"] / data["wall_s"] * 100
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        app = run("legtimer", args.seconds, home)
        bare = run("bare", args.seconds, home)
    emit(
        "session",
        {"seconds": args.seconds, "legtimer_session": app, "bare_pyside6_window": bare},
        targets={"legtimer_session.cpu_pct_of_core": "<= 1", "legtimer_session.rss_mb": "<= 120"},
    )


if __name__ == "__main__":
    main()
