"""A simulated FTMS treadmill and heart-rate strap, at the GATT seam.

Everything above the seam (the FTMS client, the driver, the recorder, the screens) is the real
code; only the radio is replaced. The belt ramps towards its target at a fixed rate, as a real
machine does, and reports speed, distance and incline once a second; the runner's heart rate
follows the work with the lag of a trained heart (faster up than down), so rests show a real
recovery. Time comes from the clock it is given: with a fake clock, a test moves it.

Used by tests, and by `legtimer --treadmill simulated` for demonstrations.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable

from legtimer.devices import ftms, hrm
from legtimer.devices.gatt import DeviceGone

#: A home treadmill: 1.0 to 18.0 km/h in 0.1 steps, 0 to 12 % in 0.5 steps.
SPEED_RANGE = ftms.Range(1.0, 18.0, 0.1)
INCLINE_RANGE = ftms.Range(0.0, 12.0, 0.5)
#: How fast the simulated belt changes speed: 5 -> 16 km/h takes 11 s.
RAMP_KMH_PER_S = 1.0
STEP_S = 0.05


class SimulatedGym:
    """One belt and one runner on it. `treadmill` and `strap` are the two devices' GATT
    sides; `advance_to(t)` moves the simulation to clock time `t`, sending each device's
    notifications for every whole second passed."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        ramp: float = RAMP_KMH_PER_S,
        resting_hr: float = 62.0,
    ) -> None:
        self.clock = clock
        self.ramp = ramp
        self.speed = 0.0
        self.target_speed = 0.0
        self.incline = 0.0
        self.target_incline = 0.0
        self.distance_m = 0.0
        self.resting_hr = resting_hr
        self.hr = resting_hr
        self.running = False
        self._t = clock()
        self._next_report = math.floor(self._t) + 1.0
        self.treadmill = SimulatedDevice(self, "LegTimer Simulated Treadmill", "SIM:TREADMILL")
        self.strap = SimulatedDevice(self, "LegTimer Simulated HR", "SIM:STRAP")
        self._install()

    def _install(self) -> None:
        t = self.treadmill
        t.values[ftms.FEATURE] = ftms.encode_features(
            ftms.Features(distance=True, incline=True, speed_target=True, incline_target=True)
        )
        t.values[ftms.SPEED_RANGE] = ftms.encode_speed_range(SPEED_RANGE)
        t.values[ftms.INCLINE_RANGE] = ftms.encode_incline_range(INCLINE_RANGE)
        for uuid in (ftms.TREADMILL_DATA, ftms.MACHINE_STATUS, ftms.CONTROL_POINT):
            t.values[uuid] = b""
        t.on_write = self._control_point
        s = self.strap
        s.values[hrm.MEASUREMENT] = b""
        s.values[hrm.BATTERY_LEVEL] = bytes([87])

    # -- the physics ---------------------------------------------------------------------------

    def steady_hr(self) -> float:
        """The heart rate the runner settles at for the belt's speed and incline."""
        return min(188.0, self.resting_hr + 6.5 * self.speed + 2.0 * self.incline)

    def advance_to(self, t: float) -> None:
        while self._t < t - 1e-9:
            dt = min(STEP_S, t - self._t)
            self._step(dt)
            self._t += dt
            if self._t >= self._next_report - 1e-9:
                self._next_report += 1.0
                self._report()

    def _step(self, dt: float) -> None:
        gap = self.target_speed - self.speed
        self.speed += max(-self.ramp * dt, min(self.ramp * dt, gap))
        gap = self.target_incline - self.incline
        self.incline += max(-0.5 * dt, min(0.5 * dt, gap))
        self.distance_m += self.speed / 3.6 * dt
        goal = self.steady_hr()
        tau = 12.0 if goal > self.hr else 25.0
        self.hr += (goal - self.hr) * (1 - math.exp(-dt / tau))

    def _report(self) -> None:
        data = ftms.TreadmillData(
            speed_kmh=round(self.speed, 2),
            distance_m=int(self.distance_m),
            incline_pct=round(self.incline, 1),
        )
        self.treadmill.notify(ftms.TREADMILL_DATA, ftms.encode_treadmill_data(data))
        self.strap.notify(hrm.MEASUREMENT, hrm.encode(hrm.HeartRate(round(self.hr), True)))

    # -- the control point ---------------------------------------------------------------------

    def _control_point(self, data: bytes) -> bytes:
        device = self.treadmill
        op = data[0]
        refused = device.refuse.get(op)
        if refused is not None:
            return ftms.encode_response(op, refused)
        if op == ftms.Op.REQUEST_CONTROL:
            device.in_control = True
            return ftms.encode_response(op, ftms.Result.SUCCESS)
        if not device.in_control:
            return ftms.encode_response(op, ftms.Result.NOT_PERMITTED)
        if op == ftms.Op.SET_TARGET_SPEED and len(data) == 3:
            value = int.from_bytes(data[1:3], "little") / 100
            if not SPEED_RANGE.low <= value <= SPEED_RANGE.high:
                return ftms.encode_response(op, ftms.Result.INVALID_PARAMETER)
            self.target_speed = value
            self.running = True
            device.notify(
                ftms.MACHINE_STATUS,
                ftms.encode_machine_status(ftms.Status.TARGET_SPEED_CHANGED, value),
            )
            return ftms.encode_response(op, ftms.Result.SUCCESS)
        if op == ftms.Op.SET_TARGET_INCLINE and len(data) == 3:
            value = int.from_bytes(data[1:3], "little", signed=True) / 10
            if not INCLINE_RANGE.low <= value <= INCLINE_RANGE.high:
                return ftms.encode_response(op, ftms.Result.INVALID_PARAMETER)
            self.target_incline = value
            device.notify(
                ftms.MACHINE_STATUS,
                ftms.encode_machine_status(ftms.Status.TARGET_INCLINE_CHANGED, value),
            )
            return ftms.encode_response(op, ftms.Result.SUCCESS)
        if op == ftms.Op.START_OR_RESUME:
            self.running = True
            return ftms.encode_response(op, ftms.Result.SUCCESS)
        if op == ftms.Op.STOP_OR_PAUSE:
            self.running = False
            self.target_speed = 0.0
            return ftms.encode_response(op, ftms.Result.SUCCESS)
        return ftms.encode_response(op, ftms.Result.NOT_SUPPORTED)

    def press_speed(self, kmh: float) -> None:
        """The runner presses the treadmill's own speed buttons."""
        self.target_speed = SPEED_RANGE.clamp(kmh)
        self.treadmill.notify(
            ftms.MACHINE_STATUS,
            ftms.encode_machine_status(ftms.Status.TARGET_SPEED_CHANGED, self.target_speed),
        )


class SimulatedDevice:
    """One simulated device's GATT side (implements `legtimer.devices.gatt.Gatt`)."""

    def __init__(self, gym: SimulatedGym, name: str, address: str) -> None:
        self.gym = gym
        self.name = name
        self.address = address
        self.on_disconnect: Callable[[], None] | None = None
        self.values: dict[str, bytes] = {}
        self.on_write: Callable[[bytes], bytes] | None = None
        self.subscribers: dict[str, Callable[[bytes], None]] = {}
        #: Control point requests to answer with a failure (op code -> result).
        self.refuse: dict[int, ftms.Result] = {}
        self.in_control = False
        self.reachable = True
        self.connected = False
        #: Every control point write received.
        self.received: list[bytes] = []

    @property
    def is_connected(self) -> bool:
        return self.connected

    async def connect(self) -> None:
        if not self.reachable:
            raise DeviceGone(f"{self.name} could not be reached (out of range)")
        self.connected = True
        self.in_control = False
        self.subscribers.clear()

    async def disconnect(self) -> None:
        self.connected = False
        self.subscribers.clear()

    def vanish(self) -> None:
        """Out of range, or switched off: the link drops and stays down until `come_back`."""
        self.reachable = False
        if self.connected:
            self.connected = False
            self.subscribers.clear()
            if self.on_disconnect is not None:
                self.on_disconnect()

    def come_back(self) -> None:
        self.reachable = True

    def _need(self) -> None:
        if not self.connected:
            raise DeviceGone(f"{self.name} is not connected")

    def has(self, uuid: str) -> bool:
        self._need()
        return uuid in self.values

    async def read(self, uuid: str) -> bytes:
        self._need()
        return self.values[uuid]

    async def write(self, uuid: str, data: bytes) -> None:
        self._need()
        self.received.append(bytes(data))
        if self.on_write is None:
            return
        answer = self.on_write(bytes(data))
        # A machine answers by indication, after the write itself has completed.
        asyncio.get_running_loop().call_soon(self.notify, uuid, answer)

    async def subscribe(self, uuid: str, callback: Callable[[bytes], None]) -> None:
        self._need()
        self.subscribers[uuid] = callback

    def notify(self, uuid: str, data: bytes) -> None:
        callback = self.subscribers.get(uuid) if self.connected else None
        if callback is not None:
            callback(data)
