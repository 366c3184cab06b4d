"""Titles written by the model: after a conversation's first answer, one small request.

Optional (the `model_titles` setting, on by default). The question and the start of the answer
go back to the conversation's model with a request for a few words in the conversation's
language: no thinking, a handful of tokens. The title taken from the first message stays if
the request fails, and a title the user set is never replaced (the store checks that at the
moment of writing, so a rename while the request runs wins).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain import ApiError, ChatRequest, Message
from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import Conversation, MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.services.client_pool import ClientPool
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store.conversations import title_from_text
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.store import Store

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)

TITLE_MAX_TOKENS = 24
# Enough of the exchange to know its subject; the rest only costs input tokens.
_EXCERPT_CHARS = 1500
_WRAPPING = "\"'“”‘’「」『』《》*`"
TITLE_PROMPT = (
    "Write a title for this conversation: at most six words, in the language the user wrote "
    "in, no quotes, no Markdown, no final full stop. Reply with the title only."
)


class TitleWriter(QObject):
    # The conversation got a title from the model.
    titled = Signal(int)  # conversation id

    def __init__(
        self,
        store: Store,
        clients: ClientPool,
        tasks: TaskOwner,
        enabled: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clients = clients
        self._tasks = tasks
        self._enabled = enabled
        self._running: dict[ConversationId, asyncio.Task[Any]] = {}

    def answer_finished(self, conversation_id: ConversationId, message_id: MessageId) -> None:
        """Ask for a title if this was the conversation's first answer and it still has the
        title taken from its first message."""
        if not self._enabled() or conversation_id in self._running:
            return
        try:
            answer = self._store.messages.get(message_id)
            conversation = self._store.conversations.get(conversation_id)
        except KeyError:
            return
        if (
            answer.role is not Role.ASSISTANT
            or answer.status is not MessageStatus.COMPLETE
            or not answer.text.strip()
            or conversation.title_is_custom
        ):
            return
        thread = self._store.messages.path_to(message_id)
        if len(thread) != 2 or conversation.title != title_from_text(thread[0].text):
            return
        task = self._tasks.spawn(
            self._ask(conversation, thread[0].text, answer.text), name=f"title-{conversation_id}"
        )
        self._running[conversation_id] = task
        task.add_done_callback(lambda _task: self._running.pop(conversation_id, None))

    def cancel(self, conversation_id: ConversationId) -> None:
        task = self._running.get(conversation_id)
        if task is not None:
            task.cancel()

    def is_running(self, conversation_id: ConversationId) -> bool:
        return conversation_id in self._running

    async def _ask(self, conversation: Conversation, question: str, answer: str) -> None:
        settings = conversation.settings
        request = ChatRequest(
            model=settings.model,
            messages=(
                Message(role="user", content=question[:_EXCERPT_CHARS]),
                Message(role="assistant", content=answer[:_EXCERPT_CHARS]),
                Message(role="user", content=TITLE_PROMPT),
            ),
            max_tokens=TITLE_MAX_TOKENS,
            thinking=False,
        )
        try:
            result = await self._clients.client(settings.api_format).complete(request)
        except ApiError as failure:
            # The title from the first message is a fine title; nothing to tell the user.
            log.info("no title from the model: %s", failure.message)
            return
        title = clean_title(result.text)
        if not title:
            return
        try:
            written = self._store.conversations.set_generated_title(conversation.id, title)
        except StoreError as failure:
            log.info("title not written: %s", failure)
            return
        if written:
            self.titled.emit(conversation.id)


def clean_title(text: str) -> str:
    """The model's reply as a title: one plain line, without quotes or a final full stop."""
    title = title_from_text(text)
    for prefix in ("Title:", "title:", "标题：", "标题:"):
        title = title.removeprefix(prefix)
    while True:
        trimmed = title.strip().strip(_WRAPPING).rstrip("。.").strip()
        if trimmed == title:
            return title
        title = trimmed
