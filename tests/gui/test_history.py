"""The history views on a store filled with a few months of the sprint program (one session
stopped early, one interrupted) and a hill session each week, driven through the real widgets."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock
from legtimer.gui.fileops import DateRange
from legtimer.gui.history import HistoryView
from legtimer.gui.mainwindow import MainWindow
from legtimer.services import Training
from legtimer.store.db import Database
from legtimer.store.history import HistoryStore
from legtimer.store.queries import HistoryQueries, SessionFilter
from tests.store.factory import sprint_months

pytestmark = pytest.mark.gui
Shot = Callable[..., Path]


def sixteen_weeks_back() -> datetime:
    """A Monday morning 16 weeks ago, so the history ends this week."""
    now = datetime.now(UTC)
    monday = (now - timedelta(weeks=15, days=now.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, 6, 30, tzinfo=UTC)


@pytest.fixture
def filled(db: Database) -> Database:
    sprint_months(HistoryStore(db), sixteen_weeks_back())
    q = HistoryQueries(db)
    newest_sprint = q.page(SessionFilter(kinds=("sprint",)), limit=1)[0]
    q.set_notes(newest_sprint.uuid, "Legs heavy after the hill day")
    q.set_rpe(newest_sprint.uuid, 8)
    return db


@pytest.fixture
def history(window: MainWindow, filled: Database) -> HistoryView:
    window.show_history()
    return window.history_view


def test_log_opens_lazily_newest_first(history: HistoryView, window: MainWindow) -> None:
    assert window.stack.currentWidget() is history
    model = history.log.model
    assert model.rowCount() == 32
    assert model.pages_read <= 1  # only what the table has drawn
    first = model.row_at(0)
    assert first is not None and first.template == "Hill repeats"
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert texts[1:] == ["Hill repeats", "", "6 / 6", "25:00", "completed", ""]
    assert not history.log.empty.isVisible()


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)], ids=["1280x800", "800x480"])
def test_log_screenshot_with_a_session_open(
    history: HistoryView, window: MainWindow, qtbot: QtBot, screenshot: Shot, size: tuple[int, int]
) -> None:
    window.resize(*size)
    log = history.log
    qtbot.waitUntil(lambda: log.narrow is (size[0] < 1000))
    screenshot(window, f"history-list-{size[0]}x{size[1]}")
    table = log.table
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(log.model.index(1, 1)).center(),
    )
    qtbot.waitUntil(lambda: log.detail.detail is not None)
    # Narrow: the detail takes the list's place, with a way back; wide: side by side.
    assert table.isVisible() is not log.narrow
    assert log.detail.isVisible() and log.detail.to_list.isVisible() is log.narrow
    detail = log.detail
    assert detail.title.text() == "Sprint 15/45 - week 4"
    assert detail.notes.toPlainText() == "Legs heavy after the hill day"
    assert detail.rpe.value() == 8
    assert len(detail.timeline.segments) == detail.intervals.topLevelItemCount() == 26
    qtbot.wait(50)
    screenshot(window, f"history-log-{size[0]}x{size[1]}")
    if log.narrow:
        qtbot.mouseClick(detail.to_list, Qt.MouseButton.LeftButton)
        assert table.isVisible() and not detail.isVisible()


def test_filters_narrow_the_table(history: HistoryView, qtbot: QtBot) -> None:
    log = history.log
    log.kind.setCurrentIndex(log.kind.findData("hill"))
    assert log.model.rowCount() == 16
    log.kind.setCurrentIndex(0)
    log.status.setCurrentIndex(log.status.findData("interrupted"))
    assert log.model.rowCount() == 1
    row = log.model.row_at(0)
    assert row is not None and row.status == "interrupted"
    assert log.model.index(0, 5).data() == "interrupted"
    log.status.setCurrentIndex(0)
    log.template.load()
    assert [log.template.itemText(i) for i in range(log.template.count())] == [
        "All sessions",
        "Hill repeats",
        "Sprint 15/45",
    ]
    log.template.setCurrentIndex(log.template.findData("Sprint 15/45"))
    assert log.model.rowCount() == 16
    log.template.setCurrentIndex(0)
    qtbot.keyClicks(log.search, "heavy")
    qtbot.waitUntil(lambda: log.model.rowCount() == 1)  # after the typing pause
    log.search.clear()
    log.apply_filter()
    first = sixteen_weeks_back().date()
    log.since.setDate(QDate(first.year, first.month, first.day).addDays(7))
    log.until.setDate(QDate(first.year, first.month, first.day).addDays(13))
    assert log.model.rowCount() == 2
    log.since.setDate(log.since.minimumDate())  # "any"
    assert log.model.rowCount() == 4
    log.until.setDate(log.until.minimumDate())
    log.status.setCurrentIndex(log.status.findData("running"))
    assert log.model.rowCount() == 0
    assert log.empty.isVisibleTo(history) and "No session matches" in log.empty.text()


def test_sorting_by_a_column_goes_to_the_store(history: HistoryView) -> None:
    log = history.log
    log.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # work done
    first = log.model.row_at(0)
    assert first is not None and first.status in ("stopped", "interrupted")
    log.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)  # RPE
    first = log.model.row_at(0)
    assert first is not None and first.rpe == 8
    log.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    first = log.model.row_at(0)
    assert first is not None and first.template == "Hill repeats"


def test_edit_notes_and_rpe(history: HistoryView, filled: Database, qtbot: QtBot) -> None:
    log = history.log
    log.table.selectRow(3)
    detail = log.detail
    assert detail.detail is not None
    uuid = detail.detail.session.uuid
    assert not detail.save.isEnabled()
    detail.rpe.setValue(6)
    detail.notes.setPlainText("  Easy today  ")
    assert detail.save.isEnabled()
    qtbot.mouseClick(detail.save, Qt.MouseButton.LeftButton)
    stored = HistoryQueries(filled).detail(uuid)
    assert stored is not None and stored.session.rpe == 6 and stored.session.notes == "Easy today"
    assert detail.status.text() == "Saved" and not detail.save.isEnabled()
    assert log.model.index(3, 6).data() == "6"  # the table shows it too
    detail.rpe.setValue(0)  # "-": no RPE
    detail.save.click()
    stored = HistoryQueries(filled).detail(uuid)
    assert stored is not None and stored.session.rpe is None


def test_delete_with_undo(history: HistoryView, filled: Database, qtbot: QtBot) -> None:
    log = history.log
    log.table.selectRow(0)
    assert log.detail.detail is not None
    uuid = log.detail.detail.session.uuid
    log.detail.delete.click()
    assert log.model.rowCount() == 31
    assert HistoryQueries(filled).count() == 31
    assert history.undo_bar.isVisibleTo(history)
    qtbot.mouseClick(history.undo_button, Qt.MouseButton.LeftButton)
    assert log.model.rowCount() == 32
    assert not history.undo_bar.isVisibleTo(history)
    assert log.detail.detail is not None and log.detail.detail.session.uuid == uuid
    # Undo has nothing more to bring back.
    history.undo_delete()
    assert HistoryQueries(filled).count() == 32


def test_program_ladder_and_choices(
    history: HistoryView,
    window: MainWindow,
    filled: Database,
    qtbot: QtBot,
    screenshot: Shot,
) -> None:
    history.tabs.setCurrentWidget(history.program_page)
    page = history.program_page
    sprint = window._program()
    assert sprint is not None
    status = HistoryStore(filled).program_status(sprint)
    assert "Sprint 15/45" in page.heading.text()
    rung = page.session_labels
    # The factory moves up a week after each counted session: one each in weeks 1-3, and the
    # other 11 counted ones (13 run, one stopped, one interrupted) in week 4.
    assert rung[1].text() == "■  1 session"
    assert rung[4].text().endswith("11 sessions")
    assert status.complete  # all four weeks done
    page.repeat.click()
    assert HistoryStore(filled).program_status(sprint).week == 4
    assert page.result.text() == "Week 4 again: its sessions count afresh."
    assert "week 4" in window.home.program_label.text()
    page.jump_week.setCurrentIndex(1)
    page.jump.click()
    assert HistoryStore(filled).program_status(sprint).week == 2
    assert page.result.text() == "Now on week 2."
    assert "week 2" in window.home.program_label.text()  # home follows
    page.restart.click()  # asks first
    assert HistoryStore(filled).program_status(sprint).week == 2
    assert "Press again" in page.restart.text()
    page.restart.click()
    assert HistoryStore(filled).program_status(sprint).week == 1
    assert page.session_labels[1].text() == "□  0 sessions"
    kinds = [c.kind.value for c in HistoryStore(filled).program_choices(sprint.name)]
    assert kinds == ["repeat_week", "set_week", "restart"]
    qtbot.wait(20)  # new rungs show on the next turn of the event loop
    assert page.session_labels[4].isVisible()
    screenshot(window, "history-program-1280x800")


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)], ids=["1280x800", "800x480"])
def test_your_own_program_has_its_week_on_the_program_tab_and_home(
    window: MainWindow, db: Database, qtbot: QtBot, screenshot: Shot, size: tuple[int, int]
) -> None:
    """A runner's own 4-week program shows with its week, beside the sprint program."""
    from dataclasses import replace

    from legtimer.plans import find_builtin
    from legtimer.store.templates import TemplateStore
    from tests.store.factory import record_session

    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    mine = replace(sprint, name="My sprints", builtin=False)
    TemplateStore(db).save(mine)
    mine = next(t for t in TemplateStore(db).all() if t.name == "My sprints")
    record_session(HistoryStore(db), mine, sixteen_weeks_back(), week=1)
    window.resize(*size)
    window.refresh_home()
    tile = window.home.findChild(type(window.home.start_button), "pick:My sprints")
    assert tile is not None and tile.text().startswith("My sprints\nWeek 2 - ")
    window.show_history()
    history = window.history_view
    history.tabs.setCurrentWidget(history.program_page)
    page = history.program_page
    assert page.choice.isVisibleTo(window)
    assert [page.choice.itemText(i) for i in range(page.choice.count())] == [
        "Sprint 15/45",
        "My sprints",
    ]
    assert page.heading.text().startswith("Sprint 15/45: ")
    page.choice.setCurrentIndex(1)
    assert page.heading.text().startswith("My sprints: ")
    assert "week 2 of 4" in page.heading.text()
    assert page.session_labels[1].text() == "■  1 session"
    qtbot.wait(20)
    screenshot(window, f"history-own-program-{size[0]}x{size[1]}")
    screenshot(window.home, f"home-own-program-{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)], ids=["1280x800", "800x480"])
def test_calendar_and_weekly_chart(
    history: HistoryView, window: MainWindow, qtbot: QtBot, screenshot: Shot, size: tuple[int, int]
) -> None:
    window.resize(*size)
    history.tabs.setCurrentWidget(history.calendar)
    heat = history.calendar.heat
    assert sum(n for n, _ in heat._days.values()) == 32
    assert "Last 12 months: 32 sessions" in history.calendar.totals.text()
    assert history.calendar.streak.text().startswith("Streak: ")
    qtbot.wait(20)
    screenshot(window, f"history-calendar-{size[0]}x{size[1]}")
    history.tabs.setCurrentWidget(history.weekly)
    chart = history.weekly.chart
    assert chart is not None and len(chart.weeks) == 12
    week_minutes = [sum(col) for col in zip(*chart.minutes.values(), strict=True)]
    assert week_minutes[-1] == pytest.approx(round(sum(minutes_this_week(history)), 1))
    assert sum(chart.minutes["hill"]) == pytest.approx(12 * 25)
    lines = history.weekly.balance.text().splitlines()
    assert lines[1].startswith("✓ Hill repeats: 1 of 1")
    qtbot.wait(20)
    screenshot(window, f"history-weekly-{size[0]}x{size[1]}")
    history.tabs.setCurrentWidget(history.program_page)
    qtbot.wait(20)
    assert history.program_page.session_labels[4].isVisible()
    screenshot(window, f"history-program-ladder-{size[0]}x{size[1]}")


def minutes_this_week(history: HistoryView) -> list[float]:
    rows = history.training.page(limit=4)
    monday = history.weekly.chart.weeks[-1] if history.weekly.chart else None
    return [
        r.active_seconds / 60
        for r in rows
        if monday is not None and r.started_at.astimezone().date() >= monday
    ]


def test_empty_history_tells_a_new_runner_what_to_do(
    window: MainWindow, qtbot: QtBot, screenshot: Shot
) -> None:
    window.show_history()
    log = window.history_view.log
    assert log.model.rowCount() == 0
    assert "No sessions yet" in log.empty.text() and log.empty.isVisibleTo(window)
    assert not log.table.isVisibleTo(window)  # nothing to list: the message is the page
    qtbot.wait(20)
    screenshot(window, "history-empty-1280x800")


# -- the File menu ---------------------------------------------------------------------------


class Dialogs:
    """Stands in for the file and message dialogs; `run` does a file operation and waits
    (on the event loop, not the clock) for it to finish on the thread pool."""

    def __init__(self, window: MainWindow, path: Path, chosen: DateRange) -> None:
        files = window.files
        self.files = files
        self.messages: list[tuple[str, bool]] = []
        files.ask_range = lambda _title: chosen
        files.ask_save_path = lambda _title, _fmt: path
        files.ask_open_path = lambda: path
        files.show_message = lambda _title, text, error: self.messages.append((text, error))

    def run(self, qtbot: QtBot, operation: Callable[[], object]) -> bool:
        with qtbot.waitSignal(self.files.finished, timeout=60_000) as blocker:
            operation()
        assert blocker.args is not None
        return bool(blocker.args[0])


@pytest.mark.parametrize("fmt", ["csv", "json", "tcx", "ics"])
def test_export_each_format_through_the_menu(
    window: MainWindow, filled: Database, tmp_path: Path, fmt: str, qtbot: QtBot
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dialogs = Dialogs(window, out / f"h.{fmt}", DateRange(None, None))
    action = window.findChild(type(window.menuBar().actions()[0]), f"export_{fmt}")
    assert action is not None
    assert dialogs.run(qtbot, action.trigger)
    text, error = dialogs.messages[-1]
    assert not error, text
    written = sorted(p.name for p in out.iterdir())
    if fmt == "csv":
        assert written == ["h-intervals.csv", "h.csv"]
        assert text == "Exported 32 sessions to h.csv and h-intervals.csv."
    else:
        assert written == [f"h.{fmt}"]
        assert text == f"Exported 32 sessions to h.{fmt}."
    assert all((out / name).stat().st_size > 1000 for name in written)


def test_file_work_runs_off_the_gui_thread_one_at_a_time(
    window: MainWindow, filled: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    """The backup runs on the thread pool: the call returns at once, the event loop goes on,
    and a second request meanwhile is told to wait rather than queued behind it."""
    dialogs = Dialogs(window, tmp_path / "b.json", DateRange(None, None))
    finished: list[bool] = []
    window.files.finished.connect(finished.append)
    window.files.backup()
    assert window.files.busy and finished == []
    window.files.export("csv")
    assert finished == [False]
    assert dialogs.messages[-1] == (
        "Another file is being written; try again when it is done.",
        True,
    )
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=60_000)
    assert finished == [False, True] and not window.files.busy
    assert dialogs.messages[-1][0].startswith("Backed up 32 sessions")


def test_export_a_date_range(
    window: MainWindow, filled: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    first = sixteen_weeks_back().date()
    dialogs = Dialogs(window, tmp_path / "june.json", DateRange(first, first + timedelta(days=13)))
    assert dialogs.run(qtbot, lambda: window.files.export("json"))
    assert dialogs.messages[-1] == ("Exported 4 sessions to june.json.", False)
    doc = json.loads((tmp_path / "june.json").read_text(encoding="utf-8"))
    assert len(doc["sessions"]) == 4


def test_export_to_a_folder_that_cannot_be_written(
    window: MainWindow, filled: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    # A path under a plain file cannot be written, even by root (CI runs as root, so a
    # read-only folder would not do).
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    dialogs = Dialogs(window, blocker / "x.tcx", DateRange(None, None))
    assert not dialogs.run(qtbot, lambda: window.files.export("tcx"))
    text, error = dialogs.messages[-1]
    assert error and text.startswith(f"Could not write {blocker / 'x.tcx'}"), text
    assert blocker.read_text() == "x"


def test_backup_and_restore_into_another_history(
    window: MainWindow, filled: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    path = tmp_path / "backup.json"
    dialogs = Dialogs(window, path, DateRange(None, None))
    assert dialogs.run(qtbot, window.files.backup)
    assert dialogs.messages[-1][0].startswith("Backed up 32 sessions")
    # Wipe the history, then restore it through the menu.
    filled.conn.execute("DELETE FROM sessions")
    filled.conn.commit()
    window.show_history()
    assert window.history_view.log.model.rowCount() == 0
    restore = window.findChild(type(window.menuBar().actions()[0]), "restoreAction")
    assert restore is not None
    assert dialogs.run(qtbot, restore.trigger)
    text, error = dialogs.messages[-1]
    assert not error and "32 sessions added" in text, text
    assert window.history_view.log.model.rowCount() == 32  # the view read it again


def test_a_restore_brings_back_the_settings_and_the_window_follows(
    qtbot: QtBot, clock: FakeClock, db: Database, tmp_path: Path
) -> None:
    from legtimer.gui.controller import WorkoutController
    from legtimer.gui.sound import SoundCues
    from legtimer.store.settings import Settings, SettingsStore
    from tests.gui.conftest import FakeKeepAwake

    store = SettingsStore(db)
    controller = WorkoutController(
        clock, SoundCues("off"), training=Training(db), keep_awake=FakeKeepAwake()
    )
    window = MainWindow(controller, settings=store)
    qtbot.addWidget(window)
    path = tmp_path / "backup.json"
    dialogs = Dialogs(window, path, DateRange(None, None))
    window.apply_settings(Settings(units="mph", beeps=False))
    assert dialogs.run(qtbot, window.files.backup)
    window.apply_settings(Settings())
    assert window.settings.units == "kmh" and controller.beeps
    assert dialogs.run(qtbot, window.files.restore)
    text, error = dialogs.messages[-1]
    assert not error and "settings changed: beeps, units" in text, text
    assert window.settings.units == "mph" and not controller.beeps and controller.mph


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "is not a LegTimer backup (not JSON"),
        ('{"format": "legtimer.backup/99"}', "is a backup from a newer LegTimer"),
        ('{"format": "something else"}', "is not a LegTimer backup"),
        ('{"format": "legtimer.backup/1", "sessions": 5}', "sessions: must be a list, not a"),
        (
            '{"format": "legtimer.backup/1", "sessions": [], "program_choices": [{"program": "x", '
            '"at": "9999-01-01T00:00:00Z", "kind": "restart", "week": 1}]}',
            "program_choices[0].at: '9999-01-01T00:00:00Z' is later than tomorrow",
        ),
    ],
)
def test_restore_refuses_bad_files_and_changes_nothing(
    window: MainWindow,
    filled: Database,
    tmp_path: Path,
    content: str,
    message: str,
    qtbot: QtBot,
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    dialogs = Dialogs(window, path, DateRange(None, None))
    assert not dialogs.run(qtbot, window.files.restore)
    text, error = dialogs.messages[-1]
    assert error and text.startswith("Nothing was restored") and message in text, text
    assert HistoryQueries(filled).count() == 32


def test_range_dialog_refuses_a_backwards_range(qtbot: QtBot) -> None:
    from legtimer.gui.fileops import RangeDialog

    dialog = RangeDialog("Export")
    qtbot.addWidget(dialog)
    assert dialog.value() == DateRange(None, None)
    dialog.all.setChecked(False)
    dialog.since.setDate(QDate(2026, 9, 10))
    dialog.until.setDate(QDate(2026, 9, 1))
    assert dialog.problem.text() == "'From' is after 'To'."
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.until.setDate(QDate(2026, 9, 30))
    assert ok.isEnabled()
    chosen = dialog.value()
    assert (chosen.since, chosen.until) == (
        QDate(2026, 9, 10).toPython(),
        QDate(2026, 9, 30).toPython(),
    )
