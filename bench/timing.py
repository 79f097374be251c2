"""Boundary timing in a real Qt event loop, with another process keeping one core busy.

Three ways of running the same plan (N intervals of 0.5 s) are measured in one run:
- legtimer: the engine driven by SessionRunner (single-shot precise timer to the next change);
- tick_counter: the naive timer app, a repeating QTimer whose every timeout decrements a
  counter (its tick is the plan's grain, 0.5 s here; 1 s in apps with whole-second intervals);
- poll_50ms: a 50 ms repeating timer comparing the monotonic clock to the next boundary.
For each boundary: how late it was delivered against its ideal monotonic time. Also the drift of
the end of the session, and the CPU seconds the process used per minute of session.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, Qt, QTimer

from bench._common import emit, summary
from legtimer.engine import Event, EventKind, Interval, IntervalKind, Session, SystemClock
from legtimer.gui.runner import SessionRunner

STEP = 0.5


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(
    app: QCoreApplication, body: Callable[[list[float], Callable[[float], None]], None], n: int
) -> dict[str, Any]:
    """Run one variant; `body(late, done)` starts it, appends lateness (s) per boundary and
    calls done(finish_time) at the end."""
    late: list[float] = []
    finish: list[float] = []

    def done(t: float) -> None:
        finish.append(t)
        app.quit()

    cpu0 = cpu_seconds()
    t0 = time.monotonic()
    body(late, done)
    app.exec()
    wall = time.monotonic() - t0
    cpu = cpu_seconds() - cpu0
    ideal_end = t0 + n * STEP
    ms = [x * 1000 for x in late]
    return {
        "boundaries": len(late),
        "lateness_ms": summary(ms),
        "end_drift_ms": (finish[0] - ideal_end) * 1000,
        "cpu_s_per_min": cpu / wall * 60,
        "cpu_pct_of_core": cpu / wall * 100,
    }


def legtimer_variant(n: int) -> Callable[[list[float], Callable[[float], None]], None]:
    def body(late: list[float], done: Callable[[float], None]) -> None:
        plan = [
            Interval(IntervalKind.WORK if i % 2 else IntervalKind.REST, "i", STEP) for i in range(n)
        ]
        clock = SystemClock()
        runner = SessionRunner(Session(plan, clock, countdown_lead=0))

        def on_event(e: Event) -> None:
            now = time.monotonic()
            boundary = e.kind is EventKind.INTERVAL_STARTED and e.index > 0
            if boundary or e.kind is EventKind.FINISHED:
                late.append(now - e.at)
            if e.kind is EventKind.FINISHED:
                done(now)

        runner.event_occurred.connect(on_event)
        app_ref.append(runner)
        runner.start()

    return body


def tick_counter_variant(n: int) -> Callable[[list[float], Callable[[float], None]], None]:
    def body(late: list[float], done: Callable[[float], None]) -> None:
        t0 = time.monotonic()
        state = {"k": 0, "left": 1}
        timer = QTimer()
        timer.setInterval(int(STEP * 1000))

        def on_timeout() -> None:
            state["left"] -= 1
            if state["left"] == 0:
                state["k"] += 1
                now = time.monotonic()
                late.append(now - (t0 + state["k"] * STEP))
                state["left"] = 1
                if state["k"] == n:
                    timer.stop()
                    done(now)

        timer.timeout.connect(on_timeout)
        app_ref.append(timer)
        timer.start()

    return body


def poll_variant(n: int) -> Callable[[list[float], Callable[[float], None]], None]:
    def body(late: list[float], done: Callable[[float], None]) -> None:
        t0 = time.monotonic()
        state = {"k": 0}
        timer = QTimer()
        timer.setInterval(50)

        def on_timeout() -> None:
            now = time.monotonic()
            while state["k"] < n and now >= t0 + (state["k"] + 1) * STEP:
                state["k"] += 1
                late.append(now - (t0 + state["k"] * STEP))
            if state["k"] == n:
                timer.stop()
                done(now)

        timer.timeout.connect(on_timeout)
        app_ref.append(timer)
        timer.start()

    return body


def precise_timer_variant(n: int) -> Callable[[list[float], Callable[[float], None]], None]:
    """The platform's floor: a bare precise single-shot QTimer re-armed for each boundary."""

    def body(late: list[float], done: Callable[[float], None]) -> None:
        t0 = time.monotonic()
        state = {"k": 0}
        timer = QTimer()
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)

        def arm() -> None:
            due = t0 + (state["k"] + 1) * STEP
            timer.start(max(0, math.ceil((due - time.monotonic()) * 1000)))

        def on_timeout() -> None:
            now = time.monotonic()
            state["k"] += 1
            late.append(now - (t0 + state["k"] * STEP))
            if state["k"] == n:
                done(now)
            else:
                arm()

        timer.timeout.connect(on_timeout)
        app_ref.append(timer)
        arm()

    return body


app_ref: list[object] = []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--intervals", type=int, default=120)
    parser.add_argument("--no-load", action="store_true", help="skip the busy second process")
    args = parser.parse_args()
    app = QCoreApplication(sys.argv[:1])
    load = None
    if not args.no_load:
        load = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        figures: dict[str, Any] = {
            "plan": f"{args.intervals} x {STEP} s",
            "background_load": "one busy process" if load else "none",
            "legtimer": measure(app, legtimer_variant(args.intervals), args.intervals),
            "tick_counter": measure(app, tick_counter_variant(args.intervals), args.intervals),
            "poll_50ms": measure(app, poll_variant(args.intervals), args.intervals),
            "bare_precise_qtimer": measure(
                app, precise_timer_variant(args.intervals), args.intervals
            ),
        }
    finally:
        if load:
            load.kill()
            load.wait()
    ours = figures["legtimer"]
    for other in ("tick_counter", "poll_50ms", "bare_precise_qtimer"):
        theirs = figures[other]
        figures[f"ratio_vs_{other}"] = {
            "p99_lateness": ours["lateness_ms"]["p99"] / max(theirs["lateness_ms"]["p99"], 1e-9),
            "abs_end_drift": abs(ours["end_drift_ms"]) / max(abs(theirs["end_drift_ms"]), 1e-9),
            "cpu": ours["cpu_s_per_min"] / max(theirs["cpu_s_per_min"], 1e-9),
        }
    # Tear Qt down in order before the interpreter finalises, or PySide may crash at exit.
    for obj in app_ref:
        obj.deleteLater()  # type: ignore[attr-defined]
    app_ref.clear()
    QCoreApplication.sendPostedEvents()
    app.shutdown()
    emit(
        "timing",
        figures,
        targets={
            "legtimer.lateness_ms.p99": "<= 2",
            "legtimer.lateness_ms.max": "<= 10",
            "legtimer.end_drift_ms": "<= 2",
            "legtimer.cpu_pct_of_core": "<= 1",
        },
    )


if __name__ == "__main__":
    main()
