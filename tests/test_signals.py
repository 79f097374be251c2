"""A polite end (SIGTERM: logout, shutdown, `kill`) or Ctrl+C during a session stops it and
records it as stopped, with what was done, as closing the window does."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import wait_for_window

REPO = Path(__file__).resolve().parent.parent


def _session_rows(db: Path) -> list[tuple[str, int]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT status, (SELECT COUNT(*) FROM intervals WHERE session_id = sessions.id "
            "AND actual_seconds > 0) FROM sessions"
        ).fetchall()


@pytest.mark.gui
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_in_mid_session_records_it_as_stopped(tmp_path: Path, signum: int) -> None:
    home = tmp_path / "home"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        LEGTIMER_HOME=str(home),
        # No sound server: the cues fall back to silence, which is all this test needs.
        PULSE_SERVER=f"unix:{tmp_path / 'no-pulse'}",
        PIPEWIRE_REMOTE=str(tmp_path / "no-pipewire"),
    )
    db = home / "legtimer.sqlite3"
    with subprocess.Popen(
        [sys.executable, "-m", "legtimer", "--verbose", "--start", "Tabata 20/10"],
        env=env,
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        watchdog = threading.Timer(90, proc.kill)
        watchdog.start()
        try:
            wait_for_window(proc)
            # The session runs (its row is written when it starts) and a second has passed.
            deadline = time.monotonic() + 30
            while [s for s, _ in _session_rows(db)] != ["running"]:
                assert time.monotonic() < deadline, f"no running session: {_session_rows(db)}"
                time.sleep(0.1)
            time.sleep(1.2)  # the subject: a session a little way in, in real time
            proc.send_signal(signum)
            assert proc.wait(timeout=20) == 0
        finally:
            watchdog.cancel()
    [(status, intervals_with_time)] = _session_rows(db)
    assert status == "stopped"
    assert intervals_with_time == 1  # the warm-up, a second or so of it


def test_ctrl_c_at_any_moment_of_a_command_ends_it_quietly(tmp_path: Path) -> None:
    """Interrupted while it imports or while the command runs: never a traceback; 130 (the
    shell's code for Ctrl+C) or, if it finished first, 0. (Before Python itself has started,
    in its first ~50 ms here, an interrupt is Python's own to report.)"""
    import signal
    import subprocess
    import sys
    import time

    env = dict(os.environ, LEGTIMER_HOME=str(tmp_path))
    for delay in (0.08, 0.1, 0.12, 0.15, 0.2, 0.3, 0.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "legtimer", "history"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        if "init_import_site" in err:
            continue  # still inside Python's own start-up on a busy machine
        assert "Traceback" not in err, (delay, err)
        assert proc.returncode in (0, 130, -signal.SIGINT), (delay, proc.returncode, err)
