"""A minimal HTTP forward proxy on 127.0.0.1 that records what it carried.

Enough for plain-http targets (absolute-form request lines): it forwards one request per
connection and relays the response bytes as they come, so streams stay streams.
"""

from __future__ import annotations

import select
import socket
import socketserver
import urllib.parse

from tests.fakes.relay_server import RelayServer, RelayTCPServer

_HEADER_LIMIT = 64 * 1024


class _Handler(socketserver.BaseRequestHandler):
    server: RelayTCPServer

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


class ForwardProxy(RelayServer[str]):
    handler = _Handler

    @property
    def targets(self) -> list[str]:
        return self.recorded

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
