"""Tool calls end to end through the HTTP client, against the local LongCat server."""

from __future__ import annotations

import json
from contextlib import aclosing
from typing import Any

import pytest

from longcat_desktop.api import (
    ApiFormat,
    BadRequestError,
    ChatClient,
    ChatRequest,
    Message,
    StreamEvent,
    Tool,
    ToolCall,
)
from longcat_desktop.domain.answer import AnswerSnapshot, fold_all
from tests.fakes.longcat_server import LongCatServer, Scenario, ScriptedToolCall

pytestmark = pytest.mark.anyio

WEATHER = Tool(
    "get_weather",
    "The weather in a city.",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
CLOCK = Tool("get_time", "The time now.")
ASK = Message("user", "Weather in Beijing, and the time?")
ARGUMENTS = '{"city": "北京", "note": "line\\nbreak \\u00e9 \\"quoted\\""}'
SCRIPTED = (ScriptedToolCall("get_weather", ARGUMENTS), ScriptedToolCall("get_time"))


@pytest.fixture(params=[ApiFormat.OPENAI, ApiFormat.ANTHROPIC], ids=lambda f: f.value)
def api_format(request: pytest.FixtureRequest) -> ApiFormat:
    return ApiFormat(request.param)


def _client(server: LongCatServer, api_format: ApiFormat) -> ChatClient:
    return ChatClient(base_url=server.url, api_key=server.api_key, api_format=api_format)


async def _stream(client: ChatClient, request: ChatRequest) -> list[StreamEvent]:
    async with aclosing(client.stream_chat(request)) as events:
        return [event async for event in events]


def _ids(api_format: ApiFormat) -> tuple[str, str]:
    prefix = "call_" if api_format is ApiFormat.OPENAI else "toolu_"
    return prefix + "0", prefix + "1"


def _expected_calls(api_format: ApiFormat) -> tuple[ToolCall, ...]:
    first, second = _ids(api_format)
    return (ToolCall(first, "get_weather", ARGUMENTS), ToolCall(second, "get_time", ""))


def _tool_finish(api_format: ApiFormat) -> str:
    return "tool_calls" if api_format is ApiFormat.OPENAI else "tool_use"


@pytest.mark.parametrize("interleave", [False, True])
async def test_streamed_parallel_calls_split_into_single_bytes(
    longcat_server: LongCatServer, api_format: ApiFormat, interleave: bool
) -> None:
    longcat_server.push(
        Scenario(
            text="Checking both.",
            reasoning="Two tools at once.",
            reasoning_mode="always",
            tool_calls=SCRIPTED,
            interleave_tool_calls=interleave,
            piece_size=1,
        )
    )
    request = ChatRequest("LongCat-2.0", [ASK], tools=[WEATHER, CLOCK], tool_choice="auto")
    async with _client(longcat_server, api_format) as client:
        snapshot = fold_all(await _stream(client, request))
    result = snapshot.result()
    assert result.tool_calls == _expected_calls(api_format)
    assert (result.text, result.reasoning) == ("Checking both.", "Two tools at once.")
    assert result.finish_reason == _tool_finish(api_format)
    assert snapshot.tool_calls_whole
    sent = longcat_server.last_request.json
    assert [tool.get("name") or tool["function"]["name"] for tool in sent["tools"]] == [
        "get_weather",
        "get_time",
    ]
    assert sent["tool_choice"] in ("auto", {"type": "auto"})


async def test_complete_returns_the_calls(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(text="", tool_calls=SCRIPTED))
    async with _client(longcat_server, api_format) as client:
        result = await client.complete(ChatRequest("LongCat-2.0", [ASK], tools=[WEATHER, CLOCK]))
    # An Anthropic-format reply holds the input as an object, so its text is written anew.
    assert [(c.id, c.name, json.loads(c.arguments or "{}")) for c in result.tool_calls] == [
        (c.id, c.name, json.loads(c.arguments or "{}")) for c in _expected_calls(api_format)
    ]
    assert result.text == ""
    assert result.finish_reason == _tool_finish(api_format)


async def test_a_whole_tool_turn_and_its_follow_up(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(
        Scenario(text="", reasoning="Need both.", reasoning_mode="always", tool_calls=SCRIPTED),
        Scenario(text="Sunny; the clock server is down."),
    )
    tools = [WEATHER, CLOCK]
    async with _client(longcat_server, api_format) as client:
        first = fold_all(await _stream(client, ChatRequest("LongCat-2.0", [ASK], tools=tools)))
        result = first.result()
        history = [
            ASK,
            Message(
                "assistant",
                result.text,
                tool_calls=result.tool_calls,
                reasoning=result.reasoning,
                reasoning_signature=result.reasoning_signature,
            ),
            Message("tool", "Sunny, 25°C", tool_call_id=result.tool_calls[0].id),
            Message("tool", "not running", tool_call_id=result.tool_calls[1].id, is_error=True),
        ]
        second = fold_all(await _stream(client, ChatRequest("LongCat-2.0", history, tools=tools)))
    assert str(second.text) == "Sunny; the clock server is down."
    sent = longcat_server.last_request.json["messages"]
    if api_format is ApiFormat.OPENAI:
        assert [m["role"] for m in sent] == ["user", "assistant", "tool", "tool"]
        assert sent[1]["reasoning_content"] == "Need both."
        assert sent[1]["content"] is None
    else:
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]
        assert sent[1]["content"][0]["type"] == "thinking"
        assert sent[1]["content"][0]["signature"] == result.reasoning_signature
        assert sent[2]["content"][1]["is_error"] is True


async def test_a_call_without_its_result_is_refused(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    calling = Message("assistant", "", tool_calls=[ToolCall("c1", "get_time", "{}")])
    async with _client(longcat_server, api_format) as client:
        with pytest.raises(BadRequestError):
            await client.complete(ChatRequest("LongCat-2.0", [ASK, calling], tools=[CLOCK]))


@pytest.mark.parametrize("cut", ["max_tokens", "drop"])
async def test_a_call_cut_short_is_not_whole(
    longcat_server: LongCatServer, api_format: ApiFormat, cut: str
) -> None:
    fields: dict[str, Any] = {"text": "", "tool_calls": SCRIPTED[:1]}
    if cut == "drop":
        fields["drop_after"] = 2
    elif api_format is ApiFormat.OPENAI:
        fields.update(finish_reason="length", drop_after=None)
    else:
        fields["stop_reason"] = "max_tokens"
    longcat_server.push(Scenario(**fields))
    async with _client(longcat_server, api_format) as client:
        snapshot = fold_all(await _stream(client, ChatRequest("LongCat-2.0", [ASK])))
    assert not snapshot.tool_calls_whole
    (call,) = snapshot.tool_calls
    assert call.name == "get_weather"
    if cut == "drop":
        assert not snapshot.complete
        assert str(call.arguments) == ARGUMENTS[:10]


async def test_snapshot_of_a_plain_answer_has_no_calls(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    async with _client(longcat_server, api_format) as client:
        snapshot = fold_all(await _stream(client, ChatRequest("LongCat-2.0", [ASK])))
    assert snapshot.tool_calls == ()
    assert snapshot != AnswerSnapshot()
    assert "tools" not in longcat_server.last_request.json


async def test_a_stream_answered_with_one_json_reply_keeps_its_calls(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(text="Checking.", tool_calls=SCRIPTED, ignore_stream=True))
    async with _client(longcat_server, api_format) as client:
        snapshot = fold_all(await _stream(client, ChatRequest("LongCat-2.0", [ASK])))
    assert str(snapshot.text) == "Checking."
    assert [(call.id, call.name) for call in snapshot.result().tool_calls] == [
        (call.id, call.name) for call in _expected_calls(api_format)
    ]
    assert snapshot.finish_reason == _tool_finish(api_format)
    assert snapshot.tool_calls_whole
