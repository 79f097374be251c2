"""The workout view: what the runner sees from the treadmill, 1-3 m away.

Top to bottom: the kind (word, mark and colour) with the interval's name ("Sprint 3 of 8"), the
session's time left and, whenever the cues cannot be heard, a "Sound off" mark; the template's
cue text for the interval ("Full speed"), for its first seconds; the seconds left in huge digits
(at least 40 % of the height); the treadmill targets, and what the treadmill and the heart-rate
strap report when they are connected; what comes next (dark on yellow in the last
5 s so the runner can reach the buttons in time); the whole session as a strip, one block per
interval, the part run so far bright; the controls. A paused overlay covers everything and
cannot be missed. The two clocks round the same way (`Snapshot.display_seconds_left` and
`display_remaining`), so in the last interval they show the same second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, SignalInstance
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from legtimer.engine import Event, EventKind, Interval, Snapshot, State
from legtimer.gui.qtnames import set_enum_property
from legtimer.gui.runner import SessionRunner
from legtimer.gui.theme import NEXT_EMPHASIS, PAUSED_OVERLAY, PLAIN_LABELS, style_for
from legtimer.gui.timeline import Segment, Timeline
from legtimer.gui.widgets import BigText, FitLabel, Holder, clock_text
from legtimer.plans.model import KM_PER_MILE

if TYPE_CHECKING:
    from legtimer.devices.link import Live

#: Seconds before a boundary when the next interval's targets are emphasised.
NEXT_LEAD_S = 5
#: Seconds from an interval's start during which its cue text shows.
CUE_TEXT_S = 8
#: How long a sentence about the devices stays in place of their reading.
DEVICE_NOTE_MS = 8000


def big_seconds(seconds: int) -> str:
    """The big countdown: plain seconds under a minute ("45"), m:ss above ("4:59")."""
    return str(seconds) if seconds < 60 else clock_text(seconds)


def speed_text(kmh: float, units: str = "kmh", *, exact: bool = False) -> str:
    """A speed as the runner reads it: mph to a tenth; km/h as planned ("16") or, `exact`,
    to a tenth as a machine reports it ("15.9")."""
    if units == "mph":
        return f"{kmh / KM_PER_MILE:.1f} mph"
    return f"{kmh:.1f} km/h" if exact else f"{kmh:g} km/h"


def targets_text(interval: Interval, units: str = "kmh") -> str:
    parts = []
    if interval.speed_kmh is not None:
        parts.append(speed_text(interval.speed_kmh, units))
    if interval.incline_pct is not None:
        parts.append(f"{interval.incline_pct:g} %")
    return "   ".join(parts)


def live_text(live: Live, units: str = "kmh") -> str:
    """What the treadmill and the strap say now, small under the targets."""
    parts = []
    if live.speed_kmh is not None:
        parts.append("Belt " + speed_text(live.speed_kmh, units, exact=True))
    if live.incline_pct is not None:
        parts.append(f"{live.incline_pct:g} %")
    if live.distance_m is not None:
        if units == "mph":
            parts.append(f"{live.distance_m / 1000 / KM_PER_MILE:.2f} mi")
        else:
            parts.append(f"{live.distance_m / 1000:.2f} km")
    if live.hr is not None:
        parts.append(f"♥ {live.hr}")
    return "  ·  ".join(parts)


def next_text(interval: Interval | None, units: str = "kmh") -> str:
    if interval is None:
        return "Next: finish"
    length = clock_text(interval.seconds) if interval.seconds >= 60 else f"{interval.seconds:g} s"
    pieces = [f"Next: {interval.name} {length}"]
    targets = targets_text(interval, units)
    if targets:
        pieces.append(targets.replace("   ", " - "))
    return " - ".join(pieces)


class PausedOverlay(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pausedOverlay")
        self.setStyleSheet(f"#pausedOverlay {{ background: {PAUSED_OVERLAY}; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.title = FitLabel("PAUSED", self, sample="PAUSED")
        self.title.setObjectName("pausedTitle")
        self.title.setStyleSheet("color: #FFD21F;")
        self.reason = FitLabel("", self, fill=0.85)
        self.reason.setObjectName("pausedReason")
        self.reason.setStyleSheet("color: white;")
        self.hint = FitLabel("Space to resume  -  S to stop", self, fill=0.8)
        self.hint.setObjectName("pausedHint")
        self.hint.setStyleSheet("color: #D8DEE9;")
        layout.addWidget(self.title, 5)
        layout.addWidget(self.reason, 2)
        layout.addWidget(self.hint, 2)
        self.hide()


class FlashOverlay(QFrame):
    """A brief white flash across the view at each boundary (optional), for a runner who
    has the sound off or is not looking straight at the screen. Made on the first flash
    (flashing is off by default): it is the one widget of a session that needs a Qt.* enum
    (clicks pass through it), and their first use builds all of them (legtimer.gui.qtnames)."""

    DURATION_MS = 250

    def __init__(self, parent: QWidget) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setObjectName("flashOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setStyleSheet("#flashOverlay { background: rgba(255, 255, 255, 190); }")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def flash(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self._timer.start(self.DURATION_MS)


class WorkoutView(QFrame):
    pause_clicked = Signal()
    skip_clicked = Signal()
    back_clicked = Signal()
    stop_clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, units: str = "kmh") -> None:
        super().__init__(parent)
        # A QFrame, not a plain QWidget subclass: Qt paints a frame's style sheet background
        # by itself (a QWidget subclass needs Qt.WA_StyledBackground: see qtnames).
        self.setObjectName("workoutView")
        self.units = units
        self.runner: SessionRunner | None = None
        self._sleep_message = ""

        self.kind_label = FitLabel("", self, fill=0.8)
        self.kind_label.setObjectName("kindLabel")
        self.title_label = FitLabel("", self, fill=0.85)
        self.title_label.setObjectName("titleLabel")
        self.remaining_label = FitLabel("", self, fill=0.7, weight=QFont.Weight.Normal)
        self.remaining_label.setObjectName("remainingLabel")
        self.cue_label = FitLabel("", self, fill=0.8, weight=QFont.Weight.Normal)
        self.cue_label.setObjectName("cueLabel")
        self.cue_label.hide()
        self.seconds_label = BigText(self, fill=0.98)
        self.seconds_label.setObjectName("secondsLabel")
        self.targets_label = FitLabel("", self, fill=0.9)
        self.targets_label.setObjectName("targetsLabel")
        self.next_label = FitLabel("", self, fill=0.85)
        self.next_label.setObjectName("nextLabel")
        #: What the treadmill and the heart-rate strap report, when they are connected; a
        #: sentence about them (lost, back, refused) for a few seconds when there is one.
        self.devices_label = FitLabel("", self, fill=0.8, weight=QFont.Weight.Normal)
        self.devices_label.setObjectName("devicesLabel")
        self.devices_label.hide()
        self._live_text = ""
        self._device_note = ""
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(DEVICE_NOTE_MS)
        self._note_timer.timeout.connect(self._clear_device_note)
        #: The whole session, one block per interval; the part run so far is bright.
        self.strip = Timeline(self)
        self.strip.setObjectName("sessionStrip")
        self.strip.setMinimumHeight(18)
        self.strip.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.strip.setAccessibleName("The session")
        #: Shown whenever the cues cannot be heard (muted, volume 0, no sound device).
        self.sound_off_label = QLabel("", self)
        self.sound_off_label.setObjectName("soundOffLabel")
        self.sound_off_label.hide()
        for label, what in (
            (self.kind_label, "Kind of interval"),
            (self.title_label, "Interval"),
            (self.remaining_label, "Time left in the session"),
            (self.cue_label, "Cue"),
            (self.seconds_label, "Seconds left in this interval"),
            (self.targets_label, "Treadmill targets"),
            (self.next_label, "Next interval"),
            (self.devices_label, "Treadmill and heart rate"),
        ):
            label.setAccessibleDescription(what)

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.kind_label, 3)
        top.addWidget(self.title_label, 6)
        top.addWidget(self.sound_off_label, 0)
        # The two labels that change every second keep their boxes (see Holder).
        top.addWidget(Holder(self.remaining_label, self, name="remainingBox"), 3)

        self.back_button = self._button("◀◀  Back", "backButton", self.back_clicked)
        self.pause_button = self._button("Pause", "pauseButton", self.pause_clicked)
        self.skip_button = self._button("Skip  ▶▶", "skipButton", self.skip_clicked)
        self.stop_button = self._button("Stop", "stopButton", self.stop_clicked)
        controls = QHBoxLayout()
        controls.setSpacing(10)
        for b in (self.back_button, self.pause_button, self.skip_button, self.stop_button):
            controls.addWidget(b)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(4)
        layout.addLayout(top, 12)
        layout.addWidget(self.cue_label, 7)
        layout.addWidget(Holder(self.seconds_label, self, name="secondsBox"), 48)
        layout.addWidget(self.targets_label, 14)
        layout.addWidget(self.devices_label, 5)
        layout.addWidget(self.next_label, 9)
        layout.addWidget(self.strip, 3)
        layout.addLayout(controls, 9)

        self.overlay = PausedOverlay(self)
        #: "Stop the session?" over the screen until S or Enter again, or Esc.
        self.confirm = QLabel("Stop the session?\nS again or Enter: stop  -  Esc: go on", self)
        self.confirm.setObjectName("stopConfirm")
        self.confirm.setWordWrap(True)
        set_enum_property(self.confirm, "alignment", "AlignCenter")
        self.confirm.setStyleSheet(
            "#stopConfirm { background: #FFD21F; color: #111; font-size: 24px;"
            " font-weight: 700; border-radius: 12px; padding: 14px; }"
        )
        self.confirm.hide()
        self._flash_overlay: FlashOverlay | None = None
        #: Flash the screen at every boundary (off by default).
        self.flash_enabled = False
        self._style_key: tuple[str, str, bool] | None = None
        #: What the labels that do not change every second were last set for.
        self._shown: tuple[object, ...] | None = None
        self._apply_colours(None, emphasise_next=False)

    def _button(self, text: str, name: str, signal: SignalInstance) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        set_enum_property(b, "focusPolicy", "NoFocus")  # keys go to the window, not a button
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        b.setMinimumHeight(36)
        b.clicked.connect(signal.emit)
        b.setAccessibleName(text.strip("◀▶ "))
        return b

    def show_live(self, live: Live) -> None:
        self._live_text = live_text(live, self.units)
        self._show_devices()

    def say_devices(self, message: str) -> None:
        self._device_note = message
        self._note_timer.start()
        self._show_devices()

    def _clear_device_note(self) -> None:
        self._device_note = ""
        self._show_devices()

    def _show_devices(self) -> None:
        text = self._device_note or self._live_text
        self.devices_label.setText(text)
        self.devices_label.setVisible(bool(text))

    def clear_devices(self) -> None:
        self._live_text = self._device_note = ""
        self._note_timer.stop()
        self._show_devices()

    def set_sound_off(self, reason: str | None) -> None:
        """Mark the screen while the cues cannot be heard (`reason`: "Sound off", ...)."""
        self.sound_off_label.setText(f"✕ {reason.upper()}" if reason else "")
        self.sound_off_label.setAccessibleName(reason or "")
        self.sound_off_label.setVisible(reason is not None)

    # -- wiring --------------------------------------------------------------------------------

    def attach(self, runner: SessionRunner) -> None:
        if self.runner is not None:
            self.runner.snapshot_changed.disconnect(self.show_snapshot)
            self.runner.event_occurred.disconnect(self._on_runner_event_occurred)
        self.runner = runner
        self._sleep_message = ""
        self._shown = None
        self.clear_devices()
        # The cue line takes room only in sessions that have cue text, so the digits do not
        # jump between intervals with and without one.
        self.cue_label.setVisible(any(i.cue for i in runner.session.intervals))
        self.strip.set_segments(
            [Segment(i.kind, i.title, i.seconds) for i in runner.session.intervals]
        )
        runner.snapshot_changed.connect(self.show_snapshot)
        runner.event_occurred.connect(self._on_runner_event_occurred)
        self.show_snapshot(runner.snapshot)

    @property
    def flash_overlay(self) -> FlashOverlay:
        if self._flash_overlay is None:
            self._flash_overlay = FlashOverlay(self)
        return self._flash_overlay

    def _on_runner_event_occurred(self, event: Event) -> None:
        if event.kind is EventKind.INTERVAL_STARTED and self.flash_enabled and event.index > 0:
            self.flash_overlay.flash()
        if event.kind is EventKind.SLEEP_DETECTED:
            gap = int(event.value or 0)
            self._sleep_message = (
                f"The computer slept or stalled for {clock_text(gap)}: paused where you were"
            )
        elif event.kind is EventKind.RESUMED:
            self._sleep_message = ""

    # -- drawing -------------------------------------------------------------------------------

    def show_snapshot(self, snap: Snapshot) -> None:
        interval = snap.interval
        # Every second: the digits, the time left, the strip.
        self.remaining_label.setText(f"{clock_text(snap.display_remaining)} left")
        self.seconds_label.set_sample("0:00" if interval.seconds >= 60 else "00")
        self.seconds_label.setText(big_seconds(snap.display_seconds_left))
        self.strip.set_position(snap.elapsed)
        # The rest changes with the interval, the state, the cue text's time, the last
        # seconds' emphasis or the units: set only then (a running second stays cheap).
        fresh = snap.interval_elapsed < CUE_TEXT_S and not snap.state.is_over
        emphasise = snap.state is State.RUNNING and 0 < snap.seconds_left <= NEXT_LEAD_S
        shown = (snap.index, snap.state, fresh, emphasise, self.units, self._sleep_message)
        if shown == self._shown:
            return
        self._shown = shown
        style = style_for(interval.kind)
        self.kind_label.setText(f"{style.mark} {style.word}")
        self.title_label.setText(interval.title)
        self.cue_label.setText((interval.cue or "") if fresh else "")
        targets = targets_text(interval, self.units)
        self.targets_label.setText(targets)
        self.targets_label.setVisible(bool(targets))
        self.next_label.setText(next_text(snap.next_interval, self.units))
        self._apply_colours(snap, emphasise_next=emphasise)
        paused = snap.state is State.PAUSED
        self.pause_button.setText("Resume" if paused else "Pause")
        if paused:
            self.overlay.reason.setText(self._sleep_message or "")
            self.overlay.reason.setVisible(bool(self._sleep_message))
            self.overlay.setGeometry(self.rect())
            self.overlay.show()
            self.overlay.raise_()
        else:
            self.overlay.hide()

    def _apply_colours(self, snap: Snapshot | None, *, emphasise_next: bool) -> None:
        if snap is None:
            bg, fg = "#1F2430", "#FFFFFF"
        else:
            style = style_for(snap.interval.kind)
            bg, fg = style.background, style.foreground
        key = (bg, fg, emphasise_next)
        if key == self._style_key:
            return  # restyling is the costliest part of a repaint: only when it changes
        self._style_key = key
        # The digits change every second and cover half the screen: drawn on the view's own
        # colour, opaque, so Qt need not repaint the view and the window beneath them too.
        self.seconds_label.set_colours(bg, fg)
        next_css = (
            f"color: #111; background: {NEXT_EMPHASIS}; border-radius: 10px;"
            if emphasise_next
            else f"color: {fg};"
        )
        self.setProperty("emphasisNext", emphasise_next)
        # "#workoutView QLabel#nextLabel", not "#nextLabel": the rule must be more specific
        # than the one colouring every label, or the dark text on yellow turns white.
        self.setStyleSheet(
            PLAIN_LABELS + f"#workoutView {{ background: {bg}; }}"
            f"#workoutView QLabel {{ color: {fg}; }}"
            f"#workoutView QLabel#nextLabel {{ {next_css} }}"
            "#workoutView QLabel#soundOffLabel { color: #111; background: #FFD21F;"
            " font-size: 18px; font-weight: 700; border-radius: 6px; padding: 2px 8px; }"
            f"#pausedOverlay QLabel#pausedTitle {{ color: {NEXT_EMPHASIS}; }}"
            "#workoutView QPushButton { font-size: 20px; font-weight: 600; color: white;"
            " background: rgba(0,0,0,70); border: 2px solid rgba(255,255,255,120);"
            " border-radius: 10px; padding: 4px 10px; }"
            "#workoutView QPushButton:pressed { background: rgba(0,0,0,140); }"
        )

    def place_confirm(self) -> None:
        """The stop prompt centred, as wide as fits (up to 900 px), tall enough for its text."""
        width = max(100, min(self.width() - 40, 900))
        height = max(110, self.confirm.heightForWidth(width))
        self.confirm.setGeometry(
            (self.width() - width) // 2, (self.height() - height) // 2, width, height
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.overlay.setGeometry(self.rect())
        self.place_confirm()
