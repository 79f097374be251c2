"""The Devices page: find a Bluetooth treadmill and heart-rate strap, choose them, and say
whether LegTimer may set the belt's speed and incline.

Reached from home and from Settings. Without Bluetooth (no extra installed, no service, no
adapter, switched off) it says which, in one sentence, and everything else works as before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from legtimer.devices.scan import STRAP, TREADMILL, Found
from legtimer.gui.devices import DeviceHub
from legtimer.gui.theme import scrolling, style
from legtimer.plans import Template
from legtimer.services import Settings

STYLE = """
#devicesView { background: #1F2430; }
#devicesView QLabel { color: #E5E9F0; font-size: 16px; }
#devicesView #devicesHeading { font-size: 26px; font-weight: 700; }
#devicesView #devicesMessage { color: #FFB000; font-weight: 700; }
#devicesView QCheckBox { color: #E5E9F0; font-size: 16px; spacing: 10px; }
#devicesView QCheckBox::indicator { width: 20px; height: 20px; border: 2px solid #E5E9F0;
    border-radius: 4px; background: #2B3240; }
#devicesView QCheckBox::indicator:checked { background: #FFD21F; border-color: #FFD21F; }
#devicesView QCheckBox:focus { color: #FFD21F; }
#devicesView QListWidget { font-size: 18px; background: #2B3240; color: @on-neutral; }
#devicesView QListWidget::item { padding: 6px; }
#devicesView QListWidget::item:selected { background: #005A8C; }
#devicesView QPushButton { font-size: 16px; color: @on-neutral; background: #3A4350;
    border: 3px solid transparent; outline: none; border-radius: 8px; padding: 5px 11px; }
#devicesView QPushButton:focus { border-color: #FFD21F; }
#devicesView QPushButton:disabled { color: #7A8290; }
"""

#: Said before the belt is driven for the first time.
DRIVE_WARNING = (
    "LegTimer will set your treadmill's speed and incline at every interval, a few seconds "
    'early so the belt is at speed on the "go".\n\n'
    "Keep the safety key clipped on. Your treadmill's own buttons always win: press them and "
    "LegTimer leaves the belt alone until the next interval. At the end, or when you stop, "
    "LegTimer slows the belt to the cool-down speed; it never stops the belt for you.\n\n"
    "Let LegTimer drive the belt?"
)

KIND_WORDS = {TREADMILL: "Treadmill", STRAP: "Heart-rate strap"}


class DevicesView(QWidget):
    back_requested = Signal()

    def __init__(
        self,
        hub: Callable[[], DeviceHub],
        settings: Callable[[], Settings],
        apply: Callable[[Settings], None],
        templates: Callable[[], list[Template]] = list,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("devicesView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._hub = hub
        self._settings = settings
        self._apply = apply
        self._templates = templates
        heading = QLabel("Devices", self)
        heading.setObjectName("devicesHeading")
        self.message = QLabel("", self)
        self.message.setObjectName("devicesMessage")
        self.message.setWordWrap(True)
        self.chosen = QLabel("", self)
        self.chosen.setObjectName("devicesChosen")
        self.chosen.setWordWrap(True)
        self.forget_treadmill = QPushButton("Forget the treadmill", self)
        self.forget_treadmill.setObjectName("forgetTreadmill")
        self.forget_treadmill.clicked.connect(lambda: self.forget(TREADMILL))
        self.forget_strap = QPushButton("Forget the strap", self)
        self.forget_strap.setObjectName("forgetStrap")
        self.forget_strap.clicked.connect(lambda: self.forget(STRAP))
        self.drive = QCheckBox("Let LegTimer set the belt's speed and incline", self)
        self.drive.setObjectName("driveBelt")
        self.drive.toggled.connect(self._on_drive_toggled)
        #: The templates whose sessions may drive the belt: each one ticked by the runner.
        self.drive_in_label = QLabel("Drive the belt in these sessions:", self)
        self.drive_in = QListWidget(self)
        self.drive_in.setObjectName("driveTemplates")
        self.drive_in.setAccessibleName("Sessions that drive the belt")
        self.drive_in.setMaximumHeight(150)
        self.drive_in.itemChanged.connect(self._on_drive_in_changed)
        self.scan_button = QPushButton("Look for devices", self)
        self.scan_button.setObjectName("scanButton")
        self.scan_button.clicked.connect(self.scan)
        self.found = QListWidget(self)
        self.found.setObjectName("foundDevices")
        self.found.setAccessibleName("Devices found")
        self.found.itemActivated.connect(self._on_found_activated)
        self.use_button = QPushButton("Use this one", self)
        self.use_button.setObjectName("useDevice")
        self.use_button.clicked.connect(self._use_selected)
        self.back_button = QPushButton("Back", self)
        self.back_button.setObjectName("devicesBack")
        self.back_button.clicked.connect(self.back_requested.emit)

        forget = QHBoxLayout()
        forget.addWidget(self.forget_treadmill)
        forget.addWidget(self.forget_strap)
        forget.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.scan_button)
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout()
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.chosen)
        layout.addLayout(forget)
        layout.addWidget(self.drive)
        layout.addWidget(self.drive_in_label)
        layout.addWidget(self.drive_in)
        layout.addWidget(self.message)
        layout.addWidget(self.found, 1)
        layout.addLayout(buttons)
        scrolling(self, layout)
        style(self, STYLE)
        self._connected_hub: DeviceHub | None = None

    # -- what is chosen --------------------------------------------------------------------

    def refresh(self) -> None:
        hub = self._hub()
        if hub is not self._connected_hub:
            hub.scanned.connect(self._on_scanned)
            hub.states_changed.connect(self.refresh)
            self._connected_hub = hub
        s = self._settings()
        states = hub.states()
        lines = []
        for kind, name, address in (
            (TREADMILL, s.treadmill_name, s.treadmill),
            (STRAP, s.strap_name, s.strap),
        ):
            device = hub.treadmill if kind == TREADMILL else hub.strap
            battery = getattr(device, "battery", None)
            power = f" - battery {battery} %" if battery is not None else ""
            if hub.simulation and device is not None:
                lines.append(f"{KIND_WORDS[kind]}: {device.name} (simulated){power}")
            elif address:
                state = states.get(kind, "not connected")
                lines.append(f"{KIND_WORDS[kind]}: {name or address} - {state}{power}")
            else:
                lines.append(f"{KIND_WORDS[kind]}: none chosen")
        self.chosen.setText("\n".join(lines))
        self.forget_treadmill.setEnabled(bool(s.treadmill))
        self.forget_strap.setEnabled(bool(s.strap))
        self.drive.blockSignals(True)
        self.drive.setChecked(s.drive_belt or hub.simulation)
        self.drive.setEnabled(not hub.simulation)
        self.drive.blockSignals(False)
        self._show_drive_in(s, hub.simulation)
        self.use_button.setEnabled(self.found.currentItem() is not None)

    def _show_drive_in(self, s: Settings, simulation: bool) -> None:
        on = s.drive_belt and not simulation
        self.drive_in_label.setVisible(on)
        self.drive_in.setVisible(on)
        if not on:
            return
        self.drive_in.blockSignals(True)
        self.drive_in.clear()
        chosen = set(s.drive_templates)
        for t in self._templates():
            if not any(i.speed_kmh is not None for i in t.expand(1 if t.is_program else None)):
                continue  # nothing for the belt to do
            item = QListWidgetItem(t.name, self.drive_in)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = t.name in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.drive_in.blockSignals(False)

    def _on_drive_in_changed(self, _item: QListWidgetItem) -> None:
        ticked = tuple(
            self.drive_in.item(n).text()
            for n in range(self.drive_in.count())
            if self.drive_in.item(n).checkState() is Qt.CheckState.Checked
        )
        self._apply(self._settings().with_(drive_templates=ticked))

    def forget(self, kind: str) -> None:
        s = self._settings()
        if kind == TREADMILL:
            s = s.with_(treadmill="", treadmill_name="", treadmill_ramp=0.0)
        else:
            s = s.with_(strap="", strap_name="")
        self._apply(s)
        self._hub().choose(kind, None)
        self.refresh()

    def _on_drive_toggled(self, on: bool) -> None:
        if on:
            answer = QMessageBox.question(
                self,
                "Drive the belt",
                DRIVE_WARNING,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.drive.blockSignals(True)
                self.drive.setChecked(False)
                self.drive.blockSignals(False)
                return
        self._apply(self._settings().with_(drive_belt=on))
        self._hub().drive = on
        self.refresh()

    # -- finding ---------------------------------------------------------------------------

    def scan(self) -> None:
        self.found.clear()
        self.message.setText("Looking for treadmills and heart-rate straps (5 s)...")
        self.scan_button.setEnabled(False)
        self.refresh()
        self._hub().scan()

    def _on_scanned(self, found: object) -> None:
        self.scan_button.setEnabled(True)
        if isinstance(found, str):
            self.message.setText(found)
            return
        assert isinstance(found, list)
        if not found:
            self.message.setText(
                "Nothing found. Wake the treadmill (start its console) or wet the strap's "
                "contacts, and look again."
            )
            return
        self.message.setText(f"Found {len(found)}: choose one and press Use this one.")
        for f in found:
            item = QListWidgetItem(f"{KIND_WORDS[f.kind]}: {f.name}   {f.signal}", self.found)
            item.setData(Qt.ItemDataRole.UserRole, f)
        self.found.setCurrentRow(0)
        self.use_button.setEnabled(True)

    def _on_found_activated(self, item: QListWidgetItem) -> None:
        self.use(item.data(Qt.ItemDataRole.UserRole))

    def _use_selected(self) -> None:
        item = self.found.currentItem()
        if item is not None:
            self.use(item.data(Qt.ItemDataRole.UserRole))

    def use(self, found: Found) -> None:
        """Remember `found` as the treadmill or the strap, and connect to it."""
        s = self._settings()
        if found.kind == TREADMILL:
            s = s.with_(treadmill=found.address, treadmill_name=found.name, treadmill_ramp=0.0)
        else:
            s = s.with_(strap=found.address, strap_name=found.name)
        self._apply(s)
        self._hub().choose(found.kind, found.address, found.name)
        self.message.setText(
            f"{found.name} chosen: LegTimer connects to it now and at every start."
        )
        self.refresh()
