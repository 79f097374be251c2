"""The main window: a stack of views (home, workout, summary, history, templates) and the keys.

Keys during a session: Space pause/resume, Right skip, Left back, S stop (press again, or
Enter, to confirm), F or F11 full screen, Esc leave full screen; media play/pause where the
keyboard has it. Buttons never take focus, so a key always reaches the session.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from legtimer.gui.home import HomeTexts, HomeView

# Loaded with home's widgets already; the desktop is asked after the first paint.
from legtimer.gui.qtnames import desktop_colours as _desktop_colours
from legtimer.gui.qtnames import key_code, set_enum_property
from legtimer.gui.theme import (
    Appearance,
    appearance,
    apply_palette,
    resolve_theme,
    restyle,
    set_appearance,
)
from legtimer.services import Settings, SettingsStore, StoreError

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent

    # Imported where first used: none of them is needed before the first paint. The session
    # controller, the templates and the history come just after it (`attach`), when the
    # window was built from the texts home showed last time.
    from legtimer.engine import State
    from legtimer.gui.controller import SessionSummary, WorkoutController
    from legtimer.gui.devices import DeviceHub
    from legtimer.gui.devicesview import DevicesView
    from legtimer.gui.editor import TemplateEditor, Units
    from legtimer.gui.fileops import FileActions
    from legtimer.gui.history import HistoryView
    from legtimer.gui.runner import SessionRunner
    from legtimer.gui.settings import SettingsDialog
    from legtimer.gui.sound import SoundCues
    from legtimer.gui.summary import SummaryView
    from legtimer.gui.templates import TemplatesView
    from legtimer.gui.workout import WorkoutView
    from legtimer.plans import Template


log = logging.getLogger(__name__)


@contextmanager
def _quiet(widget: QAbstractButton) -> Iterator[QAbstractButton]:
    """Change a button's state without its signals (showing a setting, not making one)."""
    was = widget.blockSignals(True)
    try:
        yield widget
    finally:
        widget.blockSignals(was)


#: What the desktop says of its colours, as remembered in the settings: whether it is dark.
_DESKTOP_DARK: dict[str, bool | None] = {"dark": True, "light": False, "unknown": None}


#: How long the "press S again to stop" question stays up.
STOP_CONFIRM_MS = 5000


class MainWindow(QMainWindow):
    def __init__(
        self,
        controller: WorkoutController | None = None,
        parent: QWidget | None = None,
        *,
        data_dir: Path | None = None,
        settings: SettingsStore | None = None,
        home_texts: HomeTexts | None = None,
    ) -> None:
        """Without `controller`, the window makes one of its own (no sound, no history), or,
        given `home_texts` (what home said last time, from `settings`), shows those and waits
        for `attach`: the first paint then needs neither the templates nor the history."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("LegTimer")
        self.setMinimumSize(640, 400)
        self.resize(1280, 800)
        if controller is None and home_texts is None:
            from legtimer.engine import SystemClock
            from legtimer.gui.controller import WorkoutController
            from legtimer.gui.sound import SoundCues

            controller = WorkoutController(SystemClock(), SoundCues("off"))
        #: Set by `attach` (in __init__ unless the window starts from `home_texts`).
        self.controller: WorkoutController
        #: The folder holding the history (None when the window runs without one, in tests).
        self.data_dir = data_dir
        self.settings_store = settings
        # Without a store (a run without history, tests), the sound back end the controller
        # was given stands.
        self.settings = (
            settings.load()
            if settings is not None
            else Settings(backend=controller.sound.preference if controller else "auto")
        )
        self.settings_dialog: SettingsDialog | None = None
        self._test_cues: SoundCues | None = None
        # The desktop's colours as last seen (asking is costly: see legtimer.gui.qtnames); the
        # first paint uses them and check_desktop_colours() asks once the window is up.
        self._seen_desktop = self._remembered_desktop_colours()
        # Theme and text size before any view is built, so each is styled once, not twice.
        self._apply_appearance()

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("viewStack")
        # Only the home view is built before the first paint; the others on first use.
        self.home = HomeView(self.stack)
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)
        # Enter starts a session from the first moment, as on coming back home (the keys:
        # keyPressEvent); otherwise the view's scroll area would take the focus.
        self.home.start_button.setFocus()
        self._workout: WorkoutView | None = None
        self._summary: SummaryView | None = None
        self._devices_view: DevicesView | None = None
        self._history_view: HistoryView | None = None
        self._files: FileActions | None = None
        self._templates_view: TemplatesView | None = None
        self._editor: TemplateEditor | None = None
        self.setAcceptDrops(True)
        self._confirm_timer = QTimer(self)
        self._confirm_timer.setSingleShot(True)
        self.home.voice_button.hide()
        # The menu bar and its File menu take their place now (no jump once the window is up);
        # the menu's entries and the keys come with finish_start().
        self._file_menu = self.menuBar().addMenu("&File")
        self._desktop_watch: QMetaObject.Connection | None = None
        self._finished = False
        self._show_settings(self.settings)
        if settings is not None:
            for problem in settings.problems:
                self.show_notice(problem)
        self._home_said = home_texts
        if controller is None:
            assert home_texts is not None
            self.home.show_texts(home_texts)
        else:
            self.attach(controller)

    @property
    def attached(self) -> bool:
        """Whether the session controller (and with it the templates and the history) is
        there: from __init__ on, or once `attach` ran for a window built from home's texts."""
        return hasattr(self, "controller")

    def attach(self, controller: WorkoutController) -> None:
        """Give the window its session controller: the home view's buttons, the settings that
        reach the sound and the voice, and home's texts from the templates and the history."""
        if self.attached:
            raise RuntimeError("the window already has its session controller")
        self.controller = controller
        controller.setParent(self)
        self.home.start_requested.connect(self.start_session)
        self.home.history_requested.connect(self.show_history)
        self.home.templates_requested.connect(self.show_templates)
        self.home.settings_requested.connect(self.show_settings)
        self.home.devices_requested.connect(self.show_devices)
        self.home.sound_button.toggled.connect(self.set_sound_on)
        self.home.voice_button.toggled.connect(self._on_home_voice_toggled)
        self.controller.voice.availability_changed.connect(self.refresh_voice)
        if self.controller.voice.engines_known:
            self.refresh_voice()
        self.home.flash_button.toggled.connect(self._on_home_flash_toggled)
        self.controller.session_ended.connect(self._on_controller_session_ended)
        self.controller.notice.connect(self.show_notice)
        self._settings_to_controller(self.settings)
        self.refresh_home()

    def finish_start(self) -> None:
        """What the window needs at once after its first paint, not for it: the File menu's
        entries, the keys, the watch on the desktop's colours. These touch Qt classes (actions,
        key sequences, shortcuts, style hints) whose Python types and enums PySide builds on
        first use, some milliseconds the first paint no longer waits for. Called once the
        window is up (`legtimer.app.start_services`); a second call does nothing."""
        if self._finished:
            return
        self._finished = True
        self._install_keys()
        self._install_menu()
        # Until the window closes (the desktop outlives it; the history may not).
        hints = QGuiApplication.styleHints()
        self._desktop_watch = hints.colorSchemeChanged.connect(self.check_desktop_colours)

    # -- views, built on first use -------------------------------------------------------------

    @property
    def workout(self) -> WorkoutView:
        if self._workout is None:
            from legtimer.gui.workout import WorkoutView

            view = self._workout = WorkoutView(self.stack)
            self.stack.addWidget(view)
            view.flash_enabled = self.settings.flash
            view.units = self.settings.units
            view.pause_clicked.connect(self._toggle_pause)
            view.skip_clicked.connect(self._skip)
            view.back_clicked.connect(self._back)
            view.stop_clicked.connect(self._request_stop)
            sound = self.controller.sound
            sound.audibility_changed.connect(lambda: view.set_sound_off(sound.off_reason()))
            view.set_sound_off(sound.off_reason())
            if self.controller.devices is not None:
                self._wire_devices(self.controller.devices)
            self.confirm = view.confirm
            self._confirm_timer.timeout.connect(self.confirm.hide)
            self._install_session_keys(view)
        return self._workout

    # -- devices ---------------------------------------------------------------------------------

    def device_hub(self) -> DeviceHub:
        """The Bluetooth devices' hub, made on first need (a run that never uses Bluetooth
        starts no thread for it)."""
        hub = self.controller.devices
        if hub is None:
            from legtimer.devices.driver import RampMeter
            from legtimer.gui.devices import DeviceHub

            hub = DeviceHub(self.controller.clock.monotonic)
            hub.drive = self.settings.drive_belt
            s = self.settings
            if s.treadmill:
                hub.choose("treadmill", s.treadmill, s.treadmill_name)
                if s.treadmill_ramp:
                    hub.ramp = RampMeter([s.treadmill_ramp])  # measured in earlier sessions
            if s.strap:
                hub.choose("strap", s.strap, s.strap_name)
            self.controller.devices = hub
            if self._workout is not None:
                self._wire_devices(hub)
        return hub

    def _wire_devices(self, hub: DeviceHub) -> None:
        view = self.workout
        hub.live.connect(view.show_live)
        hub.said.connect(view.say_devices)

    def connect_devices(self) -> None:
        """At start-up: reach the devices chosen last time, in the background."""
        if self.controller.devices is not None:
            self.controller.devices.connect_all()
        elif self.settings.treadmill or self.settings.strap:
            self.device_hub()  # choosing them connects them

    @property
    def devices_view(self) -> DevicesView:
        if self._devices_view is None:
            from legtimer.gui.devicesview import DevicesView

            view = self._devices_view = DevicesView(
                self.device_hub,
                lambda: self.settings,
                self.apply_settings,
                lambda: self.controller.training.templates(),
                self.stack,
            )
            self.stack.addWidget(view)
            view.back_requested.connect(self.show_home)
        return self._devices_view

    def show_devices(self) -> None:
        if self.controller.active:
            return  # not in the middle of a session
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        view = self.devices_view
        view.refresh()
        self.stack.setCurrentWidget(view)
        view.scan_button.setFocus()

    @property
    def summary(self) -> SummaryView:
        if self._summary is None:
            from legtimer.gui.summary import SummaryView

            view = self._summary = SummaryView(self.stack)
            view.units = self.settings.units
            self.stack.addWidget(view)
            view.saved.connect(self._on_summary_saved)
            view.done.connect(self.show_home)
        return self._summary

    @property
    def history_view(self) -> HistoryView:
        if self._history_view is None:
            from legtimer.gui.history import HistoryView

            view = self._history_view = HistoryView(
                self.controller.training, self._programs, self.stack
            )
            view.log.detail.units = self.settings.units
            self.stack.addWidget(view)
            view.back_requested.connect(self.show_home)
            view.history_changed.connect(self.refresh_home)
        return self._history_view

    @property
    def files(self) -> FileActions:
        if self._files is None:
            from legtimer.gui.fileops import FileActions

            self._files = FileActions(self.controller.training, self)
            self._files.restored.connect(self._on_history_restored)
        return self._files

    def _on_history_restored(self) -> None:
        # A backup carries the settings: what it brought back takes effect now.
        if self.settings_store is not None:
            self.apply_settings(self.settings_store.load(), save=False)
        if self._history_view is not None:
            self._history_view.refresh()
        self.refresh_home()

    def _install_menu(self) -> None:
        from PySide6.QtGui import QKeySequence

        # setShortcuts, not setShortcut: the latter's overloads take Qt.Key, and resolving them
        # builds the Qt namespace's enums (see legtimer.gui.qtnames).
        menu = self._file_menu
        for key, label in (
            ("csv", "Export &CSV..."),
            ("json", "Export &JSON..."),
            ("tcx", "Export &TCX..."),
            ("ics", "Export i&Calendar..."),
        ):
            action = menu.addAction(label)
            action.setObjectName(f"export_{key}")
            action.triggered.connect(lambda _=False, k=key: self.files.export(k))
        menu.addSeparator()
        backup = menu.addAction("&Back up...")
        backup.setObjectName("backupAction")
        backup.triggered.connect(lambda: self.files.backup())
        restore = menu.addAction("&Restore from backup...")
        restore.setObjectName("restoreAction")
        restore.triggered.connect(lambda: self.files.restore())
        menu.addSeparator()
        settings = menu.addAction("&Settings...")
        settings.setObjectName("settingsAction")
        settings.setShortcuts([QKeySequence("Ctrl+,")])
        settings.triggered.connect(self.show_settings)
        history = menu.addAction("&History")
        history.setShortcuts([QKeySequence("Ctrl+H")])
        history.triggered.connect(self.show_history)
        devices = menu.addAction("&Devices...")
        devices.setObjectName("devicesAction")
        devices.triggered.connect(self.show_devices)
        templates = menu.addAction("&Templates")
        templates.setObjectName("templatesAction")
        templates.setShortcuts([QKeySequence("Ctrl+T")])
        templates.triggered.connect(self.show_templates)
        quit_ = menu.addAction("&Quit")
        quit_.setShortcuts(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)

    @property
    def templates_view(self) -> TemplatesView:
        if self._templates_view is None:
            from legtimer.gui.templates import TemplatesView
            from legtimer.plans import builtins

            view = self._templates_view = TemplatesView(
                self.controller.training, builtins, self.stack
            )
            self.stack.addWidget(view)
            view.back_requested.connect(self.show_home)
            view.start_requested.connect(self.start_session)
            view.edit_requested.connect(self.edit_template)
            view.changed.connect(self.refresh_home)
        return self._templates_view

    @property
    def editor(self) -> TemplateEditor:
        if self._editor is None:
            from legtimer.gui.editor import TemplateEditor

            view = self._editor = TemplateEditor(
                self.stack, taken=self.templates_view.taken, units=self._editor_units()
            )
            view.default_per_week = self.settings.sessions_per_week
            self.stack.addWidget(view)
            view.saved.connect(self._on_editor_saved)
            view.closed.connect(self.show_templates)
        return self._editor

    def _editor_units(self) -> Units:
        # Imported here: the editor's module loads with the editor, not at start-up.
        from legtimer.gui.editor import Units

        return Units(self.settings.units == "mph")

    def edit_template(self, template: Template | None, stored_name: str | None = None) -> None:
        self.editor.load(template, original_name=stored_name)
        self.stack.setCurrentWidget(self.editor)

    def _on_editor_saved(self, template: Template, original: str | None) -> None:
        from legtimer.services import TemplateExists

        training = self.controller.training
        editor = self.editor
        if not training.has_history:
            editor.template_problem.setText("Not saved: templates cannot be stored in this run.")
            return
        try:
            if original is None:
                training.save_template(template)
            else:
                training.update_template(template, original)  # rename and content at once
        except (TemplateExists, ValueError, StoreError) as exc:
            editor.template_problem.setText(f"Not saved: {exc}.")
            return
        editor.mark_saved(template)
        self.templates_view.refresh(template.name)
        self.templates_view.say(f"Saved {template.name}.")
        self.refresh_home()

    # -- dropping a template file on the window --------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() and u.toLocalFile().endswith(".json") for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths or not self.attached or self.controller.active:
            return
        event.acceptProposedAction()
        self.show_templates()
        for path in paths:
            self.templates_view.import_file(path)

    def refresh_voice(self) -> None:
        """Offer spoken announcements only where a speech engine works (the voice finds out
        on a thread of its own, after the first paint)."""
        self.home.voice_button.setVisible(self.controller.voice.available)

    # -- keys ----------------------------------------------------------------------------------

    def _install_keys(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        # Keys by name, not Qt.Key: no Qt namespace enums (see legtimer.gui.qtnames).
        for seq, slot in (
            ("M", self._toggle_sound),
            ("F", self.toggle_full_screen),
            ("F11", self.toggle_full_screen),
        ):
            QShortcut(QKeySequence(seq), self).activated.connect(slot)

    def _install_session_keys(self, view: QWidget) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        for name, slot in (
            ("Space", self._toggle_pause),
            ("Toggle Media Play/Pause", self._toggle_pause),
            ("Media Play", self._toggle_pause),
            ("Media Pause", self._toggle_pause),
            ("Right", self._skip),
            ("Left", self._back),
            ("S", self._request_stop),
            ("Return", self._confirm_stop),
            ("Enter", self._confirm_stop),
        ):
            shortcut = QShortcut(QKeySequence(name), view)
            set_enum_property(shortcut, "context", "WidgetWithChildrenShortcut")
            shortcut.activated.connect(slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == key_code("Esc"):
            if self._workout is not None and self.confirm.isVisible():
                self.confirm.hide()
            elif self.isFullScreen():
                self.set_full_screen(False)
            else:
                self.go_back()
            event.accept()
            return
        if key in (key_code("Return"), key_code("Enter")):
            # Enter presses the button that has the focus (Qt's buttons take only Space
            # outside dialogs): Start on home, a tile, Save...
            focused = QApplication.focusWidget()
            if isinstance(focused, QAbstractButton) and focused.isEnabled():
                focused.click()
                event.accept()
                return
        super().keyPressEvent(event)

    def go_back(self) -> None:
        """Esc: one level back. The editor closes (asking about unsaved changes) to the
        templates; history, templates and the summary go home; a session is never left this
        way (S stops it)."""
        current = self.stack.currentWidget()
        if self._editor is not None and current is self._editor:
            self._editor.request_close()
        elif current in (self._history_view, self._templates_view, self._summary):
            self.show_home()

    def set_sound_on(self, on: bool) -> None:
        self.controller.sound.set_muted(not on)
        self._show_sound_on(on)
        self.statusBar().showMessage("Sound on" if on else "Sound off (M turns it on)", 3000)
        self._remember(sound=on)

    def _show_sound_on(self, on: bool) -> None:
        with _quiet(self.home.sound_button) as b:
            b.setChecked(on)
        self.home.sound_button.setText("Sound on" if on else "Sound off")

    def _toggle_sound(self) -> None:
        self.set_sound_on(self.controller.sound.muted)

    def _on_home_voice_toggled(self, on: bool) -> None:
        self.controller.voice.enabled = on
        self._remember(voice=on)

    def _on_home_flash_toggled(self, on: bool) -> None:
        if self._workout is not None:
            self._workout.flash_enabled = on
        self._remember(flash=on)

    # -- settings ------------------------------------------------------------------------------

    def show_settings(self) -> None:
        """Open the settings dialog (window-modal; it applies and saves on Save)."""
        from legtimer.gui.settings import SettingsDialog

        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return
        dialog = self.settings_dialog = SettingsDialog(
            self.settings,
            self,
            data_dir=self.data_dir,
            voice_available=self.controller.voice.available,
            test_sound=self._test_sound,
        )
        dialog.accepted.connect(lambda: self.apply_settings(dialog.value()))
        dialog.devices_requested.connect(self.show_devices)
        dialog.finished.connect(self._on_settings_closed)
        dialog.open()

    def _on_settings_closed(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None
        self._drop_test_cues()

    def _drop_test_cues(self) -> None:
        if self._test_cues is not None:
            self._test_cues.close()
            self._test_cues.deleteLater()
            self._test_cues = None

    def _test_sound(self, backend: str, volume: float) -> str:
        """Play the work cue through `backend` at `volume`, whatever the mute, and say how."""
        if self._test_cues is not None and self._test_cues.preference != backend:
            self._drop_test_cues()
        if self._test_cues is None:
            from legtimer.gui.sound import SoundCues

            self._test_cues = SoundCues(backend, self)
        cues = self._test_cues
        cues.last_notice = None
        cues.set_volume(volume)
        cues.play("work")
        if cues.last_notice:
            return cues.last_notice
        if cues.backend_name == "off":
            return "Sound is off: cues show on screen only."
        return f"Played the work cue through {cues.backend_name}."

    def apply_settings(self, s: Settings, *, save: bool = True) -> None:
        """Make `s` take effect everywhere (and keep it, with `save`)."""
        self._settings_to_controller(s)
        self._show_settings(s)
        if save:
            self._save_settings()

    def _settings_to_controller(self, s: Settings) -> None:
        c = self.controller
        c.countdown_lead = s.countdown_lead  # from the next session on
        c.beeps = s.beeps
        c.mph = s.units == "mph"
        c.drive_templates = frozenset(s.drive_templates)
        c.sound.set_preference(s.backend)
        c.sound.set_volume(s.volume / 100)
        c.sound.set_muted(not s.sound)
        c.voice.enabled = s.voice

    def _show_settings(self, s: Settings) -> None:
        """What the views show of `s` (the controller has its part from
        `_settings_to_controller`)."""
        self.settings = s
        self._show_sound_on(s.sound)
        with _quiet(self.home.voice_button) as b:
            b.setChecked(s.voice)
        with _quiet(self.home.flash_button) as b:
            b.setChecked(s.flash)
        if self._workout is not None:
            self._workout.flash_enabled = s.flash
            self._workout.units = s.units
        if self._summary is not None:
            self._summary.units = s.units
        if self._history_view is not None:
            self._history_view.log.detail.units = s.units
        if self._editor is not None:
            self._editor.set_units(self._editor_units())
            self._editor.default_per_week = s.sessions_per_week
        self._apply_appearance()

    def _remembered_desktop_colours(self) -> str:
        store = self.settings_store
        seen = store.seen_desktop_colours() if store is not None else None
        if seen is None:  # never seen (the first start, or no history): ask now
            seen = _desktop_colours()
            self._remember_desktop_colours(seen)
        return seen

    def _remember_desktop_colours(self, seen: str) -> None:
        if self.settings_store is None:
            return
        try:
            self.settings_store.remember_desktop_colours(seen)
        except StoreError as exc:
            log.warning("desktop colours not remembered: %s", exc)

    def check_desktop_colours(self) -> None:
        """Ask the desktop whether it is dark or light, remember the answer for the next start,
        and restyle when it differs from what the window was drawn with."""
        seen = _desktop_colours()
        if seen != self._seen_desktop:
            self._seen_desktop = seen
            self._remember_desktop_colours(seen)
            self._apply_appearance()

    def _apply_appearance(self) -> None:
        s = self.settings
        desktop_dark = _DESKTOP_DARK[self._seen_desktop]
        wanted = Appearance(resolve_theme(s.theme, desktop_dark), s.font_scale)
        app = QApplication.instance()
        assert app is not None
        # The font size before any scaling, kept on the application (windows come and go).
        base = app.property("legtimerBaseFontPt")
        # Unscaled and never scaled: nothing to do, and no QFont (whose first use builds its
        # eight enums) before the first paint.
        if base is not None or s.font_scale != 1.0:
            font = QApplication.font()
            if not isinstance(base, float):
                base = font.pointSizeF()
                app.setProperty("legtimerBaseFontPt", base)
            if base > 0 and font.pointSizeF() != base * s.font_scale:
                font.setPointSizeF(base * s.font_scale)
                QApplication.setFont(font)
        apply_palette(wanted.theme)
        if wanted != appearance():
            set_appearance(wanted)
            restyle(self)

    def _remember(self, **changes: object) -> None:
        changed = self.settings.with_(**changes)
        if changed != self.settings:
            self.settings = changed
            self._save_settings()

    def _save_settings(self) -> None:
        if self.settings_store is None:
            return
        try:
            self.settings_store.save(self.settings)
        except StoreError as exc:
            self.show_notice(f"Settings not saved: {exc}")

    def toggle_full_screen(self) -> None:
        self.set_full_screen(not self.isFullScreen())

    def set_full_screen(self, on: bool) -> None:
        """Full screen shows nothing but the views: no menu bar, no status bar."""
        self.menuBar().setVisible(not on)
        self.statusBar().setVisible(not on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def changeEvent(self, event: QEvent) -> None:
        # The runner came back to the window: a cue stream asleep after a long idle wakes now,
        # so it is steady by the time they press Start. (Not before the sound is open, which
        # is after the first paint: QEvent's enum is not needed for that.)
        # Qt calls this while __init__ runs, and before a window from home's texts is attached.
        if self.attached and self.controller.sound.is_open:
            from PySide6.QtCore import QEvent

            if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
                self.controller.sound.wake()
        super().changeEvent(event)

    @property
    def runner(self) -> SessionRunner | None:
        return self.controller.runner

    def _live(self) -> SessionRunner | None:
        runner = self.controller.runner
        if runner is None or self.stack.currentWidget() is not self.workout:
            return None
        return runner if runner.session.state.is_live else None

    def _toggle_pause(self) -> None:
        if runner := self._live():
            runner.toggle_pause()

    def _skip(self) -> None:
        if runner := self._live():
            runner.skip()

    def _back(self) -> None:
        if runner := self._live():
            runner.back()

    def _request_stop(self) -> None:
        if self._live() is None:
            return
        if self.confirm.isVisible():
            self._confirm_stop()
            return
        self.workout.place_confirm()
        self.confirm.show()
        self.confirm.raise_()
        self._confirm_timer.start(STOP_CONFIRM_MS)

    def _confirm_stop(self) -> None:
        if not self.confirm.isVisible():
            return
        self.confirm.hide()
        if runner := self._live():
            runner.stop()

    # -- views ---------------------------------------------------------------------------------

    def _all_templates(self) -> list[Template]:
        try:
            return self.controller.training.templates()
        except Exception as exc:  # a damaged user template must not hide the built-ins
            self.show_notice(f"Your templates could not be read: {exc}")
        from legtimer.plans import builtins

        return builtins()

    def _program(self, templates: list[Template] | None = None) -> Template | None:
        """The program home offers: the sprint program, else the first program there is."""
        from legtimer.plans.builtin import SPRINT_PROGRAM

        templates = templates if templates is not None else self._all_templates()
        program = next((t for t in templates if t.name == SPRINT_PROGRAM), None)
        return program or next((t for t in templates if t.is_program), None)

    def _programs(self) -> list[Template]:
        """Every program there is, the one home offers first."""
        templates = self._all_templates()
        first = self._program(templates)
        rest = [t for t in templates if t.is_program and t is not first]
        return ([first] if first is not None else []) + rest

    def refresh_home(self) -> None:
        templates = self._all_templates()
        program = self._program(templates)
        if program is not None:
            self.home.set_program(program, self.controller.program_status(program))
        picks = [t for t in templates if t is not program][:6]
        weeks = {}
        for t in picks:
            status = self.controller.program_status(t) if t.is_program else None
            if status is not None:
                weeks[t.name] = status.week
        self.home.set_picks(picks, weeks)
        self._remember_home_texts()

    def _remember_home_texts(self) -> None:
        """Keep what home says now (when it changed) for the next start's first paint."""
        said = self.home.texts()
        if said == self._home_said or self.settings_store is None:
            return
        self._home_said = said
        try:
            self.settings_store.remember_home_texts(said.to_json())
        except StoreError as exc:
            log.warning("home's texts not kept: %s", exc)

    def show_home(self) -> None:
        self.refresh_home()
        self.stack.setCurrentWidget(self.home)
        self.home.start_button.setFocus()
        self.controller.sound.wake()

    def start_session(self, template: Template, week: int | None = None) -> SessionRunner:
        runner = self.controller.start(template, week)
        self.home.show_notice("")  # what start-up had to say is old news after a session
        self.workout.attach(runner)
        self.stack.setCurrentWidget(self.workout)
        self.workout.setFocus()
        return runner

    def _on_controller_session_ended(self, summary: SessionSummary) -> None:
        self.confirm.hide()
        hub = self.controller.devices
        if hub is not None and not hub.simulation and self.settings.treadmill and hub.ramp.samples:
            # The belt's measured speed change, kept for the next session's early commands.
            ramp = round(hub.ramp.rate, 3)
            if ramp != self.settings.treadmill_ramp:
                self.apply_settings(self.settings.with_(treadmill_ramp=ramp))
        self.summary.show_summary(summary)
        self.stack.setCurrentWidget(self.summary)
        # Enter saves; the number keys set the RPE; Tab reaches the notes.
        self.summary.save_button.setFocus()

    def _on_summary_saved(self, rpe: int | None, notes: str) -> None:
        if self.controller.save_feedback(rpe, notes):
            self.show_home()
        else:
            self.summary.status_label.setText("Could not save the notes (see the message above).")

    def show_notice(self, text: str) -> None:
        self.home.show_notice(text)
        self.statusBar().showMessage(text, 15000)

    def show_history(self) -> None:
        view = self.history_view
        view.refresh()
        self.stack.setCurrentWidget(view)
        if view.training.has_history:
            view.log.table.setFocus()

    def show_templates(self) -> None:
        if self.controller.active:
            return  # not in the middle of a session
        view = self.templates_view
        view.refresh()
        self.stack.setCurrentWidget(view)
        view.list.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._desktop_watch is not None:
            QObject.disconnect(self._desktop_watch)
            self._desktop_watch = None
        if self.attached:
            self.controller.shutdown()
        super().closeEvent(event)

    @property
    def session_state(self) -> State | None:
        return self.controller.state
