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
import os
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from legtimer import assets
from legtimer.audio import CueMixer, PlannedCue, StreamClock, read_pcm16
from legtimer.services import BACKENDS

if TYPE_CHECKING:
    import array

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
        self._pcm = _load_cues()
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


def _load_cues() -> dict[str, tuple[array.array[int], int, int]]:
    out = {}
    for cue in assets.CUE_NAMES:
        try:
            out[cue] = read_pcm16(assets.cue_path(cue))
        except (OSError, EOFError, ValueError) as exc:
            raise BackendUnavailable(f"the {cue} sound could not be read ({exc})") from exc
    return out


class StreamBackend(CueBackend):
    """One PortAudio output stream, open for as long as the back end, every cue written at the
    sample of its due time by a `CueMixer` (see `legtimer.audio`).

    Its buffer is 0.2 s (2048-frame blocks at 44.1 kHz): about 0.3 % of a core for the stream
    here, against 1-2.6 % for 30-100 ms buffers. Cues are handed over seconds ahead, so the
    buffer delays only a cue for something that happens now (a skip), by about 0.2 s.
    """

    name = "stream"
    schedules = True
    RATE = 44_100
    LATENCY_S = 0.2
    BLOCK = 2048
    #: A stream that has not asked for audio for this long has stopped. Starting one takes up
    #: to 2 s here (see StreamClock), during which it asks for nothing.
    SILENT_LIMIT_S = 3.0
    #: With no session and nobody at the window for this long, the stream stops: no more
    #: wake-ups, and the sound server may let the device sleep. It starts again when the
    #: runner comes back to the window (`wake`) or a session starts, and is steady again a
    #: second or two later.
    IDLE_S = 120.0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # PortAudio tries every host API as it starts, JACK's too, and libjack would start a
        # JACK server (and print why it could not) unless told not to.
        os.environ.setdefault("JACK_NO_START_SERVER", "1")
        # Where the sound goes through a PulseAudio/PipeWire server anyway, ALSA is told only
        # of that device, so PortAudio does not load every plug-in installed (legtimer.audio.alsa).
        from legtimer.audio.alsa import lean_config

        config = lean_config()
        if config is not None:
            os.environ["ALSA_CONFIG_PATH"] = str(config)
        try:
            import sounddevice  # loaded with the back end, after the first paint (~0.1 s)
        except ImportError as exc:
            raise BackendUnavailable("sounddevice is not installed") from exc
        except OSError as exc:  # sounddevice's own word when PortAudio's library is missing
            raise BackendUnavailable(f"PortAudio is missing ({exc})") from exc
        sounds = {}
        for cue, (samples, channels, rate) in _load_cues().items():
            if channels != 1 or rate != self.RATE:
                raise BackendUnavailable(f"the {cue} sound is not mono at {self.RATE} Hz")
            sounds[cue] = samples
        self.mixer = CueMixer(sounds, self.RATE)
        self._problem: str | None = None
        self._failed = False
        try:
            self._stream = sounddevice.RawOutputStream(
                samplerate=self.RATE,
                channels=1,
                dtype="int16",
                latency=self.LATENCY_S,
                blocksize=self.BLOCK,
                callback=self._callback,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError, or a device that refuses the format
            raise BackendUnavailable(f"no audio output could be opened ({exc})") from exc
        self._opened = time.monotonic()
        self._watch = QTimer(self)
        self._watch.setObjectName("soundStreamWatch")
        self._watch.setInterval(500)
        self._watch.timeout.connect(self._check)
        self._watch.start()
        #: Whether the stream is running (False while it sleeps, or once it failed).
        self.running = True
        self._in_use = False
        self._idle = QTimer(self)
        self._idle.setObjectName("soundStreamIdle")
        self._idle.setSingleShot(True)
        self._idle.setInterval(round(self.IDLE_S * 1000))
        self._idle.timeout.connect(self._sleep)
        self._idle.start()

    def _callback(self, outdata: Any, frames: int, when: Any, status: Any) -> None:
        # The audio thread: never raise (it would end the stream), never block.
        try:
            outdata[:] = self.mixer.render(frames, when.currentTime, when.outputBufferDacTime)
        except Exception as exc:
            self._problem = f"the sound could not be mixed ({exc})"
            outdata[:] = bytes(len(outdata))

    def _check(self) -> None:
        problem = self._problem
        if problem is None and not self._stream.active:
            problem = "the audio output stopped"
        last = self.mixer.last_render or self._opened
        if problem is None and time.monotonic() - last > self.SILENT_LIMIT_S:
            problem = "the audio output stopped asking for sound"
        if problem is not None:
            self._shut()
            self.failed.emit(problem)

    def warm(self, on: bool) -> None:
        """A session starts (on: the stream runs until it ends) or ends (off: it may sleep)."""
        self._in_use = on
        if on:
            self._idle.stop()
            self._wake()
        else:
            self._idle.start()

    def wake(self) -> None:
        """The runner is at the window: have the stream steady before they press Start."""
        self._wake()
        if not self._in_use:
            self._idle.start()

    def _wake(self) -> None:
        if self.running or self._failed:
            return
        # A new start plays from a new moment: the clock settles again before cues are placed.
        self.mixer.clock = StreamClock(self.RATE)
        try:
            self._stream.start()
        except Exception as exc:
            self._watch.stop()
            self._failed = True
            self.failed.emit(f"the audio output could not be started again ({exc})")
            return
        self.running = True
        self._opened = time.monotonic()
        self._watch.start()

    def _sleep(self) -> None:
        if self._in_use or not self.running:
            return
        self._watch.stop()
        self.running = False
        try:
            self._stream.abort()  # nothing is planned: no need to let the buffer play out
        except Exception as exc:
            log.info("stopping the idle sound stream: %s", exc)

    def _shut(self) -> None:
        """Done with the stream for good (it failed, or the back end closes)."""
        self._watch.stop()
        self._idle.stop()
        self.running = False
        self._failed = True
        self._let_go()

    def _let_go(self) -> None:
        """Close the stream off the GUI thread: a stream whose server went away can take
        seconds to close, and the session must not wait for it."""
        stream = self._stream

        def close() -> None:
            try:
                stream.abort()
                stream.close()
            except Exception as exc:
                log.info("closing the sound stream: %s", exc)

        threading.Thread(target=close, name="legtimer-sound-close", daemon=True).start()

    @property
    def lead(self) -> float:
        return float(self._stream.latency) + self.BLOCK / self.RATE + 0.03

    @property
    def ready(self) -> bool:
        return self.mixer.clock.settled

    def plan(self, cues: Sequence[PlannedCue]) -> None:
        self.mixer.plan(cues)

    def add(self, cue: PlannedCue) -> None:
        self.mixer.add(cue)

    def play(self, cue: str, volume: float) -> None:
        self.mixer.add(PlannedCue(object(), cue, time.monotonic(), volume))

    def close(self) -> None:
        if not self._failed:
            self._shut()


_FACTORIES: dict[str, Callable[[QObject | None], CueBackend]] = {
    "stream": StreamBackend,
    "qt": QtBackend,
    "simpleaudio": SimpleAudioBackend,
    "off": SilentBackend,
}


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
        cues = self._plan if self.audible else []
        backend.plan([PlannedCue(key, name, at, self.volume) for key, name, at in cues])

    def cue(self, key: Hashable, name: str, at: float) -> None:
        """The moment of a cue came (or, with `at` ahead, comes then): sounds it unless a plan
        already did."""
        _check_cue(name)
        if self.audible:
            backend = self.backend
            if backend.schedules:
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
