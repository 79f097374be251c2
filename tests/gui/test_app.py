"""The real start path: --start, notices at start, and the second-instance hand-off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from legtimer import app as app_module
from legtimer import cli, paths
from legtimer.gui.mainwindow import MainWindow
from legtimer.plans import find_builtin
from legtimer.store.db import OpenMarker, open_database
from legtimer.store.history import HistoryStore
from tests.store.factory import record_session

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def built(qtbot: QtBot) -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for w in windows:
        w.close()
        if w.controller.db is not None:
            w.controller.db.close()
        server = w.property("_instance_server")
        if server is not None:
            server.close()


def build(built: list[MainWindow], qtbot: QtBot, *argv: str, single: bool = False) -> MainWindow:
    _, window = app_module.build(cli.parse_args(list(argv)), single_instance=single)
    qtbot.addWidget(window)
    built.append(window)
    if single:
        # No sound device in the test process: tests/gui/test_audio.py hears the app for real.
        app_module.start_services(window, sound=False)
    return window


def test_start_option_starts_the_session(built: list[MainWindow], qtbot: QtBot) -> None:
    w = build(built, qtbot, "--start", "hill repeats")
    assert w.stack.currentWidget() is w.workout
    assert w.workout.title_label.text() == "Warm-up jog"
    assert w.controller.template is not None and w.controller.template.name == "Hill repeats"


def test_start_option_with_week(built: list[MainWindow], qtbot: QtBot) -> None:
    w = build(built, qtbot, "--start", "Sprint 15/45", "--week", "3")
    assert w.controller.week == 3
    assert w.runner is not None
    assert sum(1 for i in w.runner.session.intervals if i.kind.value == "work") == 10


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--start", "Nope"], "no template named 'Nope'"),
        (["--start", "HIIT 30/30", "--week", "2"], "is not a program"),
        (["--start", "Sprint 15/45", "--week", "7"], "week must be 1 to 4"),
        (["--week", "2"], "--week goes with --start"),
    ],
)
def test_bad_start_options(qtbot: QtBot, argv: list[str], message: str) -> None:
    with pytest.raises(app_module.StartupError, match=message):
        app_module.build(cli.parse_args(argv), single_instance=False)


def test_interrupted_session_is_closed_and_reported(built: list[MainWindow], qtbot: QtBot) -> None:
    from legtimer import paths

    db = open_database(paths.data_dir())
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    record_session(
        HistoryStore(db),
        sprint,
        datetime(2026, 9, 1, 7, tzinfo=UTC),
        week=1,
        status="interrupted",
        stop_after=330,
    )
    db.close()
    w = build(built, qtbot)
    assert "1 session was cut short last time" in w.home.notice_label.text()
    row = w.controller.db.conn.execute("SELECT status FROM sessions").fetchone()  # type: ignore[union-attr]
    assert row[0] == "interrupted"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform
@pytest.mark.parametrize("still_starting", [False, True], ids=["listening", "still-starting"])
def test_second_launch_hands_off_to_the_running_window(
    built: list[MainWindow], qtbot: QtBot, still_starting: bool
) -> None:
    """A second launch finds the first by its hold on the database, and waits for it if the
    first is still painting its window and not yet listening."""
    if still_starting:
        _, w = app_module.build(cli.parse_args([]), single_instance=True)
        qtbot.addWidget(w)
        built.append(w)
    else:
        w = build(built, qtbot, single=True)
    w.show()
    assert not w.controller.active
    assert w.property("_instance_server") is None or not still_starting
    proc = subprocess.Popen(
        [sys.executable, "-m", "legtimer", "-v", "--start", "HIIT 30/30"],
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    waited: list[str] = []
    watchdog = threading.Timer(20, proc.kill)  # a second launch that never knocks fails, not hangs
    watchdog.start()
    if still_starting:
        assert proc.stderr is not None
        for line in proc.stderr:  # until the second launch has knocked and found nobody
            waited.append(line)
            if "waiting for the LegTimer" in line:
                break
        assert proc.poll() is None, waited
        app_module.start_services(w, sound=False)
    # The first instance must serve the request while the second waits for it.
    qtbot.waitUntil(lambda: w.controller.active, timeout=20000)
    _, err = proc.communicate(timeout=30)
    watchdog.cancel()
    err = "".join(waited) + err
    assert proc.returncode == 0, err
    assert "already running" in err
    assert w.controller.template is not None and w.controller.template.name == "HIIT 30/30"


def test_icon_and_its_drawn_sizes_come_once_the_window_is_up(
    built: list[MainWindow], qtbot: QtBot
) -> None:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from legtimer import assets

    QApplication.setWindowIcon(QIcon())
    w = build(built, qtbot)
    assert QApplication.windowIcon().isNull(), "nothing read before the first paint"
    app_module.start_services(w, single_instance=False, sound=False)
    icon = QApplication.windowIcon()
    assert not icon.pixmap(64, 64).isNull()
    # Every drawn size is there, for the window manager to take.
    sizes = {s.width() for s in icon.availableSizes()}
    drawn = {int(p.stem.rsplit("-", 1)[1]) for p in assets.icon_pngs()}
    assert drawn and sizes == drawn, (drawn, sizes)
    assert icon.pixmap(512, 512).width() == 512


def test_menu_entries_and_keys_come_once_the_window_is_up(
    built: list[MainWindow], qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QMenu

    w = build(built, qtbot)
    menu = w.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    assert menu.title() == "&File" and not menu.actions(), "the menu's place, not its entries"
    app_module.start_services(w, single_instance=False, sound=False)
    entries = {a.text(): a for a in menu.actions() if a.text()}
    assert entries["&History"].shortcut().toString() == "Ctrl+H"
    assert "Export &CSV..." in entries and "&Quit" in entries
    app_module.start_services(w, single_instance=False, sound=False)  # again: nothing doubled
    assert len([a for a in menu.actions() if a.text()]) == len(entries)


WATCHING = r"""
import sys
from legtimer import app as app_module
from legtimer.__main__ import main

build = app_module.build

def watched(*args, **kwargs):
    app, window = build(*args, **kwargs)
    from PySide6 import QtCore

    class Painted(QtCore.QObject):
        def eventFilter(self, obj, event):
            if event.type() == QtCore.QEvent.Type.Paint:
                obj.removeEventFilter(self)
                on_paint(app, window)
            return False

    window._painted = Painted()
    window.installEventFilter(window._painted)
    return app, window

app_module.build = watched
sys.exit(main([]))
"""


def at_first_paint(on_paint: str) -> str:
    """A child program: the app started as the `legtimer` command starts it, and `on_paint`
    (code defining on_paint(app, window)) called at its window's first paint."""
    return on_paint + WATCHING


def start_as_a_user(program: str, data_home: Path) -> list[str]:
    """Run `program` (from at_first_paint) in a child process as a user starts the app, with
    the data folder found by the XDG rule under `data_home` (not named by LEGTIMER_HOME); the
    lines it printed."""
    env = dict(os.environ, XDG_DATA_HOME=str(data_home), QT_QPA_PLATFORM="offscreen")
    env.pop("LEGTIMER_HOME", None)
    out = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


FIRST_PAINT = at_first_paint(
    r"""
import gc, json, sys

def on_paint(app, window):
    from PySide6 import QtCore, QtGui  # here: the app imports PySide6 itself, in its order

    loaded = {
        "Qt namespace": "Qt" in vars(QtCore),
        "QtMultimedia": "PySide6.QtMultimedia" in sys.modules,
        "QtNetwork": "PySide6.QtNetwork" in sys.modules,
        "session engine": "legtimer.engine.session" in sys.modules,
        "text notation": "legtimer.plans.notation" in sys.modules,
        "cue back ends": "legtimer.gui.backends" in sys.modules,
        "cue mixer": "legtimer.audio.mixer" in sys.modules,
        "platformdirs": "platformdirs" in sys.modules,
        "templates and programs": "legtimer.plans.model" in sys.modules,
        "history queries": "legtimer.store.history" in sys.modules,
        "session controller": "legtimer.gui.controller" in sys.modules,
        "actions and shortcuts": any(
            name in vars(QtGui) for name in ("QAction", "QShortcut", "QKeySequence")
        ),
        "collector on": gc.isenabled(),
    }
    print(json.dumps(loaded), flush=True)
    painted = window.home.texts()
    waited = []

    def settled():
        # The app turns the collector back on once the window is up.
        waited.append(1)
        if gc.isenabled() or len(waited) > 250:
            frozen = gc.get_freeze_count() > 0
            # The icon comes from its PNGs: Qt's SVG module is never loaded.
            with open("/proc/self/maps") as maps:
                svg = "libQt6Svg" in maps.read()
            print(json.dumps({"on": gc.isenabled(), "frozen": frozen, "svg": svg,
                "controller": window.attached,
                "home as painted": window.home.texts() == painted}))
            app.quit()
        else:
            QtCore.QTimer.singleShot(20, settled)

    QtCore.QTimer.singleShot(20, settled)
"""
)


def test_the_first_paint_waits_for_nothing_it_does_not_show(tmp_path: Path) -> None:
    """What start-up leaves until the window is up stays there: the sound back end, the
    single-instance server, the session engine and the text notation (their classes take a few
    ms to build), the Qt namespace's enums (PySide builds all ~90 of them on the first use of
    any, about 20 ms; a session uses none: tests/gui/test_qtnames.py), and, from the second
    start on, the session controller, the templates and the history's queries (home is painted
    from what it said last time)."""
    after: list[dict[str, bool]] = []

    def first_paint() -> dict[str, bool]:
        lines = start_as_a_user(FIRST_PAINT, tmp_path)
        loaded: dict[str, bool] = json.loads(lines[0])
        after.append(json.loads(lines[1]))
        return loaded

    none = dict.fromkeys(
        [
            "Qt namespace",
            "QtMultimedia",
            "QtNetwork",
            "session engine",
            "text notation",
            "cue back ends",
            "cue mixer",
            "templates and programs",
            "history queries",
            "session controller",
            "actions and shortcuts",
            "collector on",
        ],
        False,
    )
    # On Linux the XDG rule finds the folder without platformdirs (tests/test_paths.py).
    none["platformdirs"] = not paths._FREEDESKTOP
    # The very first start asks the desktop before drawing (without the Qt namespace: see
    # legtimer.gui.qtnames) and builds home from the templates and the history (nothing is
    # remembered yet).
    everything = dict.fromkeys(
        ["templates and programs", "history queries", "session controller"], True
    )
    assert first_paint() == none | everything
    assert first_paint() == none
    # Once the window is up, the collector runs again, with start-up's objects set aside, and
    # the controller is there, home still saying what was painted.
    up = {"on": True, "frozen": True, "svg": False, "controller": True, "home as painted": True}
    assert after == [up] * 2


CLOSED_AT_FIRST_PAINT = at_first_paint(
    r"""
def on_paint(app, window):
    from PySide6 import QtCore

    print(window.attached, flush=True)
    QtCore.QTimer.singleShot(0, window.close)  # before the window is up
"""
)


def test_a_window_closed_before_it_is_up_closes_the_history_file(tmp_path: Path) -> None:
    """Closed at its first paint, the second start's window never got its controller (nor the
    training layer that closes the file); the history file is closed all the same, so the next
    start does not take it for one left open by a crash."""
    attached = []
    for _ in range(2):
        attached.append(start_as_a_user(CLOSED_AT_FIRST_PAINT, tmp_path)[0])
        database = paths.database_path(tmp_path / paths.APP_NAME)
        assert database.exists()
        assert OpenMarker.stale(database) == []
    assert attached == ["True", "False"]  # the first start builds everything before its paint
