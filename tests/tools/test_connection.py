"""Real MCP servers over stdio and HTTP: started on first need, called, stopped, restarted.

Peers: `mcp-server-time` from PyPI (the reference server), and tests/fakes/mcp_server.py made
with the SDK's own server side, whose tools misbehave on purpose.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from longcat_desktop.tools.config import ServerConfig, Transport
from longcat_desktop.tools.connection import ServerConnection, ServerState, ToolServerError
from tests.fakes.mcp_http import mcp_http_server

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
TIME_SERVER = Path(sys.executable).parent / "mcp-server-time"


def _fake_server(**changes: object) -> ServerConfig:
    values: dict[str, object] = {
        "name": "fake",
        "transport": Transport.STDIO,
        "command": sys.executable,
        "args": ("-m", "tests.fakes.mcp_server"),
        "cwd": str(ROOT),
    }
    values.update(changes)
    return ServerConfig(**values)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def connected(
    config: ServerConfig, tmp_path: Path, **options: object
) -> AsyncIterator[ServerConnection]:
    connection = ServerConnection(config, log_dir=tmp_path / "logs", **options)  # type: ignore[arg-type]
    try:
        yield connection
    finally:
        await connection.aclose()


def _children_of_this_process() -> set[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(os.getpid())], capture_output=True, text=True, check=False
    )
    return {int(pid) for pid in found.stdout.split()}


async def test_the_reference_time_server_lists_and_runs_its_tools(tmp_path: Path) -> None:
    config = ServerConfig("time", Transport.STDIO, str(TIME_SERVER), ("--local-timezone", "UTC"))
    async with connected(config, tmp_path) as connection:
        started = time.monotonic()
        tools = await connection.start()
        assert time.monotonic() - started < 10
        assert {tool.name for tool in tools} == {"get_current_time", "convert_time"}
        current = next(tool for tool in tools if tool.name == "get_current_time")
        assert current.read_only is True
        assert current.input_schema["type"] == "object"
        assert connection.state is ServerState.READY
        outcome = await connection.call("get_current_time", {"timezone": "Asia/Shanghai"})
        assert not outcome.is_error
        assert "Asia/Shanghai" in outcome.text
        wrong = await connection.call("get_current_time", {"timezone": "Nowhere/Nothing"})
        assert wrong.is_error
        assert "Nowhere/Nothing" in wrong.text


async def test_results_keep_text_errors_and_images_apart(tmp_path: Path) -> None:
    async with connected(_fake_server(), tmp_path) as connection:
        assert (await connection.call("add", {"a": 2, "b": 40})).text == "42"
        failed = await connection.call("fail", {"reason": "no"})
        assert failed.is_error
        picture = await connection.call("picture", {})
        assert not picture.is_error
        assert picture.images[0].media_type == "image/png"
        assert picture.images[0].data.startswith(b"\x89PNG")
        assert "base64" not in picture.text


async def test_a_slow_tool_is_stopped_at_its_timeout(tmp_path: Path) -> None:
    async with connected(_fake_server(timeout=0.5), tmp_path) as connection:
        await connection.start()
        outcome = await connection.call("hang", {})
        assert outcome.is_error
        assert "0.5 s" in outcome.text
        # The server goes on serving.
        assert (await connection.call("echo", {"text": "still here"})).text == "still here"


async def test_progress_from_the_server_extends_the_timeout(tmp_path: Path) -> None:
    progress: list[float] = []
    async with connected(_fake_server(timeout=0.4), tmp_path) as connection:
        outcome = await connection.call(
            "slow", {"seconds": 1.2}, on_progress=lambda done, _t, _m: progress.append(done)
        )
    assert outcome.text == "slept 1.2"
    assert len(progress) > 3


async def test_cancelling_a_call_returns_at_once_and_the_server_lives_on(tmp_path: Path) -> None:
    async with connected(_fake_server(), tmp_path) as connection:
        await connection.start()
        call = asyncio.ensure_future(connection.call("hang", {}))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert time.monotonic() - started < 0.2
        assert (await connection.call("echo", {"text": "ok"})).text == "ok"


async def test_a_server_that_dies_mid_call_fails_that_call_and_is_restarted(
    tmp_path: Path,
) -> None:
    async with connected(_fake_server(), tmp_path) as connection:
        await connection.start()
        crashed = await connection.call("crash", {})
        assert crashed.is_error
        assert "stopped" in crashed.text
        after = await connection.call("echo", {"text": "back"})
        assert after.text == "back"
        assert connection.state is ServerState.READY


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (ServerConfig("x", Transport.STDIO, "no-such-command-anywhere"), "was not found on PATH"),
        (
            ServerConfig("x", Transport.STDIO, sys.executable, ("-c", "import sys; sys.exit(2)")),
            "exited before it was ready",
        ),
        (_fake_server(cwd="/no/such/folder"), "does not exist"),
    ],
)
async def test_a_server_that_cannot_start_says_why_in_words(
    tmp_path: Path, config: ServerConfig, words: str
) -> None:
    states: list[ServerState] = []
    async with connected(config, tmp_path, on_state=lambda c: states.append(c.state)) as connection:
        with pytest.raises(ToolServerError, match=words):
            await connection.start()
        assert connection.state is ServerState.FAILED
        assert words in connection.error
        outcome = await connection.call("anything", {})
        assert outcome.is_error
    assert ServerState.STARTING in states


async def test_environment_and_secrets_reach_the_server_but_never_the_app_key(
    tmp_path: Path,
) -> None:
    config = _fake_server(
        env={"GREETING": "${secret:mcp/fake/env/GREETING}", "HOME_TOO": "${HOME}"}
    )
    environ = {"HOME": "/home/test", "PATH": os.environ["PATH"], "LONGCAT_API_KEY": "lc-secret"}
    async with connected(
        config, tmp_path, environ=environ, secret={"mcp/fake/env/GREETING": "hello"}.get
    ) as connection:
        assert (await connection.call("environment", {"name": "GREETING"})).text == "hello"
        assert (await connection.call("environment", {"name": "HOME_TOO"})).text == "/home/test"
        leaked = await connection.call("environment", {"name": "LONGCAT_API_KEY"})
        assert leaked.text == "<unset>"


async def test_stderr_goes_to_the_servers_log(tmp_path: Path) -> None:
    async with connected(_fake_server(), tmp_path) as connection:
        await connection.start()
        log_path = connection.log_path
    assert log_path.parent == tmp_path / "logs"
    assert "test-tools starting" in log_path.read_text()


async def test_closing_leaves_no_process_behind(tmp_path: Path) -> None:
    before = _children_of_this_process()
    async with connected(_fake_server(), tmp_path) as connection:
        await connection.start()
        assert _children_of_this_process() - before
    assert _children_of_this_process() - before == set()


@pytest.fixture
def http_server() -> Iterator[str]:
    with mcp_http_server() as url:
        yield url


async def test_a_remote_server_over_streamable_http(tmp_path: Path, http_server: str) -> None:
    config = ServerConfig("remote", Transport.HTTP, url=http_server)
    async with connected(config, tmp_path) as connection:
        tools = await connection.start()
        assert "echo" in {tool.name for tool in tools}
        assert (await connection.call("echo", {"text": "over http"})).text == "over http"
