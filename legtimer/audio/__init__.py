"""Cue audio without Qt: the mixer that places each cue at the sample where its due time falls,
and the clock that maps an output stream's frames to the monotonic clock (stdlib only).

The GUI's stream back end (`legtimer.gui.sound.StreamBackend`) feeds a `CueMixer` from an
output stream's callback; everything here can be driven by hand with made-up callback times,
which is how the tests check the placement to the sample.
"""

from legtimer.audio.mixer import CueMixer, Placed, PlannedCue, StreamClock, read_pcm16

__all__ = ["CueMixer", "Placed", "PlannedCue", "StreamClock", "read_pcm16"]
