"""Session writes off the GUI thread.

While a session runs, every interval is committed as it ends. When another process holds the
history's write lock (a command-line restore of thousands of sessions, say), a write waits in
SQLite's busy handler; on the GUI thread that wait stopped the digits and the cues for seconds.
`BackgroundWriter` runs those writes on a thread of its own, over a connection of its own, in
the order they were given; a write that finds the file locked is tried again until it goes
through (the session goes on meanwhile), and any other failure is kept for the window to say.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from legtimer.services.training import Training
from legtimer.store.db import StoreError

log = logging.getLogger(__name__)

Job = Callable[[Training], None]


class BackgroundWriter:
    #: How long a locked write is tried again before it counts as failed.
    GIVE_UP_S = 600.0
    RETRY_S = 0.2

    def __init__(self, training: Training) -> None:
        self._training = training
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._problems: list[str] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, job: Job) -> None:
        """Run `job(training)` on the writer's thread, after every job given before."""
        with self._idle:
            self._pending += 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="history writer", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every job given so far has run; False if `timeout` came first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def problems(self) -> list[str]:
        """What failed since the last call (for the window to say)."""
        with self._lock:
            out, self._problems = self._problems, []
        return out

    def close(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(10)
            self._thread = None

    def _run(self) -> None:
        writer = self._training.for_another_thread()
        try:
            while (job := self._jobs.get()) is not None:
                self._attempt(job, writer)
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()
        finally:
            writer.close()

    def _attempt(self, job: Job, writer: Training) -> None:
        deadline = time.monotonic() + self.GIVE_UP_S
        while True:
            try:
                job(writer)
                return
            except StoreError as exc:
                if exc.busy and time.monotonic() < deadline:
                    time.sleep(self.RETRY_S)  # another process is writing: try again
                    continue
                log.warning("history write failed: %s", exc)
                with self._lock:
                    self._problems.append(str(exc))
                return
