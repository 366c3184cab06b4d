"""A second start of the app brings the first one's window forward instead of opening twice.

The data folder's lock decides who runs; this local socket only carries the wake-up call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtNetwork import QLocalServer, QLocalSocket

_CONNECT_TIMEOUT_MS = 500
_WAKE = b"show\n"


def _server_name(data_dir: Path) -> str:
    # One name per data folder, short enough for a Unix socket path, same for every copy.
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"longcat-desktop-{digest}"


class SingleInstance:
    def __init__(self, data_dir: Path) -> None:
        self._name = _server_name(data_dir)
        self._server: QLocalServer | None = None

    def wake_other(self) -> bool:
        """Ask the running copy to show its window. False when it could not be reached."""
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(_CONNECT_TIMEOUT_MS):
            return False
        socket.write(_WAKE)
        socket.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self, on_wake: Callable[[], None]) -> None:
        server = QLocalServer()
        # A socket file left by a crashed run would block listening; we hold the lock, so
        # nobody else can be using it.
        QLocalServer.removeServer(self._name)
        if not server.listen(self._name):
            return

        def accept() -> None:
            while server.hasPendingConnections():
                connection = server.nextPendingConnection()
                connection.readyRead.connect(on_wake)
                connection.disconnected.connect(connection.deleteLater)

        server.newConnection.connect(accept)
        self._server = server

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
