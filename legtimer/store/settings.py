"""The runner's settings, one row per key in the `settings` table (the value as JSON).

Each setting has a default and a check. A stored value that fails its check (written by a newer
version, edited by hand) is reported once and the default used, so one bad row never keeps the
app from starting or takes the other settings with it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from legtimer.store.db import Database

log = logging.getLogger(__name__)

UNITS = ("kmh", "mph")
LEADS = (3, 5)
BACKENDS = ("auto", "stream", "qt", "simpleaudio", "off")
THEMES = ("system", "dark", "light")
FONT_SCALES = (0.85, 1.0, 1.15, 1.3, 1.5)
#: What the desktop last said of its colours (kept beside the settings, not one of them).
DESKTOP_COLOURS = ("dark", "light", "unknown")
_DESKTOP_KEY = "seen_desktop_colours"
#: What the home view said last (kept beside the settings too), for the next start's first paint.
_HOME_KEY = "home_texts"
UPSERT_SETTING = (
    "INSERT INTO settings (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
SESSIONS_PER_WEEK = range(1, 8)


@dataclass(frozen=True)
class Settings:
    units: str = "kmh"
    #: Sound at all (the M key and the home toggle change it too).
    sound: bool = True
    #: The 3-2-1 (or 5-4-3-2-1) countdown beeps before each boundary.
    beeps: bool = True
    countdown_lead: int = 3
    voice: bool = False
    #: 0-100.
    volume: int = 80
    backend: str = "auto"
    flash: bool = False
    theme: str = "system"
    font_scale: float = 1.0
    #: What a new program in the editor starts with.
    sessions_per_week: int = 3
    #: The Bluetooth treadmill and heart-rate strap chosen on the Devices page: address and
    #: name ("" for none).
    treadmill: str = ""
    treadmill_name: str = ""
    strap: str = ""
    strap_name: str = ""
    #: Whether LegTimer sets the belt's speed and incline (off until the runner turns it on,
    #: after a warning).
    drive_belt: bool = False
    #: The chosen treadmill's measured speed change, km/h per second (0: not measured yet).
    treadmill_ramp: float = 0.0
    #: The templates (by name) whose sessions may drive the belt, when `drive_belt` is on.
    drive_templates: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for f in fields(self):
            problem = CHECKS[f.name](getattr(self, f.name))
            if problem:
                raise ValueError(f"{f.name}: {problem}")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _one_of(choices: tuple[Any, ...] | range) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or value not in choices:
            return f"{value!r} is not one of {', '.join(str(c) for c in choices)}"
        return None

    return check


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} is not true or false"


def _volume(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        return f"{value!r} is not a whole number from 0 to 100"
    return None


def _device_text(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 100 or not value.isprintable():
        return f"{value!r} is not a device's name or address"
    return None


def _names(value: Any) -> str | None:
    if not isinstance(value, list | tuple) or len(value) > 1000:
        return f"{value!r} is not a list of template names"
    for name in value:
        if not isinstance(name, str) or not 0 < len(name) <= 200 or not name.isprintable():
            return f"{name!r} is not a template name"
    return None


def _ramp(value: Any) -> str | None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (value == 0 or 0.05 <= value <= 10)
    ):
        return f"{value!r} is not 0 or a speed change of 0.05 to 10 km/h a second"
    return None


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "units": _one_of(UNITS),
    "sound": _bool,
    "beeps": _bool,
    "countdown_lead": _one_of(LEADS),
    "voice": _bool,
    "volume": _volume,
    "backend": _one_of(BACKENDS),
    "flash": _bool,
    "theme": _one_of(THEMES),
    "font_scale": _one_of(FONT_SCALES),
    "sessions_per_week": _one_of(SESSIONS_PER_WEEK),
    "treadmill": _device_text,
    "treadmill_name": _device_text,
    "strap": _device_text,
    "strap_name": _device_text,
    "drive_belt": _bool,
    "treadmill_ramp": _ramp,
    "drive_templates": _names,
}


class SettingsStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        #: What was wrong with stored values on the last load, for the window to show once.
        self.problems: list[str] = []

    def load(self) -> Settings:
        known = {f.name for f in fields(Settings)}
        values: dict[str, Any] = {}
        self.problems = []
        for row in self.db.conn.execute("SELECT key, value FROM settings"):
            key = row["key"]
            if key not in known:
                continue  # a newer version's setting: kept in the table, unused here
            try:
                value = json.loads(row["value"])
            except ValueError:
                problem: str | None = f"{row['value']!r} is not readable"
            else:
                problem = CHECKS[key](value)
            if problem:
                self.problems.append(f"Setting {key}: {problem}; using the default.")
                log.warning("setting %s: %s", key, problem)
            else:
                values[key] = tuple(value) if isinstance(value, list) else value
        return Settings(**values)

    def seen_desktop_colours(self) -> str | None:
        """What the desktop said of its colours when last asked; None when never asked (or
        what is stored is not one of DESKTOP_COLOURS)."""
        value = self._kept(_DESKTOP_KEY)
        return value if value in DESKTOP_COLOURS else None

    def remember_desktop_colours(self, seen: str) -> None:
        if seen not in DESKTOP_COLOURS:
            choices = ", ".join(DESKTOP_COLOURS)
            raise ValueError(f"desktop colours {seen!r} are not one of {choices}")
        self._keep(_DESKTOP_KEY, seen)

    def home_texts(self) -> Any:
        """What the home view said when last refreshed, as it was given to
        `remember_home_texts` (the view checks it); None when never kept or not readable."""
        return self._kept(_HOME_KEY)

    def remember_home_texts(self, texts: Any) -> None:
        self._keep(_HOME_KEY, texts)

    def _kept(self, key: str) -> Any:
        row = self.db.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        try:
            return json.loads(row["value"]) if row is not None else None
        except ValueError:
            return None

    def _keep(self, key: str, value: Any) -> None:
        with self.db.transaction() as conn:
            conn.execute(UPSERT_SETTING, (key, json.dumps(value)))

    def save(self, settings: Settings) -> None:
        """Write every setting in one transaction: all of them or, on an error, none."""
        rows = [(f.name, json.dumps(getattr(settings, f.name))) for f in fields(settings)]
        with self.db.transaction() as conn:
            conn.executemany(UPSERT_SETTING, rows)
