"""Tool calls and their results as kept in the message tree.

An answer that made tool calls keeps them (as the model sent them, with the server and tool
each name mapped to); below it comes one result message per call, in the calls' order, then
the model's next turn. Every call has a result, even one that never ran: the reason, as an
error, so the history is always valid to send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ToolCallState(StrEnum):
    WAITING = "waiting"  # for the user's approval
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    DENIED = "denied"
    CANCELLED = "cancelled"
    # The app stopped while the call waited or ran.
    INTERRUPTED = "interrupted"

    @property
    def final(self) -> bool:
        return self not in (ToolCallState.WAITING, ToolCallState.RUNNING)


# What the model reads for calls that did not run. English: it is the model's input.
INTERRUPTED_RESULT = "The call did not finish: the app stopped while it was running."
CUT_OFF_RESULT = "The call was not run: the answer was cut off before the call was complete."
STOPPED_RESULT = "The call was cancelled: the user pressed Stop."
DENIED_RESULT = "The user denied this tool call."
MISSING_RESULT = "The call has no result: it was not run."
TURN_LIMIT_RESULT = (
    "The call was not run: the limit of {limit} model turns per message was reached."
)


@dataclass(frozen=True, slots=True)
class StoredToolCall:
    """A call as the model made it; `server`/`tool` name what it maps to, if anything."""

    id: str
    name: str
    arguments: str
    server: str | None = None
    tool: str | None = None


@dataclass(frozen=True, slots=True)
class ToolImage:
    media_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"ToolImage({self.media_type!r}, {len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class ToolLink:
    uri: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class ToolResult:
    """A call's result; its text (what the model reads) is the message's text."""

    call_id: str
    name: str
    arguments: str = ""
    server: str | None = None
    tool: str | None = None
    state: ToolCallState = ToolCallState.WAITING
    is_error: bool = False
    # When it started running (seconds since 1970) and how long it ran.
    started_at: float | None = None
    seconds: float | None = None
    images: tuple[ToolImage, ...] = field(default=())
    links: tuple[ToolLink, ...] = field(default=())


def image_placeholder(media_type: str) -> str:
    """The line that stands for an image in the result's text the model reads."""
    return f"[image: {media_type}]"


def text_beside_images(text: str, images: tuple[ToolImage, ...]) -> str:
    """The result's text for a reader who sees its images: without the line standing for each
    image shown (an image that could not be kept keeps its line)."""
    lines = text.split("\n")
    for image in images:
        placeholder = image_placeholder(image.media_type)
        if placeholder in lines:
            lines.remove(placeholder)
    return "\n".join(lines)
