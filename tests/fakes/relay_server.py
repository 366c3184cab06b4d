"""What the local proxies of the tests share: a threaded TCP server on 127.0.0.1, started and
stopped as a context manager, recording where it was asked to go."""

from __future__ import annotations

import contextlib
import socketserver
import threading
from typing import Any, Generic, Self, TypeVar

Target = TypeVar("Target")


class RelayTCPServer(socketserver.ThreadingTCPServer):
    """The server a handler sees as `self.server`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, owner: RelayServer[Any], handler: type[socketserver.BaseRequestHandler]
    ) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), handler)


class RelayServer(Generic[Target]):
    """Subclasses name their request handler; `self.server.owner` reaches this object."""

    handler: type[socketserver.BaseRequestHandler]

    def __init__(self) -> None:
        self.recorded: list[Target] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server: RelayTCPServer | None = None
        self._thread: threading.Thread | None = None

    def record(self, target: Target) -> None:
        with self._lock:
            self.recorded.append(target)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def __enter__(self) -> Self:
        self._server = RelayTCPServer(self, self.handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            with contextlib.suppress(OSError):
                self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)
