"""Colours and words per interval kind.

The palette is Okabe and Ito's, chosen to stay distinct for the common colour-vision
deficiencies; and colour never works alone: every kind also has its word and its mark on
screen (WORK ▲, REST ▼, ...), so a runner who cannot tell the colours apart loses nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

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


# --- The app's chrome: dark or light, and a font scale -------------------------------------
#
# The views' style sheets are written once, in the dark palette's colours. For the light theme,
# `sheet()` swaps each neutral colour for its light counterpart; text on neutral buttons is
# written `@on-neutral` (white on dark grey, near-black on light grey). The interval kinds'
# colours stay as they are in both themes, and the workout screen keeps its own high-contrast
# look: it is read from the treadmill, not from the desk. Font sizes given in px are multiplied
# by the scale.

LIGHT = {
    "#1F2430": "#F3F5F8",  # page
    "#2B3240": "#FFFFFF",  # panels, lists, fields
    "#3A4350": "#D5DBE4",  # neutral buttons, grid lines
    "#E5E9F0": "#1F2430",  # text
    "#A9B1C0": "#4A5363",  # secondary text
    "#C8CED8": "#3A4350",  # chart and calendar labels
}
#: Bright text colours that would vanish on a light page: darker versions, for `color:` only
#: (as backgrounds, with dark text on them, the bright ones stay).
LIGHT_TEXT = {
    "#FFD21F": "#7A5600",  # advice, "what comes next"
    "#FFB000": "#8F4A00",  # problems
    "#FFB4A2": "#A33A1F",  # notices
}
_TEXT_COLOUR = re.compile(r"(?<![-\w])(color:\s*)(#[0-9A-Fa-f]{6})\b")
ON_NEUTRAL = {"dark": "white", "light": "#1F2430"}
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")
_FONT_PX = re.compile(r"font-size:\s*(\d+)px")
#: Widgets styled through `style()`, with the sheet as written, for `restyle()`.
_RAW = "legtimerStyleSheet"


@dataclass(frozen=True)
class Appearance:
    #: "dark" or "light" (the system theme resolved: see `resolve_theme`).
    theme: str = "dark"
    font_scale: float = 1.0


_current = Appearance()


def appearance() -> Appearance:
    return _current


def set_appearance(value: Appearance) -> None:
    global _current
    _current = value


def colour(dark_hex: str) -> str:
    """The current theme's version of a colour written in the dark palette."""
    return LIGHT.get(dark_hex.upper(), dark_hex) if _current.theme == "light" else dark_hex


def _light_text(m: re.Match[str]) -> str:
    return m.group(1) + LIGHT_TEXT.get(m.group(2).upper(), m.group(2))


def sheet(css: str) -> str:
    out = css
    if _current.theme == "light":
        out = _TEXT_COLOUR.sub(_light_text, out)
        out = _HEX.sub(lambda m: colour(m.group(0)), out)
    # After the swap: the light theme's text on neutral buttons is itself a palette colour.
    out = out.replace("@on-neutral", ON_NEUTRAL[_current.theme])
    if _current.font_scale != 1.0:
        out = _FONT_PX.sub(
            lambda m: f"font-size: {round(int(m.group(1)) * _current.font_scale)}px", out
        )
    return out


def style(widget: QWidget, css: str) -> None:
    """Give `widget` this style sheet in the current appearance, and remember it as written
    so `restyle()` can redo it when the appearance changes."""
    widget.setProperty(_RAW, css)
    widget.setStyleSheet(sheet(css))


def restyle(root: QWidget) -> None:
    for w in (root, *root.findChildren(QWidget)):
        css = w.property(_RAW)
        if isinstance(css, str):
            w.setStyleSheet(sheet(css))
        # Sizes follow the new fonts: layouts ask again.
        w.updateGeometry()
        w.update()


def resolve_theme(choice: str, system_is_dark: bool | None) -> str:
    """ "system" follows the desktop; when the desktop does not say, dark (the app's look)."""
    if choice in ("dark", "light"):
        return choice
    return "light" if system_is_dark is False else "dark"
