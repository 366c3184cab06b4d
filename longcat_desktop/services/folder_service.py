"""Folders as the sidebar needs them: the list section by section, and every change announced."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain.conversation import ConversationSummary
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.organising import LOOSE, PINNED, FolderSummary, Section
from longcat_desktop.services.user_text import store_error_text
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.store import Store

T = TypeVar("T")


class ListEntry(NamedTuple):
    """One row of the sidebar: a conversation or a folder's header, and the section it is in."""

    section: Section
    item: ConversationSummary | FolderSummary


class FolderService(QObject):
    # Folders or the conversations in them changed: the list is to be shown again.
    changed = Signal()
    failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def folders(self) -> list[FolderSummary]:
        return self._store.folders.all()

    def folder(self, folder_id: int) -> FolderSummary | None:
        try:
            return self._store.folders.get(folder_id)
        except KeyError:
            return None

    def conversation_ids(self, folder_id: int) -> list[ConversationId]:
        return self._store.folders.conversation_ids(folder_id)

    def page(self, limit: int, after: ListEntry | None = None) -> list[ListEntry]:
        """Up to `limit` rows of the sidebar following `after` (from the top if None).

        The pinned conversations, then each folder's header followed by its conversations
        unless it is collapsed, then the conversations in no folder: each section is read a
        page at a time, so the cost follows the rows shown, not the conversations stored.
        """
        # Each section: a folder's header (with the folder), or a list of conversations.
        sections: list[tuple[Section, FolderSummary | None]] = [(PINNED, None)]
        for summary in self._store.folders.all():
            sections.append((summary.id, summary))
            if not summary.collapsed:
                sections.append((summary.id, None))
        sections.append((LOOSE, None))
        start, cursor = 0, None
        if after is not None:
            is_header = isinstance(after.item, FolderSummary)
            found = [
                n
                for n, (key, shown) in enumerate(sections)
                if key == after.section and (shown is not None) == is_header
            ]
            if not found:
                return []  # Its section is gone (a folder deleted or collapsed meanwhile).
            start = found[0] + 1 if is_header else found[0]
            if isinstance(after.item, ConversationSummary):
                cursor = after.item
        entries: list[ListEntry] = []
        for section, shown in sections[start:]:
            if len(entries) >= limit:
                break
            if shown is not None:
                entries.append(ListEntry(section, shown))
                continue
            rows = self._store.folders.section(section, limit - len(entries), cursor)
            entries.extend(ListEntry(section, row) for row in rows)
            cursor = None
        return entries

    def create(self, name: str) -> int | None:
        return self._changed(lambda: self._store.folders.create(name))

    def rename(self, folder_id: int, name: str) -> None:
        name = " ".join(name.split())
        if name:
            self._changed(lambda: self._store.folders.rename(folder_id, name))

    def set_collapsed(self, folder_id: int, collapsed: bool) -> None:
        self._changed(lambda: self._store.folders.set_collapsed(folder_id, collapsed))

    def delete(self, folder_id: int, *, with_conversations: bool = False) -> None:
        self._changed(
            lambda: self._store.folders.delete(folder_id, with_conversations=with_conversations)
        )

    def move(self, conversation_ids: Iterable[int], folder_id: int | None) -> None:
        ids = list(conversation_ids)
        self._changed(lambda: self._store.folders.move(ids, folder_id))

    def _changed(self, operation: Callable[[], T]) -> T | None:
        try:
            result = operation()
        except StoreError as error:
            self.failed.emit(store_error_text(error))
            return None
        except KeyError:
            result = None  # Gone meanwhile: the refresh shows the truth.
        self.changed.emit()
        return result
