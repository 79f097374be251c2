"""One LegTimer per data folder: a second launch hands its request to the running window
(bringing it forward, starting a session if asked) instead of opening a second writer to the
same database."""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
RETRY_S = 0.05
#: How long a second launch waits for a first one that holds the database but is not
#: listening yet (it is still painting its window).
STARTING_PATIENCE_S = 3.0


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"legtimer-{getpass.getuser()}-{digest}"


def hand_off(name: str, request: dict[str, object], *, patience_s: float = 0.0) -> bool:
    """Send `request` to a running instance; False when there is none.

    `patience_s`: keep trying this long, for an instance that is still starting (it listens
    only once its window is painted).
    """
    socket = QLocalSocket()
    give_up = time.monotonic() + patience_s
    while True:
        socket.connectToServer(name)
        if socket.waitForConnected(CONNECT_TIMEOUT_MS):
            break
        if time.monotonic() >= give_up:
            return False
        if patience_s:
            log.info("waiting for the LegTimer that holds the history to listen")
            patience_s = 0.0  # say it once
        time.sleep(RETRY_S)
    socket.write(json.dumps(request).encode() + b"\n")
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits each one's request."""

    request_received = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(name):
            # A socket file left by a crashed instance: nobody answered hand_off, so remove it.
            QLocalServer.removeServer(name)
            if not self.server.listen(name):
                log.warning("single-instance server failed: %s", self.server.errorString())
        self.server.newConnection.connect(self._on_server_new_connection)

    def _on_server_new_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).strip()
            try:
                request = json.loads(line)
            except ValueError:
                log.warning("ignored a malformed request from another launch")
                continue
            if isinstance(request, dict):
                self.request_received.emit(request)

    def close(self) -> None:
        self.server.close()
