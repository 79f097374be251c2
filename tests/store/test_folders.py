"""Every folder problem is a StoreError that says what is wrong (the window then runs with
"History is off for this run: <why>", the command line prints one line): never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from legtimer.store.db import StoreError, open_database

REPO = Path(__file__).resolve().parents[2]


def test_a_data_path_that_is_a_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    with pytest.raises(StoreError, match=f"the data folder {home} is a file, not a folder"):
        open_database(home)


def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    home = tmp_path / "file" / "home"
    with pytest.raises(StoreError, match=r"cannot be created \(Not a directory\)"):
        open_database(home)


def test_a_read_only_folder_with_a_crashs_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged file left by a crash in a folder that cannot be written: it cannot be moved
    aside, and that is said (the test runs as any user, so the refusal is injected where the
    file system would give it)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "legtimer.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    (home / "legtimer.sqlite3.open-0123456789ab").write_text("")  # a crash's marker

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(Path, "rename", refuse)
    with pytest.raises(StoreError, match=r"cannot be written \(Permission denied\)"):
        open_database(home)


@pytest.mark.parametrize("case", ["file", "uncreatable"])
def test_the_window_opens_with_history_off_and_the_reason(tmp_path: Path, case: str) -> None:
    if case == "file":
        home = tmp_path / "home"
        home.write_text("")
        said = "is a file, not a folder"
    else:
        (tmp_path / "file").write_text("")
        home = tmp_path / "file" / "home"
        said = "cannot be created"
    code = (
        "from legtimer import app, cli\n"
        "a, w = app.build(cli.parse_args([]), single_instance=False)\n"
        "print(w.home.notice_label.text())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=dict(os.environ, LEGTIMER_HOME=str(home), QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert (
        out.stdout.startswith("History is off for this run: the data folder") and said in out.stdout
    )
    cli = subprocess.run(
        [sys.executable, "-m", "legtimer", "history"],
        cwd=REPO,
        env=dict(os.environ, LEGTIMER_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode != 0 and "Traceback" not in cli.stderr
    assert len(cli.stderr.strip().splitlines()) == 1 and said in cli.stderr
