"""The sidebar's rows made from the folder service's list entries, and back for paging."""

from __future__ import annotations

from collections.abc import Container, Sequence

from longcat_desktop.domain.conversation import ConversationSummary
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.organising import FolderSummary
from longcat_desktop.services.folder_service import ListEntry
from longcat_desktop.ui.conversation_list import ConversationRow, ListRow
from longcat_desktop.ui.folder_rows import FolderKey, FolderRow


def rows_from_entries(
    entries: Sequence[ListEntry], streaming: Container[int], untitled: str
) -> list[ListRow]:
    rows: list[ListRow] = []
    for section, item in entries:
        if isinstance(item, FolderSummary):
            rows.append(FolderRow(FolderKey(item.id), item.name, item.total, item.collapsed))
        else:
            rows.append(
                ConversationRow(
                    item.id,
                    item.title or untitled,
                    item.pinned,
                    item.updated_at,
                    item.id in streaming,
                    section,
                )
            )
    return rows


def entry_of(row: ListRow) -> ListEntry | None:
    """The list entry a row was made from, to ask for the rows after it."""
    if isinstance(row, FolderRow):
        return ListEntry(row.folder_id, FolderSummary(row.folder_id, row.name, 0, row.collapsed))
    if not isinstance(row.updated_at, float | int) or not isinstance(row.id, int):
        return None
    if not isinstance(row.section, int | str):
        return None
    summary = ConversationSummary(row.id, row.title, row.pinned, float(row.updated_at))
    return ListEntry(row.section, summary)


def first_conversation(rows: Sequence[ListRow]) -> ConversationId | None:
    return next((row.id for row in rows if isinstance(row, ConversationRow)), None)
