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
from legtimer.devices.link import RECONNECT_S, Live, SessionLink, described
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
    #: The devices' states changed (`states()` says what they are now).
    states_changed = Signal()
    #: A scan ended: a list of `legtimer.devices.scan.Found`, or the sentence why none could be
    #: looked for.
    scanned = Signal(object)

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        treadmill: Treadmill | None = None,
        strap: Strap | None = None,
        advance: Callable[[float], None] | None = None,
        tick_s: float | None = None,
        reconnect_s: float = RECONNECT_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        #: Between attempts to reach a device that dropped mid-session.
        self.reconnect_s = reconnect_s
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
    def simulated(
        cls, clock: Callable[[], float], *, tick_s: float | None = None, reconnect_s: float = 2.0
    ) -> DeviceHub:
        """The simulated treadmill and strap (`legtimer --treadmill simulated`, tests)."""
        from legtimer.devices.simulated import SimulatedGym

        gym = SimulatedGym(clock)
        hub = cls(
            clock,
            treadmill=Treadmill(gym.treadmill),
            strap=Strap(gym.strap),
            advance=gym.advance_to,
            tick_s=tick_s,
            reconnect_s=reconnect_s,
        )
        hub.gym = gym
        return hub

    @property
    def simulation(self) -> bool:
        return self.gym is not None

    def states(self) -> dict[str, str]:
        """Each chosen device's state, in words: "connected" or "not connected"."""
        out = {}
        for kind, device in (("treadmill", self.treadmill), ("strap", self.strap)):
            if device is not None:
                out[kind] = "connected" if device.gatt.is_connected else "not connected"
        return out

    def choose(self, kind: str, address: str | None, name: str = "") -> None:
        """Use the device at `address` as the treadmill or the strap (None: none); it is
        connected in the background, and again whenever it drops."""
        from legtimer.devices.gatt import BleakGatt

        old: Treadmill | Strap | None = self.treadmill if kind == "treadmill" else self.strap
        device: Treadmill | Strap | None = None
        if kind == "treadmill":
            self.treadmill = Treadmill(BleakGatt(address, name)) if address else None
            self.ramp = RampMeter()
            device = self.treadmill
        else:
            self.strap = Strap(BleakGatt(address, name)) if address else None
            device = self.strap

        async def swap() -> None:
            if old is not None and old.gatt.is_connected:
                await old.gatt.disconnect()
            if device is not None:
                await self._connect(device)

        self._submit(swap())
        self.states_changed.emit()

    def connect_all(self) -> None:
        """Reach the chosen devices in the background (at start-up, after the first paint)."""

        async def reach() -> None:
            for device in (self.treadmill, self.strap):
                if device is not None and not device.gatt.is_connected:
                    await self._connect(device)

        self._submit(reach())

    async def _connect(self, device: Treadmill | Strap) -> None:
        from legtimer.devices.gatt import DeviceGone

        try:
            await device.connect()
        except (DeviceGone, OSError, RuntimeError, ValueError) as exc:
            self.said.emit(described(device.name, exc) + ".")
        else:
            device.gatt.on_disconnect = self.states_changed.emit
        self.states_changed.emit()

    def scan(self, seconds: float = 5.0) -> None:
        from legtimer.devices.scan import NoBluetooth, scan

        async def look() -> None:
            try:
                found: object = await scan(seconds)
            except NoBluetooth as exc:
                found = str(exc)
            self.scanned.emit(found)

        self._submit(look())

    def _submit(self, coro: object) -> concurrent.futures.Future[object]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]

    async def _ticking(self) -> None:
        assert self._advance is not None and self._tick_s
        while True:
            self._advance(self.clock())
            await asyncio.sleep(self._tick_s)

    # -- a session -----------------------------------------------------------------------------

    def start_session(self, intervals: Sequence[Interval], *, drive: bool | None = None) -> None:
        """A session begins; `drive`: whether it sets the belt (default: `self.drive`)."""
        driving = self.drive if drive is None else drive

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
                drive=driving,
                ramp=self.ramp,
                report=report,
                reconnect_s=self.reconnect_s,
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

    def on_loop(self, call: Callable[[], object]) -> None:
        """Run `call` on the devices' thread and wait for it (tests: a simulated fault)."""

        async def run() -> None:
            call()

        self._submit(run()).result(timeout=5.0)

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
            # Whatever else runs here (the simulation's ticks, a scan, a reconnect) ends now.
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        if self._thread.is_alive():
            with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
                self._submit(close()).result(timeout=3.0)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=3.0)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()
