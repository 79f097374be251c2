"""Shared test set-up.

Qt must see QT_QPA_PLATFORM before it is first imported, so it is set here, at the top of the
first module pytest loads. Every test gets its own LEGTIMER_HOME so none touches real data.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(os.environ.get("LEGTIMER_SCREENSHOTS", REPO / "screenshots"))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "legtimer-home"
    monkeypatch.setenv("LEGTIMER_HOME", str(home))
    yield home


def special_files(folder: Path) -> list[Path]:
    """Files a reader must refuse without reading: a link to a device that never ends (its
    size says 0) and a named pipe (reading it blocks until someone writes)."""
    zero = folder / "zero.json"
    zero.symlink_to("/dev/zero")
    fifo = folder / "pipe.json"
    os.mkfifo(fifo)
    return [zero, fifo]


def require(variable: str, available: bool, reason: str) -> None:
    """Skip when a real part is missing, unless CI said (via `variable`) that it is present,
    in which case its absence is a failure, not a skip."""
    if available:
        return
    if os.environ.get(variable):
        pytest.fail(f"{reason} (and {variable} is set, so this must run)")
    pytest.skip(reason)


class Grabbable(Protocol):
    def grab(self) -> object: ...


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """Save a widget's picture under screenshots/ for a person to look at."""

    def save(widget: Grabbable, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        pixmap = widget.grab()
        assert pixmap.save(str(path)), f"could not save {path}"  # type: ignore[attr-defined]
        return path

    return save


def _private_pulse() -> Iterator[dict[str, str]]:
    from tests import audio

    require(
        "LEGTIMER_REQUIRE_AUDIO",
        audio.tools_present(),
        "PulseAudio (pulseaudio, parec, pactl) is not installed",
    )
    with audio.pulse_server() as env:
        yield env


@pytest.fixture(scope="module")
def pulse() -> Iterator[dict[str, str]]:
    """A private PulseAudio server with a null sink (tests/audio.py), shared by a module's
    tests; yields its environment."""
    yield from _private_pulse()


@pytest.fixture
def own_pulse() -> Iterator[dict[str, str]]:
    """A private PulseAudio server for one test alone (one that kills it, say)."""
    yield from _private_pulse()


def wait_for_window(proc: subprocess.Popen[str]) -> None:
    """Read the app's log (started with --verbose, stderr piped) until its window is shown;
    fail if it exits first."""
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "main window shown" in line:
            return
    pytest.fail("the app exited before showing its window:\n" + "".join(seen))


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A private X server (Xvfb) for what the offscreen platform cannot do: real windows,
    drag and drop. Yields its DISPLAY."""
    from tests.xserver import x_server

    require("LEGTIMER_REQUIRE_XVFB", shutil.which("Xvfb") is not None, "Xvfb is not installed")
    with x_server() as display:
        yield display


def on_x(display: str) -> dict[str, str]:
    """The environment for a child process that shows its windows on the X server `display`."""
    return dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")


def run_python_on_x(display: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run `python arguments...` from the repository on the X server `display`; assert that it
    succeeded and return what it printed."""
    out = subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        env=on_x(display),
        timeout=60,
        cwd=REPO,
    )
    assert out.returncode == 0, out.stderr
    return out


@contextlib.contextmanager
def private_bus() -> Iterator[str]:
    """A D-Bus message bus of the test's own (its address), ended afterwards; skips without
    dbus-daemon unless CI says it is there."""
    require(
        "LEGTIMER_REQUIRE_DBUS",
        shutil.which("dbus-daemon") is not None,
        "dbus-daemon is not installed",
    )
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    try:
        yield daemon.stdout.readline().strip()
    finally:
        daemon.terminate()
        daemon.wait(5)
        daemon.stdout.close()


#: A D-Bus service in a child process: owns the bus name it is given, says "ready", and answers
#: each method call with answer(conn, msg, member), defined by the code put before it.
_FAKE_SERVICE = r"""
import sys
from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
conn = open_dbus_connection(bus="SESSION")
conn.send_and_get_reply(message_bus.RequestName(sys.argv[1]))
print("ready", flush=True)
while True:
    msg = conn.receive()
    if msg.header.message_type == MessageType.method_call:
        answer(conn, msg, msg.header.fields.get(HeaderFields.member))
"""


@contextlib.contextmanager
def fake_dbus_service(
    name: str, answer: str, *args: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """A process owning `name` on the session bus (DBUS_SESSION_BUS_ADDRESS in `env`, or this
    process's), answering each method call with `answer`: code defining answer(conn, msg,
    member), which may use jeepney's new_method_return and new_error, and sys.argv[2:] (`args`).
    Yields the process once it owns the name (what it prints after is on its stdout); ends it
    afterwards."""
    program = answer + _FAKE_SERVICE
    service = subprocess.Popen(
        [sys.executable, "-c", program, name, *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env if env is not None else dict(os.environ),
    )
    assert service.stdout is not None
    try:
        assert service.stdout.readline().strip() == "ready"
        yield service
    finally:
        service.terminate()
        service.wait(5)
        service.stdout.close()
