"""What the user asks for, independent of the wire format that carries it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ApiFormat(StrEnum):
    OPENAI = "openai"
    ANTHROPIC = "anthropic"


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A call the model made: `arguments` is the JSON text exactly as the model sent it."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class Message:
    """One turn of the history sent to the model. System prompts travel in ChatRequest.system."""

    role: str
    content: str

    def __post_init__(self) -> None:
        if self.role not in (Role.USER, Role.ASSISTANT):
            raise ValueError(f"message role must be 'user' or 'assistant', not {self.role!r}")


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
