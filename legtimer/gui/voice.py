"""Spoken announcements through Qt TextToSpeech, offered only where an engine really speaks.

Listing an engine proves nothing: on Linux the PySide6 wheel ships the speech-dispatcher plug-in,
which is listed whether or not speech-dispatcher (and a synthesiser module for it) is installed.
So the voice is probed: an engine is created and must reach the Ready state within a limit. That
takes 1.5-2 s with speech-dispatcher (it starts, then lists its voices) and blocks whoever
creates it, so the engine lives on a thread of its own, created, probed and spoken through
there; the window learns the answer from `availability_changed`. Speech never touches the cue
stream: it goes out through the speech engine's own output, so it cannot delay a beep.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtCore import QThread

from legtimer.engine import Interval, IntervalKind
from legtimer.plans.model import KM_PER_MILE

log = logging.getLogger(__name__)

#: How long an engine may take to reach the Ready state before the voice is not offered.
PROBE_LIMIT_S = 8.0


def engines() -> list[str]:
    """The engines Qt lists (not proof that any of them speaks), best first."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return []
    return [e for e in QTextToSpeech.availableEngines() if e != "mock"]


class _Speaker(QObject):
    """Owns the engine on the speech thread."""

    ready = Signal(str)  # the engine's name
    unavailable = Signal(str)  # why
    spoke = Signal(str)

    def __init__(self, limit_s: float) -> None:
        super().__init__()
        self._limit_s = limit_s
        self._tts: object | None = None

    @Slot()
    def probe(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        reasons = []
        for name in engines():
            tts = QTextToSpeech(name, self)
            state = tts.state()
            if state is QTextToSpeech.State.Ready:
                self._use(tts)
                self.ready.emit(name)
                return
            if state is QTextToSpeech.State.Error:
                reasons.append(f"{name}: {tts.errorString() or 'not working'}")
                tts.deleteLater()
                continue
            self._wait(tts, name)  # still starting: its state will change
            return
        self.unavailable.emit("; ".join(reasons) or "no speech engine is installed")

    def _wait(self, tts: object, name: str) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        assert isinstance(tts, QTextToSpeech)
        limit = QTimer(self)
        limit.setSingleShot(True)

        def settled(state: QTextToSpeech.State) -> None:
            if state is QTextToSpeech.State.Ready:
                limit.stop()
                self._use(tts)
                self.ready.emit(name)
            elif state is QTextToSpeech.State.Error:
                limit.stop()
                self.unavailable.emit(f"{name}: {tts.errorString() or 'not working'}")

        tts.stateChanged.connect(settled)
        limit.timeout.connect(lambda: self.unavailable.emit(f"{name} did not become ready"))
        limit.start(round(self._limit_s * 1000))

    def _use(self, tts: object) -> None:
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech

        assert isinstance(tts, QTextToSpeech)
        # The announcements are English: an English voice, not the first one listed.
        en = QLocale.Language.English
        english = [loc for loc in tts.availableLocales() if loc.language() is en]
        if english and tts.locale().language() is not en:
            tts.setLocale(english[0])
        self._tts = tts

    @Slot(str)
    def say(self, text: str) -> None:
        if self._tts is not None:
            self._tts.say(text)  # type: ignore[attr-defined]
            self.spoke.emit(text)


class Voice(QObject):
    """Speaks announcements when enabled and an engine works.

    `available` is False until a probe (`probe()`, which the app runs after its first paint)
    finds an engine that reaches Ready; tests may name engines to trust instead.
    """

    availability_changed = Signal(bool)
    _say = Signal(str)

    def __init__(
        self,
        enabled: bool = False,
        parent: QObject | None = None,
        *,
        available_engines: list[str] | None = None,
        probe_limit_s: float = PROBE_LIMIT_S,
    ) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self._trusted = available_engines
        self._limit_s = probe_limit_s
        self._thread: QThread | None = None
        self._speaker: _Speaker | None = None
        self._local_tts: object | None = None
        self._available = bool(available_engines)
        #: What was handed to the engine, in order (what a runner would have heard).
        self.spoken: list[str] = []
        #: Why the voice is not offered, once a probe said so.
        self.problem: str | None = None
        self.engine: str | None = None

    @property
    def engines_known(self) -> bool:
        """Whether `available` is already the answer (engines given, or a probe finished)."""
        return self._trusted is not None or self.engine is not None or self.problem is not None

    @property
    def available(self) -> bool:
        return self._available

    @property
    def probing(self) -> bool:
        return self._thread is not None and not self.engines_known

    def probe(self) -> None:
        """Find out, off the GUI thread, whether an engine speaks; `availability_changed`
        tells the answer."""
        if self.engines_known or self._thread is not None:
            return
        # Imported here: QThread's type (and its enums) is built on first use, after the paint.
        from PySide6.QtCore import QThread

        thread = QThread(self)
        thread.setObjectName("legtimer-voice")
        speaker = _Speaker(self._limit_s)
        speaker.moveToThread(thread)
        thread.started.connect(speaker.probe)
        speaker.ready.connect(lambda name: self._settle(name, None))
        speaker.unavailable.connect(lambda why: self._settle(None, why))
        self._say.connect(speaker.say)
        thread.finished.connect(speaker.deleteLater)
        self._thread, self._speaker = thread, speaker
        thread.start()

    def _settle(self, engine: str | None, problem: str | None) -> None:
        if self.engines_known:
            return
        self.engine, self.problem = engine, problem
        self._available = engine is not None
        if problem:
            log.info("voice not offered: %s", problem)
        self.availability_changed.emit(self._available)

    def say(self, text: str) -> None:
        if not self.enabled or not self._available:
            return
        self.spoken.append(text)
        if self._speaker is not None:
            self._say.emit(text)  # to the speech thread
        elif self._trusted:
            self._trusted_tts().say(text)  # type: ignore[attr-defined]

    def _trusted_tts(self) -> object:
        if self._local_tts is None:
            from PySide6.QtTextToSpeech import QTextToSpeech

            assert self._trusted
            self._local_tts = QTextToSpeech(self._trusted[0], self)
        return self._local_tts

    def close(self) -> None:
        """Stop the speech thread (the app is closing)."""
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.quit()
            thread.wait(3000)


def announcement(interval: Interval, previous: Interval | None, *, mph: bool = False) -> str:
    """What to say as an interval starts: "Sprint 3 of 8", "Rest, 45 seconds", the speed
    (in the runner's units) and incline when they change, then the template's cue text."""
    parts = []
    title = interval.title
    if interval.kind is IntervalKind.WORK:
        parts.append(title)
    else:
        parts.append(f"{interval.name}, {_seconds(interval.seconds)}")
    if interval.speed_kmh is not None and (
        previous is None or previous.speed_kmh != interval.speed_kmh
    ):
        if mph:
            parts.append(f"Speed {interval.speed_kmh / KM_PER_MILE:.1f} miles an hour")
        else:
            parts.append(f"Speed {interval.speed_kmh:g} kilometres an hour")
    if interval.incline_pct is not None and (
        previous is None or previous.incline_pct != interval.incline_pct
    ):
        parts.append(f"Incline {interval.incline_pct:g} percent")
    if interval.cue:
        parts.append(interval.cue.rstrip(". "))
    return ". ".join(parts)


def _seconds(seconds: float) -> str:
    s = round(seconds)
    if s >= 60 and s % 60 == 0:
        m = s // 60
        return f"{m} minute" + ("s" if m != 1 else "")
    if s >= 60:
        return f"{s // 60} minutes {s % 60} seconds"
    return f"{s} seconds"
