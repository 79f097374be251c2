"""Finding the files that ship with the package (sounds, icons, style sheets).

`importlib.resources` resolves them the same way from a checkout, an editable install, a wheel
and a frozen bundle, so no code guesses at paths relative to the source tree.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CUE_NAMES = ("countdown", "work", "rest", "complete")


def sounds_dir() -> Path:
    return Path(str(resources.files("legtimer.sounds")))


def resources_dir() -> Path:
    return Path(str(resources.files("legtimer.resources")))


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
