"""Cue sounds: one small interface, several back ends, and a fallback that never stops a
session.

Back ends: Qt Multimedia's QSoundEffect (part of PySide6), simpleaudio (an optional extra,
imported only when chosen) and silent. Sounds are loaded once at start, so a cue is a buffer
copy. When a back end fails (no output device, a headset unplugged mid-session) the cues fall
back to silent, the runner is told once, and the visual cues carry on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from legtimer import assets
from legtimer.store.settings import BACKENDS

if TYPE_CHECKING:
    import array

log = logging.getLogger(__name__)


class BackendUnavailable(RuntimeError):
    pass


class CueBackend(QObject):
    """Plays named cues. Emits `failed` (with a reason) when it can no longer play."""

    failed = Signal(str)
    name = "base"

    def play(self, cue: str, volume: float) -> None:
        raise NotImplementedError

    def warm(self, on: bool) -> None:
        """Open the output ahead of the first cue (on), or let it close (off)."""

    def close(self) -> None:
        self.warm(False)


class SilentBackend(CueBackend):
    name = "off"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.played: list[str] = []

    def play(self, cue: str, volume: float) -> None:
        self.played.append(cue)


class QtBackend(CueBackend):
    name = "qt"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Here, not at the top: loading the back end comes after the first paint, and QUrl's
        # enums with it.
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        if not QMediaDevices.audioOutputs():
            raise BackendUnavailable("no audio output device was found")
        self._effects: dict[str, QSoundEffect] = {}
        for cue in assets.CUE_NAMES:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(assets.cue_path(cue))))
            effect.statusChanged.connect(lambda e=effect, c=cue: self._on_status(e, c))
            self._effects[cue] = effect
        # Played when a session is about to start, so the output device is open before the
        # first cue. Never two effects at once: with streams overlapping, Qt 6.11's PulseAudio
        # back end can spin on a socket notifier (seen about once in ten overlapping plays).
        self._keeper = QSoundEffect(self)
        self._keeper.setSource(QUrl.fromLocalFile(str(assets.sounds_dir() / "silence.wav")))
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._on_outputs_changed)

    def _on_status(self, effect: object, cue: str) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        assert isinstance(effect, QSoundEffect)
        if effect.status() is QSoundEffect.Status.Error:
            self.failed.emit(f"the {cue} sound could not be played")

    def _on_outputs_changed(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices

        if not QMediaDevices.audioOutputs():
            self.failed.emit("the audio output went away")

    def play(self, cue: str, volume: float) -> None:
        effect = self._effects[cue]
        for other in (*self._effects.values(), self._keeper):
            if other is not effect and other.isPlaying():
                other.stop()  # a new cue supersedes another one still sounding
        effect.setVolume(volume)
        effect.play()

    def warm(self, on: bool) -> None:
        if on and not any(e.isPlaying() for e in self._effects.values()):
            self._keeper.play()


class SimpleAudioBackend(CueBackend):
    name = "simpleaudio"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        try:
            import simpleaudio  # the optional extra: imported only when chosen
        except ImportError as exc:
            raise BackendUnavailable(
                "simpleaudio is not installed (pip install 'legtimer[simpleaudio]')"
            ) from exc
        self._sa = simpleaudio
        try:
            # simpleaudio only finds out about the device when it plays: try 10 ms of silence.
            simpleaudio.play_buffer(bytes(882), 1, 2, 44100).wait_done()
        except Exception as exc:
            raise BackendUnavailable(f"simpleaudio cannot open the audio device ({exc})") from exc
        self._pcm: dict[str, tuple[array.array[int], int, int]] = {}
        for cue in assets.CUE_NAMES:
            self._pcm[cue] = _read_pcm16(assets.cue_path(cue))
        self._scaled: dict[tuple[str, float], bytes] = {}

    def play(self, cue: str, volume: float) -> None:
        samples, channels, rate = self._pcm[cue]
        key = (cue, round(volume, 2))
        data = self._scaled.get(key)
        if data is None:
            import array

            scaled = array.array("h", (int(s * key[1]) for s in samples))
            data = scaled.tobytes()
            self._scaled[key] = data
        try:
            self._sa.play_buffer(data, channels, 2, rate)
        except Exception as exc:  # the C extension raises plain Exception subclasses
            self.failed.emit(f"simpleaudio could not play: {exc}")


def _read_pcm16(path: Path) -> tuple[array.array[int], int, int]:
    import array
    import wave

    with wave.open(str(path)) as w:
        if w.getsampwidth() != 2:
            raise BackendUnavailable(f"{path.name} is not 16-bit PCM")
        frames = w.readframes(w.getnframes())
        samples = array.array("h")
        samples.frombytes(frames)
        return samples, w.getnchannels(), w.getframerate()


_FACTORIES: dict[str, Callable[[QObject | None], CueBackend]] = {
    "qt": QtBackend,
    "simpleaudio": SimpleAudioBackend,
    "off": SilentBackend,
}


def _check_backend(preference: str) -> None:
    if preference not in BACKENDS:
        raise ValueError(f"unknown sound back end {preference!r}; one of {BACKENDS}")


class SoundCues(QObject):
    """What the app plays cues through: volume, mute, and the fallback."""

    #: A message for the runner, at most once per problem (sound fell back to silent...).
    notice = Signal(str)
    #: A cue was handed to the back end (for flashes, tests and the latency benchmark).
    played = Signal(str)

    def __init__(self, preference: str = "auto", parent: QObject | None = None) -> None:
        super().__init__(parent)
        _check_backend(preference)
        self.volume = 1.0
        self.muted = False
        self._preference = preference
        self._backend: CueBackend | None = None
        #: The last message given through `notice` (for callers that connect late).
        self.last_notice: str | None = None

    def load(self) -> None:
        """Open the back end now. Otherwise it opens at first use: loading Qt Multimedia
        costs a few hundred milliseconds, which the app spends after its window shows."""
        if self._backend is None:
            self._backend = self._choose(self._preference)
            self._backend.failed.connect(self._on_backend_failed)

    @property
    def preference(self) -> str:
        return self._preference

    def set_preference(self, preference: str) -> None:
        """Use another back end ("auto", "qt", "simpleaudio", "off") from the next cue on."""
        _check_backend(preference)
        if preference == self._preference:
            return
        self._preference = preference
        self.close()

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
        order = ["qt", "simpleaudio"] if preference == "auto" else [preference]
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

    def play(self, cue: str) -> None:
        if cue not in assets.CUE_NAMES:
            raise KeyError(f"unknown cue {cue!r}")
        if not self.muted and self.volume > 0:
            self.backend.play(cue, self.volume)
        self.played.emit(cue)

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.0, volume))

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    @property
    def is_open(self) -> bool:
        """Whether a back end has been opened (and not closed since)."""
        return self._backend is not None

    def warm(self, on: bool) -> None:
        if on:
            self.backend.warm(True)
        elif self._backend is not None:  # nothing to let go of: do not open one to close it
            self._backend.warm(False)

    def _on_backend_failed(self, reason: str) -> None:
        old = self.backend
        if isinstance(old, SilentBackend):
            return
        log.warning("sound back end %s failed: %s", old.name, reason)
        old.failed.disconnect(self._on_backend_failed)
        old.close()
        self._backend = SilentBackend(self)
        self._tell(f"Sound stopped: {reason}. The session goes on with the cues on screen.")

    def _tell(self, message: str) -> None:
        self.notice.emit(message)
        self.last_notice = message
