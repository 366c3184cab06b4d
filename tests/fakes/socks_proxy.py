"""A minimal SOCKS5 proxy on 127.0.0.1 that records the destinations it connected to.

Enough for a client without authentication that asks for CONNECT (RFC 1928): it opens the
destination and relays bytes both ways until either side closes.
"""

from __future__ import annotations

import ipaddress
import select
import socket
import socketserver
import struct

from tests.fakes.relay_server import RelayServer, RelayTCPServer

_VERSION = 5
_NO_AUTHENTICATION = 0
_NO_ACCEPTABLE_METHOD = 0xFF
_CONNECT = 1
_IPV4, _DOMAIN, _IPV6 = 1, 3, 4
_SUCCEEDED, _REFUSED, _UNSUPPORTED = 0, 5, 7


def _read_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        piece = sock.recv(count - len(data))
        if not piece:
            raise ConnectionError("the client went away during the handshake")
        data += piece
    return data


def _reply(client: socket.socket, code: int) -> None:
    # The bound address is not used by clients that only CONNECT; zeros are allowed.
    client.sendall(bytes([_VERSION, code, 0, _IPV4]) + bytes(4) + struct.pack("!H", 0))


class _Handler(socketserver.BaseRequestHandler):
    server: RelayTCPServer

    def handle(self) -> None:
        client: socket.socket = self.request
        try:
            destination = self._handshake(client)
        except ConnectionError:
            return
        if destination is None:
            return
        self.server.owner.record(destination)
        try:
            upstream = socket.create_connection(destination, timeout=5)
        except OSError:
            _reply(client, _REFUSED)
            return
        with upstream:
            _reply(client, _SUCCEEDED)
            self._relay(client, upstream)

    def _handshake(self, client: socket.socket) -> tuple[str, int] | None:
        version, count = _read_exactly(client, 2)
        methods = _read_exactly(client, count)
        if version != _VERSION or _NO_AUTHENTICATION not in methods:
            client.sendall(bytes([_VERSION, _NO_ACCEPTABLE_METHOD]))
            return None
        client.sendall(bytes([_VERSION, _NO_AUTHENTICATION]))
        version, command, _reserved, kind = _read_exactly(client, 4)
        if kind == _IPV4:
            host = str(ipaddress.IPv4Address(_read_exactly(client, 4)))
        elif kind == _IPV6:
            host = str(ipaddress.IPv6Address(_read_exactly(client, 16)))
        elif kind == _DOMAIN:
            host = _read_exactly(client, _read_exactly(client, 1)[0]).decode("idna")
        else:
            _reply(client, _UNSUPPORTED)
            return None
        (port,) = struct.unpack("!H", _read_exactly(client, 2))
        if version != _VERSION or command != _CONNECT:
            _reply(client, _UNSUPPORTED)
            return None
        return host, port

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        while not self.server.owner.stopping.is_set():
            readable, _, _ = select.select(list(peers), [], [], 0.1)
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    return
                peers[sock].sendall(data)


class SocksProxy(RelayServer[tuple[str, int]]):
    handler = _Handler

    @property
    def destinations(self) -> list[tuple[str, int]]:
        return self.recorded

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self.port}"
