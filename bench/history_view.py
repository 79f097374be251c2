"""The history view at scale: 100,000 sessions (20 intervals each) against ten, in one run.

Each figure comes from a fresh interpreter (cold imports, as a user first opening the view):
the main window is up on the home view, then the clock runs from the click on History to the
first paint of the session table; then from choosing the Calendar tab to its paint, and the
Weekly tab (its chart) to its paint. The history ends today, so the calendar and the chart
are full.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import emit, summary
from bench.history import fill

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from legtimer.services import Training
from legtimer.engine import SystemClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.sound import SoundCues
from legtimer.store.db import open_database
from legtimer.store.templates import TemplateStore
from pathlib import Path

db = open_database(Path(sys.argv[1]))
controller = WorkoutController(SystemClock(), SoundCues("off"), training=Training(db))
window = MainWindow(controller)
window.resize(1280, 800)
window.show()
app.processEvents()

class Painted(QObject):
    def __init__(self):
        super().__init__()
        self.at = None
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False

def until_painted(widget_of, action):
    # ms from action() to the first paint of widget_of() (made by the action if need be)
    t0 = time.perf_counter()
    action()
    watch = Painted()
    widget = widget_of()
    widget.installEventFilter(watch)
    widget.update()
    while watch.at is None:
        app.processEvents()
    return (watch.at - t0) * 1000

out = {}
out["open_history_ms"] = until_painted(
    lambda: window.history_view.log.table.viewport(), window.show_history
)
view = window.history_view
out["pages_read"] = view.log.model.pages_read
out["calendar_ms"] = until_painted(
    lambda: view.calendar.heat, lambda: view.tabs.setCurrentWidget(view.calendar)
)
out["weekly_chart_ms"] = until_painted(
    lambda: view.weekly.ensure_chart().viewport(), lambda: view.tabs.setCurrentWidget(view.weekly)
)
out["sessions"] = view.log.model.rowCount()
print(json.dumps(out))
window.close()
db.close()
"""


def run_child(home: Path) -> dict[str, float]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(home)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "small"
        fill(big, args.sessions, 20, end=now)
        fill(small, 10, 20, end=now)
        runs: dict[str, list[dict[str, float]]] = {"big": [], "small": []}
        run_child(small)  # warm the bytecode and page caches
        for _ in range(args.rounds):
            for name, home in (("big", big), ("small", small)):
                runs[name].append(run_child(home))
    figures: dict[str, object] = {}
    for rows in runs.values():
        figures[f"{rows[0]['sessions']:.0f}_sessions"] = {
            key: summary([r[key] for r in rows])
            for key in ("open_history_ms", "calendar_ms", "weekly_chart_ms")
        } | {"pages_read": rows[0]["pages_read"]}
    emit(
        "history_view",
        figures,
        targets={
            "open_history_ms (100,000 sessions)": "<= 150",
            "calendar_ms, weekly_chart_ms (100,000 sessions)": "<= 200",
        },
    )


if __name__ == "__main__":
    main()
