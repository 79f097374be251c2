"""Times and lengths in words, as the screens and lists say them (stdlib only, and light: the
home screen needs them for its first paint)."""

from __future__ import annotations


def clock_text(seconds: float) -> str:
    """A time as a clock shows it: "4:05", "1:02:03" (whole seconds, rounded down)."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def length_text(seconds: float) -> str:
    """A length in words, as the lists and tiles say it: "45 s" under a minute and a half,
    else whole minutes ("16 min"); never "0 min"."""
    s = round(seconds)
    return f"{s} s" if s < 90 else f"{round(s / 60)} min"


def length_range_text(low: float, high: float) -> str:
    """ "16-22 min", or one length when both round the same ("45 s", not "0-0 min")."""
    a, b = length_text(low), length_text(high)
    if a == b:
        return a
    if a.endswith(" min") and b.endswith(" min"):
        return f"{a.removesuffix(' min')}-{b}"
    return f"{a} to {b}"
