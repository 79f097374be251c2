"""The PyInstaller bundle (packaging/legtimer.spec, `make package`) builds and starts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require
from tests.installed import check_installed

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(
        "LEGTIMER_REQUIRE_PACKAGE",
        importlib.util.find_spec("PyInstaller") is not None,
        "PyInstaller is not installed (the package extra)",
    )
    out = tmp_path_factory.mktemp("bundle")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(REPO / "packaging" / "legtimer.spec"),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    return out / "dist" / "legtimer"


def test_bundle_starts_offscreen_and_plays_a_cue(bundle: Path, tmp_path: Path) -> None:
    exe = bundle / ("legtimer.exe" if sys.platform == "win32" else "legtimer")
    lines = check_installed(exe, tmp_path)
    # Everything from inside the bundle, nothing from the checkout or the venv.
    assert str(bundle) in lines[0], lines
    size_mb = folder_size(bundle) / 2**20
    print(f"bundle size: {size_mb:.0f} MB")
    # The Qt modules we do not use stay out (a regression here adds tens of MB).
    names = {p.name for p in bundle.rglob("*.so*")} | {p.name for p in bundle.rglob("*.dll")}
    for unused in ("Qt6Quick", "Qt6Qml", "Qt6WebEngineCore", "Qt63DCore", "Qt6Pdf"):
        assert not any(unused in n for n in names), unused
