"""Where LegTimer keeps its data.

Nothing here touches the disk at import time: callers ask for a directory and decide when it is
created, so `legtimer --help` or a test importing the package never leaves files behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def ensure_data_dir(directory: Path) -> Path:
    """Create the data directory readable by its owner only (it holds personal history)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def database_path(directory: Path) -> Path:
    return directory / DATABASE_NAME
