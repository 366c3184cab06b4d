"""Folds an OpenAI-format chat stream (chat.completion.chunk events) into stream events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longcat_desktop.api.errors import error_from_payload
from longcat_desktop.api.shapes import (
    as_object,
    expect_str,
    load_json,
    opt_int,
    opt_list,
    opt_object,
    opt_str,
)
from longcat_desktop.api.stream_end import error_event_payload, stream_end
from longcat_desktop.domain.errors import ProtocolError
from longcat_desktop.domain.events import (
    ReasoningDelta,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    Usage,
)

if TYPE_CHECKING:
    from longcat_desktop.api.sse import SseEvent

_DONE = "[DONE]"


class OpenAIStreamReducer:
    """One answer's reducer. Raises the mapped ApiError for an error in the stream."""

    __slots__ = ("_call_ids", "_calls", "_done", "_finish_reason")

    def __init__(self) -> None:
        self._done = False
        self._finish_reason: str | None = None
        # Wire index -> the index of the call its pieces now belong to, and that call's id.
        self._calls: dict[int, int] = {}
        self._call_ids: dict[int, str | None] = {}

    @property
    def done(self) -> bool:
        return self._done

    @property
    def finish_reason(self) -> str | None:
        return self._finish_reason

    def feed(self, event: SseEvent) -> list[StreamEvent]:
        if self._done:
            return []
        data = event.data
        if event.event == "error":
            raise error_from_payload(error_event_payload(data))
        # Nearly every event is a JSON object; only the rest needs a closer look.
        if data[:1] != "{":
            stripped = data.strip()
            if stripped == _DONE:
                self._done = True
                return []
            if not stripped:
                return []
        # The shape checks below are written out, not delegated to the helpers: this runs for
        # every token, and a call per check costs a measurable share of the stream's speed.
        chunk = load_json(data)
        text = _plain_text_delta(chunk)
        if text is not None:
            return [TextDelta(text)] if text else []
        if type(chunk) is not dict:
            raise ProtocolError("The server sent a stream chunk that is not a JSON object.")
        if chunk.get("error") is not None or chunk.get("type") == "error":
            raise error_from_payload(chunk)
        events: list[StreamEvent] = []
        # An empty list is normal: the usage chunk and content-filter notices carry no choice.
        choices = chunk.get("choices")
        if choices is not None:
            if type(choices) is not list:
                raise ProtocolError("The server sent stream choices that are not a JSON array.")
            for choice in choices:
                if type(choice) is not dict:
                    raise ProtocolError("The server sent a stream choice that is not an object.")
                self._choice(choice, events)
        usage = chunk.get("usage")
        if usage is not None:
            usage = as_object(usage, "token usage")
            events.append(
                Usage(
                    opt_int(usage, "prompt_tokens", "a prompt token count"),
                    opt_int(usage, "completion_tokens", "a completion token count"),
                )
            )
        return events

    def finish(self) -> StreamEnd:
        return stream_end(self._finish_reason, ended=self._done)

    def _choice(self, choice: dict[str, Any], events: list[StreamEvent]) -> None:
        # Only one answer is ever requested (no `n`); other choices would interleave with it.
        index = choice.get("index")
        if index is not None and index != 0 and opt_int(choice, "index", "a choice index") != 0:
            return
        delta = choice.get("delta")
        if delta is not None:
            if type(delta) is not dict:
                raise ProtocolError("The server sent a choice delta that is not a JSON object.")
            if "reasoning_content" in delta or "reasoning" in delta:
                reasoning = reasoning_text(delta)
                if reasoning:
                    events.append(ReasoningDelta(reasoning))
            content = delta.get("content")
            if type(content) is str:
                if content:
                    events.append(TextDelta(content))
            elif content is not None:
                raise ProtocolError("The server sent answer text that is not a string.")
            if "tool_calls" in delta:
                calls = opt_list(delta, "tool_calls", "tool calls") or ()
                for position, call in enumerate(calls):
                    piece = tool_call_piece(as_object(call, "a tool call"), position)
                    if piece is not None:
                        events.append(self._renumbered(piece))
        finish_reason = choice.get("finish_reason")
        if finish_reason is not None:
            self._finish_reason = (
                expect_str(finish_reason, "a finish reason") or self._finish_reason
            )

    def _renumbered(self, piece: ToolCallDelta) -> ToolCallDelta:
        """Some servers send parallel calls all at index 0, each with its own id: a new id
        at a known index starts a new call instead of running into the previous one."""
        known = self._calls.get(piece.index)
        if known is None or (
            piece.id is not None
            and self._call_ids[known] is not None
            and piece.id != self._call_ids[known]
        ):
            known = piece.index if known is None else max(self._call_ids) + 1
            while known in self._call_ids:
                known += 1
            self._calls[piece.index] = known
            self._call_ids[known] = piece.id
        elif self._call_ids[known] is None and piece.id is not None:
            self._call_ids[known] = piece.id
        if known == piece.index:
            return piece
        return ToolCallDelta(known, piece.id, piece.name, piece.arguments)


def _plain_text_delta(chunk: Any) -> str | None:
    """The text of the chunk that makes up nearly every stream: one choice, index 0, whose
    delta holds only `content`, with no finish reason, usage or error. None for anything else,
    which the general path then reads with every check."""
    if type(chunk) is not dict or "error" in chunk or chunk.get("usage") is not None:
        return None
    choices = chunk.get("choices")
    if type(choices) is not list or len(choices) != 1:
        return None
    choice = choices[0]
    if type(choice) is not dict or choice.get("finish_reason") is not None:
        return None
    delta = choice.get("delta")
    if type(delta) is not dict or len(delta) != 1 or choice.get("index", 0) != 0:
        return None
    content = delta.get("content")
    return content if type(content) is str and chunk.get("type") != "error" else None


def reasoning_text(message: dict[str, Any]) -> str | None:
    """The reasoning in a delta or message, read from one field only.

    LongCat writes `reasoning_content`; other servers write `reasoning`, and some write both
    with the same text. Taking the first non-empty one never shows a piece twice.
    """
    primary = opt_str(message, "reasoning_content", "reasoning text")
    secondary = opt_str(message, "reasoning", "reasoning text")
    return primary or secondary


def tool_call_piece(call: dict[str, Any], position: int) -> ToolCallDelta | None:
    index = opt_int(call, "index", "a tool call index")
    function = opt_object(call, "function", "a tool call function") or {}
    call_id = opt_str(call, "id", "a tool call id")
    name = opt_str(function, "name", "a tool name")
    arguments = opt_str(function, "arguments", "tool arguments") or ""
    if not (call_id or name or arguments):
        return None
    return ToolCallDelta(position if index is None else index, call_id, name, arguments)
