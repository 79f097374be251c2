from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock, State
from legtimer.gui.mainwindow import MainWindow
from legtimer.plans import find_builtin
from legtimer.store.queries import HistoryQueries
from tests.gui.conftest import FakeKeepAwake, played, shoot, tick_for

pytestmark = pytest.mark.gui


def state(window: MainWindow) -> State | None:
    """Read through a call, so the type checker does not pin the state after one assert."""
    return window.session_state


def sprint_window(window: MainWindow) -> None:
    t = find_builtin("Sprint 15/45")
    assert t is not None
    window.start_session(t, 1)


def test_home_shows_the_program_and_starts_it(
    window: MainWindow, qtbot: QtBot, screenshot: Callable[..., Path]
) -> None:
    assert window.stack.currentWidget() is window.home
    assert window.home.program_label.text() == "Sprint 15/45 - week 1 - 6 sprints - 16 min"
    picks = [
        b.objectName()
        for b in window.home.findChildren(type(window.home.start_button))
        if b.objectName().startswith("pick:")
    ]
    assert picks == ["pick:HIIT 30/30", "pick:Tabata 20/10", "pick:Hill repeats"]
    shoot(window, qtbot, screenshot, "home")
    qtbot.mouseClick(window.home.start_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.workout
    assert state(window) is State.RUNNING


def test_work_rest_last_five_paused_and_summary(
    window: MainWindow,
    qtbot: QtBot,
    clock: FakeClock,
    screenshot: Callable[..., Path],
    db: object,
) -> None:
    sprint_window(window)
    view = window.workout
    assert view.kind_label.text() == "● WARM-UP"
    assert view.seconds_label.text() == "5:00"
    assert view.targets_label.text() == "8 km/h   1 %"
    assert view.next_label.text() == "Next: Sprint 15 s - 16 km/h - 1 %"
    tick_for(window, clock, 300)
    assert view.kind_label.text() == "▲ WORK"
    assert view.title_label.text() == "Sprint 1 of 6"
    assert view.seconds_label.text() == "15"
    assert played(window)[-4:] == ["countdown", "countdown", "countdown", "work"]
    # The digits take at least 40 % of the window's height.
    assert view.seconds_label.height() >= 0.4 * window.height()
    shoot(window, qtbot, screenshot, "work")
    tick_for(window, clock, 15)
    assert view.kind_label.text() == "▼ REST"
    assert view.seconds_label.text() == "45"
    assert played(window)[-1] == "rest"
    shoot(window, qtbot, screenshot, "rest")
    tick_for(window, clock, 41)  # 4 s left: the next targets are emphasised
    assert view.property("emphasisNext") is True
    assert view.next_label.text() == "Next: Sprint 15 s - 16 km/h - 1 %"
    shoot(window, qtbot, screenshot, "last5")
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert state(window) is State.PAUSED
    assert view.overlay.isVisible()
    assert view.pause_button.text() == "Resume"
    shoot(window, qtbot, screenshot, "paused")
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert state(window) is State.RUNNING and not view.overlay.isVisible()
    tick_for(window, clock, 4 + 5 * 60 + 300)  # to the end
    assert window.stack.currentWidget() is window.summary
    assert played(window)[-1] == "complete"
    summary = window.summary
    assert summary.title.text() == "Sprint 15/45 - week 1: complete"
    assert "Work intervals: 6 of 6" in summary.figures.text()
    assert summary.next_step.text() == "Week 1 done - week 2 opens: 8 sprints"
    summary.rpe_group.button(7).click()
    summary.notes.setPlainText("Strong finish")
    shoot(window, qtbot, screenshot, "summary")
    qtbot.mouseClick(summary.save_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.home
    assert window.controller.db is not None
    row = HistoryQueries(window.controller.db).page(limit=1)[0]
    assert (row.status, row.rpe, row.notes, row.work_done) == ("completed", 7, "Strong finish", 6)
    assert window.home.program_label.text() == "Sprint 15/45 - week 2 - 8 sprints - 18 min"
    keep = window.controller.keep_awake
    assert isinstance(keep, FakeKeepAwake) and keep.calls == ["acquire", "release"]


def test_keys_skip_back_and_stop_with_confirmation(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    sprint_window(window)
    view = window.workout
    tick_for(window, clock, 10)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.title_label.text() == "Sprint 1 of 6"
    tick_for(window, clock, 5)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # 5 s in: restart the sprint
    assert view.title_label.text() == "Sprint 1 of 6" and view.seconds_label.text() == "15"
    qtbot.keyClick(view, Qt.Key.Key_Left)  # at once again: back to the warm-up
    assert view.kind_label.text() == "● WARM-UP"
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert window.confirm.isVisible() and state(window) is State.RUNNING
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.confirm.isVisible() and state(window) is State.RUNNING
    qtbot.keyClick(view, Qt.Key.Key_S)
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert state(window) is State.STOPPED
    assert window.stack.currentWidget() is window.summary
    assert window.summary.title.text() == "Sprint 15/45 - week 1: stopped early"
    assert window.summary.next_step.text() == "This session did not count - week 1 stays open"
    assert window.controller.db is not None
    row = HistoryQueries(window.controller.db).page(limit=1)[0]
    assert row.status == "stopped"


def test_stop_button_and_enter_confirm(window: MainWindow, qtbot: QtBot) -> None:
    sprint_window(window)
    qtbot.mouseClick(window.workout.stop_button, Qt.MouseButton.LeftButton)
    assert window.confirm.isVisible()
    qtbot.keyClick(window.workout, Qt.Key.Key_Return)
    assert state(window) is State.STOPPED


def test_full_screen_keys(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen())


@pytest.mark.qt_log_ignore("keyToAscii Unhandled key code")  # QTest's own note on media keys
def test_media_key_pauses(window: MainWindow, qtbot: QtBot) -> None:
    sprint_window(window)
    qtbot.keyClick(window.workout, Qt.Key.Key_MediaTogglePlayPause)
    assert state(window) is State.PAUSED


def test_sleep_detected_pauses_with_a_reason(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, screenshot: Callable[..., Path]
) -> None:
    sprint_window(window)
    tick_for(window, clock, 30)
    clock.suspend(1800)  # Linux: the wall clock jumps, monotonic does not
    clock.advance(1)
    assert window.runner is not None
    window.runner.tick()
    assert state(window) is State.PAUSED
    assert window.workout.overlay.isVisible()
    assert "slept or stalled for 30:01" in window.workout.overlay.reason.text()
    screenshot(window, "sleep-1280x800")


def test_history_write_failure_keeps_the_session_running(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interval writes run on the writer's thread: one that fails (a file gone read-only)
    is said once, at the next interval's end, and the session goes on; the end of the
    session writes every interval again, so nothing is lost once the file is writable."""
    from legtimer.services import StoreError, Training

    sprint_window(window)
    db = window.controller.db
    assert db is not None
    notices: list[str] = []
    window.controller.notice.connect(notices.append)

    def read_only(*_args: object) -> None:
        raise StoreError(f"the history file {db.path} is read-only: sessions cannot be saved")

    monkeypatch.setattr(Training, "record_interval", read_only)
    tick_for(window, clock, 300)  # the warm-up ends: its write goes to the writer
    writer = window.controller._writer
    assert writer is not None and writer.drain(10)
    tick_for(window, clock, 30)  # the next interval's end says what failed
    assert state(window) is State.RUNNING
    assert window.workout.title_label.text() == "Rest 1 of 6"
    assert len(notices) == 1 and "History not saved" in notices[0] and "read-only" in notices[0]
    monkeypatch.undo()  # the disk is writable again: nothing was lost
    tick_for(window, clock, 6 * 60 - 30 + 300)
    assert state(window) is State.FINISHED
    row = HistoryQueries(db).page(limit=1)[0]
    assert (row.status, row.work_done) == ("completed", 6)
    assert len(notices) == 1


def test_m_mutes_and_unmutes_the_cues(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    sprint_window(window)
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.controller.sound.muted
    assert window.home.sound_button.text() == "Sound off"
    before = len(played(window))
    tick_for(window, clock, 300)  # three countdowns and the work cue, all silent
    assert len(played(window)) == before
    qtbot.keyClick(window, Qt.Key.Key_M)
    tick_for(window, clock, 15)
    assert played(window)[-1] == "rest"


def test_flash_at_boundaries_when_chosen(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    window.home.flash_button.click()
    sprint_window(window)
    tick_for(window, clock, 299)
    assert not window.workout.flash_overlay.isVisible()
    tick_for(window, clock, 1)
    assert window.workout.flash_overlay.isVisible()
    qtbot.waitUntil(lambda: not window.workout.flash_overlay.isVisible(), timeout=2000)


def test_voice_toggle_follows_the_engine(qtbot: QtBot, clock: FakeClock, db: object) -> None:
    from legtimer.gui.controller import WorkoutController
    from legtimer.gui.sound import SoundCues
    from legtimer.gui.voice import Voice

    for engines, visible in (([], False), (["mock"], True)):
        voice = Voice(False, available_engines=engines)
        controller = WorkoutController(
            clock, SoundCues("off"), voice=voice, keep_awake=FakeKeepAwake()
        )
        w = MainWindow(controller)
        qtbot.addWidget(w)
        assert w.home.voice_button.isVisibleTo(w) is visible
        if visible:
            w.home.voice_button.click()
            t = find_builtin("Hill repeats")
            assert t is not None
            w.start_session(t)
            tick_for(w, clock, 300)
            assert voice.spoken[-1] == (
                "Uphill 1 of 6. Speed 10 kilometres an hour. Incline 6 percent. "
                "Drive the knees, short steps"
            )


def test_the_cue_text_shows_for_the_first_seconds_of_its_interval(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, screenshot: Callable[..., Path]
) -> None:
    sprint_window(window)
    view = window.workout
    assert view.cue_label.isVisibleTo(window)
    assert view.cue_label.text() == "Easy jog: land softly, stay tall"
    tick_for(window, clock, 300)  # the first sprint
    assert view.title_label.text() == "Sprint 1 of 6"
    assert view.cue_label.text() == "Full speed"
    # The digits keep at least 40 % of the height with the cue line above them.
    assert view.seconds_label.height() >= 0.4 * window.height()
    shoot(window, qtbot, screenshot, "workout-cue-text")
    tick_for(window, clock, 8)
    assert view.cue_label.text() == ""
    assert view.cue_label.isVisibleTo(window)  # its room stays, so the digits do not jump


def test_a_session_without_cue_text_gives_the_line_no_room(
    window: MainWindow, clock: FakeClock
) -> None:
    from legtimer.plans import Template, TemplateKind, parse

    window.start_session(Template("plain", TemplateKind.CUSTOM, parse("20s work; 10s rest")))
    assert not window.workout.cue_label.isVisibleTo(window)


def test_a_session_skipped_through_says_so_and_is_not_complete(
    window: MainWindow, qtbot: QtBot, db: object
) -> None:
    sprint_window(window)
    view = window.workout
    for _ in range(40):
        if window.stack.currentWidget() is window.summary:
            break
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.stack.currentWidget() is window.summary
    assert window.summary.title.text() == "Sprint 15/45 - week 1: skipped through"
    summary = window.controller.last_summary
    assert summary is not None and summary.status == "skipped" and not summary.counted
    [row] = HistoryQueries(db).page()  # type: ignore[arg-type]
    assert row.status == "skipped"
