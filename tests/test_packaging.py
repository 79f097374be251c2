"""The desktop files pass their validators and agree with the project; the icon's sizes exist."""

from __future__ import annotations

import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

from legtimer import __version__
from tests.conftest import require

REPO = Path(__file__).resolve().parent.parent
APP_ID = "io.github.legtimer.LegTimer"
DESKTOP = REPO / "packaging" / f"{APP_ID}.desktop"
METAINFO = REPO / "packaging" / f"{APP_ID}.metainfo.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def run_validator(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    require("LEGTIMER_REQUIRE_VALIDATORS", shutil.which(tool) is not None, f"{tool} is missing")
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)


def test_desktop_file_validates() -> None:
    out = run_validator("desktop-file-validate", str(DESKTOP))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "error" not in out.stdout + out.stderr


def test_metainfo_validates() -> None:
    out = run_validator("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert out.returncode == 0, out.stdout + out.stderr
    for line in out.stdout.splitlines():
        assert not line.startswith(("E:", "W:")), out.stdout


def test_desktop_file_and_metainfo_agree_with_the_project() -> None:
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert desktop["Exec"].split()[0] in project["gui-scripts"]
    assert desktop["Icon"] == APP_ID

    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("project_license") == project["license"]
    releases = [r.get("version") for r in root.iter("release")]
    assert releases[0] == __version__, "the newest release in the metainfo is this version"
    for url in (i.text or "" for i in root.iter("image")):
        name = url.rsplit("/", 1)[-1]
        assert (REPO / "docs" / name).is_file(), f"screenshot {name} is not in docs/"
    assert root.find("content_rating") is not None


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_sizes(size: int) -> None:
    path = REPO / "resources" / "icons" / f"legtimer-{size}.png"
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (size, size)


def test_every_package_of_the_source_is_in_the_wheels_list() -> None:
    """pyproject.toml lists the packages by hand (resources and sounds sit outside the
    package folder): a new subpackage missing from the list breaks only the installed app."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(root).parts)
        for p in (root / "legtimer").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"not in pyproject.toml's packages: {sorted(found - listed)}"
