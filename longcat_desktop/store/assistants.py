"""Assistants: named presets that new conversations start from."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.organising import Assistant
from longcat_desktop.store.database import Database
from longcat_desktop.store.ids import new_uuid

_COLUMNS = (
    "id, uuid, name, system_prompt, model, api_format, temperature, top_p, max_tokens,"
    " thinking, tools, is_default, builtin, last_used_at"
)


# What the column holds for "no choice of its own" (its default; a list was never used).
NO_TOOLS = "[]"


def _tools(text: str) -> str | None:
    """A stored choice of tools, or None where there is none (or it cannot be read)."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return text if isinstance(value, dict) else None


def _from_row(row: Any) -> Assistant:
    return Assistant(
        id=row[0],
        uuid=row[1],
        name=row[2],
        system_prompt=row[3],
        model=row[4],
        api_format=ApiFormat(row[5]) if row[5] in {str(f) for f in ApiFormat} else None,
        temperature=row[6],
        top_p=row[7],
        max_tokens=row[8],
        thinking=None if row[9] is None else bool(row[9]),
        tools=_tools(row[10]),
        is_default=bool(row[11]),
        builtin=row[12],
        last_used_at=row[13],
    )


def _values(assistant: Assistant) -> tuple[Any, ...]:
    return (
        assistant.name,
        assistant.system_prompt,
        assistant.model,
        "" if assistant.api_format is None else str(assistant.api_format),
        assistant.temperature,
        assistant.top_p,
        assistant.max_tokens,
        None if assistant.thinking is None else int(assistant.thinking),
        NO_TOOLS if assistant.tools is None else assistant.tools,
    )


class Assistants:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    def all(self) -> list[Assistant]:
        """Built-in ones first, in the order they came, then the user's by name."""
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM assistants ORDER BY builtin IS NULL, name COLLATE NOCASE, id"
        )
        return [_from_row(row) for row in rows]

    def recent(self, limit: int) -> list[Assistant]:
        """The most recently used first; never used ones after them."""
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM assistants"
            " ORDER BY last_used_at IS NULL, last_used_at DESC, id LIMIT ?",
            (limit,),
        )
        return [_from_row(row) for row in rows]

    def get(self, assistant_id: int) -> Assistant:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM assistants WHERE id = ?", (assistant_id,))
        if row is None:
            raise KeyError(f"no assistant {assistant_id}")
        return _from_row(row)

    def default(self) -> Assistant | None:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM assistants WHERE is_default = 1")
        return None if row is None else _from_row(row)

    def add(self, assistant: Assistant) -> Assistant:
        """Store a new assistant (its id and uuid are given here)."""
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO assistants (name, system_prompt, model, api_format, temperature,"
                " top_p, max_tokens, thinking, tools, uuid, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*_values(assistant), new_uuid(), self._clock()),
            )
        assert cursor.lastrowid is not None
        return self.get(cursor.lastrowid)

    def update(self, assistant: Assistant) -> None:
        """Save an edit. Conversations made from it keep the settings they started with."""
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE assistants SET name = ?, system_prompt = ?, model = ?, api_format = ?,"
                " temperature = ?, top_p = ?, max_tokens = ?, thinking = ?, tools = ?"
                " WHERE id = ?",
                (*_values(assistant), assistant.id),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no assistant {assistant.id}")

    def set_default(self, assistant_id: int | None) -> None:
        """The one Ctrl+N starts with (None: a plain conversation)."""
        with self._db.transaction():
            self._db.execute("UPDATE assistants SET is_default = 0 WHERE is_default = 1")
            if assistant_id is not None:
                self._db.execute(
                    "UPDATE assistants SET is_default = 1 WHERE id = ?", (assistant_id,)
                )

    def mark_used(self, assistant_id: int) -> None:
        with self._db.transaction():
            self._db.execute(
                "UPDATE assistants SET last_used_at = ? WHERE id = ?",
                (self._clock(), assistant_id),
            )

    def link(self, conversation_id: int, assistant_id: int | None) -> None:
        """Record which assistant a conversation was started from."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE conversations SET assistant_id = ? WHERE id = ?",
                (assistant_id, conversation_id),
            )

    def delete(self, assistant_id: int) -> None:
        """Conversations made from it stay as they are, no longer linked to it."""
        with self._db.transaction():
            self._db.execute("DELETE FROM assistants WHERE id = ?", (assistant_id,))


def with_defaults(assistant: Assistant, name: str, system_prompt: str) -> Assistant:
    """A built-in assistant with the text it shows where the user has not changed it."""
    return replace(
        assistant,
        name=assistant.name or name,
        system_prompt=assistant.system_prompt or system_prompt,
    )
