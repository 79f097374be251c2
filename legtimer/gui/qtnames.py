"""Qt settings by name, without the Qt namespace's enums.

The first use of any `Qt.*` enum (`Qt.AlignmentFlag`, `Qt.Key`, `Qt.ColorScheme`...) makes
PySide build all ~90 enums of the Qt namespace at once: about 1.3 MB of Python objects (1.4 MB
of a process's resident memory) and 20-40 ms. Nothing a session needs requires them: Qt's
properties take an enum's value by its name, QKeySequence names keys, and the desktop's colour
scheme is one integer. The views a session shows (home, the workout screen, the summary) and
the code that runs them set what they need through here; tests/gui/test_qtnames.py checks
that a whole session leaves the namespace unbuilt.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication


def set_enum_property(obj: QObject, name: str, value: str) -> None:
    """Set `obj`'s Qt property `name` of enum or flag type by its value's name, as Qt's own
    style sheets do: `set_enum_property(label, "alignment", "AlignCenter")`. Raises
    ValueError when the object has no such property or the property no such value (where
    QObject.setProperty would quietly add a dynamic property or do nothing)."""
    meta = obj.metaObject()
    if meta.indexOfProperty(name) < 0 or not obj.setProperty(name, value):
        raise ValueError(f"{meta.className()} has no property {name!r} taking {value!r}")


@cache
def key_code(name: str) -> int:
    """The code QKeyEvent.key() gives for the key QKeySequence calls `name` ("Esc",
    "Return", "Enter")."""
    from PySide6.QtGui import QKeySequence

    sequence = QKeySequence(name)
    if sequence.count() != 1:
        raise ValueError(f"{name!r} does not name one key")
    return sequence[0].toCombined()  # type: ignore[index, no-any-return]


#: Qt::AlignCenter (AlignHCenter 0x4 | AlignVCenter 0x80), for QPainter.drawText's flags.
ALIGN_CENTER = 0x84

#: Qt::ColorScheme's values (Unknown is 0), as the desktop colours the settings remember.
_SCHEMES = {1: "light", 2: "dark"}

#: Where each platform's Qt Gui library exports QStyleHints::colorScheme() const, a member
#: function without arguments that returns the enum (an int): its library as ctypes finds an
#: already loaded one, and its symbol (Itanium C++ names on Linux and macOS, MSVC's on
#: Windows).
_COLOR_SCHEME_SYMBOLS: dict[str, tuple[str | None, str]] = {
    "linux": ("libQt6Gui.so.6", "_ZNK11QStyleHints11colorSchemeEv"),
    "darwin": (None, "_ZNK11QStyleHints11colorSchemeEv"),
    "win32": ("Qt6Gui", "?colorScheme@QStyleHints@@QEBA?AW4ColorScheme@Qt@@XZ"),
}


@cache
def _color_scheme_function() -> Callable[[int], int] | None:
    place = _COLOR_SCHEME_SYMBOLS.get(sys.platform)
    if place is None:
        return None
    import ctypes

    library, symbol = place
    try:
        function = getattr(ctypes.CDLL(library), symbol)
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int
    function.argtypes = [ctypes.c_void_p]
    return function  # type: ignore[no-any-return]


def color_scheme_value() -> int | None:
    """QStyleHints.colorScheme() as its integer value, read from Qt Gui itself (through the
    function's exported symbol, with the hints object's address), or None where that symbol
    cannot be found."""
    function = _color_scheme_function()
    if function is None:
        return None
    from shiboken6 import Shiboken

    hints = QGuiApplication.styleHints()
    value = function(Shiboken.getCppPointer(hints)[0])
    return value if value in (0, 1, 2) else None


def desktop_colours() -> str:
    """ "dark", "light" or "unknown", as the desktop says now (QStyleHints.colorScheme)."""
    value = color_scheme_value()
    if value is None:  # a Qt whose symbol is not where we look: ask through PySide
        value = QGuiApplication.styleHints().colorScheme().value
    return _SCHEMES.get(value, "unknown")
