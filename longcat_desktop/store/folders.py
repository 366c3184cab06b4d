"""Folders: one level of groups for conversations, and the sidebar's list section by section."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from longcat_desktop.domain.conversation import ConversationSummary
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.organising import LOOSE, PINNED, FolderSummary, Section
from longcat_desktop.store.database import Database
from longcat_desktop.store.ids import new_uuid


class Folders:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    def create(self, name: str, *, uuid: str | None = None) -> int:
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO folders (uuid, name, created_at) VALUES (?, ?, ?)",
                (uuid or new_uuid(), name, self._clock()),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def all(self) -> list[FolderSummary]:
        """Every folder by name, with how many conversations it holds."""
        counts = dict(
            self._db.query(
                "SELECT folder_id, count(*) FROM conversations"
                " WHERE folder_id IS NOT NULL GROUP BY folder_id"
            )
        )
        rows = self._db.query(
            "SELECT id, name, collapsed FROM folders ORDER BY name COLLATE NOCASE, id"
        )
        return [FolderSummary(r[0], r[1], counts.get(r[0], 0), r[2] == 1) for r in rows]

    def get(self, folder_id: int) -> FolderSummary:
        row = self._db.query_one(
            "SELECT id, name, collapsed, (SELECT count(*) FROM conversations WHERE folder_id = ?)"
            " FROM folders WHERE id = ?",
            (folder_id, folder_id),
        )
        if row is None:
            raise KeyError(f"no folder {folder_id}")
        return FolderSummary(row[0], row[1], row[3], row[2] == 1)

    def uuid_of(self, folder_id: int) -> str:
        return str(self._db.scalar("SELECT uuid FROM folders WHERE id = ?", (folder_id,)))

    def rename(self, folder_id: int, name: str) -> None:
        self._update(folder_id, "name = ?", (name,))

    def set_collapsed(self, folder_id: int, collapsed: bool) -> None:
        self._update(folder_id, "collapsed = ?", (int(collapsed),))

    def delete(self, folder_id: int, *, with_conversations: bool = False) -> None:
        """The folder; its conversations move out of it unless they are to go too."""
        with self._db.transaction():
            if with_conversations:
                self._db.execute("DELETE FROM conversations WHERE folder_id = ?", (folder_id,))
            # The foreign key's ON DELETE SET NULL moves the others out.
            self._db.execute("DELETE FROM folders WHERE id = ?", (folder_id,))

    def move(self, conversation_ids: Iterable[int], folder_id: int | None) -> None:
        """Put conversations into a folder (None: into no folder). Their order is unchanged."""
        with self._db.transaction():
            if folder_id is not None and not self._db.scalar(
                "SELECT 1 FROM folders WHERE id = ?", (folder_id,)
            ):
                raise KeyError(f"no folder {folder_id}")
            self._db.executemany(
                "UPDATE conversations SET folder_id = ? WHERE id = ?",
                [(folder_id, conversation_id) for conversation_id in conversation_ids],
            )

    def folder_of(self, conversation_id: int) -> int | None:
        value = self._db.scalar(
            "SELECT folder_id FROM conversations WHERE id = ?", (conversation_id,)
        )
        return None if value is None else int(value)

    def conversation_ids(self, folder_id: int) -> list[ConversationId]:
        rows = self._db.query("SELECT id FROM conversations WHERE folder_id = ?", (folder_id,))
        return [ConversationId(row[0]) for row in rows]

    def section(
        self, section: Section, limit: int, after: ConversationSummary | None = None
    ) -> list[ConversationSummary]:
        """A page of one section of the list, most recently active first."""
        params: list[Any] = []
        if section == PINNED:
            where = "pinned = 1"
        elif section == LOOSE:
            where = "folder_id IS NULL AND pinned = 0"
        else:
            where, params = "folder_id = ? AND pinned = 0", [section]
        if after is not None:
            # Row values follow the indexes' order, so a page starts with an index seek.
            where += " AND (updated_at, id) < (?, ?)"
            params += [after.updated_at, after.id]
        rows: list[Any] = self._db.query(
            f"SELECT id, title, pinned, updated_at FROM conversations WHERE {where}"
            " ORDER BY updated_at DESC, id DESC LIMIT ?",
            (*params, limit),
        )
        make = ConversationSummary
        return [make(r[0], r[1], r[2] == 1, r[3]) for r in rows]

    def _update(self, folder_id: int, assignments: str, params: tuple[Any, ...]) -> None:
        with self._db.transaction():
            cursor = self._db.execute(
                f"UPDATE folders SET {assignments} WHERE id = ?", (*params, folder_id)
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no folder {folder_id}")
