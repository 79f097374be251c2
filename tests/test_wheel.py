"""The built wheel carries the sounds and resources, and its entry point runs."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from legtimer import __version__

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
    assert "legtimer/py.typed" in names


def test_installed_wheel_runs_and_finds_resources(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    # Only platformdirs is needed for the Qt-free paths exercised here; installing PySide6 again
    # would add a minute and nothing to what this test proves about the wheel's contents.
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel), "platformdirs"],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(env_dir / "bin" / "legtimer"), "--version"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert out.stdout.strip() == f"LegTimer {__version__}"
    code = (
        "from legtimer import assets\n"
        "import legtimer\n"
        "assert '/site-packages/' in legtimer.__file__, legtimer.__file__\n"
        "for n in assets.CUE_NAMES: assert assets.cue_path(n).stat().st_size > 10000, n\n"
        "assert assets.icon_path().is_file()\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [str(py), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert out.stdout.strip() == "ok"
