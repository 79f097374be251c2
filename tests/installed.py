"""Starting an installed LegTimer (a wheel in a clean venv, a bundle) as a user would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from legtimer import __version__


def check_installed(command: Path, tmp_path: Path) -> list[str]:
    """Run `command --version` and `command --check-install` offscreen, away from the
    checkout's Python path; assert both succeed and return the check's lines."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["LEGTIMER_HOME"] = str(tmp_path / "user-data")

    def run(argument: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), argument],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
        )

    out = run("--version")
    assert out.stdout.strip() == f"LegTimer {__version__}", out.stderr
    out = run("--check-install")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "cue played through the off back end" in out.stdout
    return out.stdout.splitlines()
