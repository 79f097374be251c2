"""The built wheel carries the sounds and resources, and its entry point runs."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.installed import check_installed

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("legtimer-*.whl")
    return whl


def test_wheel_contains_resources(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for cue in ("countdown", "work", "rest", "complete"):
        assert f"legtimer/sounds/{cue}.wav" in names
    assert "legtimer/resources/icons/legtimer.svg" in names
    assert "legtimer/resources/icons/legtimer-256.png" in names
    assert "legtimer/py.typed" in names


def test_installed_wheel_starts_offscreen_and_plays_a_cue(wheel: Path, tmp_path: Path) -> None:
    """As a user installs it: a clean venv, the wheel with its dependencies, the installed
    command. `--check-install` opens the window, draws the icon, reads every cue sound and
    plays one through the silent back end, all from the installed package."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True
    )
    lines = check_installed(env_dir / "bin" / "legtimer", tmp_path)
    assert len(lines) == 7 and all(line.startswith("ok ") for line in lines), lines
    assert "/site-packages/legtimer/resources/icons/legtimer.svg" in lines[0]
    # The check used a throw-away folder, not the user's data.
    assert not (tmp_path / "user-data").exists()
