"""The main window: a stack of views (home, workout, summary, history, templates) and the keys.

Keys during a session: Space pause/resume, Right skip, Left back, S stop (press again, or
Enter, to confirm), F or F11 full screen, Esc leave full screen; media play/pause where the
keyboard has it. Buttons never take focus, so a key always reaches the session.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from legtimer.engine import State, SystemClock
from legtimer.gui.controller import SessionSummary, WorkoutController
from legtimer.gui.home import HomeView
from legtimer.gui.sound import SoundCues
from legtimer.plans import Template, builtins
from legtimer.plans.builtin import SPRINT_PROGRAM
from legtimer.store.db import StoreError
from legtimer.store.templates import TemplateStore

if TYPE_CHECKING:
    # Imported where first used: none of them is needed before the first paint.
    from legtimer.gui.editor import TemplateEditor
    from legtimer.gui.fileops import FileActions
    from legtimer.gui.history import HistoryView
    from legtimer.gui.runner import SessionRunner
    from legtimer.gui.summary import SummaryView
    from legtimer.gui.templates import TemplatesView
    from legtimer.gui.workout import WorkoutView

#: How long the "press S again to stop" question stays up.
STOP_CONFIRM_MS = 5000


class MainWindow(QMainWindow):
    def __init__(
        self,
        controller: WorkoutController | None = None,
        templates: TemplateStore | None = None,
        parent: QWidget | None = None,
        *,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("LegTimer")
        self.setMinimumSize(640, 400)
        self.resize(1280, 800)
        self.controller = controller or WorkoutController(SystemClock(), SoundCues("off"))
        self.controller.setParent(self)
        self.templates = templates
        #: The folder holding the history (None when the window runs without one, in tests).
        self.data_dir = data_dir

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("viewStack")
        # Only the home view is built before the first paint; the others on first use.
        self.home = HomeView(self.stack)
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)
        self._workout: WorkoutView | None = None
        self._summary: SummaryView | None = None
        self._history_view: HistoryView | None = None
        self._files: FileActions | None = None
        self._templates_view: TemplatesView | None = None
        self._editor: TemplateEditor | None = None
        self.setAcceptDrops(True)
        self._confirm_timer = QTimer(self)
        self._confirm_timer.setSingleShot(True)

        self.home.start_requested.connect(self.start_session)
        self.home.history_requested.connect(self.show_history)
        self.home.templates_requested.connect(self.show_templates)
        self.home.sound_button.toggled.connect(self.set_sound_on)
        self.home.voice_button.toggled.connect(self._on_home_voice_toggled)
        self.home.voice_button.hide()
        if self.controller.voice.engines_known:
            self.refresh_voice()
        self.home.flash_button.toggled.connect(self._on_home_flash_toggled)
        self.controller.session_ended.connect(self._on_controller_session_ended)
        self.controller.notice.connect(self.show_notice)
        self._install_keys()
        self._install_menu()
        self.refresh_home()

    # -- views, built on first use -------------------------------------------------------------

    @property
    def workout(self) -> WorkoutView:
        if self._workout is None:
            from legtimer.gui.workout import WorkoutView

            view = self._workout = WorkoutView(self.stack)
            self.stack.addWidget(view)
            view.flash_enabled = self.home.flash_button.isChecked()
            view.pause_clicked.connect(self._toggle_pause)
            view.skip_clicked.connect(self._skip)
            view.back_clicked.connect(self._back)
            view.stop_clicked.connect(self._request_stop)
            self.confirm = QLabel(
                "Stop the session?  Press S again (or Enter) to stop, Esc to go on", view
            )
            self.confirm.setObjectName("stopConfirm")
            self.confirm.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.confirm.setStyleSheet(
                "#stopConfirm { background: #FFD21F; color: #111; font-size: 24px;"
                " font-weight: 700; border-radius: 12px; padding: 14px; }"
            )
            self.confirm.hide()
            self._confirm_timer.timeout.connect(self.confirm.hide)
            self._install_session_keys(view)
        return self._workout

    @property
    def summary(self) -> SummaryView:
        if self._summary is None:
            from legtimer.gui.summary import SummaryView

            view = self._summary = SummaryView(self.stack)
            self.stack.addWidget(view)
            view.saved.connect(self._on_summary_saved)
            view.done.connect(self.show_home)
        return self._summary

    @property
    def history_view(self) -> HistoryView:
        if self._history_view is None:
            from legtimer.gui.history import HistoryView

            view = self._history_view = HistoryView(self.controller.db, self._program, self.stack)
            self.stack.addWidget(view)
            view.back_requested.connect(self.show_home)
            view.history_changed.connect(self.refresh_home)
        return self._history_view

    @property
    def files(self) -> FileActions:
        if self._files is None:
            from legtimer.gui.fileops import FileActions

            self._files = FileActions(self.controller.db, self)
            self._files.restored.connect(self._on_history_restored)
        return self._files

    def _on_history_restored(self) -> None:
        if self._history_view is not None:
            self._history_view.refresh()
        self.refresh_home()

    def _install_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
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
        history = menu.addAction("&History")
        history.setShortcut(QKeySequence("Ctrl+H"))
        history.triggered.connect(self.show_history)
        quit_ = menu.addAction("&Quit")
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)

    @property
    def templates_view(self) -> TemplatesView:
        if self._templates_view is None:
            from legtimer.gui.templates import TemplatesView

            view = self._templates_view = TemplatesView(self.templates, builtins, self.stack)
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

            view = self._editor = TemplateEditor(self.stack, taken=self.templates_view.taken)
            self.stack.addWidget(view)
            view.saved.connect(self._on_editor_saved)
            view.closed.connect(self.show_templates)
        return self._editor

    def edit_template(self, template: Template | None, stored_name: str | None = None) -> None:
        self.editor.load(template, original_name=stored_name)
        self.stack.setCurrentWidget(self.editor)

    def _on_editor_saved(self, template: Template, original: str | None) -> None:
        from legtimer.store.templates import TemplateExists

        store = self.templates
        editor = self.editor
        if store is None:
            editor.template_problem.setText("Not saved: templates cannot be stored in this run.")
            return
        try:
            if original is not None and original != template.name:
                store.rename(original, template.name)
            store.save(template, replace=original is not None)
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
        if not paths or self.controller.active:
            return
        event.acceptProposedAction()
        self.show_templates()
        for path in paths:
            self.templates_view.import_file(path)

    def refresh_voice(self) -> None:
        """Offer spoken announcements only when the system has a speech engine (asking Qt
        takes a while, so the app does it after the first paint)."""
        self.home.voice_button.setVisible(self.controller.voice.available)

    # -- keys ----------------------------------------------------------------------------------

    def _install_keys(self) -> None:
        for seq, slot in (
            (Qt.Key.Key_M, self._toggle_sound),
            (Qt.Key.Key_F, self.toggle_full_screen),
            (Qt.Key.Key_F11, self.toggle_full_screen),
        ):
            QShortcut(QKeySequence(seq), self).activated.connect(slot)

    def _install_session_keys(self, view: QWidget) -> None:
        def key(seq: Qt.Key, slot: object) -> None:
            shortcut = QShortcut(QKeySequence(seq), view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        key(Qt.Key.Key_Space, self._toggle_pause)
        key(Qt.Key.Key_MediaTogglePlayPause, self._toggle_pause)
        key(Qt.Key.Key_MediaPlay, self._toggle_pause)
        key(Qt.Key.Key_MediaPause, self._toggle_pause)
        key(Qt.Key.Key_Right, self._skip)
        key(Qt.Key.Key_Left, self._back)
        key(Qt.Key.Key_S, self._request_stop)
        key(Qt.Key.Key_Return, self._confirm_stop)
        key(Qt.Key.Key_Enter, self._confirm_stop)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self._workout is not None and self.confirm.isVisible():
                self.confirm.hide()
            elif self.isFullScreen():
                self.showNormal()
            event.accept()
            return
        super().keyPressEvent(event)

    def set_sound_on(self, on: bool) -> None:
        self.controller.sound.set_muted(not on)
        self.home.sound_button.setChecked(on)
        self.home.sound_button.setText("Sound on" if on else "Sound off")
        self.statusBar().showMessage("Sound on" if on else "Sound off (M turns it on)", 3000)

    def _toggle_sound(self) -> None:
        self.set_sound_on(self.controller.sound.muted)

    def _on_home_voice_toggled(self, on: bool) -> None:
        self.controller.voice.enabled = on

    def _on_home_flash_toggled(self, on: bool) -> None:
        if self._workout is not None:
            self._workout.flash_enabled = on

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

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
        width = min(self.workout.width() - 40, 900)
        self.confirm.setGeometry(
            (self.workout.width() - width) // 2, self.workout.height() // 3, width, 80
        )
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
        if self.templates is not None:
            try:
                return self.templates.all()
            except Exception as exc:  # a damaged user template must not hide the built-ins
                self.show_notice(f"Your templates could not be read: {exc}")
        return builtins()

    def _program(self, templates: list[Template] | None = None) -> Template | None:
        """The program home offers: the sprint program, else the first program there is."""
        templates = templates if templates is not None else self._all_templates()
        program = next((t for t in templates if t.name == SPRINT_PROGRAM), None)
        return program or next((t for t in templates if t.is_program), None)

    def refresh_home(self) -> None:
        templates = self._all_templates()
        program = self._program(templates)
        if program is not None:
            self.home.set_program(program, self.controller.program_status(program))
        self.home.set_picks([t for t in templates if t is not program][:6])

    def show_home(self) -> None:
        self.refresh_home()
        self.stack.setCurrentWidget(self.home)
        self.home.start_button.setFocus()

    def start_session(self, template: Template, week: int | None = None) -> SessionRunner:
        runner = self.controller.start(template, week)
        self.workout.attach(runner)
        self.stack.setCurrentWidget(self.workout)
        self.workout.setFocus()
        return runner

    def _on_controller_session_ended(self, summary: SessionSummary) -> None:
        self.confirm.hide()
        self.summary.show_summary(summary)
        self.stack.setCurrentWidget(self.summary)

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
        if view.queries is not None:
            view.log.table.setFocus()

    def show_templates(self) -> None:
        view = self.templates_view
        view.refresh()
        self.stack.setCurrentWidget(view)
        view.list.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.shutdown()
        super().closeEvent(event)

    @property
    def session_state(self) -> State | None:
        return self.controller.state
