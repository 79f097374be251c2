from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from legtimer import __version__, assets, paths
from legtimer.__main__ import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"LegTimer {__version__}"


def test_help_lists_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--data-dir" in out
    assert "usage: legtimer" in out


def test_python_dash_m(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "legtimer", "--version"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.stdout.strip() == f"LegTimer {__version__}"


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGTIMER_HOME", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"
    monkeypatch.delenv("LEGTIMER_HOME")
    default = paths.data_dir()
    assert default.name == "legtimer"
    assert default.is_absolute()


def test_import_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = "import legtimer, legtimer.paths, legtimer.cli, legtimer.app, legtimer.assets"
    env = {"LEGTIMER_HOME": str(home), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert list(tmp_path.iterdir()) == []


def test_ensure_data_dir_is_private(tmp_path: Path) -> None:
    d = paths.ensure_data_dir(tmp_path / "a" / "b")
    assert d.is_dir()
    assert d.stat().st_mode & 0o777 == 0o700


def test_cue_sounds_are_found() -> None:
    for name in assets.CUE_NAMES:
        assert assets.cue_path(name).is_file()
    assert assets.icon_path().is_file()
    with pytest.raises(KeyError, match="unknown cue sound 'nope'"):
        assets.cue_path("nope")
