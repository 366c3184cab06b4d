"""Conversations as they are kept: a tree of messages with the branch being shown.

Timestamps are seconds since 1970-01-01 UTC as floats (what `time.time()` returns): cheap to
create for thousands of rows and exact through SQLite and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from longcat_desktop.domain.chat import ApiFormat, Role
from longcat_desktop.domain.events import Usage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.tool_turns import StoredToolCall, ToolResult
from longcat_desktop.domain.user_texts import UserText


class ExportKind(StrEnum):
    """The files one conversation can be written to."""

    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"

    @property
    def suffix(self) -> str:
        return {"markdown": ".md", "html": ".html", "json": ".json"}[self.value]


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    # The answer is still arriving; a message left in this state by a crash becomes INTERRUPTED.
    STREAMING = "streaming"
    # The user pressed stop.
    STOPPED = "stopped"
    # The stream or the app ended before the server said the answer was over.
    INTERRUPTED = "interrupted"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ConversationSettings:
    """What each request of one conversation is sent with. None leaves the server's default."""

    model: str
    api_format: ApiFormat
    system_prompt: str = ""
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    thinking: bool | None = None


class ConversationSummary(NamedTuple):
    """One row of the conversation list: only what the list shows.

    A named tuple rather than a frozen dataclass: as immutable, and five times quicker to make,
    which is what lets 10,000 of them load in a few milliseconds.
    """

    id: ConversationId
    title: str
    pinned: bool
    updated_at: float


@dataclass(frozen=True, slots=True)
class Conversation:
    id: ConversationId
    # Stable across export and import; `id` is local to one database.
    uuid: str
    title: str
    # False while the title is still derived from the first user message.
    title_is_custom: bool
    created_at: float
    updated_at: float
    pinned: bool
    settings: ConversationSettings
    draft: str
    # The last message of the branch being shown; None for an empty conversation.
    current_leaf_id: MessageId | None
    folder_id: int | None = None
    # The assistant it was started from; its settings were copied then and stay its own.
    assistant_id: int | None = None


@dataclass(frozen=True, slots=True)
class ErrorDetails:
    """Why an answer failed, in the server's own terms where it gave any.

    `message` is in English, or the server's words; `user_text` is our own sentence's template
    and values when the message is one of ours, so that it is shown in the current language.
    """

    message: str
    type: str | None = None
    code: str | None = None
    status: int | None = None
    user_text: UserText | None = None

    @classmethod
    def of(
        cls,
        said: UserText | str,
        *,
        type: str | None = None,
        code: str | None = None,
        status: int | None = None,
    ) -> ErrorDetails:
        """Details whose message is `said`: one of our sentences, or the server's words."""
        text = said if isinstance(said, UserText) else None
        return cls(str(said), type, code, status, text)


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: MessageId
    uuid: str
    conversation_id: ConversationId
    # None for the first message of a branch from the start of the conversation.
    parent_id: MessageId | None
    role: Role
    text: str
    reasoning: str
    status: MessageStatus
    created_at: float
    # The opaque signature of the reasoning block, sent back with the history by some formats.
    reasoning_signature: str | None = None
    model: str | None = None
    api_format: ApiFormat | None = None
    finish_reason: str | None = None
    error: ErrorDetails | None = None
    usage: Usage | None = None
    first_token_at: float | None = None
    finished_at: float | None = None
    # Seconds from the first reasoning token to the first answer token (or the end).
    reasoning_seconds: float | None = None
    # On an answer: the tool calls it made. On a tool message: the call's result.
    tool_calls: tuple[StoredToolCall, ...] = ()
    tool_result: ToolResult | None = None


@dataclass(frozen=True, slots=True)
class Siblings:
    """The alternatives at one point of the tree, oldest first, for a "‹ 2/3 ›" switcher."""

    ids: tuple[MessageId, ...]
    index: int

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def previous_id(self) -> MessageId | None:
        return self.ids[self.index - 1] if self.index > 0 else None

    @property
    def next_id(self) -> MessageId | None:
        return self.ids[self.index + 1] if self.index + 1 < len(self.ids) else None


@dataclass(frozen=True, slots=True)
class SearchHit:
    conversation_id: ConversationId
    conversation_title: str
    # None when the title matched rather than a message.
    message_id: MessageId | None
    # The matching passage; matches are wrapped in the marks the search was asked for.
    snippet: str
