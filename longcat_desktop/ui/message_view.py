"""The plain data a MessageWidget shows besides its two documents."""

from __future__ import annotations

from dataclasses import dataclass

from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.ui.attachment_chips import ChipData

STATUS_COMPLETE = MessageStatus.COMPLETE
STATUS_STREAMING = MessageStatus.STREAMING
STATUS_STOPPED = MessageStatus.STOPPED
STATUS_INTERRUPTED = MessageStatus.INTERRUPTED
STATUS_ERROR = MessageStatus.ERROR

ERROR_AUTH = "auth"
ERROR_RATE_LIMIT = "rate_limit"

# Finish reasons meaning "the answer hit the token limit" in the OpenAI and Anthropic formats.
LENGTH_FINISH_REASONS = frozenset({"length", "max_tokens"})
# Finish reasons of a complete answer that still need a word under it.
FINISH_CONTENT_FILTER = "content_filter"  # OpenAI format: the platform's filter ended it
FINISH_REFUSAL = "refusal"  # Anthropic format: the model declined
FINISH_CONTEXT_FULL = "model_context_window_exceeded"  # Anthropic format: no room left
FINISH_PAUSED = "pause_turn"  # Anthropic format: the server paused a long turn


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class MessageView:
    id: MessageId
    role: Role
    status: MessageStatus = STATUS_COMPLETE
    finish_reason: str | None = None
    error_message: str | None = None
    error_kind: str | None = None  # "auth", "rate_limit" or anything else
    model: str | None = None
    usage: Usage | None = None
    duration_seconds: float | None = None
    tokens_per_second: float | None = None
    sibling_index: int = 0  # zero-based
    sibling_count: int = 1
    has_reasoning: bool = False
    reasoning_seconds: float | None = None
    # A user message's attachments: images as thumbnails, documents as chips.
    attachments: tuple[ChipData, ...] = ()

    @property
    def is_user(self) -> bool:
        return self.role is Role.USER

    @property
    def is_streaming(self) -> bool:
        return self.status == STATUS_STREAMING

    @property
    def was_cut_off(self) -> bool:
        return self.status == STATUS_COMPLETE and self.finish_reason in LENGTH_FINISH_REASONS
