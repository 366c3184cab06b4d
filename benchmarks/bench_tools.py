"""Tools: an MCP server's start, and the step from a tool's result to the next request.

python -m benchmarks.bench_tools [--quick] [--repeat N] [--json PATH]

`mcp-server-time` (the reference server from PyPI) is started over stdio and its tools listed,
from nothing to the listing (the SDK imported once before, as after the first server). Then a
scripted tool turn runs through the real ChatService and ToolLoop against the local LongCat
test server (in this process) and the SDK-made fake MCP server: the time from the moment the
tool's result is written to the moment the server receives the request that carries it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import ROOT, Figure, bench_arguments, qt_app, report

TIME_SERVER = Path(sys.executable).parent / "mcp-server-time"


async def _start_time_server(log_dir: Path) -> float:
    from longcat_desktop.tools.config import ServerConfig, Transport
    from longcat_desktop.tools.connection import ServerConnection

    config = ServerConfig("time", Transport.STDIO, command=str(TIME_SERVER))
    connection = ServerConnection(config, log_dir=log_dir, environ={})
    began = time.perf_counter()
    tools = await connection.start()
    took = time.perf_counter() - began
    assert any(tool.name == "get_current_time" for tool in tools)
    await connection.aclose()
    return took


async def _result_to_request(data_dir: Path, turns: int) -> list[float]:
    from longcat_desktop.domain import ApiFormat
    from longcat_desktop.domain.conversation import ConversationSettings
    from longcat_desktop.domain.ids import MessageId
    from longcat_desktop.domain.tool_turns import ToolCallState
    from longcat_desktop.services.chat_service import ChatService
    from longcat_desktop.services.client_pool import ClientPool, ConnectionConfig
    from longcat_desktop.services.tasks import TaskOwner
    from longcat_desktop.services.tool_loop import ToolLoop
    from longcat_desktop.services.tool_servers import ToolServers
    from longcat_desktop.store.store import Store
    from tests.fakes.longcat_server import LongCatServer, Scenario, ScriptedToolCall

    arrived: list[float] = []
    written: list[float] = []
    server = LongCatServer().start()
    record = server._record

    def stamped(request: object) -> int:
        arrived.append(time.perf_counter())
        return record(request)  # type: ignore[arg-type]

    server._record = stamped  # type: ignore[method-assign]
    store = Store.open(data_dir)
    tasks = TaskOwner()
    clients = ClientPool(ConnectionConfig(base_url=server.url, max_retries=0))
    clients.set_key(server.api_key)
    servers = ToolServers(data_dir, tasks)
    loop = ToolLoop(servers, store)
    chat = ChatService(store, clients, tasks, tool_loop=loop)

    def changed(_conversation: int, message_id: MessageId) -> None:
        result = store.messages.get(message_id).tool_result
        if result is not None and result.state is ToolCallState.DONE:
            written.append(time.perf_counter())

    loop.callChanged.connect(changed)
    idle = asyncio.Event()
    chat.streamingChanged.connect(lambda _c, streaming: None if streaming else idle.set())
    conversation = store.conversations.create(ConversationSettings("LongCat-2.0", ApiFormat.OPENAI))
    gaps: list[float] = []
    try:
        await servers.tools()  # started once, as in a conversation already using tools
        for number in range(turns):
            server.push(
                Scenario(text="", tool_calls=[ScriptedToolCall("echo", '{"text": "hi"}')]),
                Scenario(text="Done."),
            )
            arrived.clear()
            written.clear()
            idle.clear()
            chat.send(conversation.id, f"Echo {number}")
            await idle.wait()
            gaps.append((arrived[1] - written[0]) * 1000)
    finally:
        await chat.shutdown()
        await servers.aclose()
        await clients.aclose()
        store.close()
        server.stop()
    return gaps


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    import qasync

    app = qt_app()
    repeat = repeat or (2 if quick else 5)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="longcat-bench-tools-") as folder:
        base = Path(folder)
        fake = {
            "command": sys.executable,
            "args": ["-m", "tests.fakes.mcp_server"],
            "cwd": str(ROOT),
            "autoApprove": ["echo"],
        }
        (base / "data").mkdir()
        (base / "data" / "mcp.json").write_text(
            json.dumps({"mcpServers": {"fake": fake}}), encoding="utf-8"
        )
        # The SDK's import is paid by the first server of a run; measured apart.
        began = time.perf_counter()
        import mcp  # noqa: F401

        sdk_import = time.perf_counter() - began
        starts = [loop.run_until_complete(_start_time_server(base / "logs")) for _ in range(repeat)]
        gaps = loop.run_until_complete(_result_to_request(base / "data", 3 if quick else 20))
    return [
        Figure(
            "tools.time_server_start_s",
            "mcp-server-time started and its tools listed",
            "s",
            starts,
            budget=2.0,
        ),
        Figure("tools.sdk_import_s", "  the mcp SDK imported (once per run)", "s", [sdk_import]),
        Figure(
            "tools.result_to_request_ms",
            "a tool's result written to the next request on the wire",
            "ms",
            gaps,
            budget=50.0,
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Tools", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
