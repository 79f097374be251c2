"""The Fitness Machine Service (FTMS 1.0) as bytes: what a treadmill reports and what it is told.

Every multi-byte field is little-endian. Speeds are in 0.01 km/h, inclines in 0.1 %, distances
in metres. A notification with fields this module does not know (flags the specification
reserves, vendor extras) is read as far as the known fields go; a notification shorter than its
flags promise is refused with `ProtocolError`, never half-read.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

# 16-bit Bluetooth SIG numbers, as full UUIDs.
_BASE = "0000{:04x}-0000-1000-8000-00805f9b34fb"


def uuid16(number: int) -> str:
    return _BASE.format(number)


SERVICE = uuid16(0x1826)
FEATURE = uuid16(0x2ACC)
TREADMILL_DATA = uuid16(0x2ACD)
TRAINING_STATUS = uuid16(0x2AD3)
SPEED_RANGE = uuid16(0x2AD4)
INCLINE_RANGE = uuid16(0x2AD5)
CONTROL_POINT = uuid16(0x2AD9)
MACHINE_STATUS = uuid16(0x2ADA)


class ProtocolError(ValueError):
    """Bytes that do not follow the specification."""


class Op(enum.IntEnum):
    """Control point op codes (FTMS 1.0, 4.16.1)."""

    REQUEST_CONTROL = 0x00
    RESET = 0x01
    SET_TARGET_SPEED = 0x02
    SET_TARGET_INCLINE = 0x03
    START_OR_RESUME = 0x07
    STOP_OR_PAUSE = 0x08
    RESPONSE = 0x80


class Result(enum.IntEnum):
    """Control point result codes (FTMS 1.0, 4.16.2.22)."""

    SUCCESS = 0x01
    NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    FAILED = 0x04
    NOT_PERMITTED = 0x05

    @property
    def words(self) -> str:
        return {
            Result.SUCCESS: "done",
            Result.NOT_SUPPORTED: "the machine does not support it",
            Result.INVALID_PARAMETER: "the machine refused the value",
            Result.FAILED: "the machine could not do it",
            Result.NOT_PERMITTED: "the machine did not give LegTimer control",
        }[self]


class StopCode(enum.IntEnum):
    STOP = 0x01
    PAUSE = 0x02


# Treadmill Data flags (FTMS 1.0, 4.9.1.1). Bit 0 is inverted: clear means speed is present.
_MORE_DATA = 1 << 0
_AVERAGE_SPEED = 1 << 1
_TOTAL_DISTANCE = 1 << 2
_INCLINATION = 1 << 3
_ELEVATION_GAIN = 1 << 4
_INSTANT_PACE = 1 << 5
_AVERAGE_PACE = 1 << 6
_EXPENDED_ENERGY = 1 << 7
_HEART_RATE = 1 << 8
_METABOLIC_EQUIVALENT = 1 << 9
_ELAPSED_TIME = 1 << 10
_REMAINING_TIME = 1 << 11
_FORCE_AND_POWER = 1 << 12

#: "Data not available" markers the specification gives some fields.
_INCLINE_UNAVAILABLE = 0x7FFF


@dataclass(frozen=True)
class TreadmillData:
    """One Treadmill Data notification; None where the machine did not send the field."""

    speed_kmh: float | None = None
    average_speed_kmh: float | None = None
    distance_m: int | None = None
    incline_pct: float | None = None
    heart_rate: int | None = None
    elapsed_s: int | None = None


def _take(data: bytes, at: int, fmt: str) -> tuple[tuple[int, ...], int]:
    size = struct.calcsize(fmt)
    if at + size > len(data):
        raise ProtocolError(
            f"treadmill data is {len(data)} bytes, its flags need at least {at + size}"
        )
    return struct.unpack_from(fmt, data, at), at + size


def parse_treadmill_data(data: bytes) -> TreadmillData:
    if len(data) < 2:
        raise ProtocolError(f"treadmill data is {len(data)} bytes, at least 2 expected")
    (flags,), at = _take(data, 0, "<H")
    speed = average = incline = None
    distance = heart = elapsed = None
    if not flags & _MORE_DATA:
        (raw,), at = _take(data, at, "<H")
        speed = raw / 100
    if flags & _AVERAGE_SPEED:
        (raw,), at = _take(data, at, "<H")
        average = raw / 100
    if flags & _TOTAL_DISTANCE:
        (low, high), at = _take(data, at, "<HB")
        distance = low | high << 16
    if flags & _INCLINATION:
        (raw, _ramp), at = _take(data, at, "<hh")
        incline = None if raw == _INCLINE_UNAVAILABLE else raw / 10
    if flags & _ELEVATION_GAIN:
        _, at = _take(data, at, "<HH")
    if flags & _INSTANT_PACE:
        _, at = _take(data, at, "<B")
    if flags & _AVERAGE_PACE:
        _, at = _take(data, at, "<B")
    if flags & _EXPENDED_ENERGY:
        _, at = _take(data, at, "<HHB")
    if flags & _HEART_RATE:
        (raw,), at = _take(data, at, "<B")
        heart = raw or None  # 0: no heart rate known
    if flags & _METABOLIC_EQUIVALENT:
        _, at = _take(data, at, "<B")
    if flags & _ELAPSED_TIME:
        (elapsed,), at = _take(data, at, "<H")
    if flags & _REMAINING_TIME:
        _, at = _take(data, at, "<H")
    if flags & _FORCE_AND_POWER:
        _, at = _take(data, at, "<hh")
    return TreadmillData(speed, average, distance, incline, heart, elapsed)


def encode_treadmill_data(d: TreadmillData) -> bytes:
    """The notification a machine sends for `d` (the simulated treadmill's side)."""
    flags = 0
    body = b""
    if d.speed_kmh is None:
        flags |= _MORE_DATA
    else:
        body += struct.pack("<H", round(d.speed_kmh * 100))
    if d.average_speed_kmh is not None:
        flags |= _AVERAGE_SPEED
        body += struct.pack("<H", round(d.average_speed_kmh * 100))
    if d.distance_m is not None:
        flags |= _TOTAL_DISTANCE
        body += struct.pack("<HB", d.distance_m & 0xFFFF, d.distance_m >> 16)
    if d.incline_pct is not None:
        flags |= _INCLINATION
        body += struct.pack("<hh", round(d.incline_pct * 10), 0)
    if d.heart_rate is not None:
        flags |= _HEART_RATE
        body += struct.pack("<B", d.heart_rate)
    if d.elapsed_s is not None:
        flags |= _ELAPSED_TIME
        body += struct.pack("<H", d.elapsed_s)
    return struct.pack("<H", flags) + body


@dataclass(frozen=True)
class Range:
    """A supported range: lowest, highest and the smallest step, in km/h or %."""

    low: float
    high: float
    step: float

    def clamp(self, value: float) -> float:
        """`value` within the range, on the machine's own steps."""
        inside = min(self.high, max(self.low, value))
        if self.step > 0:
            steps = round((inside - self.low) / self.step)
            inside = min(self.high, self.low + steps * self.step)
        return round(inside, 2)


def _range(data: bytes, fmt: str, scale: int, what: str) -> Range:
    if len(data) < 6:
        raise ProtocolError(f"supported {what} range is {len(data)} bytes, 6 expected")
    low, high, step = struct.unpack_from(fmt, data)
    if low > high:
        raise ProtocolError(
            f"supported {what} range runs backwards ({low / scale} > {high / scale})"
        )
    return Range(low / scale, high / scale, step / scale)


def parse_speed_range(data: bytes) -> Range:
    return _range(data, "<HHH", 100, "speed")


def parse_incline_range(data: bytes) -> Range:
    return _range(data, "<hhH", 10, "incline")


def encode_speed_range(r: Range) -> bytes:
    return struct.pack("<HHH", round(r.low * 100), round(r.high * 100), round(r.step * 100))


def encode_incline_range(r: Range) -> bytes:
    return struct.pack("<hhH", round(r.low * 10), round(r.high * 10), round(r.step * 10))


@dataclass(frozen=True)
class Features:
    """Fitness Machine Feature: what the machine reports and which targets it takes."""

    distance: bool = False
    incline: bool = False
    heart_rate: bool = False
    speed_target: bool = False
    incline_target: bool = False


def parse_features(data: bytes) -> Features:
    if len(data) < 8:
        raise ProtocolError(f"fitness machine feature is {len(data)} bytes, 8 expected")
    machine, targets = struct.unpack_from("<II", data)
    return Features(
        distance=bool(machine & 1 << 2),
        incline=bool(machine & 1 << 3),
        heart_rate=bool(machine & 1 << 10),
        speed_target=bool(targets & 1 << 0),
        incline_target=bool(targets & 1 << 1),
    )


def encode_features(f: Features) -> bytes:
    machine = (f.distance << 2) | (f.incline << 3) | (f.heart_rate << 10)
    targets = f.speed_target | (f.incline_target << 1)
    return struct.pack("<II", machine, targets)


# -- the control point -----------------------------------------------------------------------


def request_control() -> bytes:
    return bytes([Op.REQUEST_CONTROL])


def start_or_resume() -> bytes:
    return bytes([Op.START_OR_RESUME])


def stop_or_pause(code: StopCode) -> bytes:
    return bytes([Op.STOP_OR_PAUSE, code])


def set_target_speed(kmh: float) -> bytes:
    raw = round(kmh * 100)
    if not 0 <= raw <= 0xFFFF:
        raise ValueError(f"a target speed of {kmh} km/h cannot be sent (0 to 655.35)")
    return struct.pack("<BH", Op.SET_TARGET_SPEED, raw)


def set_target_incline(pct: float) -> bytes:
    raw = round(pct * 10)
    if not -0x8000 <= raw <= 0x7FFF:
        raise ValueError(f"a target incline of {pct} % cannot be sent")
    return struct.pack("<Bh", Op.SET_TARGET_INCLINE, raw)


@dataclass(frozen=True)
class Response:
    """The machine's answer to a control point request."""

    request: int
    result: Result

    @property
    def ok(self) -> bool:
        return self.result is Result.SUCCESS


def parse_response(data: bytes) -> Response:
    if len(data) < 3 or data[0] != Op.RESPONSE:
        raise ProtocolError(f"not a control point response: {data.hex(' ')}")
    try:
        result = Result(data[2])
    except ValueError:
        raise ProtocolError(f"unknown control point result code 0x{data[2]:02x}") from None
    return Response(data[1], result)


def encode_response(request: int, result: Result) -> bytes:
    return bytes([Op.RESPONSE, request, result])


# -- machine status --------------------------------------------------------------------------


class Status(enum.IntEnum):
    """Fitness Machine Status op codes (FTMS 1.0, 4.17)."""

    RESET = 0x01
    STOPPED_OR_PAUSED_BY_USER = 0x02
    STOPPED_BY_SAFETY_KEY = 0x03
    STARTED_OR_RESUMED_BY_USER = 0x04
    TARGET_SPEED_CHANGED = 0x05
    TARGET_INCLINE_CHANGED = 0x06
    CONTROL_PERMISSION_LOST = 0xFF


@dataclass(frozen=True)
class MachineStatus:
    status: Status | None  # None: an op code this module does not know
    #: The new target (km/h or %) for a target change, the stop code for a stop.
    value: float | None = None


def parse_machine_status(data: bytes) -> MachineStatus:
    if not data:
        raise ProtocolError("fitness machine status is empty")
    try:
        status = Status(data[0])
    except ValueError:
        return MachineStatus(None)
    if status is Status.TARGET_SPEED_CHANGED:
        if len(data) < 3:
            raise ProtocolError("target speed changed without a speed")
        return MachineStatus(status, struct.unpack_from("<H", data, 1)[0] / 100)
    if status is Status.TARGET_INCLINE_CHANGED:
        if len(data) < 3:
            raise ProtocolError("target incline changed without an incline")
        return MachineStatus(status, struct.unpack_from("<h", data, 1)[0] / 10)
    if status is Status.STOPPED_OR_PAUSED_BY_USER and len(data) >= 2:
        return MachineStatus(status, data[1])
    return MachineStatus(status)


def encode_machine_status(status: Status, value: float | None = None) -> bytes:
    if status is Status.TARGET_SPEED_CHANGED:
        return struct.pack("<BH", status, round((value or 0) * 100))
    if status is Status.TARGET_INCLINE_CHANGED:
        return struct.pack("<Bh", status, round((value or 0) * 10))
    if status is Status.STOPPED_OR_PAUSED_BY_USER:
        return bytes([status, int(value or StopCode.STOP)])
    return bytes([status])
