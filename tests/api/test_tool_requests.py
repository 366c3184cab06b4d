"""Tools, tool calls and their results in request bodies, in the shapes of tools-notes.md.

Each message and tool of a body is also validated against the official SDKs' own request
types (openai's and anthropic's TypedDicts, through pydantic): a key the SDK does not know,
or a value of the wrong shape, fails there.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest
from anthropic.types import MessageParam, ToolChoiceParam, ToolParam
from openai.types.chat import (
    ChatCompletionMessageParam,
    ChatCompletionToolChoiceOptionParam,
    ChatCompletionToolParam,
)

from longcat_desktop.api import ChatRequest, Message, Tool, ToolCall
from longcat_desktop.api.anthropic_format import AnthropicAdapter
from longcat_desktop.api.openai_format import OpenAIAdapter
from tests.api.sdk_shapes import sdk_accepts

OPENAI = OpenAIAdapter()
ANTHROPIC = AnthropicAdapter()

WEATHER = Tool(
    "get_weather",
    "The weather in a city.",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
CLOCK = Tool("get_time")
ASK = Message("user", "Weather in Beijing, and the time?")
CALLS = (
    ToolCall("call_1", "get_weather", '{"city": "北京"}'),
    ToolCall("call_2", "get_time", ""),
)
CALLING = Message(
    "assistant",
    "Checking.",
    tool_calls=CALLS,
    reasoning="Two tools.",
    reasoning_signature="c2ln",
)
RESULTS = (
    Message("tool", "Sunny, 25°C", tool_call_id="call_1"),
    Message("tool", "Server not running", tool_call_id="call_2", is_error=True),
)


def _openai(request: ChatRequest) -> dict[str, Any]:
    body = OPENAI.build_body(request, stream=True)
    for message in body["messages"]:
        # reasoning_content is LongCat's own field, unknown to the OpenAI SDK.
        sdk_accepts(ChatCompletionMessageParam, message, ignore=("reasoning_content",))
    for tool in body.get("tools", ()):
        sdk_accepts(ChatCompletionToolParam, tool)
    if "tool_choice" in body:
        choice = body["tool_choice"]
        pydantic.TypeAdapter(ChatCompletionToolChoiceOptionParam).validate_python(choice)
    assert json.loads(json.dumps(body)) == body
    return body


def _anthropic(request: ChatRequest) -> dict[str, Any]:
    body = ANTHROPIC.build_body(request, stream=True)
    for message in body["messages"]:
        sdk_accepts(MessageParam, message)
    for tool in body.get("tools", ()):
        sdk_accepts(ToolParam, tool)
    if "tool_choice" in body:
        sdk_accepts(ToolChoiceParam, body["tool_choice"])
    assert json.loads(json.dumps(body)) == body
    return body


# -- The Python interface ------------------------------------------------------------------


def test_a_tool_has_an_empty_object_schema_by_default() -> None:
    assert Tool("x") == Tool("x", "", {"type": "object", "properties": {}})


def test_message_fields_default_to_nothing() -> None:
    message = Message("user", "Hi")
    assert message.tool_calls == ()
    assert (message.tool_call_id, message.is_error) == (None, False)
    assert (message.reasoning, message.reasoning_signature) == (None, None)


def test_tool_calls_are_kept_as_a_tuple() -> None:
    message = Message("assistant", "", tool_calls=list(CALLS))
    assert message.tool_calls == CALLS
    assert hash(message) == hash(Message("assistant", "", tool_calls=CALLS))


@pytest.mark.parametrize(
    "build",
    [
        lambda: Message("tool", "result"),
        lambda: Message("tool", "result", tool_call_id=""),
        lambda: Message("user", "x", tool_calls=CALLS),
        lambda: Message("tool", "x", tool_call_id="c", tool_calls=CALLS),
        lambda: Message("system", "x"),
    ],
    ids=["tool without id", "tool with empty id", "user with calls", "tool with calls", "system"],
)
def test_inconsistent_messages_are_value_errors(build: Any) -> None:
    with pytest.raises(ValueError):
        build()


def test_the_api_module_exports_the_tool_types() -> None:
    import longcat_desktop.api as api

    assert {"Tool", "ToolCall", "ChatResult", "Message", "ChatRequest"} <= set(api.__all__)


# -- OpenAI format -------------------------------------------------------------------------


def test_openai_tools_and_their_shape() -> None:
    body = _openai(ChatRequest("LongCat-2.0", [ASK], tools=[WEATHER, CLOCK]))
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "The weather in a city.",
                "parameters": WEATHER.input_schema,
            },
        },
        {
            "type": "function",
            "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}},
        },
    ]
    assert "tool_choice" not in body


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        ("auto", "auto"),
        ("none", "none"),
        ("required", "required"),
        ("get_time", {"type": "function", "function": {"name": "get_time"}}),
    ],
)
def test_openai_tool_choice(choice: str, wire: object) -> None:
    body = _openai(ChatRequest("m", [ASK], tools=[WEATHER, CLOCK], tool_choice=choice))
    assert body["tool_choice"] == wire


@pytest.mark.parametrize("build", [OPENAI.build_body, ANTHROPIC.build_body])
def test_no_tools_sends_neither_tools_nor_tool_choice(build: Any) -> None:
    body = build(ChatRequest("m", [ASK], tool_choice="required"), stream=False)
    assert "tools" not in body
    assert "tool_choice" not in body


def test_openai_tool_turn_and_results() -> None:
    body = _openai(ChatRequest("m", [ASK, CALLING, *RESULTS, Message("user", "Thanks")]))
    assert body["messages"] == [
        {"role": "user", "content": ASK.content},
        {
            "role": "assistant",
            "content": "Checking.",
            "reasoning_content": "Two tools.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "北京"}'},
                },
                # "" is no arguments; the server wants JSON text back.
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "get_time", "arguments": "{}"},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "Sunny, 25°C"},
        # Tool messages are text only in this format: the error is in the text.
        {"role": "tool", "tool_call_id": "call_2", "content": "Server not running"},
        {"role": "user", "content": "Thanks"},
    ]


def test_openai_tool_turn_without_text_or_reasoning() -> None:
    calling = Message("assistant", "", tool_calls=CALLS[:1])
    result = Message("tool", "Sunny", tool_call_id="call_1")
    body = _openai(ChatRequest("m", [ASK, calling, result]))
    assert body["messages"][1] == {
        "role": "assistant",
        "content": None,
        "reasoning_content": "",
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "北京"}'},
            }
        ],
    }


# -- Anthropic format ----------------------------------------------------------------------


def test_anthropic_tools_and_their_shape() -> None:
    body = _anthropic(ChatRequest("m", [ASK], tools=[WEATHER, CLOCK]))
    assert body["tools"] == [
        {
            "name": "get_weather",
            "description": "The weather in a city.",
            "input_schema": WEATHER.input_schema,
        },
        {"name": "get_time", "input_schema": {"type": "object", "properties": {}}},
    ]
    assert "tool_choice" not in body


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        ("auto", {"type": "auto"}),
        ("required", {"type": "any"}),
        ("none", {"type": "none"}),
        ("get_time", {"type": "tool", "name": "get_time"}),
    ],
)
def test_anthropic_tool_choice(choice: str, wire: object) -> None:
    body = _anthropic(ChatRequest("m", [ASK], tools=[WEATHER, CLOCK], tool_choice=choice))
    assert body["tool_choice"] == wire


def test_anthropic_tool_turn_and_merged_results() -> None:
    body = _anthropic(ChatRequest("m", [ASK, CALLING, *RESULTS, Message("user", "Thanks")]))
    assert body["messages"] == [
        {"role": "user", "content": ASK.content},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Two tools.", "signature": "c2ln"},
                {"type": "text", "text": "Checking."},
                {
                    "type": "tool_use",
                    "id": "call_1",
                    "name": "get_weather",
                    "input": {"city": "北京"},
                },
                {"type": "tool_use", "id": "call_2", "name": "get_time", "input": {}},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "call_1", "content": "Sunny, 25°C"},
                {
                    "type": "tool_result",
                    "tool_use_id": "call_2",
                    "content": "Server not running",
                    "is_error": True,
                },
                {"type": "text", "text": "Thanks"},
            ],
        },
    ]


def test_anthropic_results_then_the_next_tool_turn() -> None:
    again = Message("assistant", "", tool_calls=[ToolCall("call_3", "get_time", "{}")])
    later = Message("tool", "12:00", tool_call_id="call_3")
    body = _anthropic(ChatRequest("m", [ASK, CALLING, *RESULTS, again, later]))
    roles = [message["role"] for message in body["messages"]]
    assert roles == ["user", "assistant", "user", "assistant", "user"]
    assert body["messages"][3]["content"] == [
        {"type": "tool_use", "id": "call_3", "name": "get_time", "input": {}}
    ]
    assert body["messages"][4]["content"] == [
        {"type": "tool_result", "tool_use_id": "call_3", "content": "12:00"}
    ]


def test_anthropic_empty_user_text_after_results_adds_no_block() -> None:
    body = _anthropic(ChatRequest("m", [ASK, CALLING, *RESULTS, Message("user", "")]))
    assert [block["type"] for block in body["messages"][2]["content"]] == [
        "tool_result",
        "tool_result",
    ]


def test_anthropic_thinking_without_signature_is_not_sent() -> None:
    calling = Message("assistant", "", tool_calls=CALLS[:1], reasoning="unsigned")
    body = _anthropic(ChatRequest("m", [ASK, calling, RESULTS[0]]))
    assert [block["type"] for block in body["messages"][1]["content"]] == ["tool_use"]


@pytest.mark.parametrize("arguments", ["", "  ", "not json", "[1, 2]", '{"a": '])
def test_anthropic_input_is_always_an_object(arguments: str) -> None:
    calling = Message("assistant", "", tool_calls=[ToolCall("c", "f", arguments)])
    body = _anthropic(ChatRequest("m", [ASK, calling, Message("tool", "x", tool_call_id="c")]))
    assert body["messages"][1]["content"][0]["input"] == {}


# -- Unchanged without tools ---------------------------------------------------------------


@pytest.mark.parametrize("adapter", [OPENAI, ANTHROPIC], ids=["openai", "anthropic"])
def test_plain_messages_keep_their_exact_bytes(adapter: Any) -> None:
    history = [
        Message("user", "Hi"),
        Message("assistant", "Hello", reasoning="r", reasoning_signature="s"),
        Message("user", "Again"),
    ]
    body = adapter.build_body(ChatRequest("m", history), stream=True)
    assert json.dumps(body["messages"], ensure_ascii=False) == (
        '[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}, '
        '{"role": "user", "content": "Again"}]'
    )
