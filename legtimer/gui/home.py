"""The home view: the program's next session and one big Start, quick picks of the other
templates, and the way to the history and the templates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from legtimer.gui.theme import follow_size, scrolling, style

if TYPE_CHECKING:
    # Loaded once the window is up: the first paint shows the texts home showed last time.
    from legtimer.plans import Template
    from legtimer.plans.progression import ProgramStatus


class HomeTexts(NamedTuple):
    """What the home view says, kept at each refresh so that the next start paints it before
    the templates, the programs and the history are loaded (legtimer.app)."""

    program: str
    week: str
    advice: str
    start: str
    #: Each quick pick: the template's name, the tile's text.
    picks: tuple[tuple[str, str], ...]

    def to_json(self) -> dict[str, Any]:
        return {**self._asdict(), "picks": [list(p) for p in self.picks]}

    @classmethod
    def from_json(cls, value: Any) -> HomeTexts | None:
        """The texts kept by `to_json`; None for anything else (a newer or older version's,
        one edited by hand): the start then loads everything before its first paint."""
        if not isinstance(value, dict) or set(value) != set(cls._fields):
            return None
        program, week, advice, start, picks = (value[f] for f in cls._fields)
        if not isinstance(picks, list) or len(picks) > 6:
            return None
        if not all(isinstance(p, list) and len(p) == 2 for p in picks):
            return None
        texts = [program, week, advice, start, *(t for p in picks for t in p)]
        if not all(isinstance(t, str) and len(t) <= 1000 for t in texts):
            return None
        return cls(program, week, advice, start, tuple((name, text) for name, text in picks))


def program_line(template: Template, status: ProgramStatus | None) -> str:
    """ "Sprint 15/45 - week 2 - 8 sprints - 18 min" """
    from legtimer.plans.words import length_text

    week = status.week if status else 1
    work = template.work_count(week)
    noun = _work_noun(template)
    length = length_text(template.total_seconds(week))
    return f"{template.name} - week {week} - {work} {noun} - {length}"


def _work_noun(template: Template) -> str:
    from legtimer.gui.controller import work_noun

    name = work_noun(template).lower()
    return name if name.endswith("s") else name + "s"


def week_progress_line(status: ProgramStatus | None) -> str:
    if status is None:
        return "Week 1 of the program: your first session starts it"
    if status.complete:
        return f"Program complete - all {status.weeks} weeks done"
    return (
        f"This week: {status.done_this_week} of {status.sessions_per_week} "
        f"session{'s' if status.sessions_per_week != 1 else ''} done - "
        f"week {status.week} of {status.weeks}"
    )


# A QFrame, not a QWidget with WA_StyledBackground: a frame draws its style sheet background by
# itself, and reading any Qt.* enum before the first paint makes PySide build all ~90 enums of
# the Qt namespace (about 20 ms of start-up).
class HomeView(QFrame):
    start_requested = Signal(object, object)  # Template, week (or None)
    history_requested = Signal()
    templates_requested = Signal()
    settings_requested = Signal()
    devices_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeView")
        self._program: Template | None = None
        self._status: ProgramStatus | None = None
        #: The quick picks' templates by name (none while the texts are last time's).
        self._picks: dict[str, Template] = {}
        self._pick_texts: tuple[tuple[str, str], ...] = ()

        self.heading = QLabel("Next session", self)
        self.heading.setObjectName("homeHeading")
        self.program_label = QLabel("", self)
        self.program_label.setObjectName("programLine")
        self.program_label.setWordWrap(True)
        self.week_label = QLabel("", self)
        self.week_label.setObjectName("weekLine")
        self.week_label.setWordWrap(True)
        self.advice_label = QLabel("", self)
        self.advice_label.setObjectName("adviceLine")
        self.advice_label.setWordWrap(True)
        # parent= by name: QPushButton(text, parent) is also QPushButton(icon, text), and
        # telling them apart makes PySide build QIcon's class and its enums (~3 ms) at start.
        self.start_button = QPushButton("Start", parent=self)
        self.start_button.setObjectName("startButton")
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.start_button.setMinimumHeight(70)
        self.start_button.clicked.connect(self._on_start_button_clicked)

        self.picks = QGridLayout()
        self.picks.setSpacing(10)
        picks_label = QLabel("Or another session", self)
        picks_label.setObjectName("picksHeading")

        self.history_button = QPushButton("History", parent=self)
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(self.history_requested.emit)
        self.templates_button = QPushButton("Templates", parent=self)
        self.templates_button.setObjectName("templatesButton")
        self.templates_button.clicked.connect(self.templates_requested.emit)
        self.settings_button = QPushButton("Settings", parent=self)
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.devices_button = QPushButton("Devices", parent=self)
        self.devices_button.setObjectName("devicesButton")
        self.devices_button.setAccessibleName("Devices: treadmill and heart-rate strap")
        self.devices_button.clicked.connect(self.devices_requested.emit)
        self.sound_button = self._toggle("Sound on", "soundButton", True)
        self.voice_button = self._toggle("Voice", "voiceButton", False)
        self.flash_button = self._toggle("Flash", "flashButton", False)
        nav = QHBoxLayout()
        nav.addWidget(self.history_button)
        nav.addWidget(self.templates_button)
        nav.addWidget(self.settings_button)
        nav.addWidget(self.devices_button)
        nav.addStretch(1)
        for b in (self.sound_button, self.voice_button, self.flash_button):
            nav.addWidget(b)

        self.notice_label = QLabel("", self)
        self.notice_label.setObjectName("noticeLine")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()

        layout = QVBoxLayout()
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.program_label)
        layout.addWidget(self.week_label)
        layout.addWidget(self.advice_label)
        layout.addWidget(self.start_button, 3)
        layout.addSpacing(6)
        layout.addWidget(picks_label)
        layout.addLayout(self.picks, 2)
        layout.addWidget(self.notice_label)
        layout.addLayout(nav)
        scrolling(self, layout)
        style(
            self,
            "#homeView { background: #1F2430; }"
            "#homeView QLabel { color: #E5E9F0; }"
            "#homeView QLabel#homeHeading, #homeView QLabel#picksHeading"
            " { font-size: 18px; color: #A9B1C0; }"
            "#homeView QLabel#programLine { font-size: 34px; font-weight: 700; }"
            "#homeView QLabel#weekLine { font-size: 20px; }"
            "#homeView QLabel#adviceLine { font-size: 18px; color: #FFD21F; }"
            "#homeView QLabel#noticeLine { font-size: 16px; color: #FFB4A2; }"
            "#homeView QPushButton { font-size: 20px; color: @on-neutral; background: #3A4350;"
            " border: 3px solid transparent; outline: none; border-radius: 10px;"
            " padding: 7px 13px; }"
            "#homeView QPushButton:focus { border-color: #FFD21F; }"
            "#homeView QPushButton:checked { background: #00614A; color: white; }"
            "#homeView QPushButton#startButton { font-size: 48px; font-weight: 800;"
            " background: #933A00; color: white; border-radius: 16px; }"
            "#homeView QPushButton#startButton:focus { border-color: #FFD21F; }"
            # A small window (a netbook, a tablet-sized screen on the treadmill): smaller
            # headline and Start, so nothing wraps or is squeezed.
            '#homeView[compact="true"] QLabel#programLine { font-size: 24px; }'
            '#homeView[compact="true"] QLabel#weekLine { font-size: 17px; }'
            '#homeView[compact="true"] QPushButton#startButton { font-size: 34px; }',
        )
        self.setProperty("compact", False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow_size(self)
        super().resizeEvent(event)

    def _toggle(self, text: str, name: str, checked: bool) -> QPushButton:
        b = QPushButton(text, parent=self)
        b.setObjectName(name)
        b.setCheckable(True)
        b.setChecked(checked)
        return b

    def set_program(self, template: Template, status: ProgramStatus | None) -> None:
        self._program, self._status = template, status
        advice = status.advice if status else []
        self._show_program(
            program_line(template, status),
            week_progress_line(status),
            "\n".join(advice),
            f"Start week {status.week if status else 1}",
        )

    def _show_program(self, program: str, week: str, advice: str, start: str) -> None:
        self.program_label.setText(program)
        self.week_label.setText(week)
        self.advice_label.setText(advice)
        self.advice_label.setVisible(bool(advice))
        self.start_button.setText(start)

    def set_picks(self, templates: list[Template], weeks: dict[str, int] | None = None) -> None:
        """The quick picks; a program's tile says the week it is on (`weeks`, by name)."""
        from legtimer.plans.words import length_text

        weeks = weeks or {}
        tiles = []
        for t in templates:
            week = weeks.get(t.name, 1) if t.is_program else None
            length = length_text(t.total_seconds(week))
            tiles.append((t.name, f"{t.name}\n{f'Week {week} - ' if week else ''}{length}"))
        self._picks = {t.name: t for t in templates}
        self._show_picks(tuple(tiles))

    def _show_picks(self, tiles: tuple[tuple[str, str], ...]) -> None:
        if tiles == self._pick_texts:
            return  # the same tiles: a click finds its template by name
        self._pick_texts = tiles
        while self.picks.count():
            item = self.picks.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone now, not when the event loop next deletes it
                widget.deleteLater()
        columns = 3
        for n, (name, text) in enumerate(tiles):
            b = QPushButton(text, parent=self)
            b.setObjectName(f"pick:{name}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.clicked.connect(lambda _=False, name=name: self._on_pick_clicked(name))
            self.picks.addWidget(b, n // columns, n % columns)

    def texts(self) -> HomeTexts:
        """What the view says now."""
        return HomeTexts(
            self.program_label.text(),
            self.week_label.text(),
            self.advice_label.text(),
            self.start_button.text(),
            self._pick_texts,
        )

    def show_texts(self, texts: HomeTexts) -> None:
        """Say what home said last time, before the templates and the history are loaded:
        Start and the picks do nothing until `set_program` and `set_picks` bring them."""
        self._program, self._status, self._picks = None, None, {}
        self._show_program(texts.program, texts.week, texts.advice, texts.start)
        self._show_picks(texts.picks)

    def show_notice(self, text: str) -> None:
        """Add a message for the runner (each shown once); an empty text clears them."""
        lines = self.notice_label.text().split("\n") if self.notice_label.text() else []
        if not text:
            lines = []
        elif text not in lines:
            lines = [*lines[-2:], text]
        self.notice_label.setText("\n".join(lines))
        self.notice_label.setVisible(bool(lines))

    def _on_pick_clicked(self, name: str) -> None:
        template = self._picks.get(name)
        if template is not None:
            self.start_requested.emit(template, None)

    def _on_start_button_clicked(self) -> None:
        if self._program is not None:
            self.start_requested.emit(self._program, self._status.week if self._status else 1)
