from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.webdav_server import WebDavServer
from tests.sync.helpers import Device


@pytest.fixture(scope="module")
def _server_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDavServer]:
    # One server process-wide per module: starting wsgidav costs more than a test.
    with WebDavServer(tmp_path_factory.mktemp("webdav")) as server:
        yield server


@pytest.fixture
def server(_server_root: WebDavServer, tmp_path: Path) -> WebDavServer:
    """The module's server with an empty sync folder of this test's own."""
    folder = tmp_path.name
    (_server_root.root / folder).mkdir()
    _server_root.subfolder = folder
    _server_root.faults.faults.clear()
    _server_root.faults.log.clear()
    return _server_root


@pytest.fixture
def laptop(server: WebDavServer, tmp_path: Path) -> Device:
    return Device(tmp_path / "laptop", server)


@pytest.fixture
def desktop(server: WebDavServer, tmp_path: Path) -> Device:
    return Device(tmp_path / "desktop", server)
