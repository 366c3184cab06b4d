"""The OpenAI-format adapter: request bodies, every stream case, non-streamed replies."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longcat_desktop.api.openai_format import OpenAIAdapter, OpenAIStreamReducer
from longcat_desktop.api.sse import SseEvent
from longcat_desktop.domain.answer import fold_all
from longcat_desktop.domain.chat import ChatRequest, Message, Role, ToolCall
from longcat_desktop.domain.errors import (
    ApiError,
    AuthenticationError,
    ProtocolError,
    RateLimitError,
    ServerError,
)
from longcat_desktop.domain.events import (
    ChatResult,
    ReasoningDelta,
    StreamEnd,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from longcat_desktop.domain.user_texts import UserText
from tests.api.streams import fold, run, sse

ADAPTER = OpenAIAdapter()
INTERRUPTED = UserText("The connection ended before the answer was complete.")


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, **extra: Any) -> bytes:
    choice: dict[str, Any] = {"index": 0, "finish_reason": finish}
    if delta is not None:
        choice["delta"] = delta
    return sse({"id": "c1", "object": "chat.completion.chunk", "choices": [choice], **extra})


def stream(raw: bytes, cuts: list[int] | None = None) -> list[Any]:
    return run(OpenAIStreamReducer(), raw, cuts)


DONE = b"data: [DONE]\n\n"

# The platform's own example, byte for byte.
PLATFORM_EXAMPLE = (
    b'data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1677652288,'
    b'"model":"LongCat-2.0-Preview","choices":[{"index":0,"delta":{"role":"assistant",'
    b'"content":""},"finish_reason":null}]}\n\n'
    b'data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1677652288,'
    b'"model":"LongCat-2.0-Preview","choices":[{"index":0,"delta":{"content":"Hello"},'
    b'"finish_reason":null}]}\n\n'
    b'data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1677652288,'
    b'"model":"LongCat-2.0-Preview","choices":[{"index":0,"delta":{"content":"!"},'
    b'"finish_reason":null}]}\n\n'
    b"data: [DONE]\n\n"
)


# --- the request --------------------------------------------------------------------------


def test_paths_and_headers() -> None:
    assert ADAPTER.chat_path == "/openai/v1/chat/completions"
    assert ADAPTER.models_path == "/openai/v1/models"
    assert dict(ADAPTER.headers()) == {}


def test_minimal_streaming_body() -> None:
    request = ChatRequest("LongCat-2.0", [Message(Role.USER, "Hi")])
    assert ADAPTER.build_body(request, stream=True) == {
        "model": "LongCat-2.0",
        "messages": [{"role": "user", "content": "Hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def test_full_non_streaming_body() -> None:
    request = ChatRequest(
        "LongCat-2.0",
        [Message("user", "Hi"), Message("assistant", "Hello"), Message("user", "Again")],
        system="Be brief.",
        max_tokens=150,
        temperature=0.7,
        top_p=0.9,
        thinking=True,
    )
    assert ADAPTER.build_body(request, stream=False) == {
        "model": "LongCat-2.0",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello"},
            {"role": "user", "content": "Again"},
        ],
        "stream": False,
        "max_tokens": 150,
        "temperature": 0.7,
        "top_p": 0.9,
        "thinking": {"type": "enabled"},
    }


def test_zero_values_are_sent() -> None:
    request = ChatRequest("m", [Message("user", "x")], max_tokens=0, temperature=0.0, top_p=0.0)
    body = ADAPTER.build_body(request, stream=False)
    assert (body["max_tokens"], body["temperature"], body["top_p"]) == (0, 0.0, 0.0)


def test_thinking_disabled() -> None:
    body = ADAPTER.build_body(ChatRequest("m", thinking=False), stream=False)
    assert body["thinking"] == {"type": "disabled"}


def test_thinking_left_to_server() -> None:
    assert "thinking" not in ADAPTER.build_body(ChatRequest("m"), stream=False)


@pytest.mark.parametrize("system", [None, "", "   \n"])
def test_no_system_message_when_no_system_prompt(system: str | None) -> None:
    body = ADAPTER.build_body(ChatRequest("m", [Message("user", "x")], system=system), stream=True)
    assert body["messages"] == [{"role": "user", "content": "x"}]


def test_body_is_plain_json() -> None:
    request = ChatRequest("m", [Message(Role.ASSISTANT, "中文")], system="s", thinking=True)
    body = ADAPTER.build_body(request, stream=True)
    assert json.loads(json.dumps(body)) == body
    assert type(body["messages"][1]["role"]) is str


# --- streams ------------------------------------------------------------------------------


def test_platform_example_stream() -> None:
    events = stream(PLATFORM_EXAMPLE)
    assert events == [TextDelta("Hello"), TextDelta("!"), StreamEnd(None, complete=True)]


def test_stream_without_done_or_finish_reason_is_interrupted() -> None:
    events = stream(chunk({"content": "Hel"}) + chunk({"content": "lo"}))
    assert events[-1] == StreamEnd(None, complete=False, interruption=INTERRUPTED)
    assert fold(events).text == "Hello"


@pytest.mark.parametrize("reason", ["stop", "length", "content_filter", "tool_calls", "new"])
def test_finish_reason_without_done_is_complete(reason: str) -> None:
    events = stream(chunk({"content": "x"}) + chunk({}, finish=reason))
    assert events[-1] == StreamEnd(reason, complete=True)


def test_finish_reason_and_done() -> None:
    events = stream(chunk({"content": "x"}, finish="length") + DONE)
    assert events[-1] == StreamEnd("length", complete=True)


def test_empty_finish_reason_is_no_finish_reason() -> None:
    assert stream(chunk({"content": "x"}, finish=""))[-1].complete is False


def test_everything_after_done_is_ignored() -> None:
    after = chunk({"content": "late"}) + b"data: not json\n\n" + sse({"error": {"message": "x"}})
    reducer = OpenAIStreamReducer()
    events = run(reducer, chunk({"content": "a"}) + DONE + after)
    assert reducer.done
    assert fold(events).text == "a"
    assert reducer.feed(SseEvent("garbage")) == []
    assert reducer.feed(SseEvent('{"error": "x"}', event="error")) == []


def test_done_with_surrounding_whitespace() -> None:
    reducer = OpenAIStreamReducer()
    assert reducer.feed(SseEvent(" [DONE] ")) == []
    assert reducer.done


def test_usage_chunk_with_empty_choices() -> None:
    usage = sse(
        {
            "id": "c1",
            "choices": [],
            "usage": {"prompt_tokens": 20, "completion_tokens": 15, "total_tokens": 35},
        }
    )
    events = stream(chunk({"content": "x"}, finish="stop") + usage + DONE)
    assert events == [
        TextDelta("x"),
        Usage(input_tokens=20, output_tokens=15),
        StreamEnd("stop", complete=True),
    ]


def test_null_usage_in_every_chunk_is_ignored() -> None:
    events = stream(chunk({"content": "x"}, usage=None) + DONE)
    assert events == [TextDelta("x"), StreamEnd(None, complete=True)]


def test_chunk_without_choices_key() -> None:
    assert stream(sse({"id": "c1", "object": "chat.completion.chunk"}) + DONE) == [
        StreamEnd(None, complete=True)
    ]


def test_choice_without_delta_and_null_content() -> None:
    raw = chunk(None) + chunk({"content": None}) + chunk({}) + chunk({"role": "assistant"})
    assert stream(raw + DONE) == [StreamEnd(None, complete=True)]


def test_content_filter_notice_with_empty_choices_and_no_usage() -> None:
    notice = sse({"id": "c1", "choices": [], "prompt_filter_results": [{"prompt_index": 0}]})
    assert stream(notice + chunk({"content": "ok"}) + DONE)[0] == TextDelta("ok")


def test_other_choice_indexes_are_ignored() -> None:
    raw = sse(
        {
            "choices": [
                {"index": 1, "delta": {"content": "other"}},
                {"index": 0, "delta": {"content": "mine"}},
            ]
        }
    )
    assert fold(stream(raw + DONE)).text == "mine"


def test_unicode_separators_survive() -> None:
    text = "line\u2028sep\x85next 中文 😀"
    assert fold(stream(chunk({"content": text}) + DONE)).text == text


def test_keepalive_comments_and_crlf() -> None:
    raw = (b": keep-alive\r\n\r\n" + chunk({"content": "a"}) + b": ping\r\n\r\n" + DONE).replace(
        b"\n\n", b"\r\n\r\n"
    )
    assert fold(stream(raw)).text == "a"


# --- reasoning ----------------------------------------------------------------------------


def test_reasoning_content_then_content() -> None:
    raw = chunk({"reasoning_content": "think "}) + chunk({"reasoning_content": "more"})
    raw += chunk({"content": "answer"}, finish="stop") + DONE
    events = stream(raw)
    assert events[:3] == [ReasoningDelta("think "), ReasoningDelta("more"), TextDelta("answer")]
    assert fold(events).reasoning == "think more"


def test_reasoning_field_of_other_servers() -> None:
    assert fold(stream(chunk({"reasoning": "hmm"}) + DONE)).reasoning == "hmm"


def test_both_reasoning_fields_with_identical_text_are_shown_once() -> None:
    raw = chunk({"reasoning_content": "a", "reasoning": "a"}) + chunk(
        {"reasoning_content": "b", "reasoning": "b"}
    )
    assert fold(stream(raw + DONE)).reasoning == "ab"


def test_both_reasoning_fields_with_different_text_prefer_reasoning_content() -> None:
    raw = chunk({"reasoning_content": "mine", "reasoning": "theirs"})
    assert fold(stream(raw + DONE)).reasoning == "mine"


def test_empty_reasoning_content_falls_back_to_reasoning() -> None:
    raw = chunk({"reasoning_content": "", "reasoning": "x"}) + chunk(
        {"reasoning_content": None, "reasoning": "y"}
    )
    assert fold(stream(raw + DONE)).reasoning == "xy"


def test_reasoning_and_content_in_one_delta_keep_their_order() -> None:
    events = stream(chunk({"reasoning_content": "r", "content": "c"}) + DONE)
    assert events[:2] == [ReasoningDelta("r"), TextDelta("c")]


# --- tool calls ---------------------------------------------------------------------------


def test_tool_call_pieces_by_index() -> None:
    raw = chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ]
        }
    )
    raw += chunk(
        {
            "tool_calls": [
                {
                    "index": 1,
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "get_time", "arguments": "{}"},
                }
            ]
        }
    )
    raw += chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]})
    raw += chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]})
    raw += chunk({}, finish="tool_calls") + DONE
    events = stream(raw)
    assert events[0] == ToolCallDelta(0, "call_1", "get_weather", "")
    assert events[2] == ToolCallDelta(0, None, None, '{"city": ')
    tools = fold(events).tools
    assert tools[0] == ToolCallDelta(0, "call_1", "get_weather", '{"city": "Paris"}')
    assert tools[1] == ToolCallDelta(1, "call_2", "get_time", "{}")
    assert events[-1] == StreamEnd("tool_calls", complete=True)


def test_tool_call_without_index_uses_its_position() -> None:
    raw = chunk(
        {
            "tool_calls": [
                {"id": "a", "function": {"name": "f"}},
                {"id": "b", "function": {"name": "g"}},
            ]
        }
    )
    assert [e.index for e in stream(raw + DONE)[:2]] == [0, 1]


def test_empty_tool_call_piece_is_dropped() -> None:
    raw = chunk({"tool_calls": [{"index": 0, "function": {"arguments": ""}}]})
    assert stream(raw + DONE) == [StreamEnd(None, complete=True)]


# --- errors in the stream -----------------------------------------------------------------


def test_error_chunk_raises_the_mapped_error_after_the_partial_text() -> None:
    reducer = OpenAIStreamReducer()
    events = run(reducer, chunk({"content": "partial"}))
    error = sse(
        {
            "error": {
                "message": "Rate limit exceeded",
                "type": "rate_limit_error",
                "code": "rate_limit_exceeded",
            }
        }
    )
    with pytest.raises(RateLimitError) as caught:
        run(reducer, error)
    assert caught.value.message == "Rate limit exceeded"
    assert fold(events).text == "partial"


def test_error_event_with_anthropic_shape() -> None:
    raw = sse(
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
        event="error",
    )
    with pytest.raises(ServerError, match="Overloaded"):
        stream(raw)


def test_error_event_with_plain_text() -> None:
    with pytest.raises(ServerError, match="upstream went away"):
        stream(b"event: error\ndata: upstream went away\n\n")


def test_error_object_with_type_error_and_no_error_key() -> None:
    with pytest.raises(AuthenticationError):
        stream(sse({"type": "error", "message": "bad key", "code": "invalid_api_key"}))


def test_bare_string_error_in_stream() -> None:
    with pytest.raises(ApiError, match="quota gone"):
        stream(sse({"error": "quota gone"}))


def test_non_json_data_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="not valid JSON"):
        stream(b"data: {broken\n\n")


def test_whitespace_only_data_is_ignored() -> None:
    assert stream(b"data:  \n\n" + DONE) == [StreamEnd(None, complete=True)]


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        42,
        None,
        {"choices": "x"},
        {"choices": {"0": {}}},
        {"choices": [1]},
        {"choices": [None]},
        {"choices": [{"delta": []}]},
        {"choices": [{"delta": "hi"}]},
        {"choices": [{"delta": {"content": 5}}]},
        {"choices": [{"delta": {"content": ["a"]}}]},
        {"choices": [{"delta": {"content": False}}]},
        {"choices": [{"delta": {"reasoning_content": {}}}]},
        {"choices": [{"delta": {"reasoning": 1}}]},
        {"choices": [{"delta": {"tool_calls": {}}}]},
        {"choices": [{"delta": {"tool_calls": [3]}}]},
        {"choices": [{"delta": {"tool_calls": [{"index": "0"}]}}]},
        {"choices": [{"delta": {"tool_calls": [{"function": "f"}]}}]},
        {"choices": [{"delta": {"tool_calls": [{"function": {"arguments": {}}}]}}]},
        {"choices": [{"index": "zero", "delta": {}}]},
        {"choices": [{"index": [], "delta": {}}]},
        {"choices": [{"finish_reason": 3}]},
        {"choices": [{"finish_reason": ["stop"]}]},
        {"usage": "many"},
        {"usage": {"prompt_tokens": "12"}},
        {"usage": {"prompt_tokens": 1.5}},
        {"usage": {"completion_tokens": True}},
    ],
)
def test_wrong_shapes_are_protocol_errors(payload: object) -> None:
    with pytest.raises(ProtocolError):
        stream(sse(json.dumps(payload)))


# --- any split, and anything at all -------------------------------------------------------

texts = st.text(max_size=12) | st.sampled_from(["\u2028", "\x85", "中文", "😀", "[DONE]"])


@st.composite
def realistic_streams(draw: st.DrawFn) -> bytes:
    parts = [b": keep-alive\n\n"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 6))):
        delta = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "content": texts | st.none(),
                    "reasoning_content": texts,
                    "reasoning": texts,
                    "role": st.just("assistant"),
                },
            )
        )
        parts.append(chunk(delta))
    if draw(st.booleans()):
        parts.append(chunk({}, finish=draw(st.sampled_from(["stop", "length"]))))
    if draw(st.booleans()):
        parts.append(sse({"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 4}}))
    if draw(st.booleans()):
        parts.append(DONE)
    raw = b"".join(parts)
    return raw.replace(b"\n", draw(st.sampled_from([b"\n", b"\r\n", b"\r"])))


@settings(max_examples=200, deadline=None)
@given(raw=realistic_streams(), cuts=st.lists(st.integers(0, 5000), max_size=20))
def test_any_split_gives_the_same_events(raw: bytes, cuts: list[int]) -> None:
    assert stream(raw, cuts) == stream(raw)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "choices",
                    "delta",
                    "content",
                    "index",
                    "usage",
                    "error",
                    "type",
                    "finish_reason",
                    "tool_calls",
                    "function",
                    "reasoning",
                    "reasoning_content",
                    "prompt_tokens",
                    "message",
                    "arguments",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(payloads=st.lists(json_values, max_size=4))
def test_any_json_raises_only_api_errors(payloads: list[object]) -> None:
    raw = b"".join(sse(json.dumps(payload)) for payload in payloads)
    with contextlib.suppress(ApiError):
        stream(raw)


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=200), cuts=st.lists(st.integers(0, 300), max_size=8))
def test_arbitrary_bytes_raise_only_api_errors(raw: bytes, cuts: list[int]) -> None:
    try:
        events = stream(b"data: " + raw + b"\n\n" + raw, cuts)
    except ApiError:
        return
    assert isinstance(events[-1], StreamEnd)


# --- non-streamed replies -----------------------------------------------------------------


def test_platform_example_completion() -> None:
    body = {
        "id": "chatcmpl-123",
        "object": "chat.completion",
        "created": 1677652288,
        "model": "LongCat-2.0-Preview",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "Hello! I'm doing well, thank you for asking.",
                },
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 20, "completion_tokens": 15, "total_tokens": 35},
    }
    assert ADAPTER.parse_completion(body) == ChatResult(
        text="Hello! I'm doing well, thank you for asking.",
        reasoning="",
        finish_reason="stop",
        usage=Usage(20, 15),
    )


@pytest.mark.parametrize(
    ("message", "reasoning"),
    [
        ({"content": "a", "reasoning_content": "r"}, "r"),
        ({"content": "a", "reasoning": "r2"}, "r2"),
        ({"content": "a", "reasoning_content": "r", "reasoning": "r"}, "r"),
    ],
)
def test_completion_reasoning(message: dict[str, Any], reasoning: str) -> None:
    result = ADAPTER.parse_completion({"choices": [{"message": message}]})
    assert (result.text, result.reasoning) == ("a", reasoning)


def test_completion_with_null_content_and_no_usage() -> None:
    result = ADAPTER.parse_completion(
        {"choices": [{"message": {"content": None}, "finish_reason": "tool_calls"}]}
    )
    assert result == ChatResult("", "", "tool_calls", Usage())


def test_completion_error_body_raises_mapped_error() -> None:
    body = {"error": {"message": "Invalid API key provided", "type": "authentication_error"}}
    with pytest.raises(AuthenticationError, match="Invalid API key provided"):
        ADAPTER.parse_completion(body)


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "text",
        {},
        {"choices": []},
        {"choices": "x"},
        {"choices": [3]},
        {"choices": [{"message": "hi"}]},
        {"choices": [{"message": {"content": 3}}]},
        {"choices": [{"message": {}}], "usage": []},
    ],
)
def test_malformed_completion_is_a_protocol_error(body: object) -> None:
    with pytest.raises(ProtocolError):
        ADAPTER.parse_completion(body)


def test_completion_with_tool_calls_keeps_their_order_and_reasoning() -> None:
    body = {
        "choices": [
            {
                "message": {
                    "content": None,
                    "reasoning_content": "Two lookups.",
                    "tool_calls": [
                        {
                            "id": "call_a",
                            "type": "function",
                            "function": {"name": "get_time", "arguments": '{"tz":"UTC"}'},
                        },
                        {
                            "id": "call_b",
                            "type": "function",
                            "function": {"name": "list_files", "arguments": ""},
                        },
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ]
    }
    assert ADAPTER.parse_completion(body) == ChatResult(
        "",
        "Two lookups.",
        "tool_calls",
        Usage(),
        tool_calls=(
            ToolCall("call_a", "get_time", '{"tz":"UTC"}'),
            ToolCall("call_b", "list_files", ""),
        ),
    )


def test_parallel_calls_all_sent_at_index_zero_stay_apart() -> None:
    def head(call_id: str, name: str) -> bytes:
        call = {"index": 0, "id": call_id, "type": "function", "function": {"name": name}}
        return chunk({"tool_calls": [call]})

    def piece(arguments: str) -> bytes:
        return chunk({"tool_calls": [{"index": 0, "function": {"arguments": arguments}}]})

    raw = head("call_a", "f") + piece('{"x": 1}') + head("call_b", "g") + piece("{}") + DONE
    result = fold_all(stream(raw)).result()
    assert result.tool_calls == (ToolCall("call_a", "f", '{"x": 1}'), ToolCall("call_b", "g", "{}"))


def test_an_id_repeated_in_every_piece_is_one_call() -> None:
    pieces = [
        {"index": 0, "id": "call_a", "function": {"name": "f", "arguments": '{"x"'}},
        {"index": 0, "id": "call_a", "function": {"arguments": ": 1}"}},
        {"index": 1, "id": "call_b", "function": {"name": "g", "arguments": ""}},
        {"index": 1, "id": "call_b", "function": {"arguments": "{}"}},
    ]
    raw = b"".join(chunk({"tool_calls": [p]}) for p in pieces) + DONE
    result = fold_all(stream(raw)).result()
    assert result.tool_calls == (ToolCall("call_a", "f", '{"x": 1}'), ToolCall("call_b", "g", "{}"))
