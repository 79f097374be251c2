"""The cue back ends that play sound, loaded with the first of them (after the first paint):
the scheduled output stream (`StreamBackend`, the default), Qt Multimedia's sound effects and
simpleaudio. `legtimer.gui.sound` picks among them and falls back; see its docstring."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from legtimer import assets
from legtimer.gui.sound import BackendUnavailable, CueBackend

if TYPE_CHECKING:
    import array

    from legtimer.audio import PlannedCue

log = logging.getLogger(__name__)


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
    from legtimer.audio import read_pcm16

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

    Its buffer is 0.37 s (four 4096-frame blocks at 44.1 kHz). What a stream costs is its
    wake-ups, one per block on each of two threads (PortAudio's and PulseAudio's client),
    not the mixing: measured here, 0.2-0.21 % of a core for this buffer, 0.29-0.31 % for
    0.28 s (3072), 0.41-0.47 % for 0.19 s (2048), 1-2.6 % for 30-100 ms. Cues are handed
    over seconds ahead and placed to the sample whatever the buffer, so it delays only a cue
    for something that happens now (a skip, by about 0.4 s), and a cue already written may
    still sound that long after a pause.
    """

    name = "stream"
    schedules = True
    RATE = 44_100
    LATENCY_S = 0.4
    BLOCK = 4096
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
        from legtimer.audio import CueMixer

        sounds = {}
        for cue, (samples, channels, rate) in _load_cues().items():
            if channels != 1 or rate != self.RATE:
                raise BackendUnavailable(f"the {cue} sound is not mono at {self.RATE} Hz")
            sounds[cue] = samples
        # A cue for something that happens now sounds a buffer later: not stale for that.
        self.mixer = CueMixer(sounds, self.RATE, stale_s=self.LATENCY_S + 0.4)
        self._problem: str | None = None
        self._failed = False
        try:
            self._stream = sounddevice.RawOutputStream(
                samplerate=self.RATE,
                channels=1,
                dtype="int16",
                latency=self.LATENCY_S,
                blocksize=self.BLOCK,
                callback=self._callback(),
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError, or a device that refuses the format
            raise BackendUnavailable(f"no audio output could be opened ({exc})") from exc
        self._opened = time.monotonic()
        self._watch = QTimer(self)
        self._watch.setObjectName("soundStreamWatch")
        self._watch.setInterval(1000)
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

    def _callback(self) -> Callable[[Any, int, Any, Any], None]:
        """The stream's callback: a function over the mixer, not a method, since every
        attribute looked up on a Qt object passes through PySide (about a third of the audio
        thread's Python, eleven times a second)."""
        render = self.mixer.render

        def callback(outdata: Any, frames: int, when: Any, status: Any) -> None:
            # The audio thread: never raise (it would end the stream), never block.
            try:
                outdata[:] = render(frames, when.currentTime, when.outputBufferDacTime)
            except Exception as exc:
                self._problem = f"the sound could not be mixed ({exc})"
                outdata[:] = bytes(len(outdata))

        return callback

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
        from legtimer.audio import StreamClock

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
        # Two blocks, not one: soon after the stream (re)starts, its callback renders more than
        # the reported latency ahead, and the block holding the first cue's frame could be
        # rendered before the session's plan came (the cue then went in the next block, 12-40
        # ms late, in one session in three or four here; none in eleven with two blocks).
        return float(self._stream.latency) + 2 * self.BLOCK / self.RATE + 0.03

    @property
    def ready(self) -> bool:
        return self.mixer.clock.settled

    def plan(self, cues: Sequence[PlannedCue]) -> None:
        self.mixer.plan(cues)

    def add(self, cue: PlannedCue) -> None:
        self.mixer.add(cue)

    def play(self, cue: str, volume: float) -> None:
        from legtimer.audio import PlannedCue

        self.mixer.add(PlannedCue(object(), cue, time.monotonic(), volume))

    def close(self) -> None:
        if not self._failed:
            self._shut()
