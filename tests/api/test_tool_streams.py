"""Tool calls in streams of both formats, read the same however the bytes are split.

Each vector is a stream as a server writes it. It is decoded with a read boundary at every
byte, and once with every byte a read of its own; the events folded into an answer snapshot
must give the same result each time, and the same tool calls as the official SDK's own
accumulator (openai's ChatCompletionStreamState, anthropic's accumulate_event).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydantic
import pytest
from anthropic.lib.streaming._messages import accumulate_event
from anthropic.types import RawMessageStreamEvent
from openai.lib.streaming.chat._completions import ChatCompletionStreamState
from openai.types.chat import ChatCompletionChunk

from longcat_desktop.api.anthropic_stream import AnthropicStreamReducer
from longcat_desktop.api.openai_stream import OpenAIStreamReducer
from longcat_desktop.domain.answer import AnswerSnapshot, fold_all
from longcat_desktop.domain.chat import ToolCall
from tests.api.streams import run, sse

_ANTHROPIC_EVENT: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(RawMessageStreamEvent)


@dataclass(frozen=True)
class Vector:
    name: str
    payloads: list[dict[str, Any]]
    """The stream's JSON events, in order."""
    calls: tuple[ToolCall, ...]
    ended: bool = True
    """Whether the server's end marker ([DONE] / message_stop) follows them."""
    text: str = ""
    reasoning: str = ""
    finish_reason: str | None = None
    complete: bool = True
    whole: bool = True
    """Whether the calls arrived whole, so they may run."""


# -- OpenAI format -------------------------------------------------------------------------


def _chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "LongCat-2.0",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _head(index: int, call_id: str, name: str, arguments: str = "") -> dict[str, Any]:
    function = {"name": name, "arguments": arguments}
    return _chunk(
        {"tool_calls": [{"index": index, "id": call_id, "type": "function", "function": function}]}
    )


def _piece(index: int, arguments: str) -> dict[str, Any]:
    return _chunk({"tool_calls": [{"index": index, "function": {"arguments": arguments}}]})


OPENAI_VECTORS = [
    Vector(
        "parallel calls interleaved, with reasoning and text, split mid-escape and mid-word",
        [
            _chunk({"role": "assistant", "content": ""}),
            _chunk({"reasoning_content": "Two lookups"}),
            _chunk({"reasoning_content": " at once."}),
            _chunk({"content": "Let me check "}),
            _chunk({"content": "both."}),
            _head(0, "call_a", "get_time"),
            _head(1, "call_b", "search"),
            _piece(0, '{"tz": "Asia/Sh'),
            _piece(1, '{"q": "line\\'),
            _piece(0, 'anghai"}'),
            _piece(1, "nbreak \\u00"),
            _piece(1, 'e9t\\u00e9 北京 \\"x\\""}'),
            _chunk({}, "tool_calls"),
            {
                **_chunk({}),
                "choices": [],
                "usage": {"prompt_tokens": 9, "completion_tokens": 20, "total_tokens": 29},
            },
        ],
        calls=(
            ToolCall("call_a", "get_time", '{"tz": "Asia/Shanghai"}'),
            ToolCall("call_b", "search", '{"q": "line\\nbreak \\u00e9t\\u00e9 北京 \\"x\\""}'),
        ),
        text="Let me check both.",
        reasoning="Two lookups at once.",
        finish_reason="tool_calls",
    ),
    Vector(
        '"" arguments, a call with its arguments in its first piece, and no finish_reason',
        [
            _head(0, "call_1", "list_files"),
            _head(1, "call_2", "get_time", '{"tz":"UTC"}'),
        ],
        calls=(
            ToolCall("call_1", "list_files", ""),
            ToolCall("call_2", "get_time", '{"tz":"UTC"}'),
        ),
    ),
    Vector(
        "finish_reason stop although calls were made",
        [_head(0, "call_1", "f", "{}"), _chunk({}, "stop")],
        calls=(ToolCall("call_1", "f", "{}"),),
        finish_reason="stop",
    ),
    Vector(
        "a call cut by max_tokens",
        [
            _chunk({"content": "Writing the file."}),
            _head(0, "call_1", "write_file"),
            _piece(0, '{"path": "a.txt", "text": "half'),
            _chunk({}, "length"),
        ],
        calls=(ToolCall("call_1", "write_file", '{"path": "a.txt", "text": "half'),),
        text="Writing the file.",
        finish_reason="length",
        whole=False,
    ),
    Vector(
        "a call cut by a dropped connection",
        [_head(0, "call_1", "delete_file"), _piece(0, '{"path": "/tmp/')],
        ended=False,
        calls=(ToolCall("call_1", "delete_file", '{"path": "/tmp/'),),
        complete=False,
        whole=False,
    ),
]


def _openai_raw(vector: Vector) -> bytes:
    raw = b"".join(sse(payload) for payload in vector.payloads)
    return raw + (b"data: [DONE]\n\n" if vector.ended else b"")


def _openai_sdk_calls(vector: Vector) -> tuple[ToolCall, ...]:
    state: ChatCompletionStreamState[object] = ChatCompletionStreamState()
    for payload in vector.payloads:
        state.handle_chunk(ChatCompletionChunk.model_validate(payload))
    message = state.current_completion_snapshot.choices[0].message
    return tuple(
        ToolCall(call.id, call.function.name, call.function.arguments)
        for call in message.tool_calls or ()
    )


# -- Anthropic format ----------------------------------------------------------------------


def _start() -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "content": [],
        "model": "LongCat-2.0",
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 12, "output_tokens": 0},
    }
    return {"type": "message_start", "message": message}


def _block(index: int, block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def _delta(index: int, delta: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": delta}


def _stop(index: int) -> dict[str, Any]:
    return {"type": "content_block_stop", "index": index}


def _tool(index: int, call_id: str, name: str, *pieces: str) -> list[dict[str, Any]]:
    use = {"type": "tool_use", "id": call_id, "name": name, "input": {}}
    deltas = [_delta(index, {"type": "input_json_delta", "partial_json": p}) for p in pieces]
    return [_block(index, use), *deltas, _stop(index)]


def _finish(reason: str) -> dict[str, Any]:
    return {
        "type": "message_delta",
        "delta": {"stop_reason": reason, "stop_sequence": None},
        "usage": {"output_tokens": 30},
    }


ANTHROPIC_VECTORS = [
    Vector(
        "thinking and text, then parallel tool_use blocks split mid-escape, one without input",
        [
            _start(),
            _block(0, {"type": "thinking", "thinking": "", "signature": ""}),
            _delta(0, {"type": "thinking_delta", "thinking": "Weather, then "}),
            _delta(0, {"type": "thinking_delta", "thinking": "the time."}),
            _delta(0, {"type": "signature_delta", "signature": "c2ln"}),
            _stop(0),
            _block(1, {"type": "text", "text": ""}),
            _delta(1, {"type": "text_delta", "text": "Checking "}),
            _delta(1, {"type": "text_delta", "text": "北京."}),
            _stop(1),
            *_tool(2, "toolu_a", "get_weather", '{"city": "北', '京", "note": "\\u00', 'e9\\""}'),
            *_tool(3, "toolu_b", "get_time"),
            _finish("tool_use"),
            {"type": "message_stop"},
        ],
        calls=(
            ToolCall("toolu_a", "get_weather", '{"city": "北京", "note": "\\u00e9\\""}'),
            ToolCall("toolu_b", "get_time", ""),
        ),
        text="Checking 北京.",
        reasoning="Weather, then the time.",
        finish_reason="tool_use",
    ),
    Vector(
        "a tool_use block cut by max_tokens",
        [
            _start(),
            *_tool(0, "toolu_1", "write_file", '{"path": "a.txt", ', '"text": "hal'),
            _finish("max_tokens"),
            {"type": "message_stop"},
        ],
        calls=(ToolCall("toolu_1", "write_file", '{"path": "a.txt", "text": "hal'),),
        finish_reason="max_tokens",
        whole=False,
    ),
    Vector(
        "a tool_use block cut by a dropped connection",
        [
            _start(),
            _block(0, {"type": "tool_use", "id": "toolu_1", "name": "rm", "input": {}}),
            _delta(0, {"type": "input_json_delta", "partial_json": '{"path": '}),
        ],
        ended=False,
        calls=(ToolCall("toolu_1", "rm", '{"path": '),),
        complete=False,
        whole=False,
    ),
]


def _anthropic_raw(vector: Vector) -> bytes:
    return b"".join(sse(payload, event=payload["type"]) for payload in vector.payloads)


def _anthropic_sdk_calls(vector: Vector) -> tuple[ToolCall, ...]:
    snapshot: Any = None
    buffers: dict[int, bytes] = {}
    for payload in vector.payloads:
        event = _ANTHROPIC_EVENT.validate_python(payload)
        snapshot = accumulate_event(event=event, current_snapshot=snapshot, json_bufs=buffers)
    # The SDK parses the input as it streams; the order and ids are what it can be compared on.
    return tuple(
        ToolCall(block.id, block.name, json.dumps(block.input))
        for block in snapshot.content
        if block.type == "tool_use"
    )


# -- The checks ----------------------------------------------------------------------------


def _folded(reducer: Any, raw: bytes, cuts: list[int]) -> AnswerSnapshot:
    return fold_all(run(reducer, raw, cuts))


def _check(vector: Vector, snapshot: AnswerSnapshot) -> None:
    result = snapshot.result()
    assert result.tool_calls == vector.calls
    assert (result.text, result.reasoning) == (vector.text, vector.reasoning)
    assert result.finish_reason == vector.finish_reason
    assert snapshot.complete is vector.complete
    assert snapshot.tool_calls_whole is vector.whole


SPLIT_CASES = [
    *((OpenAIStreamReducer, _openai_raw, vector) for vector in OPENAI_VECTORS),
    *((AnthropicStreamReducer, _anthropic_raw, vector) for vector in ANTHROPIC_VECTORS),
]


@pytest.mark.parametrize(
    ("reducer", "encode", "vector"),
    SPLIT_CASES,
    ids=[
        f"{case[0].__name__.removesuffix('StreamReducer').lower()}: {case[2].name}"
        for case in SPLIT_CASES
    ],
)
def test_vectors_split_at_every_byte(
    reducer: Callable[[], Any], encode: Callable[[Vector], bytes], vector: Vector
) -> None:
    raw = encode(vector)
    _check(vector, _folded(reducer(), raw, []))
    _check(vector, _folded(reducer(), raw, list(range(len(raw)))))
    expected = _folded(reducer(), raw, []).result()
    for cut in range(1, len(raw)):
        assert _folded(reducer(), raw, [cut]).result() == expected


@pytest.mark.parametrize("vector", OPENAI_VECTORS, ids=lambda v: v.name)
def test_openai_vectors_agree_with_the_sdk(vector: Vector) -> None:
    assert _openai_sdk_calls(vector) == vector.calls


@pytest.mark.parametrize("vector", ANTHROPIC_VECTORS[:1], ids=lambda v: v.name)
def test_anthropic_vectors_agree_with_the_sdk(vector: Vector) -> None:
    # The SDK keeps only parsed input, so calls are compared as parsed JSON.
    ours = [(call.id, call.name, json.loads(call.arguments or "{}")) for call in vector.calls]
    theirs = [
        (call.id, call.name, json.loads(call.arguments)) for call in _anthropic_sdk_calls(vector)
    ]
    assert ours == theirs


def test_arguments_whose_character_is_split_between_two_escaped_events() -> None:
    # A server writing \\u escapes can put the halves of an emoji into two events.
    raw = (
        b'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c",'
        b'"function":{"name":"say","arguments":"{\\"t\\": \\"\\ud83d"}}]}}]}\n\n'
        b'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,'
        b'"function":{"arguments":"\\ude00\\"}"}}]}}]}\n\n'
        b"data: [DONE]\n\n"
    )
    for cut in range(len(raw)):
        (call,) = _folded(OpenAIStreamReducer(), raw, [cut]).result().tool_calls
        assert json.loads(call.arguments) == {"t": "😀"}
        call.arguments.encode("utf-8")
