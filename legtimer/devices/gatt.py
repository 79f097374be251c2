"""The one seam between LegTimer and a radio: a connected device's GATT characteristics.

`BleakGatt` is the real one, on bleak (imported only when a device is used). The simulated
treadmill and strap (`legtimer.devices.simulated`) implement the same few calls, so everything
above this seam, the FTMS client included, runs unchanged against either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class DeviceGone(ConnectionError):
    """The device is not connected (out of range, switched off, or never reached)."""


class Gatt(Protocol):
    address: str
    name: str
    #: Called (in the device thread) when the link drops without being asked to.
    on_disconnect: Callable[[], None] | None

    @property
    def is_connected(self) -> bool: ...

    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...

    def has(self, uuid: str) -> bool: ...

    async def read(self, uuid: str) -> bytes: ...

    async def write(self, uuid: str, data: bytes) -> None: ...

    async def subscribe(self, uuid: str, callback: Callable[[bytes], None]) -> None: ...


class BleakGatt:
    """A device reached through bleak (BlueZ on Linux, WinRT, CoreBluetooth)."""

    def __init__(self, address: str, name: str = "", *, timeout: float = 15.0) -> None:
        self.address = address
        self.name = name or address
        self.on_disconnect: Callable[[], None] | None = None
        self._timeout = timeout
        self._client: Any = None
        self._closing = False

    @property
    def is_connected(self) -> bool:
        return bool(self._client is not None and self._client.is_connected)

    async def connect(self) -> None:
        try:
            from bleak import BleakClient
            from bleak.exc import BleakError
        except ImportError:
            raise DeviceGone(
                "Bluetooth needs LegTimer's Bluetooth extra: pip install 'legtimer[ble]'"
            ) from None

        self._closing = False
        self._client = BleakClient(
            self.address, disconnected_callback=self._dropped, timeout=self._timeout
        )
        try:
            await self._client.connect()
        except (BleakError, OSError, TimeoutError) as exc:
            self._client = None
            from legtimer.devices.scan import why

            raise DeviceGone(f"{self.name} could not be reached: {why(exc)}") from exc

    def _dropped(self, _client: object) -> None:
        if not self._closing and self.on_disconnect is not None:
            self.on_disconnect()

    async def disconnect(self) -> None:
        self._closing = True
        if self._client is not None:
            await self._client.disconnect()

    def _need(self) -> Any:
        if not self.is_connected:
            raise DeviceGone(f"{self.name} is not connected")
        return self._client

    def has(self, uuid: str) -> bool:
        client = self._need()
        return client.services.get_characteristic(uuid) is not None

    async def read(self, uuid: str) -> bytes:
        return bytes(await self._need().read_gatt_char(uuid))

    async def write(self, uuid: str, data: bytes) -> None:
        await self._need().write_gatt_char(uuid, data, response=True)

    async def subscribe(self, uuid: str, callback: Callable[[bytes], None]) -> None:
        await self._need().start_notify(uuid, lambda _char, data: callback(bytes(data)))
