"""Keep-awake for real: wakepy asks a screen saver on a private D-Bus session bus to inhibit
while a session runs, and lets it go afterwards."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator

import pytest

from legtimer.gui.keepawake import KeepAwake
from tests.conftest import fake_dbus_service, private_bus

#: The screen saver's answers (org.freedesktop.ScreenSaver), each call said on stdout.
SCREENSAVER = r"""
from jeepney import new_method_return
def answer(conn, msg, member):
    if member == "Inhibit":
        conn.send(new_method_return(msg, "u", (42,)))
        print("inhibit", *msg.body, flush=True)
    elif member == "UnInhibit":
        conn.send(new_method_return(msg))
        print("uninhibit", *msg.body, flush=True)
"""


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with private_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        try:
            yield address
        finally:
            # wakepy leaves its D-Bus connection for the garbage collector; collect it here,
            # quietly, rather than have the warning surface in a later test.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                gc.collect()


def test_keep_awake_inhibits_and_releases(session_bus: str) -> None:
    with fake_dbus_service("org.freedesktop.ScreenSaver", SCREENSAVER) as service:
        assert service.stdout is not None
        keep = KeepAwake()
        assert keep.acquire() is None
        assert keep.active
        assert service.stdout.readline().split()[0] == "inhibit"
        keep.release()
        assert not keep.active
        assert service.stdout.readline().strip() == "uninhibit 42"


def test_no_screen_saver_service_is_a_soft_failure(session_bus: str) -> None:
    keep = KeepAwake()
    problem = keep.acquire()
    assert problem is not None and "screen may dim" in problem
    assert not keep.active
    keep.release()
