"""Attachments of the draft being written: processed off the UI thread, stored before sending.

Each file, dropped or pasted item is announced at once (`pending`, so a chip shows in the same
frame), processed in a worker thread (attachment_processing), then written to the store with
its place in the conversation's draft, and announced again (`draftChanged`). A file that cannot
be attached is announced with its reason (`refused`). Every processing task is owned here.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain.attachments import (
    Attachment,
    AttachmentRefused,
    PreparedAttachment,
    estimated_tokens,
    image_tokens,
    message_with_documents,
)
from longcat_desktop.domain.conversation import StoredMessage
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.models import ModelDetails
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.user_text import store_error_text
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.store import Store

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtGui import QImage

log = logging.getLogger(__name__)
T = TypeVar("T")


def reads_images(details: ModelDetails | None) -> bool | None:
    """Whether the model reads images: None when its details do not say (let the server
    decide then)."""
    if details is None or not details.input_modalities:
        return None
    return "image" in details.input_modalities


def conversation_tokens(
    thread: Sequence[StoredMessage], attachments: dict[int, list[Attachment]]
) -> int:
    """An estimate of what the thread costs in the model's context."""
    total = 0
    for message in thread:
        attached = attachments.get(message.id, [])
        documents = [a for a in attached if not a.is_image]
        total += estimated_tokens(message_with_documents(message.text, documents))
        total += sum(image_tokens(a.width, a.height) for a in attached if a.is_image)
    return total


def draft_tokens(text: str, attachments: Sequence[Attachment]) -> int:
    documents = [a for a in attachments if not a.is_image]
    images = sum(image_tokens(a.width, a.height) for a in attachments if a.is_image)
    return estimated_tokens(message_with_documents(text, documents)) + images


class AttachmentService(QObject):
    # A file is being processed for a conversation's draft: conversation, token, name, size.
    pending = Signal(int, str, str, int)
    # Processing of a token ended, stored or refused.
    settled = Signal(int, str)
    # The draft's stored attachments changed.
    draftChanged = Signal(int)
    # A file could not be attached: conversation, the reason in the user's language.
    refused = Signal(int, str)

    def __init__(self, store: Store, tasks: TaskOwner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._tasks = tasks
        self._tokens = itertools.count(1)
        self._pending: dict[str, int] = {}  # token -> conversation id
        # The latest task per conversation: each stores after the one before it, so the draft
        # keeps the order files were given in, whichever finishes processing first.
        self._latest: dict[int, asyncio.Task[None]] = {}

    # -- reading ------------------------------------------------------------------------------

    def draft(self, conversation_id: ConversationId) -> list[Attachment]:
        return self._read(lambda: self._store.attachments.draft(conversation_id), [])

    def of_messages(self, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
        ids = list(message_ids)
        return self._read(lambda: self._store.attachments.of_messages(ids), {})

    def thumbnail(self, sha256: str) -> bytes | None:
        return self._read(lambda: self._store.attachments.thumbnail(sha256), None)

    def data(self, sha256: str) -> bytes | None:
        try:
            return self._store.attachments.data(sha256)
        except (KeyError, StoreError):
            return None

    def is_processing(self, conversation_id: ConversationId) -> bool:
        return conversation_id in self._pending.values()

    def context_estimate(self, conversation_id: ConversationId, text: str) -> int:
        """Tokens of the shown thread, the draft's text and its attachments, estimated."""
        leaf = self._store.messages.current_leaf(conversation_id)
        thread = [] if leaf is None else self._store.messages.path_to(leaf)
        attachments = self.of_messages(m.id for m in thread)
        return conversation_tokens(thread, attachments) + draft_tokens(
            text, self.draft(conversation_id)
        )

    # -- changing the draft -------------------------------------------------------------------

    def add_paths(self, conversation_id: ConversationId, paths: Iterable[Path]) -> None:
        from longcat_desktop.services.attachment_processing import prepare_path

        for path in paths:
            try:
                size = path.stat().st_size
            except OSError:
                size = -1
            self._process(conversation_id, path.name, size, functools.partial(prepare_path, path))

    def add_image(self, conversation_id: ConversationId, image: QImage) -> None:
        """A pasted image (a screenshot from the clipboard)."""
        import time

        from longcat_desktop.services.attachment_processing import prepare_image

        name = time.strftime("pasted-%Y%m%d-%H%M%S.png")
        size = image.sizeInBytes()
        self._process(conversation_id, name, size, lambda: prepare_image(image, name))

    def add_bytes(self, conversation_id: ConversationId, data: bytes, name: str) -> None:
        from longcat_desktop.services.attachment_processing import prepare_bytes

        self._process(conversation_id, name, len(data), lambda: prepare_bytes(data, name))

    def remove(self, conversation_id: ConversationId, index: int) -> None:
        try:
            self._store.attachments.remove_from_draft(conversation_id, index)
        except IndexError:
            return
        except StoreError as failure:
            self.refused.emit(conversation_id, store_error_text(failure))
            return
        self.draftChanged.emit(conversation_id)

    def _process(
        self,
        conversation_id: ConversationId,
        name: str,
        size: int,
        work: Callable[[], PreparedAttachment],
    ) -> None:
        token = f"a{next(self._tokens)}"
        self._pending[token] = conversation_id
        self.pending.emit(conversation_id, token, name, size)
        previous = self._latest.get(conversation_id)
        task = self._tasks.spawn(
            self._run(conversation_id, token, work, previous), name=f"attach-{token}"
        )
        self._latest[conversation_id] = task
        task.add_done_callback(lambda done: self._forget(conversation_id, done))

    def _forget(self, conversation_id: ConversationId, task: asyncio.Task[None]) -> None:
        if self._latest.get(conversation_id) is task:
            del self._latest[conversation_id]

    async def _run(
        self,
        conversation_id: ConversationId,
        token: str,
        work: Callable[[], PreparedAttachment],
        previous: asyncio.Task[None] | None,
    ) -> None:
        import asyncio

        try:
            # A worker thread: decoding, scaling and encoding a 4K image, or reading a PDF,
            # takes longer than a frame.
            prepared = await asyncio.get_running_loop().run_in_executor(None, work)
            if previous is not None:
                # wait() rather than await: the one before may have failed or been cancelled.
                await asyncio.wait([previous])
            self._store.conversations.get(conversation_id)  # KeyError once deleted
            self._store.attachments.add_to_draft(conversation_id, prepared)
        except AttachmentRefused as refusal:
            self.refused.emit(conversation_id, str(refusal))
        except StoreError as failure:
            self.refused.emit(conversation_id, store_error_text(failure))
        except KeyError:
            # The conversation was deleted meanwhile: nothing to attach to.
            log.info("conversation %s gone before its attachment was stored", conversation_id)
        finally:
            self._pending.pop(token, None)
            self.settled.emit(conversation_id, token)
        self.draftChanged.emit(conversation_id)

    def _read(self, operation: Callable[[], T], fallback: T) -> T:
        try:
            return operation()
        except StoreError as failure:
            log.warning("reading attachments failed: %s", failure)
            return fallback
