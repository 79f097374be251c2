"""Starting an installed LegTimer (a wheel in a clean venv, a bundle) as a user would."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from legtimer import __version__


def run_installed(
    command: Path,
    tmp_path: Path,
    *arguments: str,
    env: Mapping[str, str] | None = None,
    platform: str = "offscreen",
) -> subprocess.CompletedProcess[str]:
    """Run `command` with `arguments` on the Qt `platform`, away from the checkout's Python
    path and the user's data."""
    clean = {k: v for k, v in (env or os.environ).items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    clean["QT_QPA_PLATFORM"] = platform
    clean["LEGTIMER_HOME"] = str(tmp_path / "user-data")
    return subprocess.run(
        [str(command), *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean,
        timeout=120,
    )


def check_installed(command: Path, tmp_path: Path) -> list[str]:
    """Run `command --version` and `command --check-install` offscreen; assert both succeed
    and return the check's lines."""
    out = run_installed(command, tmp_path, "--version")
    assert out.stdout.strip() == f"LegTimer {__version__}", out.stderr
    out = run_installed(command, tmp_path, "--check-install")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "cue played through the off back end" in out.stdout
    return out.stdout.splitlines()
