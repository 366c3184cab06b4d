"""Typed events that a streamed answer is folded into, whatever its wire format."""

from __future__ import annotations

from dataclasses import dataclass

from longcat_desktop.domain.chat import ToolCall
from longcat_desktop.domain.errors import ApiError
from longcat_desktop.domain.user_texts import UserText


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningSignature:
    """The opaque signature of a thinking block; each one replaces the previous."""

    signature: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A piece of a tool call: the first piece of an index carries id and name."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts so far; a later Usage event replaces an earlier one."""

    input_tokens: int | None = None
    output_tokens: int | None = None

    @property
    def total_tokens(self) -> int | None:
        if self.input_tokens is None and self.output_tokens is None:
            return None
        return (self.input_tokens or 0) + (self.output_tokens or 0)


@dataclass(frozen=True, slots=True)
class Retrying:
    """The request failed before any answer arrived and will be sent again after `delay`."""

    attempt: int
    delay: float
    error: ApiError


@dataclass(frozen=True, slots=True)
class StreamEnd:
    """Always the last event of a stream that did not raise.

    `complete` is False when the connection ended before the server said the answer was over
    ([DONE], message_stop or a finish reason); `interruption` then says why, in plain words.
    """

    finish_reason: str | None
    complete: bool
    interruption: UserText | None = None


StreamEvent = (
    TextDelta | ReasoningDelta | ReasoningSignature | ToolCallDelta | Usage | Retrying | StreamEnd
)


@dataclass(frozen=True, slots=True)
class ChatResult:
    text: str
    reasoning: str
    finish_reason: str | None
    usage: Usage
    # In the order the model made them; `finish_reason` says whether they were cut off.
    tool_calls: tuple[ToolCall, ...] = ()
    # The last thinking block's signature, which the Anthropic format wants sent back.
    reasoning_signature: str | None = None
