"""Composition root: builds the objects the GUI needs and wires them together.

This is the only place that decides which concrete store, clock and sound player the app uses;
everything below receives them, so tests can build the same objects with fakes.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import TYPE_CHECKING

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from legtimer.gui.controller import WorkoutController
    from legtimer.gui.mainwindow import MainWindow
    from legtimer.store.db import Database


class AlreadyRunning(Exception):
    """Another LegTimer on the same data folder took the request."""


class StartupError(Exception):
    """Bad arguments found before the window opens (an unknown --start template...)."""


def build(
    args: argparse.Namespace, *, single_instance: bool = True, home_first: bool = False
) -> tuple[QApplication, MainWindow]:
    """The application and its main window, ready to show.

    With `home_first` (the `legtimer` command), a start with nothing to do at once paints the
    home view from what it said last time, kept in the history file: the session controller,
    the templates and the history's queries then load once the window is up (`window_up`), a
    third of start-up that the first paint no longer waits for. The first start, a start
    with --start and one without a history file build everything first."""
    from PySide6.QtWidgets import QApplication

    from legtimer.gui.pysidefix import lighten_feature_hook

    lighten_feature_hook()  # before the app's own modules: PySide6 would read each one's source

    from legtimer import __version__, paths
    from legtimer.gui.home import HomeTexts
    from legtimer.gui.mainwindow import MainWindow
    from legtimer.store.db import OpenMarker, StoreError
    from legtimer.store.settings import SettingsStore

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("LegTimer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.legtimer.LegTimer")

    if args.week is not None and not args.start:
        raise StartupError("--week goes with --start NAME")
    data_dir = paths.data_dir(getattr(args, "data_dir", None))
    # Only when another process has the database open can there be a window to hand off to;
    # the common case skips loading QtNetwork before the first paint.
    if single_instance and OpenMarker.held(paths.database_path(data_dir)):
        from legtimer.gui.single import STARTING_PATIENCE_S, hand_off, server_name

        request = {"raise": True, "start": args.start, "week": args.week}
        if hand_off(server_name(data_dir), request, patience_s=STARTING_PATIENCE_S):
            raise AlreadyRunning("LegTimer is already running: brought its window forward")

    notices: list[str] = []
    try:
        db = open_with_progress(data_dir)
    except StoreError as exc:
        db = None
        notices.append(f"History is off for this run: {exc}.")
    if db is not None:
        notices.extend(db.notices)
    settings = SettingsStore(db) if db is not None else None
    simulated = getattr(args, "treadmill", None) == "simulated"
    texts = None
    if home_first and settings is not None and not args.start and not simulated:
        texts = HomeTexts.from_json(settings.home_texts())
    if texts is not None:
        window = MainWindow(data_dir=data_dir, settings=settings, home_texts=texts)
    else:
        window = MainWindow(
            make_controller(db, notices, simulated=simulated), data_dir=data_dir, settings=settings
        )
        window.controller.sound.notice.connect(window.show_notice)
    for notice in notices:
        window.show_notice(notice)
    if args.start:
        try:
            _start_named(window, args.start, args.week)
        except StartupError:
            window.close()
            if db is not None:
                db.close()
            raise
    return app, window


def make_controller(
    db: Database | None, notices: list[str], *, simulated: bool = False
) -> WorkoutController:
    """The session controller over the history `db` (None: a run without one), with the sound,
    the voice and the screen's keep-awake; `simulated` adds a simulated treadmill, driven.
    Sessions a crash left running are closed first, and said so in `notices`."""
    from legtimer.engine import SystemClock
    from legtimer.gui.controller import WorkoutController
    from legtimer.gui.keepawake import KeepAwake
    from legtimer.gui.sound import SoundCues
    from legtimer.gui.voice import Voice
    from legtimer.services import NoHistory, StoreError, Training
    from legtimer.store.history import HistoryStore

    if db is not None:
        try:
            interrupted = HistoryStore(db).close_unfinished()
        except StoreError as exc:
            interrupted = 0
            notices.append(str(exc))
        if interrupted:
            notices.append(
                f"{interrupted} session{'s were' if interrupted > 1 else ' was'} cut short last "
                "time; what was done is kept, marked interrupted."
            )
    clock = SystemClock()
    devices = None
    if simulated:
        from legtimer.gui.devices import DeviceHub

        devices = DeviceHub.simulated(clock.monotonic, tick_s=0.25)
        # A simulation has no belt under anyone's feet: it is driven from the start.
        devices.drive = True
    return WorkoutController(
        clock,
        SoundCues("auto"),
        training=Training(db) if db is not None else NoHistory(),
        voice=Voice(False),
        keep_awake=KeepAwake(),
        devices=devices,
    )


def attach_controller(window: MainWindow) -> None:
    """For a window built from home's texts (`build` with `home_first`): its session
    controller, over the history its settings come from. Does nothing once it has one."""
    if window.attached:
        return
    store = window.settings_store
    assert store is not None, "a window starts from home's texts only with a history file"
    notices: list[str] = []
    controller = make_controller(store.db, notices)
    window.attach(controller)
    controller.sound.notice.connect(window.show_notice)
    for notice in notices:
        window.show_notice(notice)


def open_with_progress(data_dir: Path, *, show_after_ms: int = 1000) -> Database:
    """Open the history; when it must be upgraded first, do that on a thread of its own while
    a progress window says so (shown only if it takes longer than `show_after_ms`)."""
    from legtimer.store.db import needs_upgrade, open_database

    if not needs_upgrade(data_dir):
        return open_database(data_dir)
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication, QProgressDialog

    result: dict[str, object] = {}

    def upgrade() -> None:
        try:
            db = open_database(data_dir)  # the upgrade; this thread's connection then closes
            result["notices"] = list(db.notices)
            db.close()
        except BaseException as exc:
            result["error"] = exc

    worker = threading.Thread(target=upgrade, name="history upgrade", daemon=True)
    worker.start()
    dialog = QProgressDialog("Upgrading your history for this version of LegTimer...", "", 0, 0)
    dialog.setWindowTitle("LegTimer")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setValue(0)
    while worker.is_alive():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        worker.join(0.02)
    dialog.reset()
    dialog.deleteLater()
    error = result.get("error")
    if isinstance(error, BaseException):
        raise error
    db = open_database(data_dir)
    notices = result.get("notices")
    db.notices[:0] = notices if isinstance(notices, list) else []
    return db


def start_services(window: MainWindow, *, single_instance: bool = True, sound: bool = True) -> None:
    """What the first paint does not need: the File menu's entries and the keys, the window
    icon, the single-instance server, the sound back end (`sound`: its stream then has a
    second or two to settle before any session), the probe of the speech engine, asking the
    desktop for its colours, reaching the chosen Bluetooth devices. Run once the window is
    up."""
    window.finish_start()
    set_window_icon()
    if single_instance and window.data_dir is not None:
        from legtimer.gui.single import InstanceServer, server_name

        server = InstanceServer(server_name(window.data_dir), window)
        server.request_received.connect(lambda r: _on_request(window, r))
        window.setProperty("_instance_server", server)
    if sound:
        window.controller.sound.load()
    window.controller.voice.probe()
    window.check_desktop_colours()
    check_history_file(window)
    window.connect_devices()


def window_up(window: MainWindow, *, single_instance: bool = True) -> None:
    """Everything start-up left until the window was up, in order: the session controller
    (for a window built from home's texts), the signals that close it, the services, and the
    garbage collector (off until now)."""
    attach_controller(window)
    _close_on_signals(window)  # its sockets and signal modules are not needed to paint
    log.info("main window shown")
    start_services(window, single_instance=single_instance)
    settle_collector()


def settle_collector() -> None:
    """Once the window is up: collect what start-up left over, set the survivors (modules,
    classes, widgets, all living as long as the app) aside for good so that later collections,
    during a session too, never walk them again, and turn the collector back on (`legtimer`
    starts with it off: see legtimer.__main__)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.enable()


def check_history_file(window: MainWindow) -> threading.Thread | None:
    """Every page of the history file checked on a thread of its own (seconds on a large
    history), after the first paint. A damaged file is said so at once; from then on nothing
    more is written to it (the runner can still finish a session running), and the next
    start sets it aside and begins a new one. Damage from a crash is caught before that, by
    the full check after an unclean exit."""
    from PySide6.QtCore import QObject, Signal

    from legtimer.services import NoHistory

    training = window.controller.training
    if not training.has_history:
        return None

    class Found(QObject):
        damaged = Signal(str)

    found = Found(window)

    def on_damage(problem: str) -> None:
        window.show_notice(
            f"The history file is damaged ({problem}). Nothing more is written to it; at the "
            "next start LegTimer keeps it aside and begins a new one."
        )
        # The settings (and home's texts) last for the run from now on.
        window.settings_store = None
        if window.controller.training is training and not window.controller.active:
            window.controller.training = NoHistory(f"the history file is damaged ({problem})")
            window.refresh_home()

    found.damaged.connect(on_damage)

    def run() -> None:
        problem = training.check_file()
        if problem is not None:
            found.damaged.emit(problem)

    thread = threading.Thread(target=run, name="history check", daemon=True)
    thread.start()
    return thread


def set_window_icon() -> None:
    """The app's icon, from its PNGs drawn at 16 to 512 px (the window manager takes raster
    sizes anyway, and Qt scales the nearest). Not the SVG: drawing it loads Qt's SVG module and
    plug-in, ~3 MB of a session's memory (bench/session.py) for the same pixels. Set once the
    window is up: the window manager takes the icon when it changes."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from legtimer import assets

    icon = QIcon()
    for png in assets.icon_pngs():
        icon.addFile(str(png))
    QApplication.setWindowIcon(icon)


def _start_named(window: MainWindow, name: str, week: int | None) -> None:
    from legtimer.plans import find_template

    templates = window.controller.training.templates()
    try:
        template = find_template(templates, name)
        template.check_week(week)
    except (LookupError, ValueError) as exc:
        raise StartupError(str(exc)) from None
    window.start_session(template, week)


def _on_request(window: MainWindow, request: dict[str, object]) -> None:
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()
    start = request.get("start")
    week = request.get("week")
    if isinstance(start, str) and not window.controller.active:
        try:
            _start_named(window, start, week if isinstance(week, int) else None)
        except StartupError as exc:
            window.show_notice(str(exc))


def _close_on_signals(window: MainWindow) -> None:
    """Ctrl+C in the terminal (SIGINT) and a polite end (SIGTERM: logout, shutdown, `kill`)
    close the window the normal way, so a running session is stopped and recorded as such.

    Python runs signal handlers only when the interpreter gets control, which Qt's event loop
    does not give it; a wake-up socket watched by Qt does, without a polling timer.
    """
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier, QTimer

    read, write = socket.socketpair()
    read.setblocking(False)
    write.setblocking(False)
    signal.set_wakeup_fd(write.fileno())
    # Queued, so a signal that lands before the event loop runs is not lost.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: QTimer.singleShot(0, window.close))
    notifier = QSocketNotifier(read.fileno(), QSocketNotifier.Type.Read, window)
    notifier.activated.connect(lambda *_: read.recv(64))
    window.setProperty("_sigint_sockets", (read, write))  # keep both ends alive


def check_install(backend: str = "off") -> int:
    """`--check-install [BACKEND]`: what a packaged or installed copy needs to start, tried for
    real (a window painted, the icon and the cue sounds read, a cue played through `backend`),
    away from the user's data. Prints one line per check; 0 when all pass."""
    import tempfile
    import wave

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon

    from legtimer import assets, cli

    problems: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            problems.append(what)

    with tempfile.TemporaryDirectory(prefix="legtimer-check-") as home:
        app, window = build(cli.parse_args(["--data-dir", home]), single_instance=False)
        # Drawn, not just found: a bundle without Qt's SVG plugin finds the file and draws nothing.
        svg = assets.icon_path()
        check(not QIcon(str(svg)).pixmap(64, 64).isNull(), f"icon drawn from {svg}")
        for name in assets.CUE_NAMES:
            try:
                with wave.open(str(assets.cue_path(name))) as w:
                    ok = w.getsampwidth() == 2 and w.getnframes() > 0
            except (OSError, wave.Error):
                ok = False
            check(ok, f"cue sound {name}: 16-bit PCM")
        sound = window.controller.sound
        sound.set_preference(backend)
        sound.set_muted(False)
        sound.set_volume(1.0)
        played: list[str] = []
        sound.played.connect(played.append)
        # A real device opens its stream first and the cue then sounds for up to 0.6 s: the
        # check waits that long so the cue is heard whole (and a failure to play is reported).
        audible = backend != "off"
        opening_ms, sounding_ms = (600, 1200) if audible else (0, 0)

        def play() -> None:
            sound.play("work")
            QTimer.singleShot(sounding_ms, done)

        def done() -> None:
            name = sound.backend_name
            wanted = backend in ("auto", name)
            heard = played == ["work"] and sound.last_notice is None and wanted
            check(
                heard,
                f"cue played through the {name} back end" + ("" if wanted else f", not {backend}"),
            )
            if sound.last_notice:
                print(f"     {sound.last_notice}", flush=True)
            app.quit()

        window.show()
        if audible:
            sound.warm(True)
        # A stream plays on time once its clock has settled: play then (at once elsewhere).
        sound.when_ready(lambda: QTimer.singleShot(opening_ms, play), limit_s=5.0)
        app.exec()
        check(window.controller.training.has_history, "history database opened")
        sound.close()
        window.close()
        window.controller.training.close()
    return 1 if problems else 0


def run(args: argparse.Namespace) -> int:
    if args.check_install:
        return check_install(args.check_install)
    try:
        app, window = build(args, home_first=True)
    except AlreadyRunning as exc:
        print(f"legtimer: {exc}", file=sys.stderr)
        return 0
    except StartupError as exc:
        print(f"legtimer: {exc}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer

    window.show()
    # A timer of 0 would run before the first paint; 50 ms is after it.
    QTimer.singleShot(50, lambda: window_up(window))
    code = app.exec()
    if window.attached:
        window.controller.training.close()
    elif window.settings_store is not None:  # closed before it was up
        window.settings_store.db.close()
    return code
