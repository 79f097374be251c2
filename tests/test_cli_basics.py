from __future__ import annotations

import os
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


def test_check_install_takes_a_sound_back_end() -> None:
    from legtimer import cli
    from legtimer.store import settings

    assert cli.SOUND_BACKENDS == settings.BACKENDS
    assert cli.parse_args(["--check-install"]).check_install == "off"
    assert cli.parse_args(["--check-install", "qt"]).check_install == "qt"
    assert cli.parse_args([]).check_install is None


def test_check_install_fails_when_the_asked_back_end_cannot_play(tmp_path: Path) -> None:
    """No audio server to reach: sound falls back to silent, and the check says so and fails."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PULSE_SERVER=f"unix:{tmp_path / 'no-such-socket'}",
        PIPEWIRE_REMOTE=str(tmp_path / "no-such-pipewire"),
        LEGTIMER_HOME=str(tmp_path / "home"),
    )
    out = subprocess.run(
        [sys.executable, "-m", "legtimer", "--check-install", "qt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "FAIL cue played through the off back end, not qt" in out.stdout
    assert "Sound is off: no audio output device was found" in out.stdout
    assert "ok   icon drawn" in out.stdout


@pytest.mark.parametrize(
    "argv",
    [[], ["-v"], ["--check-install"], ["--check-install=qt"], ["--week=3", "--start=HIIT"]],
)
def test_a_launch_with_options_only_parses_as_the_full_parser_does(argv: list[str]) -> None:
    from legtimer import cli

    assert cli.parse_args(argv) == cli.build_parser().parse_args(argv)


def test_a_mistake_in_the_options_shows_the_full_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--bogus"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --bogus" in err
    assert "COMMAND" in err


def test_the_readmes_command_line_examples_are_commands_the_app_takes() -> None:
    """Each example in the README's command-line section parses as written."""
    import shlex

    from legtimer import cli

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    examples = [line.split("#", 1)[0] for line in section.splitlines() if line.strip()]
    assert len(examples) >= 10
    for example in examples:
        argv = shlex.split(example)
        assert argv[0] == ".venv/bin/legtimer", example
        args = cli.parse_args(argv[1:])
        assert args.handler is not None, example
