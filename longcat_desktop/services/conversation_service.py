"""Conversations as the sidebar and the chat view need them; every change announced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain.conversation import (
    Conversation,
    ConversationSettings,
    ConversationSummary,
    ExportKind,
    SearchHit,
    Siblings,
    StoredMessage,
)
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.services.assistant_service import AssistantService, conversation_settings
from longcat_desktop.services.draft_saver import DraftSaver
from longcat_desktop.services.folder_service import FolderService
from longcat_desktop.services.i18n import translate
from longcat_desktop.services.user_text import store_error_text
from longcat_desktop.store.atomic import write_atomic
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.store import Store

if TYPE_CHECKING:
    from longcat_desktop.services.import_job import ImportJob
    from longcat_desktop.services.tasks import TaskOwner

T = TypeVar("T")

# The newest messages a conversation opens with (about a window's worth: each one shown costs
# its widgets and its Markdown render); older ones load as the user scrolls up.
OPENING_PAGE = 16
# How many older messages come at a time when the user scrolls up (small: each page is built
# while the user waits).
OLDER_PAGE = 12


class ConversationService(QObject):
    # The list's membership, order, titles or pins changed.
    listChanged = Signal()
    # The branch shown in one conversation changed (a message deleted, a branch switched).
    threadChanged = Signal(int)
    # A write failed; the sentence says what and why.
    failed = Signal(str)

    def __init__(
        self,
        store: Store,
        new_settings: Callable[[], ConversationSettings],
        parent: QObject | None = None,
        *,
        tasks: TaskOwner | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._new_settings = new_settings
        self._tasks = tasks
        self.folders = FolderService(store, self)
        self.folders.changed.connect(self.listChanged)
        self.folders.failed.connect(self.failed)
        self.assistants = AssistantService(store, self)
        self.assistants.failed.connect(self.failed)
        self.drafts = DraftSaver(store, self.failed.emit, self)

    # -- the list -----------------------------------------------------------------------------

    def summaries(
        self, limit: int | None = None, after: ConversationSummary | None = None
    ) -> list[ConversationSummary]:
        """Pinned first, then by last activity: all, or a page of `limit` after `after`."""
        return self._store.conversations.list(limit, after)

    def get(self, conversation_id: ConversationId) -> Conversation | None:
        try:
            return self._store.conversations.get(conversation_id)
        except KeyError:
            return None

    def find_by_uuid(self, conversation_uuid: str) -> Conversation | None:
        return self._store.conversations.find_by_uuid(conversation_uuid)

    def create(self, assistant_id: int | None = None) -> Conversation | None:
        """A new conversation with the default settings, or those of an assistant."""
        assistant = None if assistant_id is None else self.assistants.get(assistant_id)
        settings = self._new_settings()
        if assistant is not None:
            settings = conversation_settings(assistant, settings)

        def make() -> Conversation:
            with self._store.transaction():
                made = self._store.conversations.create(
                    settings, assistant_id=None if assistant is None else assistant.id
                )
                if assistant is not None and assistant.tools is not None:
                    # A copy: editing the assistant later leaves this conversation's tools.
                    self._store.conversations.set_tool_selection(made.id, assistant.tools)
                return made

        created = self._write(make)
        if created is not None:
            if assistant is not None:
                self.assistants.mark_used(assistant.id)
            self.listChanged.emit()
        return created

    def start_over(
        self, conversation_id: ConversationId, assistant_id: int | None
    ) -> Conversation | None:
        """Give a conversation with no messages yet the settings of an assistant (None: the
        defaults), as if it had been created from it."""
        assistant = None if assistant_id is None else self.assistants.get(assistant_id)
        settings = self._new_settings()
        if assistant is not None:
            settings = conversation_settings(assistant, settings)
            self.assistants.mark_used(assistant.id)

        def apply() -> None:
            with self._store.transaction():
                self._store.conversations.update_settings(conversation_id, settings)
                self._store.conversations.set_tool_selection(
                    conversation_id, None if assistant is None else assistant.tools
                )
                self._store.assistants.link(
                    conversation_id, None if assistant is None else assistant.id
                )

        self._write(apply)
        return self.get(conversation_id)

    def rename(self, conversation_id: ConversationId, title: str) -> None:
        title = " ".join(title.split())
        if title:
            self._changed(lambda: self._store.conversations.rename(conversation_id, title))
        else:
            self._changed(lambda: self._store.conversations.reset_title(conversation_id))

    def set_pinned(self, conversation_id: ConversationId, pinned: bool) -> None:
        self._changed(lambda: self._store.conversations.set_pinned(conversation_id, pinned))

    def duplicate(self, conversation_id: ConversationId) -> Conversation | None:
        copy = self._write(lambda: self._store.duplicate_conversation(conversation_id))
        if copy is not None:
            self.listChanged.emit()
        return copy

    def delete(self, conversation_id: ConversationId) -> None:
        self._changed(lambda: self._store.conversations.delete(conversation_id))

    def touched(self) -> None:
        """Something outside (an answer finishing) changed the order of the list."""
        self.listChanged.emit()

    # -- one conversation ---------------------------------------------------------------------

    def visible_thread(
        self, conversation_id: ConversationId, limit: int | None = OPENING_PAGE
    ) -> list[StoredMessage]:
        return self._store.messages.visible_thread(conversation_id, limit)

    def older(self, message_id: MessageId, limit: int = OLDER_PAGE) -> list[StoredMessage]:
        message = self._store.messages.get(message_id)
        return self._store.messages.messages_before(message.conversation_id, message_id, limit)

    def message(self, message_id: MessageId) -> StoredMessage | None:
        try:
            return self._store.messages.get(message_id)
        except KeyError:
            return None

    def siblings(self, message_id: MessageId) -> Siblings:
        return self._store.messages.siblings(message_id)

    def switch_branch(self, message_id: MessageId, step: int) -> None:
        """Show the sibling `step` places before (-1) or after (+1) this message."""
        siblings = self._store.messages.siblings(message_id)
        index = siblings.index + step
        if not 0 <= index < siblings.count:
            return
        target = siblings.ids[index]
        conversation_id = self._store.messages.get(message_id).conversation_id
        if self._write(lambda: self._store.messages.select_branch(target)) is not None:
            self.threadChanged.emit(conversation_id)

    def reveal(self, message_id: MessageId) -> None:
        """Show the branch holding this message (a search hit in another branch)."""
        message = self.message(message_id)
        if (
            message is not None
            and self._write(lambda: self._store.messages.reveal(message_id)) is not None
        ):
            self.threadChanged.emit(message.conversation_id)

    def delete_message(self, message_id: MessageId) -> None:
        """Delete a message and the answers below it."""
        message = self.message(message_id)
        if message is None:
            return
        self._write(lambda: self._store.messages.delete_branch(message_id))
        self.threadChanged.emit(message.conversation_id)

    def set_draft(self, conversation_id: ConversationId, draft: str) -> None:
        self.drafts.save(conversation_id, draft)

    def update_settings(
        self, conversation_id: ConversationId, settings: ConversationSettings
    ) -> None:
        self._write(lambda: self._store.conversations.update_settings(conversation_id, settings))

    def set_model(self, conversation_id: ConversationId, model: str) -> None:
        conversation = self.get(conversation_id)
        if conversation is not None and conversation.settings.model != model:
            self.update_settings(conversation_id, replace(conversation.settings, model=model))

    # -- search, export, import ---------------------------------------------------------------

    def search(
        self, query: str, limit: int = 50, *, folder_id: int | None = None
    ) -> list[SearchHit]:
        """Matches in every conversation, or only in those of one folder."""
        try:
            return self._store.search(query, limit=limit, folder_id=folder_id)
        except StoreError as error:
            self.failed.emit(store_error_text(error))
            return []

    def export(self, conversation_id: ConversationId, kind: ExportKind, path: Path) -> bool:
        """Write one conversation to a file as Markdown, HTML or JSON."""

        if kind is ExportKind.MARKDOWN:
            return self._export_markdown(conversation_id, path)

        def render() -> str:
            if kind is ExportKind.HTML:
                from longcat_desktop.render.math_export import text_with_mathml

                return self._store.export_html(conversation_id, text_with_mathml)
            return self._store.export_json([conversation_id])

        return self._write_file(path, render)

    def _export_markdown(self, conversation_id: ConversationId, path: Path) -> bool:
        """The Markdown file, and its images in a folder beside it that it links to."""
        folder = f"{path.stem}_files"
        rendered = self._write(lambda: self._store.export_markdown_files(conversation_id, folder))
        if rendered is None:
            return False
        text, files = rendered
        try:
            for relative, data in files.items():
                target = path.parent / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, data)
        except OSError as error:
            self.failed.emit(
                translate(
                    "ConversationService", "%1 could not be written: %2", path, error.strerror
                )
            )
            return False
        return self._write_file(path, lambda: text)

    def export_all(self, path: Path) -> bool:
        return self._write_file(path, self._store.export_json)

    def import_file(self, path: Path) -> ImportJob:
        """Start adding the conversations of an export (ours, ChatGPT's or Claude's).

        The job, owned here, reports progress and its end by signals and can be cancelled;
        the list refreshes as soon as something was added.
        """
        from longcat_desktop.services.import_job import ImportJob

        if self._tasks is None:
            # Made on first use: the loop it needs starts after the window's first frame.
            from longcat_desktop.services.tasks import TaskOwner

            self._tasks = TaskOwner()
        job = ImportJob(self._store, path, self._new_settings(), self._tasks, self)
        job.on_added = self.listChanged.emit
        job.start()
        return job

    # -- helpers ------------------------------------------------------------------------------

    def _write_file(self, path: Path, render: Callable[[], str]) -> bool:
        content = self._write(render)
        if content is None:
            return False
        try:
            write_atomic(path, content.encode("utf-8"))
        except OSError as error:
            self.failed.emit(
                translate(
                    "ConversationService", "%1 could not be written: %2", path, error.strerror
                )
            )
            return False
        return True

    def _changed(self, operation: Callable[[], object]) -> None:
        try:
            operation()
        except StoreError as error:
            self.failed.emit(store_error_text(error))
            return
        except KeyError:
            pass  # Deleted meanwhile: the list refresh below shows the truth.
        self.listChanged.emit()

    def _write(self, operation: Callable[[], T]) -> T | None:
        try:
            return operation()
        except StoreError as error:
            self.failed.emit(store_error_text(error))
            return None
