"""One session and the devices: drive the belt, record what happened, keep the link up.

Everything here runs on one asyncio loop (the device thread's, or a test's). The session's
snapshots are handed in (`on_snapshot`); what the runner should see comes out through `report`
(a live reading, or a sentence to show). A device that drops is reconnected in the background;
driving resumes at the next boundary. A control point that refuses a command stops driving for
the rest of the session, said once. Nothing here can stop the session itself.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from legtimer.devices import ftms, hrm
from legtimer.devices.driver import INCLINE, SPEED, BeltDriver, Command, RampMeter
from legtimer.devices.gatt import DeviceGone
from legtimer.devices.recorder import Recorder
from legtimer.devices.treadmill import ControlRefused, Strap, Treadmill
from legtimer.engine import Interval, IntervalKind, Snapshot, State

#: Between attempts to reach a device that dropped.
RECONNECT_S = 2.0


@dataclass(frozen=True)
class Live:
    """What the devices say now, for the workout screen (None: not known)."""

    speed_kmh: float | None = None
    incline_pct: float | None = None
    distance_m: float | None = None
    hr: int | None = None


def described(name: str, exc: BaseException) -> str:
    """A failure as the runner reads it, naming the device once."""
    text = str(exc).rstrip(".")
    return text if name in text else f"{name}: {text}"


class SessionLink:
    def __init__(
        self,
        intervals: Sequence[Interval],
        clock: Callable[[], float],
        *,
        treadmill: Treadmill | None,
        strap: Strap | None,
        drive: bool,
        ramp: RampMeter | None = None,
        report: Callable[[object], None] = lambda _: None,
        reconnect_s: float = RECONNECT_S,
    ) -> None:
        self.intervals = intervals
        self.clock = clock
        self.treadmill = treadmill
        self.strap = strap
        self.report = report
        self.reconnect_s = reconnect_s
        self.ramp = ramp or RampMeter()
        self.recorder = Recorder()
        self.driver: BeltDriver | None = None
        self.driving = drive and treadmill is not None
        self.live = Live()
        self._queue: asyncio.Queue[Command] = asyncio.Queue()
        self._sender: asyncio.Task[None] | None = None
        self._keepers: list[asyncio.Task[None]] = []
        self._position: tuple[int, IntervalKind, float, float, bool] | None = None
        self._held_until: int | None = None
        self.said: list[str] = []
        self.closed = False

    # -- start and stop ------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect what is not connected yet; a device that cannot be reached is said and
        tried again in the background."""
        if self.treadmill is not None:
            self.treadmill.on_data = self._on_belt
            self.treadmill.on_status = self._on_status
            self.treadmill.gatt.on_disconnect = lambda: self._dropped(self.treadmill)
            await self._reach(self.treadmill)
        if self.strap is not None:
            self.strap.on_heart_rate = self._on_heart
            self.strap.gatt.on_disconnect = lambda: self._dropped(self.strap)
            await self._reach(self.strap)
        self._sender = asyncio.get_running_loop().create_task(self._send_all())

    def _make_driver(self) -> None:
        assert self.treadmill is not None
        tm = self.treadmill
        self.driver = BeltDriver(
            self.intervals,
            speed_range=tm.speed_range or ftms.Range(0.0, 30.0, 0.1),
            incline_range=tm.incline_range,
            ramp=self.ramp.rate,
        )

    async def _reach(self, device: Treadmill | Strap) -> bool:
        if device.gatt.is_connected:
            if isinstance(device, Treadmill) and self.driving and self.driver is None:
                self._make_driver()
            return True
        try:
            await device.connect()
        except (DeviceGone, ftms.ProtocolError, OSError) as exc:
            self._say(f"{described(device.name, exc)}. Trying again.")
            self._keep_trying(device)
            return False
        if isinstance(device, Treadmill) and self.driving:
            if not device.controllable:
                self.driving = False
                self._say(f"{device.name} takes no commands: LegTimer only records it.")
            elif self.driver is None:
                self._make_driver()
        return True

    def _dropped(self, device: Treadmill | Strap | None) -> None:
        if device is None or self.closed:
            return
        self._say(f"Lost {device.name}: the session goes on; reconnecting.")
        if isinstance(device, Treadmill):
            self.live = Live(hr=self.live.hr)
        self._keep_trying(device)

    def _keep_trying(self, device: Treadmill | Strap) -> None:
        async def again() -> None:
            while not self.closed and not device.gatt.is_connected:
                await asyncio.sleep(self.reconnect_s)
                if self.closed:
                    return
                try:
                    await device.connect()
                except (DeviceGone, ftms.ProtocolError, OSError):
                    continue
                self._say(f"{device.name} is back.")
                if isinstance(device, Treadmill) and self.driving:
                    if self.driver is None:
                        self._make_driver()
                    else:
                        # Driving resumes with the next interval: the runner may have set the
                        # belt by hand meanwhile.
                        self._held_until = self._index() + 1
                        self.driver.sent = {SPEED: None, INCLINE: None}
                return

        self._keepers.append(asyncio.get_running_loop().create_task(again()))

    async def close(self) -> None:
        self.closed = True
        await self.settle()
        for task in [*self._keepers, self._sender]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def settle(self) -> None:
        """Wait until every command decided so far has been answered (tests, closing)."""
        await self._queue.join()

    # -- the session ---------------------------------------------------------------------------

    def _index(self) -> int:
        return self._position[0] if self._position else 0

    def on_snapshot(self, snap: Snapshot) -> None:
        running = snap.state is State.RUNNING
        self._position = (snap.index, snap.interval.kind, snap.elapsed, self.clock(), running)
        if not self.driving or self.driver is None:
            return
        if self._held_until is not None:
            if snap.index < self._held_until and not snap.state.is_over:
                return
            self._held_until = None
        for command in self.driver.update(snap):
            self._queue.put_nowait(command)
        self._take_messages()

    def _take_messages(self) -> None:
        if self.driver is not None:
            while self.driver.messages:
                self._say(self.driver.messages.pop(0))

    async def _send_all(self) -> None:
        while True:
            command = await self._queue.get()
            try:
                await self._send(command)
            finally:
                self._queue.task_done()

    async def _send(self, command: Command) -> None:
        tm = self.treadmill
        if tm is None or not self.driving or not tm.gatt.is_connected:
            return
        try:
            if command.what == SPEED:
                self.ramp.commanded(self.clock(), self.live.speed_kmh, command.value)
                await tm.set_speed(command.value)
            else:
                await tm.set_incline(command.value)
        except ControlRefused as exc:
            self.driving = False
            self._say(f"{exc}. LegTimer stops driving the belt for this session.")
        except DeviceGone:
            pass  # said when it dropped; driving resumes after it is back

    # -- what the devices say ------------------------------------------------------------------

    def _now_in_session(self) -> tuple[int, IntervalKind, float] | None:
        if self._position is None:
            return None
        index, kind, elapsed, at, running = self._position
        return index, kind, elapsed + (self.clock() - at if running else 0.0)

    def _on_belt(self, data: ftms.TreadmillData) -> None:
        now = self._now_in_session()
        if data.speed_kmh is not None:
            measured = self.ramp.observe(self.clock(), data.speed_kmh)
            if measured is not None and self.driver is not None:
                self.driver.ramp = self.ramp.rate
        if now is not None:
            index, kind, at_s = now
            self.recorder.belt(
                index,
                kind,
                at_s,
                speed_kmh=data.speed_kmh,
                distance_m=data.distance_m,
                incline_pct=data.incline_pct,
            )
        hr = data.heart_rate if self.strap is None else self.live.hr
        if data.heart_rate is not None and self.strap is None and now is not None:
            self.recorder.heart(now[0], now[1], now[2], data.heart_rate)
        self.live = Live(data.speed_kmh, data.incline_pct, self.recorder.distance_m, hr)
        self.report(self.live)

    def _on_status(self, status: ftms.MachineStatus) -> None:
        if self.driver is None or status.value is None:
            return
        if status.status is ftms.Status.TARGET_SPEED_CHANGED:
            self.driver.machine_target(SPEED, status.value)
        elif status.status is ftms.Status.TARGET_INCLINE_CHANGED:
            self.driver.machine_target(INCLINE, status.value)
        self._take_messages()

    def _on_heart(self, reading: hrm.HeartRate) -> None:
        if not reading.usable:
            return
        now = self._now_in_session()
        if now is not None:
            self.recorder.heart(now[0], now[1], now[2], reading.bpm)
        self.live = Live(
            self.live.speed_kmh, self.live.incline_pct, self.live.distance_m, reading.bpm
        )
        self.report(self.live)

    def _say(self, message: str) -> None:
        self.said.append(message)
        self.report(message)
