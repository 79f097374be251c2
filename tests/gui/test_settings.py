"""The settings dialog, driven through its widgets, and each setting taking effect."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock
from legtimer.gui import theme
from legtimer.gui.controller import WorkoutController
from legtimer.gui.mainwindow import MainWindow
from legtimer.gui.settings import SettingsDialog
from legtimer.gui.sound import SoundCues
from legtimer.plans import find_builtin
from legtimer.services import Training
from legtimer.store.db import Database
from legtimer.store.settings import Settings, SettingsStore
from tests.gui.conftest import FakeKeepAwake, played, tick_for

pytestmark = pytest.mark.gui
Shot = Callable[..., Path]


@pytest.fixture(autouse=True)
def _default_look() -> Iterator[None]:
    """The appearance and the application font are process-wide: put them back."""
    font = QApplication.font()
    yield
    theme.set_appearance(theme.Appearance())
    QApplication.setFont(font)


#: What the tests' windows start with: the defaults, but no sound device opened.
START = Settings(backend="off")


def make_window(qtbot: QtBot, clock: FakeClock, db: Database, data_dir: Path) -> MainWindow:
    controller = WorkoutController(
        clock, SoundCues("off"), training=Training(db), keep_awake=FakeKeepAwake()
    )
    w = MainWindow(controller, data_dir=data_dir, settings=SettingsStore(db))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.finish_start()
    return w


@pytest.fixture
def win(qtbot: QtBot, clock: FakeClock, db: Database, tmp_path: Path) -> MainWindow:
    SettingsStore(db).save(START)
    return make_window(qtbot, clock, db, tmp_path / "home")


def open_dialog(window: MainWindow, qtbot: QtBot) -> SettingsDialog:
    qtbot.mouseClick(window.home.settings_button, Qt.MouseButton.LeftButton)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose(box: object, data: object) -> None:
    index = box.findData(data)  # type: ignore[attr-defined]
    assert index >= 0, data
    box.setCurrentIndex(index)  # type: ignore[attr-defined]


def save(dialog: SettingsDialog, qtbot: QtBot) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_saved_settings_are_kept_in_the_database(
    win: MainWindow, qtbot: QtBot, db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    dialog = open_dialog(win, qtbot)
    assert dialog.value() == START
    choose(dialog.units, "mph")
    choose(dialog.lead, 5)
    dialog.volume.setValue(40)
    qtbot.mouseClick(dialog.flash, Qt.MouseButton.LeftButton)
    dialog.per_week.setValue(4)
    save(dialog, qtbot)
    expected = Settings(
        units="mph", countdown_lead=5, volume=40, backend="off", flash=True, sessions_per_week=4
    )
    assert SettingsStore(db).load() == expected
    # A new window on the same database starts with them.
    again = make_window(qtbot, clock, db, tmp_path / "home")
    assert again.settings == expected
    assert again.home.flash_button.isChecked()
    assert again.controller.sound.volume == pytest.approx(0.4)


def test_cancel_changes_nothing(win: MainWindow, qtbot: QtBot, db: Database) -> None:
    dialog = open_dialog(win, qtbot)
    choose(dialog.units, "mph")
    choose(dialog.theme, "light")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert win.settings == START
    assert SettingsStore(db).load() == START
    assert theme.appearance().theme == "dark"


def test_restore_defaults_fills_the_dialog_with_them(win: MainWindow, qtbot: QtBot) -> None:
    win.apply_settings(START.with_(units="mph", countdown_lead=5, theme="light", volume=10))
    dialog = open_dialog(win, qtbot)
    assert dialog.value().units == "mph"
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.value() == Settings()  # the back end too: "auto"


def test_units_change_the_workout_screen_and_the_editor(win: MainWindow, qtbot: QtBot) -> None:
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    win.edit_template(find_builtin("Hill repeats"))
    editor = win.editor
    assert editor.speed_label.text() == "Speed (km/h)"
    before = editor.notation.text()
    win.show_home()
    dialog = open_dialog(win, qtbot)
    choose(dialog.units, "mph")
    save(dialog, qtbot)
    # The open editor converts what it holds: the template itself is unchanged.
    assert editor.speed_label.text() == "Speed (mph)"
    assert editor.notation.text() == before
    assert not editor.dirty
    win.start_session(sprint, 1)
    assert win.workout.targets_label.text() == "5.0 mph   1 %"
    assert win.workout.next_label.text() == "Next: Sprint 15 s - 9.9 mph - 1 %"


def test_the_beep_lead_and_beeps_off_change_the_cues(
    win: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    win.apply_settings(Settings(backend="off", countdown_lead=5))
    win.start_session(sprint, 1)
    assert played(win) == ["rest"]  # the warm-up's start
    tick_for(win, clock, 294)
    assert played(win) == ["rest"]
    tick_for(win, clock, 6)  # 5-4-3-2-1, then the sprint
    assert played(win) == ["rest"] + ["countdown"] * 5 + ["work"]
    runner = win.controller.runner
    assert runner is not None
    runner.stop()
    win.apply_settings(Settings(backend="off", beeps=False))
    win.start_session(sprint, 1)
    tick_for(win, clock, 300)
    assert played(win)[7:] == ["rest", "work"]  # the boundary cues, no countdown


def test_theme_and_font_scale_change_the_screens(
    win: MainWindow, qtbot: QtBot, screenshot: Shot
) -> None:
    label = win.home.program_label
    dark = win.home.grab().toImage()
    dark_height = label.sizeHint().height()
    assert QColor(dark.pixel(5, 5)).name().upper() == "#1F2430"
    dialog = open_dialog(win, qtbot)
    choose(dialog.theme, "light")
    choose(dialog.font_scale, 1.5)
    save(dialog, qtbot)
    QApplication.processEvents()  # the layouts' pass with the new font sizes
    light = win.home.grab().toImage()
    assert QColor(light.pixel(5, 5)).name().upper() == theme.LIGHT["#1F2430"]
    assert label.sizeHint().height() >= 1.3 * dark_height
    screenshot(win, "settings-light-150-home-1280x800")
    # Views built later come up in the same look.
    win.show_history()
    history = win.history_view.grab().toImage()
    assert QColor(history.pixel(5, 5)).name().upper() == theme.LIGHT["#1F2430"]
    screenshot(win, "settings-light-150-history-1280x800")


def test_test_sound_and_the_data_folder(win: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(win, qtbot)
    choose(dialog.backend, "off")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.test_result.text() == "Sound is off: cues show on screen only."
    assert dialog.folder_label.text() == str(tmp_path / "home")
    opened: list[Path] = []

    def opener(path: Path) -> bool:
        opened.append(path)
        return True

    dialog.open_folder = opener
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [tmp_path / "home"]
    dialog.open_folder = lambda p: False
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert "copy the path" in dialog.folder_label.text()


def test_home_toggles_and_the_m_key_are_remembered(
    win: MainWindow, qtbot: QtBot, db: Database
) -> None:
    qtbot.mouseClick(win.home.flash_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(win, Qt.Key.Key_M)
    assert SettingsStore(db).load() == START.with_(flash=True, sound=False)
    assert win.controller.sound.muted


def test_a_bad_stored_setting_is_reported_and_the_rest_kept(
    qtbot: QtBot, clock: FakeClock, db: Database, tmp_path: Path
) -> None:
    SettingsStore(db).save(START.with_(units="mph"))
    with db.transaction() as conn:
        conn.execute("UPDATE settings SET value = '\"purple\"' WHERE key = 'theme'")
    w = make_window(qtbot, clock, db, tmp_path / "home")
    assert w.settings.units == "mph"
    assert w.settings.theme == "system"
    assert "Setting theme: 'purple' is not one of system, dark, light" in (
        w.home.notice_label.text()
    )


def test_the_window_is_drawn_in_the_desktop_colours_seen_last_then_checks_them(
    qtbot: QtBot,
    clock: FakeClock,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Shot,
) -> None:
    from legtimer.gui import mainwindow

    desktop = ["light"]
    asked: list[str] = []

    def colours() -> str:
        asked.append(desktop[0])
        return desktop[0]

    def page(w: MainWindow) -> str:
        return QColor(w.home.grab().toImage().pixel(5, 5)).name().upper()

    monkeypatch.setattr(mainwindow, "_desktop_colours", colours)
    store = SettingsStore(db)
    store.save(START)  # theme "system"
    # The first start has nothing remembered: it asks before drawing, and remembers.
    first = make_window(qtbot, clock, db, tmp_path / "home")
    assert asked == ["light"]
    assert page(first) == theme.LIGHT["#1F2430"]
    assert store.seen_desktop_colours() == "light"
    first.close()

    # The desktop went dark between runs: the next window is drawn as last seen, without
    # asking, and turns dark once it asks (which the app does after the first paint).
    desktop[0] = "dark"
    theme.set_appearance(theme.Appearance())
    second = make_window(qtbot, clock, db, tmp_path / "home")
    assert asked == ["light"]
    assert page(second) == theme.LIGHT["#1F2430"]
    second.check_desktop_colours()
    assert page(second) == "#1F2430"
    assert store.seen_desktop_colours() == "dark"
    screenshot(second, "desktop-colours-checked-dark-1280x800")

    # A change while the app runs: Qt's signal reaches the same check.
    desktop[0] = "light"
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert page(second) == theme.LIGHT["#1F2430"]
    assert store.seen_desktop_colours() == "light"

    # A chosen theme stands whatever the desktop says; the answer is still kept.
    second.apply_settings(second.settings.with_(theme="dark"))
    desktop[0] = "unknown"
    second.check_desktop_colours()
    assert page(second) == "#1F2430"
    assert store.seen_desktop_colours() == "unknown"


def test_menu_shortcuts(win: MainWindow, qtbot: QtBot) -> None:
    menu = win.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    actions = {a.text(): a for a in menu.actions()}
    assert actions["&History"].shortcut().toString() == "Ctrl+H"
    assert actions["&Settings..."].shortcut().toString() == "Ctrl+,"
    qtbot.keyClick(win, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is win.history_view
    qtbot.keyClick(win, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert win.settings_dialog is not None and win.settings_dialog.isVisible()


@pytest.mark.parametrize("size", [(1280, 800), (800, 480)])
def test_settings_dialog_screenshots(
    win: MainWindow, qtbot: QtBot, screenshot: Shot, size: tuple[int, int]
) -> None:
    win.resize(*size)
    dialog = open_dialog(win, qtbot)
    # The whole dialog fits on the smallest screen the app supports.
    assert dialog.sizeHint().height() <= 480 and dialog.sizeHint().width() <= 800
    screenshot(dialog, f"settings-dialog-{size[0]}x{size[1]}")


@pytest.mark.parametrize("engine", [True, False])
def test_the_voice_choice_shows_only_with_a_speech_engine(qtbot: QtBot, engine: bool) -> None:
    dialog = SettingsDialog(Settings(voice=True), voice_available=engine)
    qtbot.addWidget(dialog)
    assert dialog.voice.isHidden() is not engine
    assert dialog.value().voice  # hidden or not, the stored choice is kept


def test_every_interval_kind_has_its_colours() -> None:
    from legtimer.engine import IntervalKind

    assert set(theme.STYLES) == {kind.value for kind in IntervalKind}
    assert theme.style_for(IntervalKind.WORK).word == "WORK"
    assert theme.style_for(IntervalKind.COOLDOWN).word == "COOL-DOWN"
