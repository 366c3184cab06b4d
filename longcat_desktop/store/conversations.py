"""Conversations: their list, titles, settings and drafts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import (
    Conversation,
    ConversationSettings,
    ConversationSummary,
)
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.plain_title import first_line
from longcat_desktop.store.database import Database
from longcat_desktop.store.ids import new_uuid

TITLE_LENGTH = 60

CONVERSATION_COLUMNS = (
    "id, uuid, title, title_is_custom, created_at, updated_at, pinned, model, api_format, "
    "system_prompt, temperature, top_p, max_tokens, thinking, draft, current_leaf_id, "
    "folder_id, assistant_id"
)


def title_from_text(text: str, length: int = TITLE_LENGTH) -> str:
    """The first line with words in it, as plain text (no Markdown marks), shortened at a word
    boundary where one is near."""
    words = first_line(text)
    if len(words) <= length:
        return words
    cut = words[: length - 1]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def conversation_from_row(row: Any) -> Conversation:
    return Conversation(
        id=row[0],
        uuid=row[1],
        title=row[2],
        title_is_custom=bool(row[3]),
        created_at=row[4],
        updated_at=row[5],
        pinned=bool(row[6]),
        settings=ConversationSettings(
            model=row[7],
            api_format=ApiFormat(row[8]),
            system_prompt=row[9],
            temperature=row[10],
            top_p=row[11],
            max_tokens=row[12],
            thinking=_optional_bool(row[13]),
        ),
        draft=row[14],
        current_leaf_id=row[15],
        folder_id=row[16],
        assistant_id=row[17],
    )


def settings_params(settings: ConversationSettings) -> tuple[Any, ...]:
    return (
        settings.model,
        str(settings.api_format),
        settings.system_prompt,
        settings.temperature,
        settings.top_p,
        settings.max_tokens,
        None if settings.thinking is None else int(settings.thinking),
    )


class Conversations:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    def create(
        self,
        settings: ConversationSettings,
        *,
        title: str = "",
        assistant_id: int | None = None,
        folder_id: int | None = None,
    ) -> Conversation:
        """A new empty conversation; a title given here counts as chosen by the user."""
        now = self._clock()
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO conversations (uuid, title, title_is_custom, created_at, updated_at,"
                " model, api_format, system_prompt, temperature, top_p, max_tokens, thinking,"
                " assistant_id, folder_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new_uuid(),
                    title,
                    int(bool(title)),
                    now,
                    now,
                    *settings_params(settings),
                    assistant_id,
                    folder_id,
                ),
            )
        assert cursor.lastrowid is not None
        return self.get(ConversationId(cursor.lastrowid))

    def get(self, conversation_id: ConversationId) -> Conversation:
        row = self._db.query_one(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        if row is None:
            raise KeyError(f"no conversation {conversation_id}")
        return conversation_from_row(row)

    def find_by_uuid(self, conversation_uuid: str) -> Conversation | None:
        row = self._db.query_one(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE uuid = ?",
            (conversation_uuid,),
        )
        return None if row is None else conversation_from_row(row)

    def list(
        self, limit: int | None = None, after: ConversationSummary | None = None
    ) -> list[ConversationSummary]:
        """Conversations, pinned first, then the most recently active.

        All of them by default; or a page of `limit` following the summary `after`.
        """
        where = ""
        params: list[Any] = []
        if after is not None:
            # Row values follow the index order, so a page starts with an index seek.
            where = " WHERE (pinned, updated_at, id) < (?, ?, ?)"
            params = [int(after.pinned), after.updated_at, after.id]
        params.append(-1 if limit is None else limit)
        rows = self._db.query(
            "SELECT id, title, pinned, updated_at FROM conversations"
            f"{where} ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?",
            params,
        )
        make = ConversationSummary
        return [make(r[0], r[1], r[2] == 1, r[3]) for r in rows]

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM conversations"))

    def rename(self, conversation_id: ConversationId, title: str) -> None:
        """Set a title of the user's choosing; later messages no longer change it."""
        self._update(conversation_id, "title = ?, title_is_custom = 1", (title,))

    def set_generated_title(self, conversation_id: ConversationId, title: str) -> bool:
        """A title the model suggested: written unless the user has set one (checked here, at
        the moment of writing). Returns whether it was written."""
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE conversations SET title = ? WHERE id = ? AND title_is_custom = 0",
                (title, conversation_id),
            )
        return cursor.rowcount > 0

    def reset_title(self, conversation_id: ConversationId) -> None:
        """Go back to the title taken from the first message of the branch shown."""
        first = self._db.query_one(
            "WITH RECURSIVE up(id, parent_id) AS ("
            " SELECT m.id, m.parent_id FROM messages m"
            " JOIN conversations c ON m.id = c.current_leaf_id WHERE c.id = ?"
            " UNION ALL SELECT m.id, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id)"
            " SELECT text FROM messages WHERE id = (SELECT id FROM up WHERE parent_id IS NULL)",
            (conversation_id,),
        )
        title = title_from_text(first[0]) if first else ""
        self._update(conversation_id, "title = ?, title_is_custom = 0", (title,))

    def set_pinned(self, conversation_id: ConversationId, pinned: bool) -> None:
        self._update(conversation_id, "pinned = ?", (int(pinned),))

    def set_draft(self, conversation_id: ConversationId, draft: str) -> None:
        self._update(conversation_id, "draft = ?", (draft,))

    def update_settings(
        self, conversation_id: ConversationId, settings: ConversationSettings
    ) -> None:
        self._update(
            conversation_id,
            "model = ?, api_format = ?, system_prompt = ?, temperature = ?, top_p = ?,"
            " max_tokens = ?, thinking = ?",
            settings_params(settings),
        )

    def tool_selection(self, conversation_id: ConversationId) -> str | None:
        """The conversation's choice of tools as JSON; None: the default."""
        value = self._db.scalar("SELECT tools FROM conversations WHERE id = ?", (conversation_id,))
        return None if value is None else str(value)

    def set_tool_selection(self, conversation_id: ConversationId, selection: str | None) -> None:
        self._update(conversation_id, "tools = ?", (selection,))

    def delete(self, conversation_id: ConversationId) -> None:
        """The conversation and all its messages."""
        with self._db.transaction():
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def _update(
        self, conversation_id: ConversationId, assignments: str, params: tuple[Any, ...]
    ) -> None:
        with self._db.transaction():
            cursor = self._db.execute(
                f"UPDATE conversations SET {assignments} WHERE id = ?", (*params, conversation_id)
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no conversation {conversation_id}")
