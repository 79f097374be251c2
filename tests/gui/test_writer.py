"""Another process holding the history's write lock (a long restore from the command line)
does not stop the session: its interval writes wait on the writer's thread and go through
once the lock is free."""

from __future__ import annotations

import sqlite3

import pytest
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock, State
from legtimer.gui.mainwindow import MainWindow
from legtimer.plans import find_builtin
from tests.gui.conftest import tick_for

pytestmark = pytest.mark.gui


def test_a_locked_file_delays_the_writes_not_the_session(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    runner = window.start_session(sprint, 1)
    db = window.controller.db
    assert db is not None
    notices: list[str] = []
    window.controller.notice.connect(notices.append)
    other = sqlite3.connect(db.path, isolation_level=None)  # another process, as far as
    other.execute("BEGIN IMMEDIATE")  # SQLite is concerned: it holds the write lock
    try:
        tick_for(window, clock, 300 + 15)  # the warm-up and the first sprint end
        assert runner.session.state is State.RUNNING
        assert window.workout.title_label.text() == "Rest 1 of 6"
        writer = window.controller._writer
        assert writer is not None
        assert not writer.drain(timeout=0.3)  # its writes wait for the lock
        recorded = other.execute("SELECT COUNT(*) FROM intervals").fetchone()[0]
        assert recorded == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert writer.drain(timeout=30)
    check = sqlite3.connect(db.path)
    try:
        assert check.execute("SELECT COUNT(*) FROM intervals").fetchone()[0] == 2
    finally:
        check.close()
    assert notices == []  # nothing failed: it only waited
