"""The tool loop end to end: the local LongCat server scripts tool-call turns in both formats,
a real MCP server (the SDK-made fake over stdio) runs the tools."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus, StoredMessage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.tool_turns import (
    CUT_OFF_RESULT,
    DENIED_RESULT,
    INTERRUPTED_RESULT,
    STOPPED_RESULT,
    ToolCallState,
)
from longcat_desktop.services.chat_service import ChatService, _history_messages
from longcat_desktop.services.client_pool import ClientPool, ConnectionConfig
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.tool_loop import Decision, ToolLoop
from longcat_desktop.services.tool_servers import ToolServers
from longcat_desktop.store.store import Store
from tests.fakes.longcat_server import LongCatServer, Scenario, ScriptedToolCall
from tests.fakes.mcp_http import mcp_http_server
from tests.qt_async import emitted, run, until

ROOT = Path(__file__).resolve().parents[2]
MODEL = "LongCat-2.0"


def _fake(**extra: object) -> dict[str, object]:
    return {
        "command": sys.executable,
        "args": ["-m", "tests.fakes.mcp_server"],
        "cwd": str(ROOT),
        **extra,
    }


@dataclass
class LoopEnv:
    data_dir: Path
    store: Store
    clients: ClientPool
    servers: ToolServers
    loop_service: ToolLoop
    chat: ChatService
    server: LongCatServer
    loop: asyncio.AbstractEventLoop
    turn_limit: list[int]

    def configure(self, servers: dict[str, object]) -> None:
        (self.data_dir / "mcp.json").write_text(
            json.dumps({"mcpServers": servers}), encoding="utf-8"
        )
        self.servers.reload()

    def conversation(self, api_format: ApiFormat) -> ConversationId:
        return self.store.conversations.create(ConversationSettings(MODEL, api_format)).id

    def thread(self, conversation_id: ConversationId) -> list[StoredMessage]:
        return self.store.messages.visible_thread(conversation_id)

    def send_and_settle(self, conversation_id: ConversationId, text: str) -> list[StoredMessage]:
        async def body() -> None:
            assert self.chat.send(conversation_id, text) is not None
            await until(lambda: not self.chat.is_streaming(conversation_id), what="the loop")

        run(self.loop, body())
        return self.thread(conversation_id)


@pytest.fixture
def env(
    tmp_path: Path, longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> Iterator[LoopEnv]:
    data_dir = tmp_path / "data"
    store = Store.open(data_dir)
    errors: list[BaseException] = []
    tasks = TaskOwner(qloop, errors.append)
    clients = ClientPool(ConnectionConfig(base_url=longcat_server.url, max_retries=0))
    clients.set_key(longcat_server.api_key)
    servers = ToolServers(data_dir, tasks)
    turn_limit = [25]
    loop_service = ToolLoop(servers, store, turn_limit=lambda: turn_limit[0])
    chat = ChatService(store, clients, tasks, tool_loop=loop_service)
    environment = LoopEnv(
        data_dir, store, clients, servers, loop_service, chat, longcat_server, qloop, turn_limit
    )
    try:
        yield environment
    finally:
        run(qloop, chat.shutdown())
        run(qloop, servers.aclose())
        run(qloop, clients.aclose())
        store.close()
    assert not errors, errors


@pytest.fixture
def http_server() -> Iterator[str]:
    with mcp_http_server() as url:
        yield url


def _tool_messages(body: Any) -> list[tuple[str, str, bool]]:
    """(call id, text, is error) of each tool result in a request, whatever its format."""
    found: list[tuple[str, str, bool]] = []
    for message in body["messages"]:
        if message["role"] == "tool":
            found.append((message["tool_call_id"], message["content"], False))
        elif message["role"] == "user" and isinstance(message["content"], list):
            for block in message["content"]:
                if block.get("type") == "tool_result":
                    content = block["content"]
                    text = content if isinstance(content, str) else content[0]["text"]
                    found.append((block["tool_use_id"], text, bool(block.get("is_error"))))
    return found


def _tool_names(body: Any) -> set[str]:
    return {
        tool["function"]["name"] if "function" in tool else tool["name"]
        for tool in body.get("tools", ())
    }


@pytest.mark.parametrize("api_format", list(ApiFormat))
def test_an_auto_approved_call_runs_and_the_model_reads_its_result(
    env: LoopEnv, api_format: ApiFormat
) -> None:
    env.configure({"fake": _fake(autoApprove=["add"])})
    env.server.push(
        Scenario(text="Let me add.", tool_calls=[ScriptedToolCall("add", '{"a": 2, "b": 3}')]),
        Scenario(text="The sum is 5."),
    )
    conversation = env.conversation(api_format)
    thread = env.send_and_settle(conversation, "What is 2 + 3?")

    assert [m.role for m in thread] == [Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT]
    answer, result, final = thread[1], thread[2], thread[3]
    assert [(c.name, c.server, c.tool) for c in answer.tool_calls] == [("add", "fake", "add")]
    assert result.text == "5"
    assert result.tool_result is not None
    assert result.tool_result.state is ToolCallState.DONE
    assert result.tool_result.seconds is not None
    assert final.text == "The sum is 5."
    assert final.status is MessageStatus.COMPLETE

    first, second = env.server.chat_requests
    assert {"add", "echo", "slow"} <= _tool_names(first.json)
    call_id = answer.tool_calls[0].id
    assert _tool_messages(second.json) == [(call_id, "5", False)]


def test_approval_allow_once_always_and_deny(env: LoopEnv) -> None:
    env.configure({"fake": _fake()})
    conversation = env.conversation(ApiFormat.OPENAI)
    decisions = iter([Decision.ONCE, Decision.DENY, Decision.ALWAYS])
    asked: list[MessageId] = []

    def decide(_conversation: int, message_id: MessageId) -> None:
        asked.append(message_id)
        env.loop_service.decide(message_id, next(decisions))

    env.loop_service.approvalRequested.connect(decide)
    env.server.push(
        Scenario(
            text="",
            tool_calls=[
                ScriptedToolCall("echo", '{"text": "one"}'),
                ScriptedToolCall("echo", '{"text": "two"}'),
                ScriptedToolCall("add", '{"a": 1, "b": 1}'),
            ],
        ),
        Scenario(text="Done."),
    )
    thread = env.send_and_settle(conversation, "Go")
    results = [m for m in thread if m.role is Role.TOOL]
    assert len(asked) == 3
    assert [r.tool_result.state for r in results if r.tool_result] == [
        ToolCallState.DONE,
        ToolCallState.DENIED,
        ToolCallState.DONE,
    ]
    assert [r.text for r in results] == ["one", DENIED_RESULT, "2"]
    sent = _tool_messages(env.server.chat_requests[-1].json)
    assert [text for _id, text, _e in sent] == ["one", DENIED_RESULT, "2"]
    # "Always" was written to mcp.json: the next call of that tool is not asked about.
    document = json.loads((env.data_dir / "mcp.json").read_text(encoding="utf-8"))
    assert document["mcpServers"]["fake"]["autoApprove"] == ["add"]
    env.server.push(Scenario(text="", tool_calls=[ScriptedToolCall("add", '{"a": 2, "b": 2}')]))
    env.server.push(Scenario(text="Four."))
    env.send_and_settle(conversation, "Again")
    assert len(asked) == 3


@pytest.mark.parametrize("api_format", list(ApiFormat))
def test_broken_arguments_and_unknown_tools_become_errors_the_model_reads(
    env: LoopEnv, api_format: ApiFormat
) -> None:
    env.configure({"fake": _fake(autoApprove=["add"])})
    env.server.push(
        Scenario(
            text="",
            tool_calls=[
                ScriptedToolCall("add", '{"a": 1, "b": '),
                ScriptedToolCall("add", '{"a": "one", "b": 2}'),
                ScriptedToolCall("launch_rockets", "{}"),
            ],
        ),
        Scenario(text="Sorry."),
    )
    conversation = env.conversation(api_format)
    thread = env.send_and_settle(conversation, "Add")
    results = [m for m in thread if m.role is Role.TOOL]
    assert all(r.tool_result and r.tool_result.state is ToolCallState.FAILED for r in results)
    assert "not valid JSON" in results[0].text
    assert "schema" in results[1].text
    assert "launch_rockets" in results[2].text
    sent = _tool_messages(env.server.chat_requests[-1].json)
    assert [text for _id, text, _e in sent] == [r.text for r in results]
    assert thread[-1].text == "Sorry.", thread[-1]


@pytest.mark.parametrize("api_format", list(ApiFormat))
def test_a_call_cut_off_by_max_tokens_is_never_run(env: LoopEnv, api_format: ApiFormat) -> None:
    env.configure({"fake": _fake(autoApprove=["add"])})
    cut = (
        {"finish_reason": "length"}
        if api_format is ApiFormat.OPENAI
        else {"stop_reason": "max_tokens"}
    )
    env.server.push(
        Scenario(text="", tool_calls=[ScriptedToolCall("add", '{"a": 1, "b": 2}')], **cut)  # type: ignore[arg-type]
    )
    conversation = env.conversation(api_format)
    thread = env.send_and_settle(conversation, "Add")
    assert thread[-1].role is Role.TOOL
    assert thread[-1].text == CUT_OFF_RESULT
    assert thread[-1].tool_result is not None
    assert thread[-1].tool_result.state is ToolCallState.CANCELLED
    assert len(env.server.chat_requests) == 1
    # The history stays valid to send: the call has its (error) result.
    messages = _history_messages(thread)
    assert messages[-1].role == "tool"
    assert messages[-1].is_error


def test_stop_cancels_a_slow_tool_quickly_and_ends_the_loop(env: LoopEnv) -> None:
    env.configure({"fake": _fake(autoApprove=["slow"])})
    env.server.push(Scenario(text="", tool_calls=[ScriptedToolCall("slow", '{"seconds": 30}')]))
    conversation = env.conversation(ApiFormat.OPENAI)

    async def body() -> float:
        env.chat.send(conversation, "Wait")
        await until(lambda: env.loop_service.running_since, what="the tool running")
        started = time.monotonic()
        env.chat.stop(conversation)
        await until(lambda: not env.chat.is_streaming(conversation), what="the loop's end")
        return time.monotonic() - started

    took = run(env.loop, body())
    assert took < 0.2, f"Stop took {took:.3f} s"
    result = env.thread(conversation)[-1]
    assert result.text == STOPPED_RESULT
    assert result.tool_result is not None
    assert result.tool_result.state is ToolCallState.CANCELLED
    assert len(env.server.chat_requests) == 1


def test_a_server_crashing_mid_call_is_an_error_result_and_the_loop_goes_on(
    env: LoopEnv,
) -> None:
    env.configure({"fake": _fake(autoApprove=["crash"])})
    env.server.push(
        Scenario(text="", tool_calls=[ScriptedToolCall("crash", "{}")]),
        Scenario(text="The tool crashed."),
    )
    conversation = env.conversation(ApiFormat.OPENAI)
    thread = env.send_and_settle(conversation, "Crash it")
    result = thread[2]
    assert result.tool_result is not None
    assert result.tool_result.state is ToolCallState.FAILED
    assert result.text
    assert thread[-1].text == "The tool crashed."


def test_a_server_that_fails_to_start_is_reported_and_no_tools_are_sent(env: LoopEnv) -> None:
    env.configure({"broken": {"command": "uvx-not-installed-anywhere"}})
    problems: list[list[str]] = []
    env.loop_service.problemsFound.connect(lambda _c, found: problems.append(found))
    env.server.push(Scenario(text="Hello."))
    conversation = env.conversation(ApiFormat.OPENAI)
    thread = env.send_and_settle(conversation, "Hi")
    assert thread[-1].text == "Hello."
    assert problems
    assert "uvx-not-installed-anywhere" in problems[0][0]
    assert "tools" not in env.server.chat_requests[0].json


def test_a_server_that_stays_down_is_reported_once_not_on_every_request(env: LoopEnv) -> None:
    env.configure({"broken": {"command": "uvx-not-installed-anywhere"}})
    problems: list[list[str]] = []
    env.loop_service.problemsFound.connect(lambda _c, found: problems.append(found))
    env.server.push(Scenario(text="Hello."), Scenario(text="Hello again."))
    conversation = env.conversation(ApiFormat.OPENAI)
    env.send_and_settle(conversation, "Hi")
    thread = env.send_and_settle(conversation, "Hi again")
    assert thread[-1].text == "Hello again."
    assert len(problems) == 1


def test_the_loop_stops_at_the_turn_limit_and_says_so(env: LoopEnv) -> None:
    env.configure({"fake": _fake(autoApprove=["add"])})
    env.turn_limit[0] = 2
    call = ScriptedToolCall("add", '{"a": 1, "b": 1}')
    env.server.push(Scenario(text="", tool_calls=[call]), Scenario(text="", tool_calls=[call]))
    limits: list[int] = []
    env.chat.turnLimitReached.connect(lambda _c, limit: limits.append(limit))
    conversation = env.conversation(ApiFormat.OPENAI)
    thread = env.send_and_settle(conversation, "Loop")
    assert limits == [2]
    assert len(env.server.chat_requests) == 2
    assert thread[-1].role is Role.TOOL
    assert "limit of 2" in thread[-1].text


def test_restart_mid_loop_leaves_every_call_with_a_result(env: LoopEnv) -> None:
    env.configure({"fake": _fake()})
    env.server.push(
        Scenario(
            text="",
            tool_calls=[
                ScriptedToolCall("echo", '{"text": "a"}'),
                ScriptedToolCall("echo", '{"text": "b"}'),
            ],
        )
    )
    conversation = env.conversation(ApiFormat.ANTHROPIC)

    async def body() -> None:
        env.chat.send(conversation, "Echo")
        await emitted(env.loop_service.approvalRequested)
        await env.chat.shutdown()

    run(env.loop, body())
    env.store.close()
    env.store = reopened = Store.open(env.data_dir)
    thread = reopened.messages.visible_thread(conversation)
    results = [m for m in thread if m.role is Role.TOOL]
    assert [r.text for r in results] == [INTERRUPTED_RESULT, INTERRUPTED_RESULT]
    assert all(r.tool_result and r.tool_result.state is ToolCallState.INTERRUPTED for r in results)
    messages = _history_messages(thread)
    assert [m.role for m in messages] == ["user", "assistant", "tool", "tool"]


def test_a_conversation_chooses_its_servers_and_tools(env: LoopEnv) -> None:
    from longcat_desktop.services.tool_loop import ToolSelection

    env.configure({"fake": _fake(), "other": _fake()})
    conversation = env.conversation(ApiFormat.OPENAI)
    selection = env.loop_service.selection(conversation)
    assert selection == ToolSelection(True)
    env.loop_service.set_selection(
        conversation, selection.with_server("other", False).with_tool("fake", "crash", False)
    )
    env.server.push(Scenario(text="Hi."))
    env.send_and_settle(conversation, "Hello")
    sent = _tool_names(env.server.chat_requests[-1].json)
    assert "echo" in sent
    assert "crash" not in sent
    assert not any(name.startswith("other") for name in sent)

    # Another conversation keeps the default: every enabled server's tools.
    second = env.conversation(ApiFormat.OPENAI)
    env.server.push(Scenario(text="Hi."))
    env.send_and_settle(second, "Hello")
    assert "other__echo" in _tool_names(env.server.chat_requests[-1].json)


def test_the_default_for_new_conversations_can_be_no_tools(
    env: LoopEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.configure({"fake": _fake()})
    monkeypatch.setattr(env.loop_service, "_default_on", lambda: False)
    conversation = env.conversation(ApiFormat.OPENAI)
    env.server.push(Scenario(text="Hi."))
    env.send_and_settle(conversation, "Hello")
    assert "tools" not in env.server.chat_requests[-1].json


@pytest.mark.parametrize("api_format", list(ApiFormat))
def test_a_remote_server_over_http_serves_the_loop(
    env: LoopEnv, api_format: ApiFormat, http_server: str
) -> None:
    env.configure({"remote": {"url": http_server, "autoApprove": ["add"]}})
    env.server.push(
        Scenario(text="", tool_calls=[ScriptedToolCall("add", '{"a": 20, "b": 22}')]),
        Scenario(text="42."),
    )
    conversation = env.conversation(api_format)
    thread = env.send_and_settle(conversation, "Add remotely")
    assert thread[2].text == "42"
    assert thread[2].tool_result is not None
    assert thread[2].tool_result.server == "remote"
    assert thread[-1].text == "42."


def test_regenerating_after_a_tool_turn_sends_the_calls_and_results_again(env: LoopEnv) -> None:
    env.configure({"fake": _fake(autoApprove=["echo"])})
    env.server.push(
        Scenario(text="", tool_calls=[ScriptedToolCall("echo", '{"text": "kept"}')]),
        Scenario(text="First."),
        Scenario(text="Second."),
    )
    conversation = env.conversation(ApiFormat.ANTHROPIC)
    thread = env.send_and_settle(conversation, "Echo")
    final = thread[-1]

    async def body() -> None:
        assert env.chat.regenerate(final.id) is not None
        await until(lambda: not env.chat.is_streaming(conversation), what="the new answer")

    run(env.loop, body())
    again = env.thread(conversation)
    assert again[-1].text == "Second."
    assert again[-1].parent_id == final.parent_id
    assert env.store.messages.siblings(again[-1].id).count == 2
    sent = _tool_messages(env.server.chat_requests[-1].json)
    assert [text for _id, text, _e in sent] == ["kept"]


def test_deleting_the_branch_of_a_waiting_call_ends_the_loop(env: LoopEnv) -> None:
    env.configure({"fake": _fake()})
    env.server.push(Scenario(text="", tool_calls=[ScriptedToolCall("echo", '{"text": "a"}')]))
    conversation = env.conversation(ApiFormat.OPENAI)

    async def body() -> None:
        env.chat.send(conversation, "Echo")
        await emitted(env.loop_service.approvalRequested)
        question = env.thread(conversation)[0]
        env.chat.stop_branch(question.id)
        env.store.messages.delete_branch(question.id)
        await until(lambda: not env.chat.is_streaming(conversation), what="the loop's end")

    run(env.loop, body())
    assert env.thread(conversation) == []
    assert len(env.server.chat_requests) == 1


@pytest.mark.parametrize("api_format", list(ApiFormat))
def test_a_call_cut_off_by_a_dropped_connection_is_never_run(
    env: LoopEnv, api_format: ApiFormat
) -> None:
    env.configure({"fake": _fake(autoApprove=["add"])})
    # "Go." is one delta, then the call's argument fragments: the stream drops mid-arguments.
    env.server.push(
        Scenario(text="Go.", tool_calls=[ScriptedToolCall("add", '{"a": 1, "b": 2}')], drop_after=3)
    )
    conversation = env.conversation(api_format)
    thread = env.send_and_settle(conversation, "Add")
    assert thread[1].status is MessageStatus.INTERRUPTED
    assert thread[-1].role is Role.TOOL
    assert thread[-1].text == CUT_OFF_RESULT
    assert len(env.server.chat_requests) == 1


@pytest.mark.parametrize("reads_images", [True, False])
def test_an_image_result_is_kept_and_sent_as_an_image_only_to_a_model_that_reads_images(
    env: LoopEnv, reads_images: bool
) -> None:
    env.configure({"fake": _fake(autoApprove=["picture"])})
    env.loop_service.reads_images = lambda _format, _model: reads_images
    env.server.push(
        Scenario(text="", tool_calls=[ScriptedToolCall("picture", "")]),
        Scenario(text="A picture."),
    )
    conversation = env.conversation(ApiFormat.ANTHROPIC)
    thread = env.send_and_settle(conversation, "Draw")
    result = thread[2].tool_result
    assert result is not None
    assert len(result.images) == 1
    assert result.images[0].data.startswith(b"\x89PNG")
    # Never pasted into the context as base64 text.
    assert "base64" not in thread[2].text
    assert "iVBOR" not in thread[2].text
    body = env.server.chat_requests[-1].json
    blocks = [
        block
        for message in body["messages"]
        if isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result"
    ]
    content = blocks[0]["content"]
    images = [b for b in content if b.get("type") == "image"] if isinstance(content, list) else []
    assert len(images) == (1 if reads_images else 0)
