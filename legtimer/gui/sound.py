"""Cue sounds: one small interface, several back ends, and a fallback that never stops a
session.

The default back end is one output stream kept open (PortAudio through `sounddevice`), fed by a
callback that writes every cue at the sample where its due time falls (`legtimer.audio`): the
session hands its cues over seconds ahead, re-plans them on pause, skip, back and stop, and the
event loop's timing no longer moves a cue. Qt Multimedia's QSoundEffect and simpleaudio (an
optional extra) play a cue when asked; silent comes last. When a back end fails (no output
device, a sound server that went away mid-session) the cues fall back to silent, the runner is
told once, and the visual cues carry on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from legtimer import assets
from legtimer.lazy import lazy_names
from legtimer.services import BACKENDS

if TYPE_CHECKING:
    from legtimer.audio import PlannedCue

# `legtimer.audio` (the mixer, wave files) is imported where a back end loads or a cue is
# planned: the first paint needs only the SoundCues object.

log = logging.getLogger(__name__)


class BackendUnavailable(RuntimeError):
    pass


class CueBackend(QObject):
    """Plays named cues. Emits `failed` (with a reason) when it can no longer play."""

    failed = Signal(str)
    name = "base"
    #: Whether cues can be handed over ahead of time (`plan`, `add`) and placed exactly.
    schedules = False

    def play(self, cue: str, volume: float) -> None:
        raise NotImplementedError

    @property
    def lead(self) -> float:
        """How long before its due time a cue must be handed over to sound on time."""
        return 0.0

    @property
    def ready(self) -> bool:
        """Whether a cue handed over now is placed on time (a stream may still be starting)."""
        return True

    def plan(self, cues: Sequence[PlannedCue]) -> None:
        """The cues to come, replacing the last plan (back ends that schedule)."""

    def add(self, cue: PlannedCue) -> None:
        """One cue at its due time, whatever later plans say (back ends that schedule)."""
        self.play(cue.sound, cue.volume)

    def warm(self, on: bool) -> None:
        """Open the output ahead of the first cue (on), or let it close (off)."""

    def wake(self) -> None:
        """The runner is at the window: a back end that sleeps when idle gets ready."""

    def close(self) -> None:
        self.warm(False)


class SilentBackend(CueBackend):
    name = "off"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.played: list[str] = []

    def play(self, cue: str, volume: float) -> None:
        self.played.append(cue)


def _loaded(name: str) -> Callable[[QObject | None], CueBackend]:
    """A back end's factory that imports its module (legtimer.gui.backends) when first used:
    the back ends load once the window is up, not before its first paint."""

    def make(parent: QObject | None) -> CueBackend:
        from legtimer.gui import backends

        backend: CueBackend = getattr(backends, name)(parent)
        return backend

    return make


_FACTORIES: dict[str, Callable[[QObject | None], CueBackend]] = {
    "stream": _loaded("StreamBackend"),
    "qt": _loaded("QtBackend"),
    "simpleaudio": _loaded("SimpleAudioBackend"),
    "off": SilentBackend,
}

#: The back ends by name, from their own module (see _loaded).
__getattr__ = lazy_names(
    globals(), "legtimer.gui.backends", ["QtBackend", "SimpleAudioBackend", "StreamBackend"]
)


def _check_backend(preference: str) -> None:
    if preference not in BACKENDS:
        raise ValueError(f"unknown sound back end {preference!r}; one of {BACKENDS}")


class SoundCues(QObject):
    """What the app plays cues through: volume, mute, the plan of cues to come, and the
    fallback."""

    #: A message for the runner, at most once per problem (sound fell back to silent...).
    notice = Signal(str)
    #: A cue's moment came (for flashes and tests); with a scheduling back end it was handed
    #: over before, and sounds at this moment.
    played = Signal(str)
    #: Whether the cues can be heard changed (mute, volume, the back end); see `off_reason`.
    audibility_changed = Signal()

    def __init__(self, preference: str = "auto", parent: QObject | None = None) -> None:
        super().__init__(parent)
        _check_backend(preference)
        self.volume = 1.0
        self.muted = False
        self._preference = preference
        self._backend: CueBackend | None = None
        self._plan: list[tuple[Hashable, str, float]] = []
        #: The last message given through `notice` (for callers that connect late).
        self.last_notice: str | None = None

    def load(self) -> None:
        """Open the back end now. Otherwise it opens at first use; the app opens it once its
        window is up (a stream needs a second or two before it plays on time)."""
        if self._backend is None:
            self._backend = self._choose(self._preference)
            self._backend.failed.connect(self._on_backend_failed)
            self.audibility_changed.emit()

    def off_reason(self) -> str | None:
        """Why the cues cannot be heard ("Sound off", "Volume 0", "No sound"), or None when
        they can (as far as the app knows: a back end not yet open is taken to work)."""
        if self.muted:
            return "Sound off"
        if self.volume <= 0:
            return "Volume 0"
        if self._preference == "off" or isinstance(self._backend, SilentBackend):
            return "No sound"
        return None

    @property
    def preference(self) -> str:
        return self._preference

    def set_preference(self, preference: str) -> None:
        """Use another back end ("auto", "stream", "qt", "simpleaudio", "off") from the next
        cue on."""
        _check_backend(preference)
        if preference == self._preference:
            return
        self._preference = preference
        self.close()
        self.audibility_changed.emit()

    def close(self) -> None:
        """Let go of the back end, if one is open; the next cue opens one again."""
        old, self._backend = self._backend, None
        if old is not None:
            old.failed.disconnect(self._on_backend_failed)
            old.close()

    @property
    def backend(self) -> CueBackend:
        self.load()
        assert self._backend is not None
        return self._backend

    def _choose(self, preference: str) -> CueBackend:
        order = ["stream", "qt", "simpleaudio"] if preference == "auto" else [preference]
        reasons = []
        for name in order:
            try:
                return _FACTORIES[name](self)
            except BackendUnavailable as exc:
                reasons.append(str(exc))
                log.info("sound back end %s unavailable: %s", name, exc)
        self._tell("Sound is off: " + "; ".join(reasons) + ". Cues are shown on screen.")
        return SilentBackend(self)

    @property
    def backend_name(self) -> str:
        return self.backend.name

    @property
    def schedules(self) -> bool:
        """Whether cues are handed over ahead of time (`plan`) rather than played when due."""
        return self.backend.schedules

    @property
    def lead(self) -> float:
        return self.backend.lead

    @property
    def audible(self) -> bool:
        return not self.muted and self.volume > 0

    def when_ready(self, then: Callable[[], None], limit_s: float = 3.0) -> None:
        """Call `then` once a cue handed over is placed on time (at once for most back ends;
        a stream just opened needs a moment), or after `limit_s` whatever happens."""
        backend = self.backend
        if backend.ready:
            then()
            return
        waited = QTimer(self)
        waited.setInterval(20)
        deadline = time.monotonic() + limit_s

        def check() -> None:
            if self._backend is not backend or backend.ready or time.monotonic() > deadline:
                waited.stop()
                waited.deleteLater()
                then()

        waited.timeout.connect(check)
        waited.start()

    def plan(self, cues: Sequence[tuple[Hashable, str, float]]) -> None:
        """The cues to come as (key, cue, monotonic due time), replacing the last plan. A back
        end that schedules places them ahead; for the others this does nothing, and each cue
        plays when `cue()` says its moment came."""
        for _, name, _ in cues:
            _check_cue(name)
        self._plan = list(cues)
        self._send_plan()

    def _send_plan(self) -> None:
        backend = self.backend
        if not backend.schedules:
            return
        from legtimer.audio import PlannedCue

        cues = self._plan if self.audible else []
        backend.plan([PlannedCue(key, name, at, self.volume) for key, name, at in cues])

    def cue(self, key: Hashable, name: str, at: float) -> None:
        """The moment of a cue came (or, with `at` ahead, comes then): sounds it unless a plan
        already did."""
        _check_cue(name)
        if self.audible:
            backend = self.backend
            if backend.schedules:
                from legtimer.audio import PlannedCue

                backend.add(PlannedCue(key, name, at, self.volume))
            else:
                backend.play(name, self.volume)
        self.played.emit(name)

    def play(self, cue: str) -> None:
        """Sound `cue` now (a test sound, a check)."""
        _check_cue(cue)
        if self.audible:
            self.backend.play(cue, self.volume)
        self.played.emit(cue)

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.0, volume))
        if self._backend is not None:
            self._send_plan()
        self.audibility_changed.emit()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if self._backend is not None:
            self._send_plan()
        self.audibility_changed.emit()

    @property
    def is_open(self) -> bool:
        """Whether a back end has been opened (and not closed since)."""
        return self._backend is not None

    def warm(self, on: bool) -> None:
        if on:
            self.backend.warm(True)
        elif self._backend is not None:  # nothing to let go of: do not open one to close it
            self._backend.warm(False)

    def wake(self) -> None:
        """The runner is at the window (not before a back end is open: that comes after the
        first paint)."""
        if self._backend is not None:
            self._backend.wake()

    def _on_backend_failed(self, reason: str) -> None:
        old = self.backend
        if isinstance(old, SilentBackend):
            return
        log.warning("sound back end %s failed: %s", old.name, reason)
        old.failed.disconnect(self._on_backend_failed)
        old.close()
        self._backend = SilentBackend(self)
        self._tell(f"Sound stopped: {reason}. The session goes on with the cues on screen.")
        self.audibility_changed.emit()

    def _tell(self, message: str) -> None:
        self.notice.emit(message)
        self.last_notice = message


def _check_cue(name: str) -> None:
    if name not in assets.CUE_NAMES:
        raise KeyError(f"unknown cue {name!r}")
