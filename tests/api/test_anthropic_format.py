"""The Anthropic-format adapter: request bodies, every stream case, non-streamed replies."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longcat_desktop.api.anthropic_format import (
    DEFAULT_MAX_TOKENS,
    AnthropicAdapter,
    AnthropicStreamReducer,
    ToolUse,
)
from longcat_desktop.api.sse import SseEvent
from longcat_desktop.domain.chat import ChatRequest, Message, ToolCall
from longcat_desktop.domain.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ProtocolError,
    RateLimitError,
    ServerError,
)
from longcat_desktop.domain.events import (
    ChatResult,
    ReasoningDelta,
    ReasoningSignature,
    StreamEnd,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from longcat_desktop.domain.user_texts import UserText
from tests.api.streams import fold, run, sse

ADAPTER = AnthropicAdapter()
INTERRUPTED = UserText("The connection ended before the answer was complete.")


def ev(payload: dict[str, Any], named: bool = True) -> bytes:
    return sse(payload, event=str(payload["type"]) if named else None)


def message_start(input_tokens: int | None = 10) -> bytes:
    usage = {} if input_tokens is None else {"input_tokens": input_tokens, "output_tokens": 1}
    return ev(
        {
            "type": "message_start",
            "message": {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "content": [],
                "model": "LongCat-2.0",
                "stop_reason": None,
                "stop_sequence": None,
                "usage": usage,
            },
        }
    )


def block_start(index: int, block: dict[str, Any]) -> bytes:
    return ev({"type": "content_block_start", "index": index, "content_block": block})


def delta(index: int, body: dict[str, Any]) -> bytes:
    return ev({"type": "content_block_delta", "index": index, "delta": body})


def text(index: int, value: str) -> bytes:
    return delta(index, {"type": "text_delta", "text": value})


def block_stop(index: int) -> bytes:
    return ev({"type": "content_block_stop", "index": index})


def message_delta(stop_reason: str | None, usage: dict[str, Any] | None = None) -> bytes:
    payload: dict[str, Any] = {
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason, "stop_sequence": None},
    }
    if usage is not None:
        payload["usage"] = usage
    return ev(payload)


STOP = ev({"type": "message_stop"})


def stream(raw: bytes, cuts: list[int] | None = None) -> list[Any]:
    return run(AnthropicStreamReducer(), raw, cuts)


# The platform's own example, byte for byte.
PLATFORM_EXAMPLE = b"""event: message_start
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


# --- the request --------------------------------------------------------------------------


def test_paths_and_headers() -> None:
    assert ADAPTER.chat_path == "/anthropic/v1/messages"
    assert ADAPTER.models_path == "/anthropic/v1/models"
    assert dict(ADAPTER.headers()) == {"anthropic-version": "2023-06-01"}


def test_minimal_body_always_has_max_tokens() -> None:
    request = ChatRequest("LongCat-2.0", [Message("user", "Hello, LongCat")])
    assert DEFAULT_MAX_TOKENS == 32768
    assert ADAPTER.build_body(request, stream=True) == {
        "model": "LongCat-2.0",
        "messages": [{"role": "user", "content": "Hello, LongCat"}],
        "max_tokens": 32768,
        "stream": True,
    }


def test_full_body() -> None:
    request = ChatRequest(
        "LongCat-2.0",
        [Message("user", "Hi"), Message("assistant", "Hello"), Message("user", "Again")],
        system="Be brief.",
        max_tokens=1000,
        temperature=0.7,
        top_p=0.9,
        thinking=True,
    )
    assert ADAPTER.build_body(request, stream=False) == {
        "model": "LongCat-2.0",
        "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello"},
            {"role": "user", "content": "Again"},
        ],
        "system": "Be brief.",
        "max_tokens": 1000,
        "stream": False,
        "temperature": 0.7,
        "top_p": 0.9,
        "thinking": {"type": "enabled"},
    }


def test_thinking_disabled_and_zero_temperature() -> None:
    body = ADAPTER.build_body(ChatRequest("m", thinking=False, temperature=0.0), stream=True)
    assert body["thinking"] == {"type": "disabled"}
    assert body["temperature"] == 0.0
    assert "top_p" not in body


@pytest.mark.parametrize("system", [None, "", "  "])
def test_no_system_field_without_a_system_prompt(system: str | None) -> None:
    assert "system" not in ADAPTER.build_body(ChatRequest("m", system=system), stream=True)


def test_system_never_appears_as_a_message() -> None:
    body = ADAPTER.build_body(ChatRequest("m", [Message("user", "x")], system="s"), stream=True)
    assert all(message["role"] != "system" for message in body["messages"])


# --- streams ------------------------------------------------------------------------------


def test_platform_example_stream() -> None:
    assert stream(PLATFORM_EXAMPLE) == [
        Usage(10, 0),
        TextDelta("Hello"),
        TextDelta("!"),
        Usage(10, 8),
        StreamEnd("end_turn", complete=True),
    ]


def test_stream_without_event_lines_decodes_from_json_type() -> None:
    unnamed = b"".join(
        line + b"\n" for line in PLATFORM_EXAMPLE.split(b"\n") if not line.startswith(b"event:")
    )
    assert b"event:" not in unnamed
    assert stream(unnamed) == stream(PLATFORM_EXAMPLE)


def test_thinking_then_text_with_signature_replacing() -> None:
    raw = message_start()
    raw += block_start(0, {"type": "thinking", "thinking": ""})
    raw += delta(0, {"type": "thinking_delta", "thinking": "Let me "})
    raw += delta(0, {"type": "thinking_delta", "thinking": "think."})
    raw += delta(0, {"type": "signature_delta", "signature": "sig-1"})
    raw += delta(0, {"type": "signature_delta", "signature": "sig-2"})
    raw += block_stop(0)
    raw += block_start(1, {"type": "text", "text": ""}) + text(1, "Answer") + block_stop(1)
    raw += message_delta("end_turn", {"output_tokens": 30}) + STOP
    events = stream(raw)
    assert events[1:5] == [
        ReasoningDelta("Let me "),
        ReasoningDelta("think."),
        ReasoningSignature("sig-1"),
        ReasoningSignature("sig-2"),
    ]
    folded = fold(events)
    assert (folded.reasoning, folded.text, folded.signature) == ("Let me think.", "Answer", "sig-2")
    assert folded.usage == Usage(10, 30)


def test_redacted_thinking_block_shows_nothing() -> None:
    raw = message_start() + block_start(0, {"type": "redacted_thinking", "data": "opaque=="})
    raw += block_stop(0) + block_start(1, {"type": "text", "text": ""}) + text(1, "ok")
    raw += block_stop(1) + message_delta("end_turn") + STOP
    folded = fold(stream(raw))
    assert (folded.text, folded.reasoning) == ("ok", "")


def test_deltas_without_content_block_start() -> None:
    raw = message_start() + delta(0, {"type": "thinking_delta", "thinking": "t"}) + text(1, "x")
    raw += message_delta("end_turn") + STOP
    folded = fold(stream(raw))
    assert (folded.reasoning, folded.text) == ("t", "x")


def test_thinking_and_text_deltas_on_the_same_index() -> None:
    raw = block_start(0, {"type": "thinking", "thinking": ""})
    raw += delta(0, {"type": "thinking_delta", "thinking": "hmm"}) + text(0, "yes")
    raw += delta(0, {"type": "thinking_delta", "thinking": "!"}) + block_stop(0) + STOP
    events = stream(raw)
    assert events[:3] == [ReasoningDelta("hmm"), TextDelta("yes"), ReasoningDelta("!")]


def test_text_in_content_block_start_is_shown() -> None:
    raw = block_start(0, {"type": "text", "text": "Pre"}) + text(0, "fix") + STOP
    assert fold(stream(raw)).text == "Prefix"


def test_thinking_and_signature_in_content_block_start() -> None:
    raw = block_start(0, {"type": "thinking", "thinking": "a", "signature": "s0"}) + STOP
    assert stream(raw)[:2] == [ReasoningDelta("a"), ReasoningSignature("s0")]


def test_ping_unknown_events_and_unknown_deltas_are_ignored() -> None:
    raw = message_start() + ev({"type": "ping"}) + sse({"x": 1}, event="ping")
    raw += ev({"type": "brand_new_event", "whatever": [1, 2]})
    raw += block_start(0, {"type": "text", "text": ""})
    raw += delta(
        0, {"type": "citations_delta", "citation": {"type": "char_location", "cited_text": "c"}}
    )
    raw += delta(0, {"type": "future_delta", "value": 1}) + text(0, "kept")
    raw += block_start(1, {"type": "future_block"}) + block_stop(1)
    raw += block_stop(0) + message_delta("end_turn") + STOP
    assert [e for e in stream(raw) if not isinstance(e, Usage)] == [
        TextDelta("kept"),
        StreamEnd("end_turn", complete=True),
    ]


def test_event_name_wins_over_json_type() -> None:
    raw = sse(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}},
        event="ping",
    )
    assert stream(raw) == [StreamEnd(None, complete=False, interruption=INTERRUPTED)]


# --- usage --------------------------------------------------------------------------------


def test_message_delta_counts_are_cumulative_and_win() -> None:
    raw = message_start(10) + text(0, "a") + message_delta(None, {"output_tokens": 5})
    raw += message_delta("end_turn", {"input_tokens": 12, "output_tokens": 9}) + STOP
    usages = [e for e in stream(raw) if isinstance(e, Usage)]
    assert usages == [Usage(10, 1), Usage(10, 5), Usage(12, 9)]


def test_message_delta_without_input_keeps_message_start_input() -> None:
    raw = message_start(42) + message_delta("max_tokens", {"output_tokens": 7}) + STOP
    events = stream(raw)
    assert events[1] == Usage(42, 7)
    assert events[-1] == StreamEnd("max_tokens", complete=True)


def test_message_start_without_usage() -> None:
    raw = message_start(None) + message_delta("end_turn", {"output_tokens": 3}) + STOP
    assert [e for e in stream(raw) if isinstance(e, Usage)] == [Usage(None, None), Usage(None, 3)]


# --- how a stream ends --------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        "end_turn",
        "max_tokens",
        "stop_sequence",
        "tool_use",
        "pause_turn",
        "refusal",
        "model_context_window_exceeded",
        "something_new",
    ],
)
def test_stop_reasons_pass_through(reason: str) -> None:
    assert stream(message_start() + message_delta(reason) + STOP)[-1] == StreamEnd(reason, True)


def test_stop_reason_without_message_stop_is_complete() -> None:
    events = stream(message_start() + text(0, "x") + message_delta("end_turn"))
    assert events[-1] == StreamEnd("end_turn", complete=True)


def test_message_stop_without_stop_reason_is_complete() -> None:
    assert stream(text(0, "x") + STOP)[-1] == StreamEnd(None, complete=True)


def test_cut_off_stream_is_interrupted_and_keeps_partial_text() -> None:
    events = stream(message_start() + block_start(0, {"type": "text", "text": ""}) + text(0, "par"))
    assert events[-1] == StreamEnd(None, complete=False, interruption=INTERRUPTED)
    assert fold(events).text == "par"


def test_everything_after_message_stop_is_ignored() -> None:
    reducer = AnthropicStreamReducer()
    events = run(reducer, text(0, "a") + STOP + text(0, "late") + b"data: junk\n\n")
    assert reducer.done
    assert fold(events).text == "a"
    assert reducer.feed(SseEvent("{}", event="error")) == []


# --- errors in the stream -----------------------------------------------------------------


def test_error_event_after_partial_text() -> None:
    reducer = AnthropicStreamReducer()
    events = run(reducer, message_start() + text(0, "partial"))
    error = ev({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    with pytest.raises(ServerError) as caught:
        run(reducer, error)
    assert caught.value.message == "Overloaded"
    assert caught.value.retryable
    assert fold(events).text == "partial"


@pytest.mark.parametrize(
    ("error_type", "cls"),
    [
        ("api_error", ServerError),
        ("rate_limit_error", RateLimitError),
        ("authentication_error", AuthenticationError),
        ("invalid_request_error", BadRequestError),
    ],
)
def test_unnamed_error_event_decodes_from_json_type(error_type: str, cls: type[ApiError]) -> None:
    raw = ev({"type": "error", "error": {"type": error_type, "message": "m"}}, named=False)
    with pytest.raises(cls):
        stream(raw)


def test_error_event_with_plain_text() -> None:
    with pytest.raises(ServerError, match="gateway timeout"):
        stream(b"event: error\ndata: gateway timeout\n\n")


def test_non_json_data_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        stream(b"event: content_block_delta\ndata: {nope\n\n")


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("message_start", []),
        ("message_start", {"type": "message_start", "message": "m"}),
        ("message_start", {"type": "message_start", "message": {"usage": []}}),
        ("message_start", {"type": "message_start", "message": {"usage": {"input_tokens": "9"}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": 1}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": "0",
                "content_block": {"type": "text", "text": ""},
            },
        ),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": ["text"]}},
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": 5},
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "tool_use", "name": {}},
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "tool_use", "input": "x"},
            },
        ),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": "x"}),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1.5,
                "delta": {"type": "text_delta", "text": "x"},
            },
        ),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": 3}},
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "thinking_delta", "thinking": []},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "signature_delta", "signature": 1},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "input_json_delta", "partial_json": {}},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": True}),
        ("message_delta", {"type": "message_delta", "delta": []}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": 1}}),
        ("message_delta", {"type": "message_delta", "delta": {}, "usage": "many"}),
        ("message_delta", {"type": "message_delta", "delta": {}, "usage": {"output_tokens": "8"}}),
    ],
)
def test_wrong_shapes_are_protocol_errors(event: str, payload: object) -> None:
    with pytest.raises(ProtocolError):
        stream(sse(json.dumps(payload), event=event))


def test_json_type_of_wrong_type_is_ignored_not_crashed() -> None:
    assert stream(sse({"type": ["message_stop"]}))[-1].complete is False
    assert stream(sse({"type": {"a": 1}}))[-1].complete is False


# --- tool use -----------------------------------------------------------------------------


def tool_stream(*pieces: str, start_input: dict[str, Any] | None = None) -> bytes:
    block: dict[str, Any] = {
        "type": "tool_use",
        "id": "toolu_1",
        "name": "get_weather",
        "input": start_input if start_input is not None else {},
    }
    raw = message_start() + block_start(0, {"type": "text", "text": ""}) + text(0, "Let me check")
    raw += block_stop(0) + block_start(1, block)
    for piece in pieces:
        raw += delta(1, {"type": "input_json_delta", "partial_json": piece})
    return raw + block_stop(1) + message_delta("tool_use", {"output_tokens": 20}) + STOP


def test_tool_use_streams_pieces_and_parses_input_at_block_stop() -> None:
    reducer = AnthropicStreamReducer()
    events = run(reducer, tool_stream("", '{"location": ', '"Paris"}'))
    assert ToolCallDelta(1, "toolu_1", "get_weather", "") in events
    assert fold(events).tools[1] == ToolCallDelta(
        1, "toolu_1", "get_weather", '{"location": "Paris"}'
    )
    assert reducer.tool_uses == (
        ToolUse(1, "toolu_1", "get_weather", '{"location": "Paris"}', {"location": "Paris"}),
    )
    assert events[-1] == StreamEnd("tool_use", complete=True)


def test_tool_use_without_input_is_an_empty_object() -> None:
    reducer = AnthropicStreamReducer()
    run(reducer, tool_stream())
    assert reducer.tool_uses == (ToolUse(1, "toolu_1", "get_weather", "", {}),)


def test_malformed_tool_json_does_not_break_the_stream() -> None:
    reducer = AnthropicStreamReducer()
    events = run(reducer, tool_stream('{"location": "Par'))
    (tool,) = reducer.tool_uses
    assert tool.input is None
    assert tool.arguments == '{"location": "Par'
    assert tool.error is not None
    assert tool.error.startswith("invalid JSON")
    assert fold(events).text == "Let me check"
    assert events[-1] == StreamEnd("tool_use", complete=True)


def test_tool_input_sent_whole_in_block_start() -> None:
    reducer = AnthropicStreamReducer()
    events = run(reducer, tool_stream(start_input={"city": "北京"}))
    assert fold(events).tools[1].arguments == '{"city": "北京"}'
    assert reducer.tool_uses[0].input == {"city": "北京"}


def test_input_json_delta_without_block_start() -> None:
    reducer = AnthropicStreamReducer()
    raw = delta(2, {"type": "input_json_delta", "partial_json": '{"a": 1}'}) + block_stop(2) + STOP
    events = run(reducer, raw)
    assert events[0] == ToolCallDelta(2, None, None, '{"a": 1}')
    assert reducer.tool_uses == (ToolUse(2, None, None, '{"a": 1}', {"a": 1}),)


# --- any split, and anything at all -------------------------------------------------------

texts = st.text(max_size=12) | st.sampled_from(["\u2028", "\x85", "中文", "😀"])


@st.composite
def realistic_streams(draw: st.DrawFn) -> bytes:
    named = draw(st.booleans())
    parts = [message_start()]
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["text", "thinking"]))
        parts.append(block_start(index, {"type": kind, kind: ""}))
        for piece in draw(st.lists(texts, max_size=4)):
            body = {"type": f"{kind}_delta", kind: piece}
            parts.append(delta(index, body))
            if draw(st.booleans()):
                parts.append(ev({"type": "ping"}))
        parts.append(block_stop(index))
    if draw(st.booleans()):
        parts.append(message_delta("end_turn", {"output_tokens": 9}))
        if draw(st.booleans()):
            parts.append(STOP)
    raw = b"".join(parts)
    if not named:
        raw = b"".join(
            line + b"\n" for line in raw.split(b"\n")[:-1] if not line.startswith(b"event:")
        )
    return raw.replace(b"\n", draw(st.sampled_from([b"\n", b"\r\n", b"\r"])))


@settings(max_examples=200, deadline=None)
@given(raw=realistic_streams(), cuts=st.lists(st.integers(0, 5000), max_size=20))
def test_any_split_gives_the_same_events(raw: bytes, cuts: list[int]) -> None:
    assert stream(raw, cuts) == stream(raw)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.sampled_from(
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
            "text_delta",
            "thinking_delta",
            "signature_delta",
            "input_json_delta",
            "tool_use",
            "thinking",
            "text",
            "error",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "index",
                    "delta",
                    "content_block",
                    "message",
                    "usage",
                    "text",
                    "thinking",
                    "signature",
                    "partial_json",
                    "input_tokens",
                    "output_tokens",
                    "stop_reason",
                    "error",
                    "id",
                    "name",
                    "input",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=14,
)


@settings(max_examples=400, deadline=None)
@given(
    payloads=st.lists(
        st.tuples(
            json_values,
            st.sampled_from(
                [
                    None,
                    "message_start",
                    "content_block_delta",
                    "content_block_start",
                    "content_block_stop",
                    "message_delta",
                    "ping",
                ]
            ),
        ),
        max_size=5,
    )
)
def test_any_json_raises_only_api_errors(payloads: list[tuple[object, str | None]]) -> None:
    raw = b"".join(sse(json.dumps(payload), event=name) for payload, name in payloads)
    with contextlib.suppress(ApiError):
        stream(raw)


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=200), cuts=st.lists(st.integers(0, 300), max_size=8))
def test_arbitrary_bytes_raise_only_api_errors(raw: bytes, cuts: list[int]) -> None:
    try:
        events = stream(b"event: content_block_delta\ndata: " + raw + b"\n\n" + raw, cuts)
    except ApiError:
        return
    assert isinstance(events[-1], StreamEnd)


# --- non-streamed replies -----------------------------------------------------------------


def test_platform_example_reply() -> None:
    body = {
        "id": "msg_123",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": "Hello! How can I help you today?"}],
        "model": "LongCat-2.0-Preview",
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 8},
    }
    assert ADAPTER.parse_completion(body) == ChatResult(
        "Hello! How can I help you today?", "", "end_turn", Usage(10, 8)
    )


def test_reply_with_thinking_and_several_blocks() -> None:
    body = {
        "content": [
            {"type": "thinking", "thinking": "Consider.", "signature": "s"},
            {"type": "redacted_thinking", "data": "xx"},
            {"type": "text", "text": "One. "},
            {"type": "tool_use", "id": "t", "name": "f", "input": {}},
            {"type": "text", "text": "Two."},
        ],
        "stop_reason": "max_tokens",
    }
    assert ADAPTER.parse_completion(body) == ChatResult(
        "One. Two.",
        "Consider.",
        "max_tokens",
        Usage(),
        tool_calls=(ToolCall("t", "f", ""),),
        reasoning_signature="s",
    )


def test_reply_error_body_raises_mapped_error() -> None:
    body = {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}}
    with pytest.raises(RateLimitError, match="slow down"):
        ADAPTER.parse_completion(body)


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {},
        {"content": "text"},
        {"content": [1]},
        {"content": [{"type": "text", "text": 3}]},
        {"content": [{"type": "thinking", "thinking": []}]},
        {"content": [], "stop_reason": 1},
        {"content": [], "usage": {"input_tokens": "10"}},
    ],
)
def test_malformed_reply_is_a_protocol_error(body: object) -> None:
    with pytest.raises(ProtocolError):
        ADAPTER.parse_completion(body)


def test_server_tool_use_is_the_servers_own_and_makes_no_call() -> None:
    raw = ev(
        {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "server_tool_use", "id": "srv", "name": "web_search"},
        }
    )
    raw += ev(
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": '{"q": "x"}'},
        }
    )
    raw += ev({"type": "content_block_stop", "index": 0})
    reducer = AnthropicStreamReducer()
    events = run(reducer, raw + ev({"type": "message_stop"}))
    assert not [event for event in events if isinstance(event, ToolCallDelta)]
    assert reducer.tool_uses == ()
    reply = {"content": [{"type": "server_tool_use", "id": "srv", "name": "s", "input": {}}]}
    assert ADAPTER.parse_completion(reply).tool_calls == ()
