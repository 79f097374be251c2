"""Colours and words per interval kind.

The palette is Okabe and Ito's, chosen to stay distinct for the common colour-vision
deficiencies; and colour never works alone: every kind also has its word and its mark on
screen (WORK ▲, REST ▼, ...), so a runner who cannot tell the colours apart loses nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtWidgets import QLayout, QWidget

if TYPE_CHECKING:
    from legtimer.engine import IntervalKind


# Plain records here are NamedTuples, not dataclasses: this module loads before the first
# paint, and a frozen dataclass takes ~0.7 ms to define (its methods are compiled from source).
class KindStyle(NamedTuple):
    word: str
    mark: str
    background: str
    foreground: str


#: By IntervalKind's values (a StrEnum member finds its value's entry): this module is part of
#: the first paint, the engine's model is not.
STYLES: dict[str, KindStyle] = {
    "work": KindStyle("WORK", "▲", "#933A00", "#FFFFFF"),  # vermillion, darkened to 7.4:1
    "rest": KindStyle("REST", "▼", "#005A8C", "#FFFFFF"),  # blue
    "recover": KindStyle("RECOVER", "▼", "#00614A", "#FFFFFF"),  # bluish green, 7.5:1
    "warmup": KindStyle("WARM-UP", "●", "#3A4350", "#FFFFFF"),  # neutral slate
    "cooldown": KindStyle("COOL-DOWN", "●", "#3A4350", "#FFFFFF"),
}
PAUSED_OVERLAY = "rgba(10, 12, 16, 242)"  # the screen below only just shows
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
_TEXT_COLOUR = r"(?<![-\w])(color:\s*)(#[0-9A-Fa-f]{6})\b"
#: The focus frame: yellow shows on the dark page, not on the light one (3:1 at least).
LIGHT_FOCUS = {"#FFD21F": "#005A8C"}
_BORDER_COLOUR = r"(border-color:\s*)(#[0-9A-Fa-f]{6})\b"
ON_NEUTRAL = {"dark": "white", "light": "#1F2430"}
_HEX = r"#[0-9A-Fa-f]{6}\b"
_FONT_PX = r"font-size:\s*(\d+)px"
# Patterns as text: `re` compiles each on first use (and keeps it), so the dark theme at
# normal size, which needs none of them, compiles none before the first paint.
#: Widgets styled through `style()`, with the sheet as written, for `restyle()`.
_RAW = "legtimerStyleSheet"


class Appearance(NamedTuple):
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


#: Part of every view's style sheet: its labels show their text as written. A template's name,
#: description or cue text with markup in it (a shared file, a hand-edited history) is shown,
#: not rendered: QLabel would take text starting with a tag as rich text, and load the images
#: it names.
PLAIN_LABELS = "QLabel { qproperty-textFormat: PlainText; }"


def sheet(css: str) -> str:
    out = PLAIN_LABELS + css
    if _current.theme == "light":
        out = re.sub(_TEXT_COLOUR, _light_text, out)
        out = re.sub(
            _BORDER_COLOUR,
            lambda m: m.group(1) + LIGHT_FOCUS.get(m.group(2).upper(), m.group(2)),
            out,
        )
        out = re.sub(_HEX, lambda m: colour(m.group(0)), out)
    # After the swap: the light theme's text on neutral buttons is itself a palette colour.
    out = out.replace("@on-neutral", ON_NEUTRAL[_current.theme])
    if _current.font_scale != 1.0:
        out = re.sub(
            _FONT_PX, lambda m: f"font-size: {round(int(m.group(1)) * _current.font_scale)}px", out
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
        # Widgets that colour themselves in code (charts) redo it.
        hook = getattr(w, "on_restyle", None)
        if callable(hook):
            hook()
        # Sizes follow the new fonts: layouts ask again.
        w.updateGeometry()
        w.update()


#: The colours Qt draws its own widgets with (menus, menu bar, status bar, combo box lists,
#: spin boxes, dialogs, message boxes, file dialogs, tooltips), from the same tokens as the
#: views: a widget no style sheet reaches still matches the theme and keeps its contrast.
PALETTES = {
    "dark": {
        "Window": "#1F2430",
        "WindowText": "#E5E9F0",
        "Base": "#2B3240",
        "AlternateBase": "#262C38",
        "Text": "#E5E9F0",
        "PlaceholderText": "#A9B1C0",
        "Button": "#3A4350",
        "ButtonText": "#FFFFFF",
        "BrightText": "#FFFFFF",
        "Highlight": "#005A8C",
        "HighlightedText": "#FFFFFF",
        "ToolTipBase": "#2B3240",
        "ToolTipText": "#E5E9F0",
        "Link": "#8CC8FF",
        "Light": "#4A5363",
        "Midlight": "#3A4350",
        "Mid": "#2B3240",
        "Dark": "#151922",
        "Shadow": "#0B0D12",
    },
    "light": {
        "Window": "#F3F5F8",
        "WindowText": "#1F2430",
        "Base": "#FFFFFF",
        "AlternateBase": "#EEF1F5",
        "Text": "#1F2430",
        "PlaceholderText": "#4A5363",
        "Button": "#D5DBE4",
        "ButtonText": "#1F2430",
        "BrightText": "#000000",
        "Highlight": "#005A8C",
        "HighlightedText": "#FFFFFF",
        "ToolTipBase": "#FFFFFF",
        "ToolTipText": "#1F2430",
        "Link": "#005A8C",
        "Light": "#FFFFFF",
        "Midlight": "#E8ECF1",
        "Mid": "#B8C0CC",
        "Dark": "#8A93A3",
        "Shadow": "#4A5363",
    },
}
#: Disabled text: dimmed, still 4.5:1 on its background (a disabled control is exempt from
#: the contrast rules, but a runner should still read what it is).
DISABLED_TEXT = {"dark": "#8A93A3", "light": "#5A6372"}


def apply_palette(theme: str) -> None:
    """Give the application the theme's palette. (The style stays the desktop's: the widget
    styles Qt ships draw from the palette; asking for one before the first paint costs ~10 ms.)"""
    from PySide6.QtGui import QColor, QGuiApplication, QPalette

    app = QGuiApplication.instance()
    if app is None or app.property("legtimerPalette") == theme:
        return
    palette = QPalette()
    for role, value in PALETTES[theme].items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(value))
    disabled = QColor(DISABLED_TEXT[theme])
    for role in ("WindowText", "Text", "ButtonText"):
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), disabled)
    QGuiApplication.setPalette(palette)
    app.setProperty("legtimerPalette", theme)


#: Below this size a view lays out compact (smaller headlines): netbooks, small screens.
COMPACT_BELOW = (900, 620)


def follow_size(view: QWidget) -> None:
    """Set the view's "compact" property from its size (its style sheet has rules for
    `[compact="true"]`), restyling only when it changes."""
    compact = view.width() < COMPACT_BELOW[0] or view.height() < COMPACT_BELOW[1]
    if compact != view.property("compact"):
        view.setProperty("compact", compact)
        # Setting the sheet again makes Qt match its rules anew, children included (and,
        # unlike style().unpolish(), uses no Qt.* enum: the home view does this before the
        # first paint).
        view.setStyleSheet(view.styleSheet())


def scrolling(view: QWidget, layout: QLayout) -> QWidget:
    """Lay `layout` out in a content widget that scrolls inside `view` when `view` is smaller
    than it needs (a small screen at a large text size): nothing is squeezed or cut off, and
    the rest of the time no scroll bar shows. Returns the content widget."""
    from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout

    content = QWidget()
    content.setObjectName("scrollContent")
    content.setLayout(layout)
    area = QScrollArea(view)
    area.setObjectName("viewScroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(content)
    outer = QVBoxLayout(view)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return content


def resolve_theme(choice: str, system_is_dark: bool | None) -> str:
    """ "system" follows the desktop; when the desktop does not say, dark (the app's look)."""
    if choice in ("dark", "light"):
        return choice
    return "light" if system_is_dark is False else "dark"
