"""Colours and words per interval kind.

The palette is Okabe and Ito's, chosen to stay distinct for the common colour-vision
deficiencies; and colour never works alone: every kind also has its word and its mark on
screen (WORK ▲, REST ▼, ...), so a runner who cannot tell the colours apart loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from legtimer.engine import IntervalKind


@dataclass(frozen=True)
class KindStyle:
    word: str
    mark: str
    background: str
    foreground: str


STYLES: dict[IntervalKind, KindStyle] = {
    IntervalKind.WORK: KindStyle("WORK", "▲", "#C24E00", "#FFFFFF"),  # vermillion, darkened
    IntervalKind.REST: KindStyle("REST", "▼", "#005A8C", "#FFFFFF"),  # blue
    IntervalKind.RECOVER: KindStyle("RECOVER", "▼", "#00664A", "#FFFFFF"),  # bluish green
    IntervalKind.WARMUP: KindStyle("WARM-UP", "●", "#3A4350", "#FFFFFF"),  # neutral slate
    IntervalKind.COOLDOWN: KindStyle("COOL-DOWN", "●", "#3A4350", "#FFFFFF"),
}
PAUSED_OVERLAY = "rgba(10, 12, 16, 215)"
NEXT_EMPHASIS = "#FFD21F"  # yellow: the last seconds before a boundary


def style_for(kind: IntervalKind) -> KindStyle:
    return STYLES[kind]
