"""The Heart Rate Measurement characteristic (Heart Rate Service 1.0, 3.1) as bytes."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from legtimer.devices.ftms import ProtocolError, uuid16

SERVICE = uuid16(0x180D)
MEASUREMENT = uuid16(0x2A37)
BATTERY_SERVICE = uuid16(0x180F)
BATTERY_LEVEL = uuid16(0x2A19)

_UINT16 = 1 << 0
_CONTACT_DETECTED = 1 << 1
_CONTACT_SUPPORTED = 1 << 2
_ENERGY = 1 << 3
_RR = 1 << 4


@dataclass(frozen=True)
class HeartRate:
    bpm: int
    #: True or False where the strap reports skin contact, None where it cannot tell.
    contact: bool | None = None
    energy_kj: int | None = None
    #: Beat-to-beat intervals in seconds (the strap sends them in 1/1024 s).
    rr_s: tuple[float, ...] = ()

    @property
    def usable(self) -> bool:
        """A reading to keep: a strap that says it has lost the skin reports noise."""
        return self.bpm > 0 and self.contact is not False


def parse(data: bytes) -> HeartRate:
    if len(data) < 2:
        raise ProtocolError(f"heart rate measurement is {len(data)} bytes, at least 2 expected")
    flags = data[0]
    at = 1
    need = at + (2 if flags & _UINT16 else 1) + (2 if flags & _ENERGY else 0)
    if len(data) < need:
        raise ProtocolError(f"heart rate measurement is {len(data)} bytes, its flags need {need}")
    if flags & _UINT16:
        (bpm,) = struct.unpack_from("<H", data, at)
        at += 2
    else:
        bpm = data[at]
        at += 1
    contact = bool(flags & _CONTACT_DETECTED) if flags & _CONTACT_SUPPORTED else None
    energy = None
    if flags & _ENERGY:
        (energy,) = struct.unpack_from("<H", data, at)
        at += 2
    rr: tuple[float, ...] = ()
    if flags & _RR:
        count = (len(data) - at) // 2
        rr = tuple(v / 1024 for v in struct.unpack_from(f"<{count}H", data, at))
    return HeartRate(bpm, contact, energy, rr)


def encode(reading: HeartRate) -> bytes:
    """The notification a strap sends for `reading` (the simulated strap's side)."""
    flags = 0
    body = b""
    if reading.bpm > 0xFF:
        flags |= _UINT16
        body += struct.pack("<H", reading.bpm)
    else:
        body += struct.pack("<B", reading.bpm)
    if reading.contact is not None:
        flags |= _CONTACT_SUPPORTED | (_CONTACT_DETECTED if reading.contact else 0)
    if reading.energy_kj is not None:
        flags |= _ENERGY
        body += struct.pack("<H", reading.energy_kj)
    if reading.rr_s:
        flags |= _RR
        body += b"".join(struct.pack("<H", round(r * 1024)) for r in reading.rr_s)
    return bytes([flags]) + body
