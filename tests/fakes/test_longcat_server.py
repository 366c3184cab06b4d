"""The fake LongCat server is faithful: the official SDKs understand it, and its scenarios do
exactly what they promise at the byte level."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anthropic
import httpx
import openai
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.longcat_server import (
    DEFAULT_TEXT,
    LongCatServer,
    Scenario,
    ScriptedToolCall,
    model_details,
    split_words,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from anthropic.types import MessageParam
    from openai.types.chat import ChatCompletionMessageParam

MODEL = "LongCat-2.0"
# The published examples still name the model of their time; these tests serve it again.
DOCUMENTED_MODEL = "LongCat-2.0-Preview"
OPENAI_CHAT = "/openai/v1/chat/completions"
ANTHROPIC_CHAT = "/anthropic/v1/messages"
HELLO = [{"role": "user", "content": "Hello, how are you?"}]
OPENAI_HELLO: list[ChatCompletionMessageParam] = [{"role": "user", "content": HELLO[0]["content"]}]
ANTHROPIC_HELLO: list[MessageParam] = [{"role": "user", "content": HELLO[0]["content"]}]
REPO_ROOT = Path(__file__).resolve().parents[2]

# The streamed examples of longcat-api.md, verbatim.
DOCUMENTED_OPENAI_STREAM = """\
data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1677652288,"model":"LongCat-2.0-Preview","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1677652288,"model":"LongCat-2.0-Preview","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}

data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1677652288,"model":"LongCat-2.0-Preview","choices":[{"index":0,"delta":{"content":"!"},"finish_reason":null}]}

data: [DONE]

"""  # noqa: E501

DOCUMENTED_ANTHROPIC_STREAM = """\
event: message_start
data: {"type": "message_start", "message": {"id": "msg_123", "type": "message", "role": "assistant", "content": [], "model": "LongCat-2.0-Preview", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 10, "output_tokens": 0}}}

event: content_block_start
data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

event: content_block_delta
data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

event: content_block_stop
data: {"type": "content_block_stop", "index": 0}

event: message_delta
data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 8}}

event: message_stop
data: {"type": "message_stop"}

"""  # noqa: E501


# -- Helpers --------------------------------------------------------------------------------------


def auth(server: LongCatServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.api_key}"}


def chat_body(*, stream: bool = True, **extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": HELLO, "stream": stream, **extra}


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    # One client for the module: building its TLS context costs ~40 ms, and each test's server
    # has its own port, so pooled connections never cross tests.
    with httpx.Client(trust_env=False, timeout=10.0) as client:
        yield client


# The SDK clients share one transport per module for the same reason; they are not closed per
# test, since closing an SDK client closes the transport it was given.
@pytest.fixture(scope="module")
def openai_transport() -> Iterator[openai.DefaultHttpxClient]:
    with openai.DefaultHttpxClient(trust_env=False) as transport:
        yield transport


@pytest.fixture(scope="module")
def anthropic_transport() -> Iterator[anthropic.DefaultHttpxClient]:
    with anthropic.DefaultHttpxClient(trust_env=False) as transport:
        yield transport


@pytest.fixture
def oai(
    longcat_server: LongCatServer, openai_transport: openai.DefaultHttpxClient
) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=longcat_server.openai_base_url,
        api_key=longcat_server.api_key,
        max_retries=0,
        http_client=openai_transport,
    )


@pytest.fixture
def claude(
    longcat_server: LongCatServer, anthropic_transport: anthropic.DefaultHttpxClient
) -> anthropic.Anthropic:
    # auth_token is sent as "Authorization: Bearer", the header LongCat checks.
    return anthropic.Anthropic(
        base_url=longcat_server.anthropic_base_url,
        auth_token=longcat_server.api_key,
        max_retries=0,
        http_client=anthropic_transport,
    )


def read_stream(
    http: httpx.Client, server: LongCatServer, path: str, body: dict[str, Any]
) -> tuple[httpx.Response, list[bytes]]:
    """POST and collect the body as the transport delivered it (no decoding)."""
    with http.stream("POST", server.url + path, json=body, headers=auth(server)) as response:
        pieces = [piece for piece in response.iter_raw() if piece]
    return response, pieces


def sse_events(body: bytes) -> list[dict[str, str]]:
    """A deliberately naive SSE split for checking the fake (the client has the real decoder)."""
    text = body.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    events = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            fields[name] = fields[name] + "\n" + value if name in fields else value
        if fields:
            events.append(fields)
    return events


def openai_content(body: bytes) -> str:
    parts = []
    for event in sse_events(body):
        if event.get("data", "[DONE]") == "[DONE]":
            continue
        for choice in json.loads(event["data"]).get("choices", []):
            parts.append(choice["delta"].get("content") or "")
    return "".join(parts)


# -- The documented examples, exactly ---------------------------------------------------------


def test_openai_stream_is_the_documented_example(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    # The published example has no finish_reason chunk; the scenario can leave it out.
    longcat_server.push(
        Scenario(
            deltas=["Hello", "!"], response_id="chatcmpl-123", created=1677652288, send_finish=False
        )
    )
    longcat_server.models = [DOCUMENTED_MODEL]
    body = chat_body(model=DOCUMENTED_MODEL)
    response, pieces = read_stream(http, longcat_server, OPENAI_CHAT, body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    assert b"".join(pieces).decode() == DOCUMENTED_OPENAI_STREAM


def test_anthropic_stream_is_the_documented_example(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    longcat_server.push(
        Scenario(
            deltas=["Hello", "!"], response_id="msg_123", prompt_tokens=10, completion_tokens=8
        )
    )
    longcat_server.models = [DOCUMENTED_MODEL]
    body = chat_body(model=DOCUMENTED_MODEL)
    response, pieces = read_stream(http, longcat_server, ANTHROPIC_CHAT, body)
    assert response.headers["content-type"] == "text/event-stream"
    assert b"".join(pieces).decode() == DOCUMENTED_ANTHROPIC_STREAM


def test_non_streamed_answers_are_the_documented_examples(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    text = "Hello! I'm doing well, thank you for asking. How can I help you today?"
    longcat_server.push(
        Scenario(
            text=text,
            response_id="chatcmpl-123",
            created=1677652288,
            prompt_tokens=20,
            completion_tokens=15,
        ),
        Scenario(
            text="Hello! How can I help you today?",
            response_id="msg_123",
            prompt_tokens=10,
            completion_tokens=8,
        ),
    )
    headers = auth(longcat_server)
    openai_reply = http.post(
        longcat_server.url + OPENAI_CHAT, json=chat_body(stream=False), headers=headers
    )
    anthropic_reply = http.post(
        longcat_server.url + ANTHROPIC_CHAT, json=chat_body(stream=False), headers=headers
    )
    assert openai_reply.headers["content-type"] == "application/json"
    assert openai_reply.json() == {
        "id": "chatcmpl-123",
        "object": "chat.completion",
        "created": 1677652288,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 20, "completion_tokens": 15, "total_tokens": 35},
    }
    assert anthropic_reply.json() == {
        "id": "msg_123",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": "Hello! How can I help you today?"}],
        "model": MODEL,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 8},
    }


@pytest.mark.parametrize("prefix", ["/openai", "/anthropic"])
def test_models_endpoints_are_the_documented_examples(
    longcat_server: LongCatServer, http: httpx.Client, prefix: str
) -> None:
    longcat_server.models = [MODEL]
    headers = auth(longcat_server)
    listing = http.get(f"{longcat_server.url}{prefix}/v1/models", headers=headers)
    details = http.get(f"{longcat_server.url}{prefix}/v1/models/{MODEL}", headers=headers)
    missing = http.get(
        f"{longcat_server.url}{prefix}/v1/models/LongCat-Flash-Chat", headers=headers
    )
    assert listing.json() == {
        "object": "list",
        "data": [{"id": MODEL, "object": "model", "owned_by": "LongCat"}],
    }
    assert details.json() == model_details(MODEL)
    assert details.json()["pricing"] == {"prompt": "0", "completion": "0"}
    assert missing.status_code == 404
    assert "LongCat-Flash-Chat" in missing.text


# -- The OpenAI SDK -----------------------------------------------------------------------------


def test_openai_sdk_non_streamed(longcat_server: LongCatServer, oai: openai.OpenAI) -> None:
    longcat_server.push(Scenario(text="Hi there.", prompt_tokens=7, completion_tokens=3))
    completion = oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO, max_tokens=150)
    assert completion.choices[0].message.content == "Hi there."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (7, 3)
    assert completion.usage.total_tokens == 10
    assert completion.model == MODEL


def test_openai_sdk_streams_reasoning_text_and_usage(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    longcat_server.push(Scenario(text="Fine, thanks.", reasoning="Be polite.", completion_tokens=9))
    stream = oai.chat.completions.create(
        model=MODEL,
        messages=OPENAI_HELLO,
        stream=True,
        stream_options={"include_usage": True},
        extra_body={"thinking": {"type": "enabled"}},
    )
    reasoning: list[str] = []
    text: list[str] = []
    finish: list[str] = []
    usage: list[openai.types.CompletionUsage] = []
    seen_content_before_reasoning_ended = False
    for chunk in stream:
        if chunk.usage is not None:
            usage.append(chunk.usage)
            assert chunk.choices == []
            continue
        delta = chunk.choices[0].delta
        extra = delta.model_extra or {}
        if extra.get("reasoning_content"):
            seen_content_before_reasoning_ended |= bool(text)
            reasoning.append(extra["reasoning_content"])
        if delta.content:
            text.append(delta.content)
        if chunk.choices[0].finish_reason:
            finish.append(chunk.choices[0].finish_reason)
    assert "".join(reasoning) == "Be polite."
    assert "".join(text) == "Fine, thanks."
    assert not seen_content_before_reasoning_ended
    assert finish == ["stop"]
    assert len(usage) == 1
    assert usage[0].completion_tokens == 9
    assert longcat_server.last_request.json["thinking"] == {"type": "enabled"}


def test_openai_sdk_stream_without_usage_or_thinking(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    longcat_server.push(Scenario(text="Short.", reasoning="Hidden.", finish_reason="length"))
    chunks = list(oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO, stream=True))
    assert all(chunk.usage is None for chunk in chunks)
    assert all(chunk.choices for chunk in chunks)
    assert not any((c.choices[0].delta.model_extra or {}).get("reasoning_content") for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Short."
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "length"


def test_openai_sdk_non_streamed_reasoning(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    longcat_server.push(Scenario(text="Yes.", reasoning="Think.", reasoning_mode="always"))
    message = oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO).choices[0].message
    assert (message.model_extra or {})["reasoning_content"] == "Think."
    assert message.content == "Yes."


def test_openai_sdk_parses_a_stream_cut_into_single_bytes_with_crlf(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    text = "Grüße, 猫 🐈 — done."
    longcat_server.push(Scenario(text=text, piece_size=1, eol="\r\n", ping_every=2))
    chunks = oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == text


def test_openai_sdk_lists_and_retrieves_models(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    # By default the platform as it is today: LongCat-2.0, and LongCat-2.5-Preview reading images.
    assert [model.id for model in oai.models.list()] == ["LongCat-2.0", "LongCat-2.5-Preview"]
    details = oai.models.retrieve("LongCat-2.0")
    assert details.id == "LongCat-2.0"
    assert (details.model_extra or {})["context_length"] == 1048576
    assert (details.model_extra or {})["architecture"]["input_modalities"] == ["text"]
    preview = oai.models.retrieve("LongCat-2.5-Preview").model_extra or {}
    assert preview["architecture"]["input_modalities"] == ["text", "image"]
    assert "tools" in preview["supported_parameters"]
    with pytest.raises(openai.NotFoundError):
        oai.models.retrieve("LongCat-Flash-Chat")


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, openai.BadRequestError),
        (401, openai.AuthenticationError),
        (403, openai.PermissionDeniedError),
        (429, openai.RateLimitError),
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
    ],
)
def test_openai_sdk_raises_its_own_errors(
    longcat_server: LongCatServer,
    oai: openai.OpenAI,
    status: int,
    error_class: type[openai.APIStatusError],
) -> None:
    longcat_server.push(Scenario.http_error(status, "server says no", retry_after="60"))
    with pytest.raises(error_class) as caught:
        oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO, stream=True)
    assert caught.value.status_code == status
    assert "server says no" in str(caught.value)
    assert caught.value.response.headers["retry-after"] == "60"


def test_openai_sdk_wrong_key_is_an_authentication_error(longcat_server: LongCatServer) -> None:
    with (
        openai.OpenAI(
            base_url=longcat_server.openai_base_url, api_key="wrong", max_retries=0
        ) as client,
        pytest.raises(openai.AuthenticationError) as caught,
    ):
        client.chat.completions.create(model=MODEL, messages=OPENAI_HELLO)
    assert caught.value.body == {
        "message": "Invalid API key provided",
        "type": "authentication_error",
        "code": "invalid_api_key",
    }


def test_openai_sdk_raises_on_an_error_in_the_middle_of_the_stream(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    longcat_server.push(Scenario(deltas=["a", "b", "c"], error_after=2))
    received = []
    with pytest.raises(openai.APIError, match="overloaded"):
        for chunk in oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO, stream=True):
            received.append(chunk.choices[0].delta.content or "")
    assert "".join(received) == "ab"


def test_openai_sdk_retries_through_a_429_then_succeeds(longcat_server: LongCatServer) -> None:
    # retry-after-ms keeps the SDK's wait short; the point is that queued scenarios line up.
    longcat_server.push(
        Scenario.http_error(429, extra_headers={"retry-after-ms": "1"}), Scenario(text="Now ok.")
    )
    with openai.OpenAI(
        base_url=longcat_server.openai_base_url, api_key=longcat_server.api_key, max_retries=1
    ) as client:
        completion = client.chat.completions.create(model=MODEL, messages=OPENAI_HELLO)
    assert completion.choices[0].message.content == "Now ok."
    assert [r.status for r in longcat_server.chat_requests] == [429, 200]


# -- The Anthropic SDK ----------------------------------------------------------------------------


def test_anthropic_sdk_non_streamed(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    longcat_server.push(
        Scenario(text="Hi.", reasoning="Greet.", prompt_tokens=4, completion_tokens=2)
    )
    message = claude.messages.create(
        model=MODEL,
        max_tokens=100,
        system="Be brief.",
        messages=[{"role": "user", "content": "Hello, LongCat"}],
        thinking={"type": "enabled", "budget_tokens": 1024},
    )
    assert [block.type for block in message.content] == ["thinking", "text"]
    thinking, text = message.content
    assert isinstance(thinking, anthropic.types.ThinkingBlock)
    assert isinstance(text, anthropic.types.TextBlock)
    assert thinking.thinking == "Greet."
    assert text.text == "Hi."
    assert message.stop_reason == "end_turn"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (4, 2)
    request = longcat_server.last_request
    assert request.headers["authorization"] == f"Bearer {longcat_server.api_key}"
    assert "anthropic-version" in request.headers
    assert request.json["system"] == "Be brief."


def test_anthropic_sdk_streams_thinking_text_and_usage(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    longcat_server.push(
        Scenario(
            text="Fine, thanks.",
            reasoning="Be polite.",
            signature="sig-1",
            prompt_tokens=12,
            completion_tokens=6,
            delta_input_tokens=13,
        )
    )
    with claude.messages.stream(
        model=MODEL,
        max_tokens=100,
        messages=[{"role": "user", "content": "Hello"}],
        thinking={"type": "enabled", "budget_tokens": 1024},
    ) as stream:
        event_types = [event.type for event in stream]
        final = stream.get_final_message()
    assert event_types[0] == "message_start"
    assert event_types[-1] == "message_stop"
    assert "thinking" in event_types
    assert "signature" in event_types
    thinking, text = final.content
    assert isinstance(thinking, anthropic.types.ThinkingBlock)
    assert (thinking.thinking, thinking.signature) == ("Be polite.", "sig-1")
    assert isinstance(text, anthropic.types.TextBlock)
    assert text.text == "Fine, thanks."
    assert final.stop_reason == "end_turn"
    # message_delta's counts are cumulative and win over message_start's.
    assert (final.usage.input_tokens, final.usage.output_tokens) == (13, 6)


def test_anthropic_sdk_raw_stream_events_and_stop_reason(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    longcat_server.push(
        Scenario(deltas=["Cut", " off"], stop_reason="max_tokens", piece_size=3, eol="\r")
    )
    events = list(
        claude.messages.create(model=MODEL, max_tokens=2, messages=ANTHROPIC_HELLO, stream=True)
    )
    assert [event.type for event in events] == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    delta = events[-2]
    assert isinstance(delta, anthropic.types.RawMessageDeltaEvent)
    assert delta.delta.stop_reason == "max_tokens"
    assert delta.usage.output_tokens == 2


# -- Tool calls, as the SDKs read them -------------------------------------------------------

TOOL_ARGUMENTS = '{"city": "北京", "note": "a\\nb \\u00e9"}'
SCRIPTED_CALLS = (ScriptedToolCall("get_weather", TOOL_ARGUMENTS), ScriptedToolCall("get_time"))


@pytest.mark.parametrize("interleave", [False, True])
def test_openai_sdk_reads_streamed_parallel_tool_calls(
    longcat_server: LongCatServer, oai: openai.OpenAI, interleave: bool
) -> None:
    longcat_server.push(
        Scenario(text="", tool_calls=SCRIPTED_CALLS, interleave_tool_calls=interleave, piece_size=7)
    )
    with oai.chat.completions.stream(
        model=MODEL,
        messages=OPENAI_HELLO,
        tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}],
    ) as stream:
        final = stream.get_final_completion()
    choice = final.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = [(c.id, c.function.name, c.function.arguments) for c in choice.message.tool_calls or ()]
    assert calls == [("call_0", "get_weather", TOOL_ARGUMENTS), ("call_1", "get_time", "")]


def test_openai_sdk_reads_tool_calls_in_a_whole_reply(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    longcat_server.push(Scenario(text="", tool_calls=SCRIPTED_CALLS))
    completion = oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO)
    message = completion.choices[0].message
    assert message.content is None
    assert [c.id for c in message.tool_calls or ()] == ["call_0", "call_1"]
    assert completion.choices[0].finish_reason == "tool_calls"


def test_anthropic_sdk_reads_streamed_tool_use_blocks(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    longcat_server.push(
        Scenario(text="Checking.", reasoning="Two.", tool_calls=SCRIPTED_CALLS, piece_size=5)
    )
    with claude.messages.stream(
        model=MODEL,
        max_tokens=100,
        messages=ANTHROPIC_HELLO,
        thinking={"type": "enabled", "budget_tokens": 1024},
        tools=[{"name": "get_weather", "input_schema": {"type": "object"}}],
    ) as stream:
        final = stream.get_final_message()
    assert [block.type for block in final.content] == ["thinking", "text", "tool_use", "tool_use"]
    first, second = final.content[2:]
    assert isinstance(first, anthropic.types.ToolUseBlock)
    assert isinstance(second, anthropic.types.ToolUseBlock)
    assert (first.id, first.name, first.input) == (
        "toolu_0",
        "get_weather",
        json.loads(TOOL_ARGUMENTS),
    )
    assert (second.id, second.name, second.input) == ("toolu_1", "get_time", {})
    assert final.stop_reason == "tool_use"


def test_anthropic_sdk_reads_tool_use_in_a_whole_reply(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    longcat_server.push(Scenario(text="", tool_calls=SCRIPTED_CALLS))
    message = claude.messages.create(model=MODEL, max_tokens=100, messages=ANTHROPIC_HELLO)
    assert [block.type for block in message.content] == ["tool_use", "tool_use"]
    assert message.stop_reason == "tool_use"


def test_tool_results_sent_by_the_sdks_are_accepted(
    longcat_server: LongCatServer, oai: openai.OpenAI, claude: anthropic.Anthropic
) -> None:
    openai_messages: list[ChatCompletionMessageParam] = [
        *OPENAI_HELLO,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_0", "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "call_0", "content": "done"},
    ]
    oai.chat.completions.create(
        model=MODEL,
        messages=openai_messages,
        tools=[{"type": "function", "function": {"name": "f"}}],
        tool_choice="required",
    )
    anthropic_messages: list[MessageParam] = [
        *ANTHROPIC_HELLO,
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_0", "name": "f", "input": {}}],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_0", "content": "x", "is_error": True},
                {"type": "text", "text": "go on"},
            ],
        },
    ]
    claude.messages.create(
        model=MODEL,
        max_tokens=100,
        messages=anthropic_messages,
        tools=[{"name": "f", "input_schema": {"type": "object"}}],
        tool_choice={"type": "tool", "name": "f"},
    )
    assert [r.status for r in longcat_server.chat_requests] == [200, 200]


def _openai_calling(arguments: str) -> dict[str, Any]:
    function = {"name": "f", "arguments": arguments}
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c", "type": "function", "function": function}],
    }


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        (
            OPENAI_CHAT,
            {
                "messages": [
                    *HELLO,
                    _openai_calling(""),
                    {"role": "tool", "tool_call_id": "c", "content": "x"},
                ]
            },
            "not valid JSON",
        ),
        (
            OPENAI_CHAT,
            {
                "messages": [
                    *HELLO,
                    _openai_calling("{}"),
                    *HELLO,
                ]
            },
            "must be followed by tool messages",
        ),
        (
            OPENAI_CHAT,
            {"messages": [*HELLO, {"role": "tool", "tool_call_id": "c", "content": "x"}]},
            "must respond to a preceding message",
        ),
        (OPENAI_CHAT, {"messages": HELLO, "tool_choice": "auto"}, "only allowed when tools"),
        (
            OPENAI_CHAT,
            {
                "messages": HELLO,
                "tools": [{"type": "function", "function": {"name": "f"}}],
                "tool_choice": {"type": "function", "function": {"name": "g"}},
            },
            "tool_choice",
        ),
        (
            ANTHROPIC_CHAT,
            {
                "messages": [
                    *HELLO,
                    {
                        "role": "assistant",
                        "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}],
                    },
                    *HELLO,
                ]
            },
            "without `tool_result` blocks",
        ),
        (
            ANTHROPIC_CHAT,
            {
                "messages": [
                    *HELLO,
                    {
                        "role": "assistant",
                        "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}],
                    },
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "first"},
                            {"type": "tool_result", "tool_use_id": "t", "content": "x"},
                        ],
                    },
                ]
            },
            "before any other content",
        ),
        (
            ANTHROPIC_CHAT,
            {"messages": HELLO, "tools": [{"name": "bad name", "input_schema": {}}]},
            "tools[0].name",
        ),
    ],
)
def test_malformed_tool_turns_are_refused_as_servers_do(
    longcat_server: LongCatServer,
    http: httpx.Client,
    path: str,
    body: dict[str, Any],
    expected: str,
) -> None:
    response = http.post(
        longcat_server.url + path,
        json={"model": MODEL, **body},
        headers=auth(longcat_server),
    )
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]


IMAGE_MODEL = "LongCat-2.5-Preview"
PNG_URL = "data:image/png;base64,iVBORw0KGgo="


def test_sdks_send_images_to_a_model_that_reads_them(
    longcat_server: LongCatServer, oai: openai.OpenAI, claude: anthropic.Anthropic
) -> None:
    longcat_server.models = [MODEL, IMAGE_MODEL]
    openai_messages: list[ChatCompletionMessageParam] = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is it?"},
                {"type": "image_url", "image_url": {"url": PNG_URL}},
            ],
        }
    ]
    oai.chat.completions.create(model=IMAGE_MODEL, messages=openai_messages)
    anthropic_messages: list[MessageParam] = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is it?"},
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
                },
            ],
        }
    ]
    claude.messages.create(model=IMAGE_MODEL, max_tokens=10, messages=anthropic_messages)
    assert [r.status for r in longcat_server.chat_requests] == [200, 200]
    assert longcat_server.last_request.json["messages"][0]["content"][1]["type"] == "image"


@pytest.mark.parametrize(
    ("path", "content", "expected"),
    [
        (
            OPENAI_CHAT,
            [{"type": "image_url", "image_url": {"url": "data:image/png;base64,@@"}}],
            "unsupported",
        ),
        (
            OPENAI_CHAT,
            [{"type": "image_url", "image_url": {"url": "data:image/bmp;base64,AA=="}}],
            "unsupported",
        ),
        (
            ANTHROPIC_CHAT,
            [
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/tiff", "data": "AA=="},
                }
            ],
            "unsupported",
        ),
        (ANTHROPIC_CHAT, [{"type": "image", "source": {"type": "url", "url": "x"}}], "unsupported"),
    ],
)
def test_malformed_images_are_refused(
    longcat_server: LongCatServer, http: httpx.Client, path: str, content: Any, expected: str
) -> None:
    longcat_server.models = [IMAGE_MODEL]
    body = {"model": IMAGE_MODEL, "messages": [{"role": "user", "content": content}]}
    response = http.post(longcat_server.url + path, json=body, headers=auth(longcat_server))
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]


def test_scripted_tool_call_pieces_must_join_to_its_arguments() -> None:
    with pytest.raises(ValueError, match="join"):
        ScriptedToolCall("f", "{}", pieces=["{"])


def test_anthropic_sdk_lists_and_retrieves_models(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    assert [model.id for model in claude.models.list()] == list(longcat_server.models)
    assert claude.models.retrieve(MODEL).id == MODEL
    with pytest.raises(anthropic.NotFoundError):
        claude.models.retrieve("LongCat-Flash-Lite")


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, anthropic.BadRequestError),
        (401, anthropic.AuthenticationError),
        (429, anthropic.RateLimitError),
        (500, anthropic.InternalServerError),
        (529, getattr(anthropic, "OverloadedError", anthropic.InternalServerError)),
    ],
)
def test_anthropic_sdk_raises_its_own_errors(
    longcat_server: LongCatServer,
    claude: anthropic.Anthropic,
    status: int,
    error_class: type[anthropic.APIStatusError],
) -> None:
    longcat_server.push(Scenario.http_error(status, "server says no"))
    with pytest.raises(error_class) as caught:
        claude.messages.create(model=MODEL, max_tokens=10, messages=ANTHROPIC_HELLO)
    assert caught.value.status_code == status
    assert "server says no" in str(caught.value)
    if status == 529:
        assert isinstance(caught.value, anthropic.InternalServerError)
        assert '"overloaded_error"' in caught.value.response.text


def test_anthropic_sdk_refuses_a_system_message_and_a_wrong_key(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    with pytest.raises(anthropic.BadRequestError, match="system"):
        claude.messages.create(
            model=MODEL,
            max_tokens=10,
            messages=[{"role": "system", "content": "x"}, *ANTHROPIC_HELLO],
        )
    with (
        anthropic.Anthropic(
            base_url=longcat_server.anthropic_base_url, auth_token="wrong", max_retries=0
        ) as client,
        pytest.raises(anthropic.AuthenticationError) as caught,
    ):
        client.messages.create(model=MODEL, max_tokens=10, messages=ANTHROPIC_HELLO)
    assert caught.value.response.json() == {
        "type": "error",
        "error": {"type": "authentication_error", "message": "Invalid API key provided"},
    }


def test_anthropic_sdk_raises_on_an_error_event_and_keeps_the_partial_text(
    longcat_server: LongCatServer, claude: anthropic.Anthropic
) -> None:
    longcat_server.push(Scenario(deltas=["Par", "tial", "!"], error_after=2))
    text: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError, match="overloaded_error"),
        claude.messages.stream(model=MODEL, max_tokens=10, messages=ANTHROPIC_HELLO) as stream,
    ):
        text.extend(stream.text_stream)
    assert "".join(text) == "Partial"


# -- Requests: auth, validation, records -------------------------------------------------------

ENDPOINTS = [
    ("POST", OPENAI_CHAT, "openai"),
    ("POST", ANTHROPIC_CHAT, "anthropic"),
    ("GET", "/openai/v1/models", "openai"),
    ("GET", "/anthropic/v1/models", "anthropic"),
    ("GET", f"/openai/v1/models/{MODEL}", "openai"),
    ("GET", f"/anthropic/v1/models/{MODEL}", "anthropic"),
]


@pytest.mark.parametrize(("method", "path", "shape"), ENDPOINTS)
@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Bearer {key}"])
def test_every_endpoint_checks_the_bearer_key(
    longcat_server: LongCatServer,
    http: httpx.Client,
    method: str,
    path: str,
    shape: str,
    authorization: str | None,
) -> None:
    # The right key in the wrong header (x-api-key) is refused too: LongCat reads Authorization.
    headers = {"x-api-key": longcat_server.api_key}
    if authorization is not None:
        headers["Authorization"] = authorization.format(key=longcat_server.api_key)
    response = http.request(
        method, longcat_server.url + path, headers=headers, json=chat_body(stream=False)
    )
    if authorization is not None and "{key}" in authorization:
        assert response.status_code == 200
        return
    assert response.status_code == 401
    if shape == "openai":
        assert response.json() == {
            "error": {
                "message": "Invalid API key provided",
                "type": "authentication_error",
                "code": "invalid_api_key",
            }
        }
    else:
        assert response.json()["type"] == "error"
        assert response.json()["error"]["type"] == "authentication_error"


@pytest.mark.parametrize("path", [OPENAI_CHAT, ANTHROPIC_CHAT])
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{not json", "Invalid JSON"),
        (b'{"messages": [{"role": "user", "content": "x"}]}', "model"),
        (b'{"model": "LongCat-2.0"}', "messages"),
        (b'{"model": "LongCat-2.0", "messages": []}', "messages"),
        (b'{"model": "GPT-9", "messages": [{"role": "user", "content": "x"}]}', "GPT-9"),
        (
            b'{"model": "LongCat-2.0", "max_tokens": 131073,'
            b' "messages": [{"role": "user", "content": "x"}]}',
            "max_tokens",
        ),
        (
            b'{"model": "LongCat-2.0", "messages":'
            b' [{"role": "user", "content": [{"type": "image", "source": {}}]}]}',
            "only text",
        ),
    ],
)
def test_chat_refuses_malformed_requests_with_400(
    longcat_server: LongCatServer, http: httpx.Client, path: str, body: bytes, expected: str
) -> None:
    longcat_server.push(Scenario(text="never sent"))
    response = http.post(
        longcat_server.url + path,
        content=body,
        headers={**auth(longcat_server), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert expected in error["message"]
    assert longcat_server.pending == 1  # a refused request uses no scenario
    assert longcat_server.last_request.body == body


def test_anthropic_path_refuses_system_role_but_openai_accepts_it(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    messages = [{"role": "system", "content": "Be brief."}, *HELLO]
    body = {"model": MODEL, "messages": messages}
    headers = auth(longcat_server)
    assert http.post(longcat_server.url + OPENAI_CHAT, json=body, headers=headers).is_success
    refused = http.post(longcat_server.url + ANTHROPIC_CHAT, json=body, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["error"]["type"] == "invalid_request_error"
    assert "system" in refused.json()["error"]["message"]


def test_unknown_path_and_wrong_method(longcat_server: LongCatServer, http: httpx.Client) -> None:
    headers = auth(longcat_server)
    assert http.get(longcat_server.url + "/v1/models", headers=headers).status_code == 404
    assert http.get(longcat_server.url + OPENAI_CHAT, headers=headers).status_code == 405
    assert http.post(longcat_server.url + "/openai/v1/models", headers=headers).status_code == 405


def test_requests_are_recorded_with_headers_and_bodies(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    body = json.dumps(chat_body(max_tokens=5), ensure_ascii=False).encode()
    http.post(
        longcat_server.url + OPENAI_CHAT + "?trace=1",
        content=body,
        headers={
            **auth(longcat_server),
            "Content-Type": "application/json",
            "Accept": "text/event-stream",
            "Accept-Encoding": "identity",
            "X-Custom": "one",
        },
    ).read()
    http.get(longcat_server.url + "/openai/v1/models", headers=auth(longcat_server))
    assert longcat_server.wait_for_requests(2, timeout=1)
    first, second = longcat_server.requests
    assert (first.method, first.path, first.query) == ("POST", OPENAI_CHAT, "trace=1")
    assert first.headers["accept-encoding"] == "identity"
    assert first.headers["ACCEPT"] == "text/event-stream"
    assert first.headers.get_all("x-custom") == ["one"]
    assert "Authorization" in first.headers
    assert first.body == body
    assert first.json == chat_body(max_tokens=5)
    assert first.streamed
    assert first.status == 200
    assert first.finished.is_set()
    assert not first.client_disconnected
    assert first.scenario == Scenario()
    assert (second.method, second.path, second.body, second.json) == (
        "GET",
        "/openai/v1/models",
        b"",
        None,
    )
    assert longcat_server.chat_requests == [first]


def test_queue_default_scenario_and_reset(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    def ask() -> str:
        response = http.post(
            longcat_server.url + OPENAI_CHAT,
            json=chat_body(stream=False),
            headers=auth(longcat_server),
        )
        return str(response.json()["choices"][0]["message"]["content"])

    longcat_server.push(Scenario(text="one"), Scenario(text="two"))
    assert longcat_server.pending == 2
    assert [ask(), ask(), ask()] == ["one", "two", DEFAULT_TEXT]
    longcat_server.default_scenario = Scenario(text="fallback")
    assert ask() == "fallback"
    longcat_server.models = ["Custom-Model"]
    longcat_server.push(Scenario(text="left over"))
    longcat_server.reset()
    assert longcat_server.requests == []
    assert longcat_server.pending == 0
    assert longcat_server.models == ["LongCat-2.0", "LongCat-2.5-Preview"]
    assert ask() == DEFAULT_TEXT


def test_models_can_be_changed_and_failed(
    longcat_server: LongCatServer, oai: openai.OpenAI
) -> None:
    longcat_server.models = ["LongCat-3.0"]
    longcat_server.model_details["LongCat-3.0"] = {**model_details("LongCat-3.0"), "x": 1}
    assert [m.id for m in oai.models.list()] == ["LongCat-3.0"]
    assert (oai.models.retrieve("LongCat-3.0").model_extra or {})["x"] == 1
    reply = oai.chat.completions.create(model="LongCat-3.0", messages=OPENAI_HELLO)
    assert reply.model == "LongCat-3.0"
    with pytest.raises(openai.BadRequestError):
        oai.chat.completions.create(model=MODEL, messages=OPENAI_HELLO)
    longcat_server.push_models(Scenario.http_error(503))
    with pytest.raises(openai.InternalServerError):
        oai.models.list()
    assert [m.id for m in oai.models.list()] == ["LongCat-3.0"]


# -- HTTP errors: shapes and Retry-After -------------------------------------------------------


@pytest.mark.parametrize("path", [OPENAI_CHAT, ANTHROPIC_CHAT])
def test_retry_after_header_and_field(
    longcat_server: LongCatServer, http: httpx.Client, path: str
) -> None:
    longcat_server.push(Scenario.http_error(429, retry_after="7", error_retry_after=60))
    response = http.post(longcat_server.url + path, json=chat_body(), headers=auth(longcat_server))
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    error = response.json()["error"]
    assert error["type"] == "rate_limit_error"
    assert error["retry_after"] == 60
    assert error["message"] == "Rate limit exceeded. Please try again in 60 seconds"


@pytest.mark.parametrize(
    ("shape", "path", "check"),
    [
        (
            "openai",
            ANTHROPIC_CHAT,
            lambda r: r.json()["error"] == {"message": "x", "type": "server_error", "code": "c"},
        ),
        (
            "anthropic",
            OPENAI_CHAT,
            lambda r: r.json() == {"type": "error", "error": {"type": "api_error", "message": "x"}},
        ),
        ("string", OPENAI_CHAT, lambda r: r.json() == {"error": "x"}),
        (
            "html",
            OPENAI_CHAT,
            lambda r: r.headers["content-type"] == "text/html" and "<h1>502 Bad Gateway" in r.text,
        ),
    ],
)
def test_error_body_shapes(
    longcat_server: LongCatServer, http: httpx.Client, shape: Any, path: str, check: Any
) -> None:
    status = 502 if shape == "html" else 500
    longcat_server.push(
        Scenario.http_error(status, "x", error_shape=shape, error_code="c"),
    )
    response = http.post(longcat_server.url + path, json=chat_body(), headers=auth(longcat_server))
    assert response.status_code == status
    assert check(response)


def test_exact_error_body(longcat_server: LongCatServer, http: httpx.Client) -> None:
    body = '{"error": {"message": "今日额度已用完", "type": "rate_limit_error"}}'.encode()
    longcat_server.push(Scenario.http_error(429, error_body=body))
    response = http.post(
        longcat_server.url + OPENAI_CHAT, json=chat_body(), headers=auth(longcat_server)
    )
    assert response.content == body


# -- Stream bytes: splits, line endings, keep-alives, terminators -------------------------------


def test_pieces_are_flushed_separately_and_cut_inside_characters(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    text = "猫が好き — ça va? 🐈"
    longcat_server.push(Scenario(text=text, piece_size=(1, 2, 5), eol="\r\n"))
    _, pieces = read_stream(http, longcat_server, OPENAI_CHAT, chat_body())
    body = b"".join(pieces)
    # Chunked framing keeps piece boundaries whatever TCP does with them.
    assert [len(p) for p in pieces[:6]] == [1, 2, 5, 1, 2, 5]
    assert max(len(p) for p in pieces) <= 5
    assert openai_content(body) == text
    cut_characters = cut_crlf = 0
    for piece in pieces:
        try:
            piece.decode("utf-8")
        except UnicodeDecodeError:
            cut_characters += 1
    for before, after in itertools.pairwise(pieces):
        cut_crlf += before.endswith(b"\r") and after.startswith(b"\n")
    assert cut_characters > 0
    assert cut_crlf > 0


@pytest.mark.parametrize(("eol", "other"), [("\n", b"\r"), ("\r\n", None), ("\r", b"\n")])
def test_line_endings(
    longcat_server: LongCatServer, http: httpx.Client, eol: Any, other: bytes | None
) -> None:
    longcat_server.push(Scenario(eol=eol))
    _, pieces = read_stream(http, longcat_server, ANTHROPIC_CHAT, chat_body())
    body = b"".join(pieces)
    assert body.endswith(b'"message_stop"}' + (eol * 2).encode())
    if other is not None:
        assert other not in body
    else:
        assert body.count(b"\r") == body.count(b"\n") == body.count(b"\r\n")


def test_keep_alive_comments_and_bom(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(Scenario(deltas=["a", "b"], ping_every=1, bom=True))
    _, pieces = read_stream(http, longcat_server, OPENAI_CHAT, chat_body())
    body = b"".join(pieces)
    assert body.startswith(b"\xef\xbb\xbf: ping\n\n")
    # role chunk, 2 deltas, finish chunk, [DONE]: a ping after each, plus one first.
    assert body.count(b": ping\n\n") == 6
    assert openai_content(body[3:]) == "ab"


def test_anthropic_ping_events_and_no_event_lines(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    longcat_server.push(
        Scenario(ping_every=3, anthropic_ping="event"), Scenario(anthropic_event_lines=False)
    )
    _, first = read_stream(http, longcat_server, ANTHROPIC_CHAT, chat_body())
    _, second = read_stream(http, longcat_server, ANTHROPIC_CHAT, chat_body())
    assert b'event: ping\ndata: {"type": "ping"}\n\n' in b"".join(first)
    events = sse_events(b"".join(second))
    assert all("event" not in e for e in events)
    assert json.loads(events[-1]["data"]) == {"type": "message_stop"}


def test_no_done_no_finish_reason(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(
        Scenario(deltas=["x"], send_done=False, send_finish=False),
        Scenario(deltas=["x"], send_done=False, send_finish=False),
    )
    _, openai_pieces = read_stream(http, longcat_server, OPENAI_CHAT, chat_body())
    _, anthropic_pieces = read_stream(http, longcat_server, ANTHROPIC_CHAT, chat_body())
    openai_body, anthropic_body = b"".join(openai_pieces), b"".join(anthropic_pieces)
    assert b"[DONE]" not in openai_body
    assert b"finish_reason" in openai_body
    assert b'"finish_reason":"' not in openai_body
    assert openai_content(openai_body) == "x"
    assert b"message_stop" not in anthropic_body
    assert b"message_delta" not in anthropic_body
    assert anthropic_body.endswith(b'"content_block_stop", "index": 0}\n\n')


def test_usage_chunk_only_when_asked(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(Scenario(prompt_tokens=3, completion_tokens=4))
    body = chat_body(stream_options={"include_usage": True})
    _, pieces = read_stream(http, longcat_server, OPENAI_CHAT, body)
    data = [e["data"] for e in sse_events(b"".join(pieces))]
    assert data[-1] == "[DONE]"
    usage_chunk = json.loads(data[-2])
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"] == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}
    assert all(json.loads(d)["usage"] is None for d in data[:-2])


@pytest.mark.parametrize(
    "fields", [("reasoning_content",), ("reasoning",), ("reasoning", "reasoning_content")]
)
def test_openai_reasoning_fields(
    longcat_server: LongCatServer, http: httpx.Client, fields: tuple[str, ...]
) -> None:
    longcat_server.push(
        Scenario(deltas=["A"], reasoning_deltas=["r1", "r2"], openai_reasoning_fields=fields)
    )
    _, pieces = read_stream(
        http, longcat_server, OPENAI_CHAT, chat_body(thinking={"type": "enabled"})
    )
    deltas = [
        json.loads(e["data"])["choices"][0]["delta"] for e in sse_events(b"".join(pieces))[:-1]
    ]
    assert deltas[1:3] == [dict.fromkeys(fields, "r1"), dict.fromkeys(fields, "r2")]
    assert deltas[3] == {"content": "A"}


def test_raw_stream_is_sent_as_is(longcat_server: LongCatServer, http: httpx.Client) -> None:
    raw = b"id: 1\r\n: comment\rdata: {}\n\nevent: x\n"
    longcat_server.push(Scenario(raw_stream=raw, piece_size=4))
    _, pieces = read_stream(http, longcat_server, OPENAI_CHAT, chat_body())
    assert b"".join(pieces) == raw


# -- Errors, drops and stalls in the middle ---------------------------------------------------


def test_openai_error_mid_stream(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(
        Scenario(deltas=["a", "b", "c"], error_after=1, openai_error_event_line=True)
    )
    _, pieces = read_stream(http, longcat_server, OPENAI_CHAT, chat_body())
    events = sse_events(b"".join(pieces))
    assert events[-1]["event"] == "error"
    assert json.loads(events[-1]["data"])["error"]["type"] == "server_error"
    assert openai_content(b"".join(pieces).rsplit(b"event: error", 1)[0]) == "a"


def test_anthropic_error_mid_stream_before_any_delta(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    longcat_server.push(Scenario(error_after=0))
    _, pieces = read_stream(http, longcat_server, ANTHROPIC_CHAT, chat_body())
    events = sse_events(b"".join(pieces))
    assert [e["event"] for e in events] == ["message_start", "content_block_start", "error"]
    assert json.loads(events[-1]["data"]) == {
        "type": "error",
        "error": {
            "type": "overloaded_error",
            "message": "The server is overloaded, please try again later",
        },
    }


def test_drop_cuts_a_chunked_body_short(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(Scenario(deltas=["a", "b", "c"], drop_after=2, drop_tail=b'data: {"ch'))
    received = b""
    with (
        http.stream(
            "POST", longcat_server.url + OPENAI_CHAT, json=chat_body(), headers=auth(longcat_server)
        ) as response,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        assert response.headers["transfer-encoding"] == "chunked"
        for piece in response.iter_raw():
            received += piece
    assert received.endswith(b'data: {"ch')
    assert openai_content(received.rsplit(b"\n\n", 1)[0] + b"\n\n") == "ab"
    assert longcat_server.chat_requests[0].finished.wait(5)
    assert not longcat_server.chat_requests[0].client_disconnected


def test_drop_with_close_framing_is_a_clean_end(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    longcat_server.push(Scenario(deltas=["a", "b", "c"], drop_after=1, framing="close"))
    response, pieces = read_stream(http, longcat_server, ANTHROPIC_CHAT, chat_body())
    assert "transfer-encoding" not in response.headers
    assert "content-length" not in response.headers
    assert response.headers["connection"] == "close"
    events = sse_events(b"".join(pieces))
    assert events[-1]["event"] == "content_block_delta"
    assert json.loads(events[-1]["data"])["delta"]["text"] == "a"


def test_close_framing_without_drop_delivers_everything(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    longcat_server.push(Scenario(framing="close", piece_size=7))
    _, pieces = read_stream(http, longcat_server, OPENAI_CHAT, chat_body())
    assert openai_content(b"".join(pieces)) == DEFAULT_TEXT


def test_drop_with_reset(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(Scenario(deltas=["a", "b"], drop_after=1, drop_rst=True))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        read_stream(http, longcat_server, OPENAI_CHAT, chat_body())


def test_stall_until_the_client_leaves(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(Scenario(deltas=["a", "b", "c"], stall_after=2))
    received = b""
    with http.stream(
        "POST", longcat_server.url + OPENAI_CHAT, json=chat_body(), headers=auth(longcat_server)
    ) as response:
        for piece in response.iter_raw():
            received += piece
            if openai_content(received) == "ab":
                break  # leaving the block closes the connection mid-answer
    assert longcat_server.wait_for_disconnect(timeout=5)
    record = longcat_server.chat_requests[0]
    assert record.finished.wait(5)
    assert record.client_disconnected
    assert b'"c"' not in received


def test_stall_for_a_while_then_resume(longcat_server: LongCatServer, http: httpx.Client) -> None:
    longcat_server.push(Scenario(deltas=["a", "b"], stall_after=1, stall_seconds=0.05))
    _, pieces = read_stream(http, longcat_server, OPENAI_CHAT, chat_body())
    assert openai_content(b"".join(pieces)) == "ab"
    assert not longcat_server.disconnected.is_set()


def test_client_leaving_between_paced_events_is_seen(
    longcat_server: LongCatServer, http: httpx.Client
) -> None:
    longcat_server.push(Scenario(text="one two three four five six", delay=0.02))
    with http.stream(
        "POST", longcat_server.url + ANTHROPIC_CHAT, json=chat_body(), headers=auth(longcat_server)
    ) as response:
        for piece in response.iter_raw():
            if b"text_delta" in piece:
                break
    assert longcat_server.wait_for_disconnect(timeout=5)
    assert longcat_server.chat_requests[0].client_disconnected


def test_first_byte_stall_and_client_timeout(longcat_server: LongCatServer) -> None:
    longcat_server.push(Scenario(headers_delay=60))
    timeout = httpx.Timeout(5.0, read=0.2)
    with httpx.Client(trust_env=False, timeout=timeout) as client, pytest.raises(httpx.ReadTimeout):
        client.post(
            longcat_server.url + OPENAI_CHAT, json=chat_body(), headers=auth(longcat_server)
        )
    assert longcat_server.wait_for_disconnect(timeout=5)
    assert longcat_server.chat_requests[0].status is None


def test_stop_does_not_hang_on_a_stalled_stream() -> None:
    server = LongCatServer().start()
    server.push(Scenario(deltas=["a", "b"], stall_after=1))
    first_delta = threading.Event()
    outcome: list[BaseException | None] = []

    def client() -> None:
        try:
            with (
                httpx.Client(trust_env=False, timeout=30) as http,
                http.stream(
                    "POST", server.url + OPENAI_CHAT, json=chat_body(), headers=auth(server)
                ) as response,
            ):
                received = b""
                for piece in response.iter_raw():
                    received += piece
                    if b'"a"' in received:
                        first_delta.set()
            outcome.append(None)
        except httpx.HTTPError as error:
            outcome.append(error)

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    assert first_delta.wait(5)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    thread.join(5)
    assert not thread.is_alive()
    assert isinstance(outcome[0], httpx.RemoteProtocolError)  # the body never completed
    assert not server.disconnected.is_set()  # the server left, not the client
    server.stop()  # twice is harmless


def test_reset_aborts_a_stalled_stream(longcat_server: LongCatServer) -> None:
    longcat_server.push(Scenario(stall_after=0))
    with httpx.Client(trust_env=False, timeout=10) as http:
        with http.stream(
            "POST", longcat_server.url + OPENAI_CHAT, json=chat_body(), headers=auth(longcat_server)
        ) as response:
            assert response.status_code == 200
            record = longcat_server.chat_requests[0]
            longcat_server.reset()
            assert record.finished.wait(5)
            with pytest.raises(httpx.RemoteProtocolError):
                response.read()
        assert http.get(
            longcat_server.url + "/openai/v1/models", headers=auth(longcat_server)
        ).is_success


# -- Scenario itself, and running by hand -------------------------------------------------------


@given(st.text())
def test_split_words_gives_back_the_text(text: str) -> None:
    assert "".join(split_words(text)) == text


def test_split_words_is_word_ish() -> None:
    assert split_words("Hello! How are you?") == ["Hello", "!", " How", " are", " you", "?"]


@pytest.mark.parametrize(
    "fields",
    [{"drop_after": -1}, {"piece_size": 0}, {"piece_size": ()}, {"eol": "\n\r"}, {"status": 42}],
)
def test_scenario_refuses_nonsense(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Scenario(**fields)


def test_runs_by_hand() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.longcat_server", "--key", "hand-key", "--delay", "0"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = first_line.split(" at ")[1].strip()
        response = httpx.post(
            url + OPENAI_CHAT,
            json=chat_body(stream=False),
            headers={"Authorization": "Bearer hand-key"},
            trust_env=False,
        )
        assert response.json()["choices"][0]["message"]["content"] == DEFAULT_TEXT
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl+C
        process.wait(10)
    assert process.returncode == 0
