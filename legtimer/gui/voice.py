"""Spoken announcements through Qt TextToSpeech, when the system has a speech engine.

Optional and off by default: when no engine is installed the option is hidden rather than
offered and then failing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from legtimer.engine import Interval, IntervalKind
from legtimer.plans.model import KM_PER_MILE

log = logging.getLogger(__name__)


def engines() -> list[str]:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return []
    return [e for e in QTextToSpeech.availableEngines() if e != "mock"]


class Voice(QObject):
    def __init__(
        self,
        enabled: bool = False,
        parent: QObject | None = None,
        *,
        available_engines: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.enabled = enabled
        #: Speech engines to use, best first (default: what Qt finds on this system).
        self._engines = available_engines
        self._tts: object | None = None
        self.spoken: list[str] = []

    @property
    def engines(self) -> list[str]:
        if self._engines is None:
            self._engines = engines()
        return self._engines

    @property
    def engines_known(self) -> bool:
        """Whether asking for `engines` is free (given, or already asked)."""
        return self._engines is not None

    @property
    def available(self) -> bool:
        return bool(self.engines)

    def _speaker(self) -> object | None:
        if self._tts is None and self.available:
            from PySide6.QtTextToSpeech import QTextToSpeech

            self._tts = QTextToSpeech(self.engines[0], self)
        return self._tts

    def say(self, text: str) -> None:
        if not self.enabled:
            return
        self.spoken.append(text)
        tts = self._speaker()
        if tts is not None:
            tts.say(text)  # type: ignore[attr-defined]


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
