"""What the user asks for, independent of the wire format that carries it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from typing import Any


class ApiFormat(StrEnum):
    OPENAI = "openai"
    ANTHROPIC = "anthropic"


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


def _empty_object_schema() -> Mapping[str, Any]:
    return {"type": "object", "properties": {}}


IMAGE_MEDIA_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image sent with a message, as encoded bytes of one of IMAGE_MEDIA_TYPES."""

    media_type: str
    data: bytes

    def __post_init__(self) -> None:
        if self.media_type not in IMAGE_MEDIA_TYPES:
            raise ValueError(
                f"image media type must be one of {', '.join(sorted(IMAGE_MEDIA_TYPES))}, "
                f"not {self.media_type!r}"
            )
        if not isinstance(self.data, bytes | bytearray | memoryview):
            raise ValueError(f"image data must be bytes, not {type(self.data).__name__}")
        # bytes, so the part stays immutable and hashable whatever buffer was passed.
        object.__setattr__(self, "data", bytes(self.data))

    def __repr__(self) -> str:
        # Never the bytes themselves: a repr ends up in logs and tracebacks.
        return f"ImagePart(media_type={self.media_type!r}, {len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool the model may call; `input_schema` is the JSON Schema of its arguments."""

    name: str
    description: str = ""
    input_schema: Mapping[str, Any] = field(default_factory=_empty_object_schema)


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A call the model made: `arguments` is the JSON text exactly as the model sent it."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class Message:
    """One turn of the history sent to the model. System prompts travel in ChatRequest.system.

    An assistant turn may carry the tool calls it made and its reasoning (both are sent back
    as each wire format requires); a tool turn carries one call's result. User and tool turns
    may carry images.
    """

    role: str
    content: str
    _: KW_ONLY
    tool_calls: Sequence[ToolCall] = ()
    tool_call_id: str | None = None
    is_error: bool = False
    reasoning: str | None = None
    reasoning_signature: str | None = None
    images: Sequence[ImagePart] = ()

    def __post_init__(self) -> None:
        if self.role not in (Role.USER, Role.ASSISTANT, Role.TOOL):
            raise ValueError(
                f"message role must be 'user', 'assistant' or 'tool', not {self.role!r}"
            )
        if self.role == Role.TOOL and not self.tool_call_id:
            raise ValueError("a tool message needs the tool_call_id of the call it answers")
        if self.tool_calls and self.role != Role.ASSISTANT:
            raise ValueError(f"only an assistant message has tool_calls, not a {self.role!r} one")
        if self.images and self.role == Role.ASSISTANT:
            raise ValueError("only user and tool messages carry images")
        if not all(isinstance(image, ImagePart) for image in self.images):
            raise ValueError("images must be ImagePart values")
        # Tuples keep the message immutable and comparable whatever sequence was passed.
        object.__setattr__(self, "tool_calls", tuple(self.tool_calls))
        object.__setattr__(self, "images", tuple(self.images))


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: str
    messages: Sequence[Message] = field(default_factory=tuple)
    system: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    # None leaves the server's default; True/False send thinking enabled/disabled.
    thinking: bool | None = None
    tools: Sequence[Tool] = ()
    # None sends none; "auto", "none", "required", or the name of the one tool to call.
    tool_choice: str | None = None
