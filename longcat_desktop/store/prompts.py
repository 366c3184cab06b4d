"""The prompt library: saved snippets, and their JSON file for sharing them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.organising import Prompt
from longcat_desktop.store.database import Database
from longcat_desktop.store.errors import ImportFormatError
from longcat_desktop.store.ids import new_uuid

FORMAT = "longcat-desktop/prompts"
VERSION = 1


class Prompts:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    def all(self) -> list[Prompt]:
        rows = self._db.query(
            "SELECT id, uuid, name, body FROM prompts ORDER BY name COLLATE NOCASE, id"
        )
        return [Prompt(*row) for row in rows]

    def add(self, name: str, body: str, *, uuid: str | None = None) -> int:
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO prompts (uuid, name, body, created_at) VALUES (?, ?, ?, ?)",
                (uuid or new_uuid(), name, body, self._clock()),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def update(self, prompt_id: int, name: str, body: str) -> None:
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE prompts SET name = ?, body = ? WHERE id = ?", (name, body, prompt_id)
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no prompt {prompt_id}")

    def delete(self, prompt_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM prompts WHERE id = ?", (prompt_id,))

    def export_json(self) -> str:
        """Every prompt as {"format", "version", "prompts": [{"id", "name", "body"}]}, by name
        then id (not local row id), so computers holding the same prompts write the same file."""
        rows = self._db.query(
            "SELECT uuid, name, body FROM prompts ORDER BY name COLLATE NOCASE, name, uuid"
        )
        document = {
            "format": FORMAT,
            "version": VERSION,
            "prompts": [{"id": uuid, "name": name, "body": body} for uuid, name, body in rows],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def import_json(self, text: str | bytes) -> int:
        """Add the prompts of such a file, all or none; ones already here are skipped.

        Returns how many were added. Raises ImportFormatError for anything else.
        """
        try:
            document: Any = json.loads(text)
        except (ValueError, UnicodeDecodeError) as error:
            raise ImportFormatError(texts.IMPORT_NOT_JSON(error)) from error
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ImportFormatError(texts.PROMPTS_NOT_EXPORT)
        items = document.get("prompts")
        if not isinstance(items, list):
            raise ImportFormatError(texts.PROMPTS_NOT_EXPORT)
        entries: list[tuple[str, str, str]] = []
        for item in items:
            if not isinstance(item, dict):
                raise ImportFormatError(texts.PROMPTS_NOT_EXPORT)
            uuid, name, body = item.get("id"), item.get("name"), item.get("body")
            if not (isinstance(name, str) and isinstance(body, str) and name.strip()):
                raise ImportFormatError(texts.PROMPTS_NOT_EXPORT)
            entries.append((uuid if isinstance(uuid, str) and uuid else new_uuid(), name, body))
        added = 0
        with self._db.transaction():
            for uuid, name, body in entries:
                if self._db.scalar("SELECT 1 FROM prompts WHERE uuid = ?", (uuid,)):
                    continue
                self.add(name, body, uuid=uuid)
                added += 1
        return added
