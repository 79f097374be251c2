"""Finding treadmills and heart-rate straps, and saying plainly why none can be found.

A scan lists what advertises the Fitness Machine Service (a treadmill) or the Heart Rate
Service (a strap), strongest signal first. Everything else in LegTimer works without any of
this: no bleak installed, no Bluetooth service, no adapter, Bluetooth switched off each give one
sentence, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from legtimer.devices import ftms, hrm

TREADMILL = "treadmill"
STRAP = "strap"


class NoBluetooth(RuntimeError):
    """Bluetooth cannot be used here; the message says why, for the runner."""


@dataclass(frozen=True)
class Found:
    address: str
    name: str
    kind: str  # TREADMILL or STRAP
    #: Signal strength in dBm (closer to 0 is stronger), when the radio says.
    rssi: int | None = None

    @property
    def signal(self) -> str:
        if self.rssi is None:
            return ""
        bars = 3 if self.rssi >= -60 else 2 if self.rssi >= -75 else 1
        return f"{'▮' * bars}{'▯' * (3 - bars)} {self.rssi} dBm"


def kind_of(service_uuids: list[str]) -> str | None:
    uuids = {u.lower() for u in service_uuids}
    if ftms.SERVICE in uuids:
        return TREADMILL
    if hrm.SERVICE in uuids:
        return STRAP
    return None


def why(exc: BaseException) -> str:
    """What a failure of the Bluetooth stack means for the runner."""
    text = str(exc)
    if isinstance(exc, FileNotFoundError | ConnectionRefusedError) or "system bus" in text:
        return "Bluetooth cannot be reached on this computer (no system message bus)."
    if "org.bluez" in text:
        return (
            "Bluetooth is not running on this computer (no BlueZ service): start it, or "
            "install BlueZ."
        )
    lowered = text.lower()
    if "no bluetooth adapters" in lowered or ("adapter" in lowered and "not found" in lowered):
        return "No Bluetooth adapter was found."
    if "turned off" in lowered or "powered off" in lowered or "not powered" in lowered:
        return "Bluetooth is off: turn it on in the system settings."
    return f"Bluetooth did not work ({text or type(exc).__name__})."


async def scan(seconds: float = 5.0) -> list[Found]:
    """Treadmills and straps in range. NoBluetooth when there is no way to look."""
    try:
        from bleak import BleakScanner
    except ImportError:
        raise NoBluetooth(
            "Bluetooth needs LegTimer's Bluetooth extra: pip install 'legtimer[ble]'."
        ) from None
    try:
        seen = await BleakScanner.discover(seconds, return_adv=True)
    except Exception as exc:  # bleak's errors, D-Bus's, the OS's: all mean "not here"
        raise NoBluetooth(why(exc)) from exc
    out = []
    for device, adv in seen.values():
        kind = kind_of(list(adv.service_uuids))
        if kind is None:
            continue
        name = adv.local_name or device.name or device.address
        out.append(Found(device.address, name, kind, adv.rssi))
    return sorted(out, key=lambda f: (f.kind, -(f.rssi if f.rssi is not None else -999)))
