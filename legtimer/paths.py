"""Where LegTimer keeps its data.

Nothing here touches the disk at import time: callers ask for a directory and decide when it is
created, so `legtimer --help` or a test importing the package never leaves files behind.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "legtimer"
HOME_ENV = "LEGTIMER_HOME"
DATABASE_NAME = "legtimer.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: an explicit override (``--data-dir``), else ``$LEGTIMER_HOME``,
    else the platform's user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    common = _freedesktop_data_home()
    if common is not None:
        return common / APP_NAME
    import platformdirs  # Windows' and macOS's known folders, and the unusual cases here

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


#: Linux and the BSDs, where the XDG base directory rule decides.
_FREEDESKTOP = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly"))


def _freedesktop_data_home() -> Path | None:
    """The user data folder by the XDG rule in its two common cases (an absolute
    $XDG_DATA_HOME; else ~/.local/share under an absolute $HOME), as platformdirs gives it;
    None elsewhere and in the rest (platformdirs then decides). Importing platformdirs costs
    a few milliseconds of every start-up, most of its code being for the other systems;
    tests/test_paths.py holds the two to the same answer."""
    if not _FREEDESKTOP:
        return None
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg)
    home = os.environ.get("HOME", "")
    return Path(home, ".local", "share") if os.path.isabs(home) else None


def ensure_data_dir(directory: Path) -> Path:
    """Create the data directory readable by its owner only (it holds personal history)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def database_path(directory: Path) -> Path:
    return directory / DATABASE_NAME
