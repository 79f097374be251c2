"""The PyInstaller bundle (packaging/legtimer.spec, `make package`) builds and starts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests import audio
from tests.conftest import on_x, require
from tests.installed import check_installed, run_installed

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


def executable(bundle: Path) -> Path:
    return bundle / ("legtimer.exe" if sys.platform == "win32" else "legtimer")


def test_bundle_starts_offscreen_and_plays_a_cue(bundle: Path, tmp_path: Path) -> None:
    lines = check_installed(executable(bundle), tmp_path)
    # Everything from inside the bundle, nothing from the checkout or the venv.
    assert str(bundle) in lines[0], lines


def test_bundle_is_small_and_leaves_out_what_is_not_used(bundle: Path) -> None:
    size = folder_size(bundle)
    print(f"bundle size: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)")
    assert size < 150e6, f"the bundle is {size / 1e6:.1f} MB, over the 150 MB aim"
    # Each of these would add megabytes: Qt modules we do not use, Qt Multimedia's FFmpeg
    # media back end (the cues need none), OpenSSL (no network use).
    names = {p.name for p in bundle.rglob("*.so*")} | {p.name for p in bundle.rglob("*.dll")}
    unused = "Qt6Quick Qt6Qml Qt6WebEngineCore Qt63DCore Qt6Pdf avcodec ffmpegmediaplugin libcrypto"
    for part in unused.split():
        assert not any(part in n for n in names), part


@pytest.mark.parametrize("backend", ["stream", "qt"])
def test_bundle_cue_is_heard(
    bundle: Path, pulse: dict[str, str], tmp_path: Path, backend: str
) -> None:
    """The stream's PortAudio came along, and without the FFmpeg back end Qt Multimedia still
    plays the cues: heard at the sink."""
    with audio.recorder(pulse) as rec:
        out = run_installed(executable(bundle), tmp_path, "--check-install", backend, env=pulse)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"ok   cue played through the {backend} back end" in out.stdout, out.stdout
    assert audio.onsets(rec.samples()), "the bundle played, but nothing was heard at the sink"
    # The launcher hides Qt's start-up line about the missing media back end, and only it.
    assert "No QtMultimedia backends found" not in out.stderr


def test_bundle_opens_on_x11(bundle: Path, xvfb_display: str, tmp_path: Path) -> None:
    """The xcb platform plugin and the libraries it links came along (the offscreen platform
    needs none of them)."""
    env = on_x(xvfb_display)
    out = run_installed(executable(bundle), tmp_path, "--check-install", env=env, platform="xcb")
    assert out.returncode == 0, out.stdout + out.stderr
