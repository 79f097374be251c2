"""The devices' thread and the Qt side of them.

Bluetooth is asyncio (bleak), and never runs on the GUI thread: `DeviceHub` owns an asyncio
loop on a thread of its own and hands it the session's snapshots; what the devices say comes
back as Qt signals, which Qt queues to the GUI thread. Nothing the GUI thread does waits on a
radio: the one wait (`finish_session`) is for the loop to copy what it recorded, which it does
at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from legtimer.devices.driver import RampMeter
from legtimer.devices.link import Live, SessionLink
from legtimer.devices.recorder import IntervalMeasures, Sample
from legtimer.devices.treadmill import Strap, Treadmill
from legtimer.engine import Interval, Snapshot

if TYPE_CHECKING:
    from legtimer.devices.simulated import SimulatedGym

#: How often a simulated gym moves on when the app runs on the real clock.
SIMULATION_TICK_S = 0.25


@dataclass(frozen=True)
class Recorded:
    """What the devices recorded in one session."""

    measures: tuple[IntervalMeasures, ...]
    samples: tuple[Sample, ...]
    said: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return all(m.empty for m in self.measures)


class DeviceHub(QObject):
    #: A `legtimer.devices.link.Live` reading.
    live = Signal(object)
    #: A sentence for the runner (a device lost, back, a refused command, a clamped speed).
    said = Signal(str)

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        treadmill: Treadmill | None = None,
        strap: Strap | None = None,
        advance: Callable[[float], None] | None = None,
        tick_s: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.treadmill = treadmill
        self.strap = strap
        #: A simulation's step (moved to the clock's time at every snapshot and tick).
        self._advance = advance
        self._tick_s = tick_s
        self.drive = False
        self.ramp = RampMeter()
        self.link: SessionLink | None = None
        #: The simulated gym, when the devices are simulated (tests look at its belt).
        self.gym: SimulatedGym | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="legtimer devices", daemon=True
        )
        self._thread.start()
        if advance is not None and tick_s:
            self._submit(self._ticking())

    @classmethod
    def simulated(cls, clock: Callable[[], float], *, tick_s: float | None = None) -> DeviceHub:
        """The simulated treadmill and strap (`legtimer --treadmill simulated`, tests)."""
        from legtimer.devices.simulated import SimulatedGym

        gym = SimulatedGym(clock)
        hub = cls(
            clock,
            treadmill=Treadmill(gym.treadmill),
            strap=Strap(gym.strap),
            advance=gym.advance_to,
            tick_s=tick_s,
        )
        hub.gym = gym
        return hub

    @property
    def names(self) -> list[str]:
        return [d.name for d in (self.treadmill, self.strap) if d is not None]

    def _submit(self, coro: object) -> concurrent.futures.Future[object]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]

    async def _ticking(self) -> None:
        assert self._advance is not None and self._tick_s
        while True:
            self._advance(self.clock())
            await asyncio.sleep(self._tick_s)

    # -- a session -----------------------------------------------------------------------------

    def start_session(self, intervals: Sequence[Interval]) -> None:
        def report(item: object) -> None:
            if isinstance(item, Live):
                self.live.emit(item)
            else:
                self.said.emit(str(item))

        async def begin() -> None:
            if self.link is not None:
                await self.link.close()
            self.link = SessionLink(
                list(intervals),
                self.clock,
                treadmill=self.treadmill,
                strap=self.strap,
                drive=self.drive,
                ramp=self.ramp,
                report=report,
            )
            await self.link.start()

        self._submit(begin())

    def on_snapshot(self, snap: Snapshot) -> None:
        now = self.clock()

        def step() -> None:
            if self._advance is not None:
                self._advance(now)
            if self.link is not None:
                self.link.on_snapshot(snap)

        self._loop.call_soon_threadsafe(step)

    def finish_session(self, last: Snapshot) -> Recorded:
        """The session is over: bring the belt to its cool-down speed (in the background)
        and return what was recorded."""

        async def finish() -> Recorded:
            link = self.link
            if link is None:
                return Recorded((), (), ())
            link.on_snapshot(last)
            self.link = None
            recorded = Recorded(
                tuple(link.recorder.measures()), tuple(link.recorder.samples), tuple(link.said)
            )
            asyncio.get_running_loop().create_task(link.close())
            return recorded

        try:
            return self._submit(finish()).result(timeout=2.0)  # type: ignore[return-value]
        except concurrent.futures.TimeoutError:
            return Recorded((), (), ("The devices did not answer in time.",))

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until the device thread has done everything handed to it (tests)."""

        async def done() -> None:
            if self.link is not None:
                await self.link.settle()
            await asyncio.sleep(0)

        self._submit(done()).result(timeout=timeout)

    def shutdown(self) -> None:
        async def close() -> None:
            if self.link is not None:
                await self.link.close()
            for device in (self.treadmill, self.strap):
                if device is not None and device.gatt.is_connected:
                    await device.gatt.disconnect()

        if self._thread.is_alive():
            with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
                self._submit(close()).result(timeout=3.0)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=3.0)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()
