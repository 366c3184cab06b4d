"""mcp.json as the app uses it: watched, applied without a restart, never overwritten when
broken; servers started on first need and all stopped at quit."""

from __future__ import annotations

import asyncio
import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.tool_servers import ToolServers
from longcat_desktop.tools.naming import ToolRef
from tests.qt_async import emitted, run, until

ROOT = Path(__file__).resolve().parents[2]


def _fake() -> dict[str, object]:
    return {"command": sys.executable, "args": ["-m", "tests.fakes.mcp_server"], "cwd": str(ROOT)}


def _write(path: Path, servers: dict[str, object], **top: object) -> None:
    path.write_text(json.dumps({"mcpServers": servers, **top}), encoding="utf-8")


@pytest.fixture
def tool_servers(tmp_path: Path, qloop: asyncio.AbstractEventLoop) -> Iterator[ToolServers]:
    errors: list[BaseException] = []
    servers = ToolServers(tmp_path, TaskOwner(qloop, errors.append))
    try:
        yield servers
    finally:
        run(qloop, servers.aclose())
    assert not errors


def test_no_file_means_no_servers(tool_servers: ToolServers) -> None:
    assert tool_servers.servers == ()
    assert tool_servers.config_error == ""


def test_tools_of_every_enabled_server_by_the_name_the_model_sees(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    _write(
        tmp_path / "mcp.json",
        {"a": _fake(), "b": _fake(), "off": {**_fake(), "disabled": True}},
    )
    servers = ToolServers(tmp_path, TaskOwner(qloop))
    try:
        names, infos, problems = run(qloop, servers.tools())
        assert problems == []
        assert names["a__echo"] == ToolRef("a", "echo")
        assert names["b__echo"] == ToolRef("b", "echo")
        assert not any(ref.server == "off" for ref in names.values())
        assert infos[ToolRef("a", "echo")].read_only is True
        outcome = run(qloop, servers.call(ToolRef("b", "add"), {"a": 1, "b": 2}))
        assert outcome.text == "3"
    finally:
        run(qloop, servers.aclose())


def test_a_server_that_cannot_start_is_reported_and_the_others_still_serve(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    _write(tmp_path / "mcp.json", {"good": _fake(), "bad": {"command": "uvx-not-installed"}})
    servers = ToolServers(tmp_path, TaskOwner(qloop))
    try:
        names, _infos, problems = run(qloop, servers.tools())
        assert "echo" in names
        assert len(problems) == 1
        assert "uvx-not-installed" in problems[0]
        assert "PATH" in problems[0]
    finally:
        run(qloop, servers.aclose())


def test_a_hand_edit_applies_without_a_restart(
    tool_servers: ToolServers, qloop: asyncio.AbstractEventLoop
) -> None:
    tool_servers.watch()

    async def body() -> None:
        _write(tool_servers.path, {"time": {"command": "mcp-server-time"}})
        await emitted(tool_servers.configChanged)

    run(qloop, body())
    assert [server.name for server in tool_servers.servers] == ["time"]


def test_a_broken_file_is_reported_with_its_line_and_never_overwritten(
    tool_servers: ToolServers, qloop: asyncio.AbstractEventLoop
) -> None:
    tool_servers.watch()
    broken = '{\n  "mcpServers": {\n    "a": {"command": "x",}\n  }\n}\n'

    async def body() -> None:
        tool_servers.path.write_text(broken, encoding="utf-8")
        await until(lambda: tool_servers.config_error, what="the error")

    run(qloop, body())
    assert "line 3" in tool_servers.config_error
    assert tool_servers.path.read_text(encoding="utf-8") == broken


def test_always_allow_is_saved_and_unknown_keys_are_kept(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    _write(tmp_path / "mcp.json", {"a": {**_fake(), "myClientSetting": 1}}, theme="dark")
    servers = ToolServers(tmp_path, TaskOwner(qloop))
    servers.always_allow("a", "echo")
    saved = json.loads((tmp_path / "mcp.json").read_text(encoding="utf-8"))
    assert saved["theme"] == "dark"
    assert saved["mcpServers"]["a"]["myClientSetting"] == 1
    assert servers.is_auto_approved(ToolRef("a", "echo"))
    servers.always_allow("a", "echo", allowed=False)
    assert not servers.is_auto_approved(ToolRef("a", "echo"))


def test_a_failure_is_reported_once_until_the_server_recovers_and_fails_anew(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    script = tmp_path / "server.sh"
    _write(tmp_path / "mcp.json", {"flaky": {"command": str(script)}})
    servers = ToolServers(tmp_path, TaskOwner(qloop))
    try:
        _names, _infos, first = run(qloop, servers.tools())
        assert len(first) == 1
        _names, _infos, again = run(qloop, servers.tools())
        assert again == []
        assert servers.state("flaky")[0] == "failed"  # still shown where servers are listed

        fake = " ".join(
            shlex.quote(part) for part in (sys.executable, "-m", "tests.fakes.mcp_server")
        )
        script.write_text(f"#!/bin/sh\ncd {shlex.quote(str(ROOT))} && exec {fake}\n")
        script.chmod(0o755)
        run(qloop, servers.restart("flaky"))
        assert servers.state("flaky")[0] == "ready"

        script.write_text("#!/bin/sh\nexit 3\n")
        run(qloop, servers.restart("flaky"))
        assert servers.state("flaky")[0] == "failed"
        _names, _infos, anew = run(qloop, servers.tools())
        assert len(anew) == 1
    finally:
        run(qloop, servers.aclose())
