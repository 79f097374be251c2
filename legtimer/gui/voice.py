"""Spoken announcements through Qt TextToSpeech, offered only where an engine really speaks.

Listing an engine proves nothing: on Linux the PySide6 wheel ships the speech-dispatcher plug-in,
which is listed whether or not speech-dispatcher (and a synthesiser module for it) is installed.
So the voice is probed: an engine is created and must reach the Ready state within a limit. That
takes 1.5-2 s with speech-dispatcher (it starts, then lists its voices), and creating the engine
blocks, holding Python's lock: so the engine lives in a helper process of the app's own
(`Voice`, `voice_helper`), created, probed and spoken through there; the window learns the
answer from `availability_changed`. Speech never touches the cue stream: it goes out through
the speech engine's own output, so it cannot delay a beep.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtCore import QProcess

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

    The engine runs in a helper process of the app's own (`legtimer --voice-helper`): it tries
    the engines, says which one reached Ready (or why none did), then speaks each line it is
    sent. The app itself loads no speech library (Qt's text to speech brings Qt Multimedia and
    the speech client, ~6 MB), and an engine that blocks as it starts (speech-dispatcher while
    it spawns, or one that never answers) blocks only the helper. The helper runs while the
    voice is on; with the voice off, only for the probe that decides whether it is offered.

    `available` is False until a probe (`probe()`, which the app runs after its first paint)
    finds an engine that reaches Ready; tests may name engines to trust instead.
    """

    availability_changed = Signal(bool)

    def __init__(
        self,
        enabled: bool = False,
        parent: QObject | None = None,
        *,
        available_engines: list[str] | None = None,
        probe_limit_s: float = PROBE_LIMIT_S,
    ) -> None:
        super().__init__(parent)
        self._enabled = enabled
        self._trusted = available_engines
        self._limit_s = probe_limit_s
        self._helper: QProcess | None = None
        self._helper_ready = False
        self._stopping = False
        self._out = b""
        self._pending: list[str] = []
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
        return self._helper is not None and not self.engines_known

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self._enabled = on
        if self._trusted is not None or not self.engines_known:
            return
        if on and self._available and self._helper is None:
            self._start_helper()  # ready to speak by the next announcement
        elif not on and self._helper is not None:
            self._stop_helper()  # the speech libraries go with it

    def probe(self) -> None:
        """Find out, in the helper, whether an engine speaks; `availability_changed` tells
        the answer."""
        if self.engines_known or self._helper is not None:
            return
        self._start_helper()

    def _start_helper(self) -> None:
        from PySide6.QtCore import QProcess

        helper = QProcess(self)
        helper.setProgram(sys.executable)
        helper.setArguments(helper_arguments())
        self._helper, self._helper_ready, self._stopping, self._out = helper, False, False, b""
        # A helper whose engine never answers is not waited for beyond the engine's own limit.
        limit = QTimer(helper)
        limit.setSingleShot(True)
        limit.timeout.connect(lambda: self._no_answer(helper))
        helper.readyReadStandardOutput.connect(lambda: self._read(helper, limit))
        helper.finished.connect(lambda *_: self._gone(helper))
        helper.errorOccurred.connect(lambda error: self._failed_to_start(helper, error))
        limit.start(round((self._limit_s + 4.0) * 1000))
        helper.start()

    def _read(self, helper: QProcess, limit: QTimer) -> None:
        if helper is not self._helper:
            return
        self._out += bytes(helper.readAllStandardOutput().data())
        *lines, self._out = self._out.split(b"\n")
        for line in lines:
            engine, problem = _helper_answer(line)
            if engine is None and problem is None:
                continue  # not a line of ours
            limit.stop()
            if engine is not None:
                self._helper_ready = True
                self._settle(engine, None)
                pending, self._pending = self._pending, []
                for text in pending:
                    self._send(text)
                if not self._enabled:
                    self._stop_helper()  # it was only asked whether it works
            else:
                self._settle(None, problem)

    def _no_answer(self, helper: QProcess) -> None:
        if helper is self._helper and not self._helper_ready:
            self._settle(None, f"no speech engine answered within {self._limit_s:g} s")
            self._stop_helper()

    def _failed_to_start(self, helper: QProcess, error: QProcess.ProcessError) -> None:
        from PySide6.QtCore import QProcess

        if helper is self._helper and error is QProcess.ProcessError.FailedToStart:
            self._helper = None
            helper.deleteLater()
            self._settle(None, f"the speech helper could not start ({helper.errorString()})")

    def _gone(self, helper: QProcess) -> None:
        if helper is not self._helper:
            helper.deleteLater()
            return
        was_ready, stopping = self._helper_ready, self._stopping
        self._helper, self._helper_ready = None, False
        helper.deleteLater()
        if not self.engines_known:
            self._settle(None, "the speech helper stopped before it answered")
        elif was_ready and not stopping:
            self._settle(None, "the speech helper stopped")

    def _stop_helper(self) -> None:
        helper = self._helper
        if helper is None:
            return
        self._stopping = True
        helper.closeWriteChannel()  # the helper ends when its input does

    def _send(self, text: str) -> None:
        assert self._helper is not None
        self._helper.write((json.dumps({"say": text}) + "\n").encode())

    def _settle(self, engine: str | None, problem: str | None) -> None:
        if self.engines_known:
            if problem is not None and self._available:
                # The engine that answered once stopped working.
                self.problem, self._available = problem, False
                log.info("voice withdrawn: %s", problem)
                self.availability_changed.emit(False)
            return
        self.engine, self.problem = engine, problem
        self._available = engine is not None
        if problem:
            log.info("voice not offered: %s", problem)
        self.availability_changed.emit(self._available)

    def say(self, text: str) -> None:
        if not self._enabled or not self._available:
            return
        self.spoken.append(text)
        if self._trusted:
            self._trusted_tts().say(text)  # type: ignore[attr-defined]
        elif self._helper is not None and self._helper_ready:
            self._send(text)
        else:
            self._pending.append(text)
            if self._helper is None:
                self._start_helper()

    def _trusted_tts(self) -> object:
        if self._local_tts is None:
            from PySide6.QtTextToSpeech import QTextToSpeech

            assert self._trusted
            self._local_tts = QTextToSpeech(self._trusted[0], self)
        return self._local_tts

    def close(self) -> None:
        """Let the helper go (the app is closing): it ends with its input, or is ended."""
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.closeWriteChannel()
            if not helper.waitForFinished(1000):
                helper.kill()
                helper.waitForFinished(1000)


def helper_arguments() -> list[str]:
    """The arguments that run the helper with `sys.executable`: the packaged app is its own
    executable; otherwise the interpreter runs the package."""
    if getattr(sys, "frozen", False):
        return ["--voice-helper"]
    return ["-m", "legtimer", "--voice-helper"]


def _helper_answer(line: bytes) -> tuple[str | None, str | None]:
    """(engine, None), (None, why), or (None, None) for a line that is not the helper's."""
    try:
        answer = json.loads(line.decode("utf-8", "replace"))
    except ValueError:
        return None, None
    if isinstance(answer, dict):
        engine, problem = answer.get("engine"), answer.get("problem")
        if isinstance(engine, str) and engine:
            return engine, None
        if isinstance(problem, str) and problem:
            return None, problem
    return None, None


class _Lines(QObject):
    """The helper's input, read on a thread of its own, as signals to the main thread."""

    line = Signal(str)
    ended = Signal()


def voice_helper(limit_s: float = PROBE_LIMIT_S) -> int:
    """`legtimer --voice-helper`: try the engines; print {"engine": name} once one is Ready
    (then speak the text of each {"say": text} line read, until the input ends) or
    {"problem": why} and end."""
    import threading

    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    speaker = _Speaker(limit_s)
    lines = _Lines()

    def say(raw: str) -> None:
        try:
            text = json.loads(raw).get("say")
        except (ValueError, AttributeError):
            return
        if isinstance(text, str) and text:
            speaker.say(text)

    lines.line.connect(say)
    lines.ended.connect(app.quit)

    def read() -> None:
        for raw in sys.stdin:
            lines.line.emit(raw)
        lines.ended.emit()

    def ready(name: str) -> None:
        print(json.dumps({"engine": name}), flush=True)
        threading.Thread(target=read, name="legtimer-voice-input", daemon=True).start()

    def unavailable(why: str) -> None:
        print(json.dumps({"problem": why}), flush=True)
        app.quit()

    speaker.ready.connect(ready)
    speaker.unavailable.connect(unavailable)
    QTimer.singleShot(0, speaker.probe)
    app.exec()
    return 0


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
