from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from legtimer.engine import FakeClock
from legtimer.gui.controller import WorkoutController
from legtimer.gui.sound import SoundCues
from tests.gui.conftest import FakeKeepAwake

pytestmark = pytest.mark.gui


def test_closing_without_a_session_leaves_the_sound_back_end_unopened(qtbot: QtBot) -> None:
    """Opening Qt Multimedia costs a few hundred milliseconds: a window closed before any cue
    must not open it just to let it go."""
    sound = SoundCues("auto")
    controller = WorkoutController(FakeClock(), sound, keep_awake=FakeKeepAwake())
    controller.shutdown()
    assert not sound.is_open
    sound.warm(True)  # a session about to start does open it
    assert sound.is_open
    sound.warm(False)
    assert sound.is_open  # let go of the output, but kept for the next session
    sound.close()
    assert not sound.is_open
