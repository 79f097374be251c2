"""An FTMS treadmill and a heart-rate strap, spoken to through the GATT seam (asyncio)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from legtimer.devices import ftms, hrm
from legtimer.devices.gatt import DeviceGone, Gatt


class ControlRefused(RuntimeError):
    """The machine answered a control point request with something other than success."""

    def __init__(self, request: int, result: ftms.Result | None, what: str) -> None:
        self.request = request
        self.result = result
        reason = result.words if result is not None else "it did not answer"
        super().__init__(f"{what}: {reason}")


_WHAT = {
    ftms.Op.REQUEST_CONTROL: "Taking control of the treadmill",
    ftms.Op.SET_TARGET_SPEED: "Setting the belt's speed",
    ftms.Op.SET_TARGET_INCLINE: "Setting the incline",
    ftms.Op.START_OR_RESUME: "Starting the belt",
    ftms.Op.STOP_OR_PAUSE: "Stopping the belt",
}


class Treadmill:
    """An FTMS treadmill: what it reports (`on_data`, `on_status`), its ranges, and the
    control point, one request at a time, each waiting for the machine's answer."""

    def __init__(self, gatt: Gatt, *, answer_within: float = 3.0) -> None:
        self.gatt = gatt
        self.answer_within = answer_within
        self.features = ftms.Features()
        self.speed_range: ftms.Range | None = None
        self.incline_range: ftms.Range | None = None
        self.on_data: Callable[[ftms.TreadmillData], None] | None = None
        self.on_status: Callable[[ftms.MachineStatus], None] | None = None
        self._answer: asyncio.Future[ftms.Response] | None = None
        self._lock = asyncio.Lock()
        self._in_control = False

    @property
    def name(self) -> str:
        return self.gatt.name

    async def connect(self) -> None:
        await self.gatt.connect()
        self._in_control = False
        if not self.gatt.has(ftms.TREADMILL_DATA):
            await self.gatt.disconnect()
            raise DeviceGone(f"{self.gatt.name} is not an FTMS treadmill (no treadmill data)")
        if self.gatt.has(ftms.FEATURE):
            self.features = ftms.parse_features(await self.gatt.read(ftms.FEATURE))
        if self.gatt.has(ftms.SPEED_RANGE):
            self.speed_range = ftms.parse_speed_range(await self.gatt.read(ftms.SPEED_RANGE))
        if self.gatt.has(ftms.INCLINE_RANGE):
            self.incline_range = ftms.parse_incline_range(await self.gatt.read(ftms.INCLINE_RANGE))
        await self.gatt.subscribe(ftms.TREADMILL_DATA, self._on_data)
        if self.gatt.has(ftms.MACHINE_STATUS):
            await self.gatt.subscribe(ftms.MACHINE_STATUS, self._on_status)
        if self.gatt.has(ftms.CONTROL_POINT):
            await self.gatt.subscribe(ftms.CONTROL_POINT, self._on_answer)

    @property
    def controllable(self) -> bool:
        return self.gatt.is_connected and self.gatt.has(ftms.CONTROL_POINT)

    def _on_data(self, data: bytes) -> None:
        try:
            reading = ftms.parse_treadmill_data(data)
        except ftms.ProtocolError:
            return  # one garbled notification: the next one comes within a second
        if self.on_data is not None:
            self.on_data(reading)

    def _on_status(self, data: bytes) -> None:
        try:
            status = ftms.parse_machine_status(data)
        except ftms.ProtocolError:
            return
        if status.status is ftms.Status.CONTROL_PERMISSION_LOST:
            self._in_control = False
        if self.on_status is not None:
            self.on_status(status)

    def _on_answer(self, data: bytes) -> None:
        try:
            response = ftms.parse_response(data)
        except ftms.ProtocolError:
            return
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(response)

    async def _request(self, payload: bytes) -> None:
        """Write one request and wait for its answer; ControlRefused unless it succeeded."""
        op = payload[0]
        what = _WHAT.get(ftms.Op(op), f"Request 0x{op:02x}")
        self._answer = asyncio.get_running_loop().create_future()
        await self.gatt.write(ftms.CONTROL_POINT, payload)
        try:
            response = await asyncio.wait_for(self._answer, self.answer_within)
        except TimeoutError:
            raise ControlRefused(op, None, what) from None
        finally:
            self._answer = None
        if response.request != op or not response.ok:
            raise ControlRefused(op, response.result, what)

    async def command(self, payload: bytes) -> None:
        """Send `payload` to the control point, taking control first where needed."""
        if not self.controllable:
            raise DeviceGone(f"{self.gatt.name} takes no commands")
        async with self._lock:
            if not self._in_control:
                await self._request(ftms.request_control())
                self._in_control = True
            await self._request(payload)

    async def set_speed(self, kmh: float) -> float:
        """Set the target speed (clamped to the machine's range); the speed sent."""
        value = self.speed_range.clamp(kmh) if self.speed_range else round(kmh, 2)
        await self.command(ftms.set_target_speed(value))
        return value

    async def set_incline(self, pct: float) -> float:
        value = self.incline_range.clamp(pct) if self.incline_range else round(pct, 1)
        await self.command(ftms.set_target_incline(value))
        return value

    async def start(self) -> None:
        await self.command(ftms.start_or_resume())


class Strap:
    """A heart-rate strap (Heart Rate Service)."""

    def __init__(self, gatt: Gatt) -> None:
        self.gatt = gatt
        self.battery: int | None = None
        self.on_heart_rate: Callable[[hrm.HeartRate], None] | None = None

    @property
    def name(self) -> str:
        return self.gatt.name

    async def connect(self) -> None:
        await self.gatt.connect()
        if not self.gatt.has(hrm.MEASUREMENT):
            await self.gatt.disconnect()
            raise DeviceGone(f"{self.gatt.name} is not a heart-rate sensor")
        if self.gatt.has(hrm.BATTERY_LEVEL):
            level = await self.gatt.read(hrm.BATTERY_LEVEL)
            self.battery = level[0] if level else None
        await self.gatt.subscribe(hrm.MEASUREMENT, self._on_measurement)

    def _on_measurement(self, data: bytes) -> None:
        try:
            reading = hrm.parse(data)
        except ftms.ProtocolError:
            return
        if self.on_heart_rate is not None:
            self.on_heart_rate(reading)
