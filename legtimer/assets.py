"""Finding the files that ship with the package (sounds, icons, style sheets).

They live in the packages `legtimer.sounds` and `legtimer.resources`, found through the import
system the same way from a checkout (where they sit at the top of the repository), an editable
install, a wheel and a frozen bundle, so no code guesses at paths relative to the source tree.
(The package's own folder, not `importlib.resources`: that costs eight modules at start-up.)
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

CUE_NAMES = ("countdown", "work", "rest", "complete")


@functools.cache
def _package_dir(package: str) -> Path:
    module = importlib.import_module(package)
    if module.__file__ is None:
        raise FileNotFoundError(f"the package {package} has no folder on disk")
    return Path(module.__file__).parent


def sounds_dir() -> Path:
    return _package_dir("legtimer.sounds")


def resources_dir() -> Path:
    return _package_dir("legtimer.resources")


def cue_path(name: str) -> Path:
    if name not in CUE_NAMES:
        raise KeyError(f"unknown cue sound {name!r}; known: {', '.join(CUE_NAMES)}")
    return sounds_dir() / f"{name}.wav"


def icon_path(name: str = "legtimer") -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def icon_pngs(name: str = "legtimer") -> list[Path]:
    """The icon drawn at fixed sizes (packaging/make_icons.py), smallest first."""
    pngs = (resources_dir() / "icons").glob(f"{name}-*.png")
    return sorted(pngs, key=lambda p: int(p.stem.rsplit("-", 1)[1]))
