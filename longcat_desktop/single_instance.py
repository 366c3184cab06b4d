"""A second start of the app brings the first one's window forward instead of opening twice.

The data folder's lock decides who runs; this local socket only carries the wake-up call.
QtNetwork loads when the socket is first used, which the app does after its first frame.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

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
        self._closed = False

    def wake_other(self) -> bool:
        """Ask the running copy to show its window. False when it could not be reached."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(_CONNECT_TIMEOUT_MS):
            return False
        socket.write(_WAKE)
        socket.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    @property
    def listening(self) -> bool:
        return self._server is not None

    def listen(self, on_wake: Callable[[], None]) -> bool:
        """Answer wake-up calls with `on_wake`. True if this call started listening; once is
        enough, so later calls (and calls after `close`) do nothing and return False."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None or self._closed:
            return False
        server = QLocalServer()
        # A socket file left by a crashed run would block listening; we hold the lock, so
        # nobody else can be using it.
        QLocalServer.removeServer(self._name)
        if not server.listen(self._name):
            return False

        def accept() -> None:
            while server.hasPendingConnections():
                connection = server.nextPendingConnection()
                connection.readyRead.connect(on_wake)
                connection.disconnected.connect(connection.deleteLater)

        server.newConnection.connect(accept)
        self._server = server
        return True

    def close(self) -> None:
        self._closed = True
        if self._server is not None:
            self._server.close()
            self._server = None
