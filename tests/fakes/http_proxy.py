"""A minimal HTTP forward proxy on 127.0.0.1 that records what it carried.

Enough for plain-http targets (absolute-form request lines): it forwards one request per
connection and relays the response bytes as they come, so streams stay streams.
"""

from __future__ import annotations

import contextlib
import select
import socket
import socketserver
import threading
import urllib.parse

_HEADER_LIMIT = 64 * 1024


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        client: socket.socket = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            piece = client.recv(4096)
            if not piece or len(head) > _HEADER_LIMIT:
                return
            head += piece
        head, _, rest = head.partition(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ", 2)
        self.server.owner.record(target)
        url = urllib.parse.urlsplit(target)
        headers = [
            line
            for line in header_lines
            if not line.lower().startswith(("proxy-", "connection:", "keep-alive:"))
        ]
        length = next(
            (
                int(line.split(":", 1)[1])
                for line in headers
                if line.lower().startswith("content-length:")
            ),
            0,
        )
        body = rest
        while len(body) < length:
            piece = client.recv(65536)
            if not piece:
                return
            body += piece
        path = url.path or "/"
        if url.query:
            path += "?" + url.query
        outgoing = "\r\n".join(
            [f"{method} {path} {version}", *headers, "Connection: close", "", ""]
        )
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80)) as upstream:
            upstream.sendall(outgoing.encode("latin-1") + body)
            self._relay(upstream, client)

    def _relay(self, upstream: socket.socket, client: socket.socket) -> None:
        while not self.server.owner.stopping.is_set():
            readable, _, _ = select.select([upstream, client], [], [], 0.1)
            if client in readable and not client.recv(1, socket.MSG_PEEK):
                return  # The client went away: so does the upstream connection.
            if upstream in readable:
                data = upstream.recv(65536)
                if not data:
                    return
                client.sendall(data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: ForwardProxy) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)


class ForwardProxy:
    def __init__(self) -> None:
        self.targets: list[str] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def record(self, target: str) -> None:
        with self._lock:
            self.targets.append(target)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ForwardProxy:
        self._server = _Server(self)
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
