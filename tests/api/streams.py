"""Helpers shared by the format tests: real byte streams through the decoder and a reducer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from longcat_desktop.api.sse import SseDecoder
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
    from longcat_desktop.api.adapter import StreamReducer


def sse(payload: object, event: str | None = None, newline: bytes = b"\n") -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    head = b"event: " + event.encode() + newline if event else b""
    return head + b"data: " + data.encode() + newline + newline


def run(reducer: StreamReducer, raw: bytes, cuts: list[int] | None = None) -> list[StreamEvent]:
    """What the client does: reads split at `cuts`, stop once done, then the closing event."""
    decoder = SseDecoder()
    events: list[StreamEvent] = []
    start = 0
    reads: list[bytes] = []
    for cut in sorted({c % (len(raw) + 1) for c in cuts or []}):
        reads.append(raw[start:cut])
        start = cut
    reads.append(raw[start:])
    for read in reads:
        for message in decoder.feed(read):
            events += reducer.feed(message)
            if reducer.done:
                break
        if reducer.done:
            break
    if not reducer.done:
        for message in decoder.close():
            events += reducer.feed(message)
    events.append(reducer.finish())
    return events


@dataclass
class Folded:
    """A stream's events folded the way the chat session shows them."""

    text: str = ""
    reasoning: str = ""
    signature: str | None = None
    usage: Usage | None = None
    tools: dict[int, ToolCallDelta] = field(default_factory=dict)
    end: StreamEnd | None = None


def fold(events: list[StreamEvent]) -> Folded:
    folded = Folded()
    for event in events:
        if isinstance(event, TextDelta):
            folded.text += event.text
        elif isinstance(event, ReasoningDelta):
            folded.reasoning += event.text
        elif isinstance(event, ReasoningSignature):
            folded.signature = event.signature
        elif isinstance(event, Usage):
            folded.usage = event
        elif isinstance(event, ToolCallDelta):
            known = folded.tools.get(event.index)
            if known is None:
                folded.tools[event.index] = event
            else:
                folded.tools[event.index] = ToolCallDelta(
                    event.index,
                    known.id or event.id,
                    known.name or event.name,
                    known.arguments + event.arguments,
                )
        elif isinstance(event, StreamEnd):
            folded.end = event
    return folded
