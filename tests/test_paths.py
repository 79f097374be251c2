"""Where the history lives: the app's own XDG rule on Linux agrees with platformdirs."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from legtimer import paths

linux_only = pytest.mark.skipif(
    not paths._FREEDESKTOP, reason="the XDG rule applies on Linux and the BSDs only"
)


@linux_only
@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/runner"),  # the usual case
        ("/data/xdg", "/home/runner"),
        ("", "/home/runner"),  # set but empty: ignored
        ("   ", "/home/runner"),
        ("relative/xdg", "/home/runner"),  # not absolute: ignored
        ("/data/xdg", None),
        ("/data/xdg/", "relative-home"),
        ("/home/runner/My Data", "/home/runner"),
    ],
)
def test_data_dir_agrees_with_platformdirs(
    xdg: str | None, home: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    for name, value in (("XDG_DATA_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    expected = Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    assert paths._freedesktop_data_home() is not None, "answered without platformdirs"
    assert paths.data_dir() == expected


@linux_only
@pytest.mark.parametrize("home", [None, "relative-home"])
def test_unusual_homes_are_left_to_platformdirs(
    home: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    else:
        monkeypatch.setenv("HOME", home)
    assert paths._freedesktop_data_home() is None
    # platformdirs finds the home from the password database then.
    expected = Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    assert paths.data_dir() == expected
    assert expected.is_absolute()


def test_override_and_environment_come_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"


def test_start_up_does_not_import_platformdirs_on_linux(tmp_path: Path) -> None:
    import subprocess

    if not paths._FREEDESKTOP:
        pytest.skip("elsewhere platformdirs finds the folder")
    code = (
        "import sys; from legtimer import paths; paths.data_dir(); "
        "print('platformdirs' in sys.modules)"
    )
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
