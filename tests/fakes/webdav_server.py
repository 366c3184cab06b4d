"""A real WebDAV server (wsgidav on cheroot) on 127.0.0.1, with faults to order.

with WebDavServer(folder) as server:
    server.url            # http://127.0.0.1:<port>/dav/sync/
    server.fail_next(500, method="PUT")
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

USER = "alice"
PASSWORD = "correct horse"

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


@dataclass
class Fault:
    # "status": answer `status`; "hang": wait `seconds` first; "truncate": cut the body short;
    # "tamper": flip a byte of the body.
    kind: str
    method: str | None = None
    path_contains: str = ""
    status: int = 500
    seconds: float = 0.0
    times: int = 1
    # Let this many matching requests through first.
    after: int = 0


class _Faults:
    def __init__(self, app: Callable[[Environ, StartResponse], Iterable[bytes]]) -> None:
        self._app = app
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def _take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if (fault.method is None or fault.method == method) and (
                    fault.path_contains in path
                ):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        with self._lock:
            self.log.append((method, path))
        fault = self._take(method, path)
        if fault is None:
            return self._app(environ, start_response)
        if fault.kind == "status":
            start_response(f"{fault.status} Fault", [("Content-Length", "0")])
            return [b""]
        if fault.kind == "hang":
            time.sleep(fault.seconds)
            return self._app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            captured["status"] = status
            captured["headers"] = headers
            return lambda data: None

        body = b"".join(self._app(environ, capture))
        if fault.kind == "truncate":
            body = body[: len(body) // 2]
        elif body:
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0x01]) + body[middle + 1 :]
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]


class WebDavServer:
    def __init__(self, root: Path) -> None:
        from cheroot import wsgi
        from wsgidav.wsgidav_app import WsgiDAVApp

        self.root = root
        # The folder under the root that `url` names; tests may switch to a fresh one.
        self.subfolder = "sync"
        (root / "sync").mkdir(parents=True, exist_ok=True)
        config = {
            "provider_mapping": {"/dav": str(root)},
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "http_authenticator": {
                "domain_controller": None,
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "verbose": 0,
            "logging": {"enable": False},
            "property_manager": True,
            "lock_storage": True,
        }
        self.faults = _Faults(WsgiDAVApp(config))
        self._server = wsgi.Server(("127.0.0.1", 0), self.faults, numthreads=4)
        self._server.prepare()
        self.port = self._server.bind_addr[1]
        self._thread = threading.Thread(target=self._server.serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dav/{self.subfolder}/"

    @property
    def folder(self) -> Path:
        return self.root / self.subfolder

    def fail_next(self, status: int, *, method: str | None = None, path: str = "") -> None:
        self.faults.faults.append(Fault("status", method, path, status=status))

    def add(self, fault: Fault) -> None:
        self.faults.faults.append(fault)

    def __enter__(self) -> WebDavServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.stop()
        self._thread.join(timeout=5)
