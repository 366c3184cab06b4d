"""`rclone serve webdav` on 127.0.0.1: a second WebDAV implementation, independent of wsgidav
(rclone is written in Go on golang.org/x/net/webdav), in front of a local folder, the way people
put it in front of S3 or Google Drive. Same user name and password as the wsgidav server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import httpx

from tests.fakes.webdav_server import PASSWORD, USER

START_SECONDS = 15.0


def available() -> bool:
    return shutil.which("rclone") is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RcloneServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.subfolder = "sync"
        (root / self.subfolder).mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.subfolder}/"

    @property
    def folder(self) -> Path:
        return self.root / self.subfolder

    def __enter__(self) -> RcloneServer:
        executable = shutil.which("rclone")
        assert executable is not None, "rclone is not installed"
        self._process = subprocess.Popen(
            [
                executable,
                "serve",
                "webdav",
                str(self.root),
                "--addr",
                f"127.0.0.1:{self.port}",
                "--user",
                USER,
                "--pass",
                PASSWORD,
                "--config",
                os.devnull,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_serving()
        return self

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"rclone exited with {self._process.returncode}")
            try:
                answer = httpx.request(
                    "PROPFIND", self.url, auth=(USER, PASSWORD), headers={"Depth": "0"}
                )
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # polling for the port, not timing an assertion
                continue
            if answer.status_code == 207:
                return
            raise RuntimeError(f"rclone answered {answer.status_code}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
