"""Folds an Anthropic-format message stream into stream events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from longcat_desktop.api.errors import error_from_payload
from longcat_desktop.api.shapes import as_object, load_json, opt_int, opt_object, opt_str
from longcat_desktop.api.stream_end import error_event_payload, stream_end
from longcat_desktop.domain.events import (
    ReasoningDelta,
    ReasoningSignature,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    Usage,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from longcat_desktop.api.sse import SseEvent

# Calls for the client to run. A server_tool_use block is a tool the server runs itself (its
# result follows in the same answer): never one of ours to run, so it makes no call.
TOOL_BLOCKS = frozenset({"tool_use"})
_SERVER_TOOL_BLOCK = "server_tool_use"


@dataclass(frozen=True, slots=True)
class ToolUse:
    """A tool_use block that has stopped, its streamed JSON input parsed.

    A model can stream tool input that is not valid JSON; that must not cost the answer, so
    `input` is then None, `error` says why, and `arguments` keeps the text as streamed.
    """

    index: int
    id: str | None
    name: str | None
    arguments: str
    input: Any
    error: str | None = None


class _Block:
    __slots__ = ("id", "json_parts", "kind", "name")

    def __init__(self, kind: str | None, block_id: str | None = None, name: str | None = None):
        self.kind = kind
        self.id = block_id
        self.name = name
        self.json_parts: list[str] = []


# The SSE names under which a content_block_delta payload means just that.
_TEXT_DELTA_NAMES = frozenset({"message", "content_block_delta"})


class AnthropicStreamReducer:
    """One answer's reducer. Raises the mapped ApiError for an error in the stream."""

    __slots__ = ("_blocks", "_done", "_handlers", "_input", "_output", "_stop_reason", "_tools")

    def __init__(self) -> None:
        self._done = False
        self._stop_reason: str | None = None
        self._input: int | None = None
        self._output: int | None = None
        self._blocks: dict[int, _Block] = {}
        self._tools: list[ToolUse] = []
        self._handlers: dict[str, Callable[[dict[str, Any]], list[StreamEvent]]] = {
            "message_start": self._message_start,
            "content_block_start": self._block_start,
            "content_block_delta": self._block_delta,
            "content_block_stop": self._block_stop,
            "message_delta": self._message_delta,
            "message_stop": self._message_stop,
        }

    @property
    def done(self) -> bool:
        return self._done

    @property
    def stop_reason(self) -> str | None:
        return self._stop_reason

    @property
    def tool_uses(self) -> tuple[ToolUse, ...]:
        return tuple(self._tools)

    def feed(self, event: SseEvent) -> list[StreamEvent]:
        data = event.data
        # Nearly every event is a JSON object; only the rest needs the closer look.
        if self._done or (data[:1] != "{" and not data.strip()):
            return []
        if event.event == "error":
            raise error_from_payload(error_event_payload(data))
        payload = load_json(data)
        if type(payload) is not dict:
            payload = as_object(payload, "a stream event")
        # A text delta is nearly every event of a stream: read it before the general dispatch.
        delta = payload.get("delta")
        if (
            type(delta) is dict
            and delta.get("type") == "text_delta"
            and payload.get("type") == "content_block_delta"
            and event.event in _TEXT_DELTA_NAMES
        ):
            text = delta.get("text")
            if type(text) is str and type(payload.get("index", 0)) is int:
                return [TextDelta(text)] if text else []
        kind = payload.get("type")
        if kind == "error":
            raise error_from_payload(payload)
        # The SSE event name is authoritative; without `event:` lines the JSON type stands in.
        if event.event != "message":
            kind = event.event
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        # ping and event types newer than this code are not an answer's content.
        return [] if handler is None else handler(payload)

    def finish(self) -> StreamEnd:
        return stream_end(self._stop_reason, ended=self._done)

    def _message_start(self, payload: dict[str, Any]) -> list[StreamEvent]:
        message = opt_object(payload, "message", "a message_start message") or {}
        usage = opt_object(message, "usage", "token usage")
        if usage is None:
            return []
        self._input = opt_int(usage, "input_tokens", "an input token count")
        self._output = opt_int(usage, "output_tokens", "an output token count")
        return [Usage(self._input, self._output)]

    def _block_start(self, payload: dict[str, Any]) -> list[StreamEvent]:
        index = _index(payload)
        block = opt_object(payload, "content_block", "a content block") or {}
        kind = opt_str(block, "type", "a content block type")
        events: list[StreamEvent] = []
        if kind == "text":
            text = opt_str(block, "text", "answer text")
            if text:
                events.append(TextDelta(text))
        elif kind == "thinking":
            thinking = opt_str(block, "thinking", "reasoning text")
            if thinking:
                events.append(ReasoningDelta(thinking))
            signature = opt_str(block, "signature", "a thinking signature")
            if signature:
                events.append(ReasoningSignature(signature))
        elif kind in TOOL_BLOCKS:
            tool = _Block(
                kind, opt_str(block, "id", "a tool use id"), opt_str(block, "name", "a tool name")
            )
            self._blocks[index] = tool
            # Anthropic starts with an empty input and streams it; a server that sends the
            # whole input up front is read the same way, as the first piece.
            arguments = input_arguments(opt_object(block, "input", "tool input"))
            if arguments:
                tool.json_parts.append(arguments)
            events.append(ToolCallDelta(index, tool.id, tool.name, arguments))
        elif kind == _SERVER_TOOL_BLOCK:
            # Known, so its input fragments are not taken for a call of ours.
            self._blocks[index] = _Block(kind)
        # redacted_thinking holds opaque data for the server only; nothing to show.
        return events

    def _block_delta(self, payload: dict[str, Any]) -> list[StreamEvent]:
        delta = payload.get("delta")
        # Deltas are read by their own type, not their block's: some servers send deltas
        # with no content_block_start, or thinking and text on one index.
        # The common text delta is checked inline: it runs for every token.
        if type(delta) is dict and delta.get("type") == "text_delta":
            text = delta.get("text")
            if type(text) is str and type(payload.get("index", 0)) is int:
                return [TextDelta(text)] if text else []
        index = _index(payload)
        delta = opt_object(payload, "delta", "a content delta") or {}
        kind = opt_str(delta, "type", "a content delta type")
        if kind == "text_delta":
            text = opt_str(delta, "text", "answer text")
            return [TextDelta(text)] if text else []
        if kind == "thinking_delta":
            thinking = opt_str(delta, "thinking", "reasoning text")
            return [ReasoningDelta(thinking)] if thinking else []
        if kind == "signature_delta":
            signature = opt_str(delta, "signature", "a thinking signature")
            return [ReasoningSignature(signature)] if signature else []
        if kind == "input_json_delta":
            piece = opt_str(delta, "partial_json", "tool input")
            if not piece:
                return []
            tool = self._blocks.get(index)
            if tool is None:
                tool = self._blocks[index] = _Block("tool_use")
            elif tool.kind not in TOOL_BLOCKS:
                return []
            tool.json_parts.append(piece)
            return [ToolCallDelta(index, arguments=piece)]
        # citations_delta and delta types newer than this code carry nothing we show.
        return []

    def _block_stop(self, payload: dict[str, Any]) -> list[StreamEvent]:
        index = _index(payload)
        tool = self._blocks.pop(index, None)
        if tool is not None and tool.kind in TOOL_BLOCKS:
            self._tools.append(_finished_tool(index, tool))
        return []

    def _message_delta(self, payload: dict[str, Any]) -> list[StreamEvent]:
        delta = opt_object(payload, "delta", "a message delta") or {}
        stop_reason = opt_str(delta, "stop_reason", "a stop reason")
        if stop_reason:
            self._stop_reason = stop_reason
        usage = opt_object(payload, "usage", "token usage")
        if usage is None:
            return []
        # These counts are cumulative, so they replace what message_start said.
        input_tokens = opt_int(usage, "input_tokens", "an input token count")
        output_tokens = opt_int(usage, "output_tokens", "an output token count")
        if input_tokens is not None:
            self._input = input_tokens
        if output_tokens is not None:
            self._output = output_tokens
        return [Usage(self._input, self._output)]

    def _message_stop(self, payload: dict[str, Any]) -> list[StreamEvent]:
        self._done = True
        return []


def input_arguments(value: dict[str, Any] | None) -> str:
    """A tool_use block's input as JSON text; an empty input is "", as when it streams none."""
    return json.dumps(value, ensure_ascii=False) if value else ""


def _index(payload: dict[str, Any]) -> int:
    # A missing index can only mean the single block of a simple answer.
    index = opt_int(payload, "index", "a content block index")
    return 0 if index is None else index


def _finished_tool(index: int, tool: _Block) -> ToolUse:
    arguments = "".join(tool.json_parts)
    if not arguments.strip():
        # A tool with no parameters streams no input at all.
        return ToolUse(index, tool.id, tool.name, arguments, {})
    try:
        value = json.loads(arguments)
    except (ValueError, RecursionError) as exc:
        return ToolUse(index, tool.id, tool.name, arguments, None, f"invalid JSON: {exc}")
    return ToolUse(index, tool.id, tool.name, arguments, value)
