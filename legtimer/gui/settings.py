"""The settings dialog: units, cues, sound, look, program default, and where the data lives.

It edits a copy: nothing changes until Save, and Cancel (or Esc) leaves everything as it was.
The test-sound button plays through the back end chosen in the dialog, at its volume.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from legtimer.gui.theme import style
from legtimer.services import FONT_SCALES, SESSIONS_PER_WEEK, Settings

BACKEND_NAMES = {
    "auto": "Automatic",
    "stream": "Scheduled stream (PortAudio)",
    "qt": "Qt Multimedia",
    "simpleaudio": "simpleaudio",
    "off": "Off (cues on screen only)",
}
THEME_NAMES = {"system": "Follow the system", "dark": "Dark", "light": "Light"}
UNIT_NAMES = {"kmh": "km/h", "mph": "mph"}

STYLE = """
#settingsDialog { background: #1F2430; }
#settingsDialog QLabel, #settingsDialog QCheckBox { color: #E5E9F0; font-size: 16px; }
#settingsDialog #settingsHeading { font-size: 24px; font-weight: 700; }
#settingsDialog #testResult, #settingsDialog #dataFolder { color: #A9B1C0; font-size: 14px; }
#settingsDialog QComboBox, #settingsDialog QSpinBox { font-size: 16px; padding: 3px; }
#settingsDialog QPushButton { font-size: 16px; color: @on-neutral; background: #3A4350;
    border: 3px solid transparent; outline: none; border-radius: 8px; padding: 4px 11px; }
#settingsDialog QPushButton:focus { border-color: #FFD21F; }
#settingsDialog QPushButton#saveSettings { background: #00614A; color: white; font-weight: 700; }
"""


def open_folder(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class SettingsDialog(QDialog):
    #: The runner asked for the Devices page (the dialog closes without saving).
    devices_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        data_dir: Path | None = None,
        voice_available: bool = False,
        test_sound: Callable[[str, float], str] | None = None,
        open_folder: Callable[[Path], bool] = open_folder,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("LegTimer settings")
        self.setModal(True)
        style(self, STYLE)
        self.data_dir = data_dir
        #: Plays a test cue through (back end, volume 0-1) and says what happened.
        self.test_sound = test_sound
        self.open_folder = open_folder

        heading = QLabel("Settings", self)
        heading.setObjectName("settingsHeading")

        self.units = self._combo("units", UNIT_NAMES)
        self.beeps = QCheckBox("Countdown beeps before each change", self)
        self.beeps.setObjectName("beeps")
        self.lead = QComboBox(self)
        self.lead.setObjectName("countdownLead")
        self.lead.setAccessibleName("Countdown length")
        for seconds in (3, 5):
            self.lead.addItem(f"last {seconds} s", seconds)
        self.beeps.toggled.connect(self.lead.setEnabled)
        beeps_row = QHBoxLayout()
        beeps_row.addWidget(self.beeps)
        beeps_row.addWidget(self.lead)
        beeps_row.addStretch(1)

        self.voice = QCheckBox("Spoken announcements (Sprint 3 of 8, Rest 45 seconds...)", self)
        self.voice.setObjectName("voice")
        self.voice.setVisible(voice_available)

        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setObjectName("volume")
        self.volume.setAccessibleName("Volume")
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(5)
        self.volume.setPageStep(10)
        self.volume_label = QLabel(self)
        self.volume_label.setMinimumWidth(50)
        self.volume.valueChanged.connect(lambda v: self.volume_label.setText(f"{v} %"))
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_label)

        self.backend = self._combo("backend", BACKEND_NAMES)
        self.backend.setAccessibleName("Sound output")
        self.test_button = QPushButton("Test sound", self)
        self.test_button.setObjectName("testSound")
        self.test_button.clicked.connect(self._on_test_clicked)
        self.test_result = QLabel("", self)
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.test_result.hide()
        backend_row = QHBoxLayout()
        backend_row.addWidget(self.backend, 1)
        backend_row.addWidget(self.test_button)

        self.flash = QCheckBox("Flash the screen at each change", self)
        self.flash.setObjectName("flash")
        self.theme = self._combo("theme", THEME_NAMES)
        self.font_scale = QComboBox(self)
        self.font_scale.setObjectName("fontScale")
        for scale in FONT_SCALES:
            self.font_scale.addItem(f"{round(scale * 100)} %", scale)
        self.per_week = QSpinBox(self)
        self.per_week.setObjectName("sessionsPerWeek")
        self.per_week.setAccessibleName("Sessions per week")
        self.per_week.setRange(SESSIONS_PER_WEEK.start, SESSIONS_PER_WEEK.stop - 1)
        self.per_week.setSuffix(" per week")

        self.folder_label = QLabel(str(data_dir) if data_dir else "(no data folder in this run)")
        self.folder_label.setObjectName("dataFolder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("Open folder", self)
        self.open_button.setObjectName("openDataFolder")
        self.open_button.setEnabled(data_dir is not None)
        self.open_button.clicked.connect(self._on_open_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_button)

        form = QFormLayout()
        form.setVerticalSpacing(6)
        form.addRow("Speeds in", self.units)
        form.addRow("Countdown", beeps_row)
        form.addRow("", self.voice)
        form.addRow("Volume", volume_row)
        form.addRow("Sound output", backend_row)
        form.addRow("", self.test_result)
        form.addRow("Flash", self.flash)
        form.addRow("Theme", self.theme)
        form.addRow("Text size", self.font_scale)
        form.addRow("New programs", self.per_week)
        form.addRow("Data folder", folder_row)
        self.devices_button = QPushButton("Treadmill and heart-rate strap...", self)
        self.devices_button.setObjectName("openDevices")
        self.devices_button.clicked.connect(self.devices_requested.emit)
        form.addRow("Devices", self.devices_button)

        buttons = QDialogButtonBox(self)
        self.defaults_button = buttons.addButton(
            "Restore defaults", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.defaults_button.setObjectName("restoreDefaults")
        self.defaults_button.clicked.connect(lambda: self.show_settings(Settings()))
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveSettings")
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self._base = settings
        self.show_settings(settings)

    def _combo(self, name: str, choices: dict[str, str]) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName(name)
        for key, text in choices.items():
            box.addItem(text, key)
        return box

    @staticmethod
    def _select(box: QComboBox, value: object) -> None:
        box.setCurrentIndex(max(0, box.findData(value)))

    def show_settings(self, s: Settings) -> None:
        self._select(self.units, s.units)
        self.beeps.setChecked(s.beeps)
        self.lead.setEnabled(s.beeps)
        self._select(self.lead, s.countdown_lead)
        self.voice.setChecked(s.voice)
        self.volume.setValue(s.volume)
        self.volume_label.setText(f"{s.volume} %")
        self._select(self.backend, s.backend)
        self.flash.setChecked(s.flash)
        self._select(self.theme, s.theme)
        self._select(self.font_scale, s.font_scale)
        self.per_week.setValue(s.sessions_per_week)

    def value(self) -> Settings:
        """The settings as shown (the ones the dialog does not show kept from the original)."""
        return self._base.with_(
            units=self.units.currentData(),
            beeps=self.beeps.isChecked(),
            countdown_lead=self.lead.currentData(),
            voice=self.voice.isChecked(),
            volume=self.volume.value(),
            backend=self.backend.currentData(),
            flash=self.flash.isChecked(),
            theme=self.theme.currentData(),
            font_scale=self.font_scale.currentData(),
            sessions_per_week=self.per_week.value(),
        )

    def _on_test_clicked(self) -> None:
        if self.test_sound is None:
            self.test_result.setText("No sound in this run.")
            self.test_result.show()
            return
        self.test_result.setText(
            self.test_sound(self.backend.currentData(), self.volume.value() / 100)
        )
        self.test_result.show()

    def _on_open_clicked(self) -> None:
        if self.data_dir is not None and not self.open_folder(self.data_dir):
            self.folder_label.setText(
                f"{self.data_dir}\nNo file manager opened it: copy the path above."
            )
