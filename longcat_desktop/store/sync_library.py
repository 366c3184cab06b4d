"""Folders, assistants and prompts in change sets (the rest of a set: store/sync_changes.py).

Each item is one record, last writer wins as a whole by its changed_at (ties: the larger value,
so every device picks the same); which folder a conversation is in, and which assistant it was
started from, are fields of the conversation. A deletion is a row of sync_removed:

    "folders": [{"id", "name", "created_at", "changed_at"}, ...]
    "assistants": [{"id", "builtin", "name", "system_prompt", "model", "api_format",
                    "temperature", "top_p", "max_tokens", "thinking", "tools",
                    "created_at", "changed_at"}, ...]
    "prompts": [{"id", "name", "body", "created_at", "changed_at"}, ...]
    "removed": [[table, uuid, deleted_at], ...]

A deletion loses to an edit made after it, and a folder or assistant also to a conversation put
into it after it: the item stays (or comes back, from the record every set carries for each item
its conversations name). Which assistant is the default, when one was last used and whether a
folder is collapsed belong to each computer and do not sync.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from longcat_desktop.store.database import Database


@dataclass(frozen=True, slots=True)
class LibraryTable:
    name: str
    # (column, check) for each field that syncs; check raises TypeError for a wrong type.
    fields: tuple[tuple[str, Callable[[Any], Any]], ...]
    # Set when an item is first stored, never changed by a later record.
    fixed: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    # The conversations column that refers to it, and that field's time.
    link: tuple[str, str] | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for column, _ in self.fields)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _optional_real(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a number")
    return float(value)


def _optional_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an integer")
    return value


def _time(value: Any) -> float:
    number = _optional_real(value)
    if number is None:
        raise TypeError("not a time")
    return number


FOLDERS = LibraryTable("folders", (("name", _text),), link=("folder_id", "folder_at"))
ASSISTANTS = LibraryTable(
    "assistants",
    (
        ("name", _text),
        ("system_prompt", _text),
        ("model", _text),
        ("api_format", _text),
        ("temperature", _optional_real),
        ("top_p", _optional_real),
        ("max_tokens", _optional_int),
        ("thinking", _optional_int),
        ("tools", _text),
    ),
    fixed=(("builtin", _optional_text),),
    link=("assistant_id", "assistant_at"),
)
PROMPTS = LibraryTable("prompts", (("name", _text), ("body", _text)))
TABLES: dict[str, LibraryTable] = {t.name: t for t in (FOLDERS, ASSISTANTS, PROMPTS)}


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def newer(remote: tuple[Any, float], local: tuple[Any, float]) -> bool:
    """Last writer wins: the later time; on a tie the larger value, so every device picks the
    same."""
    if remote[1] != local[1]:
        return remote[1] > local[1]
    return _value_key(remote[0]) > _value_key(local[0])


class Unresolved(Exception):
    """A conversation names an item that is neither here nor described anywhere yet."""


@dataclass
class LibraryMarks:
    """What an uploaded set carried, to be marked as uploaded unless edited meanwhile."""

    items: list[tuple[str, int, float]]
    removed: list[tuple[str, str, float]]


class LibrarySync:
    """The library's part of sync; the caller holds the transaction (see SyncLedger)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # The records of the set being applied, by (table, uuid): a conversation may bring
        # back an item deleted here.
        self._incoming: dict[tuple[str, str], Mapping[str, Any]] = {}

    # -- outgoing -----------------------------------------------------------------------------

    PENDING_SQL = " OR ".join(
        [f"EXISTS (SELECT 1 FROM {name} WHERE sync_dirty = 1)" for name in TABLES]
        + ["EXISTS (SELECT 1 FROM sync_removed WHERE uploaded = 0)"]
    )

    def outgoing(self) -> tuple[dict[str, Any], LibraryMarks]:
        """Every item changed here since its last upload, and every deletion not uploaded."""
        document: dict[str, Any] = {}
        marks = LibraryMarks([], [])
        for table in TABLES.values():
            records = []
            for row in self._db.query(
                f"SELECT id FROM {table.name} WHERE sync_dirty = 1 ORDER BY id"
            ):
                record = self._record(table, "id", row[0])
                if record is not None:
                    records.append(record)
                    marks.items.append((table.name, row[0], float(record["changed_at"])))
            document[table.name] = records
        removed = [
            (str(row[0]), str(row[1]), float(row[2]))
            for row in self._db.query(
                "SELECT kind, uuid, deleted_at FROM sync_removed WHERE uploaded = 0"
                " ORDER BY deleted_at"
            )
        ]
        document["removed"] = [list(entry) for entry in removed]
        marks.removed = removed
        return document, marks

    def record(self, table: str, uuid: str) -> dict[str, Any] | None:
        """An item as a set carries it (for the items a set's conversations name)."""
        return self._record(TABLES[table], "uuid", uuid)

    def _record(self, table: LibraryTable, key: str, value: Any) -> dict[str, Any] | None:
        columns = [column for column, _ in (*table.fixed, *table.fields)]
        row = self._db.query_one(
            f"SELECT uuid, created_at, changed_at, {', '.join(columns)} FROM {table.name}"
            f" WHERE {key} = ?",
            (value,),
        )
        if row is None:
            return None
        return {
            "id": row[0],
            "created_at": row[1],
            "changed_at": row[2],
            **dict(zip(columns, row[3:], strict=True)),
        }

    def mark_uploaded(self, marks: LibraryMarks) -> None:
        for table, item_id, changed_at in marks.items:
            self._db.execute(
                f"UPDATE {table} SET sync_dirty = 0 WHERE id = ? AND changed_at = ?",
                (item_id, changed_at),
            )
        self._db.executemany(
            "UPDATE sync_removed SET uploaded = 1 WHERE kind = ? AND uuid = ? AND deleted_at = ?",
            marks.removed,
        )

    def rebind(self) -> None:
        """Another server: everything is to be uploaded again (built-in assistants nobody
        changed, stamped 0, are everywhere already)."""
        for name in TABLES:
            self._db.execute(f"UPDATE {name} SET sync_dirty = 1 WHERE changed_at > 0")
        self._db.execute("UPDATE sync_removed SET uploaded = 0")

    # -- incoming -----------------------------------------------------------------------------

    def apply(self, document: Mapping[str, Any]) -> int:
        """Merge a set's deletions and items; returns how many changed here. Sets written
        before the library synced have none of these keys."""
        changed = 0
        self._incoming = {}
        for entry in document.get("removed", ()):
            table, uuid, deleted_at = entry
            changed += self._apply_removal(TABLES[str(table)], _text(uuid), _time(deleted_at))
        for table in TABLES.values():
            for record in document.get(table.name, ()):
                self._incoming[(table.name, _text(record["id"]))] = record
                changed += self._apply_item(table, record)
        return changed

    def finish(self) -> None:
        self._incoming = {}

    def _removed_at(self, table: LibraryTable, uuid: str) -> float | None:
        value: float | None = self._db.scalar(
            "SELECT deleted_at FROM sync_removed WHERE kind = ? AND uuid = ?", (table.name, uuid)
        )
        return value

    def _keep_removal(self, table: LibraryTable, uuid: str, deleted_at: float) -> None:
        self._db.execute(
            "INSERT INTO sync_removed (kind, uuid, deleted_at, uploaded) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (kind, uuid) DO UPDATE SET deleted_at = max(deleted_at,"
            " excluded.deleted_at)",
            (table.name, uuid, deleted_at),
        )

    def _apply_removal(self, table: LibraryTable, uuid: str, deleted_at: float) -> int:
        row = self._db.query_one(f"SELECT id, changed_at FROM {table.name} WHERE uuid = ?", (uuid,))
        if row is None:
            self._keep_removal(table, uuid, deleted_at)
            return 0
        if row[1] >= deleted_at or self._used_since(table, row[0], deleted_at):
            return 0
        # Conversations in it move out here as they did there (ON DELETE SET NULL, unstamped
        # while applying): the deleting device uploads them with the same change.
        self._db.execute(f"DELETE FROM {table.name} WHERE id = ?", (row[0],))
        self._keep_removal(table, uuid, deleted_at)
        return 1

    def _used_since(self, table: LibraryTable, item_id: int, since: float) -> bool:
        if table.link is None:
            return False
        column, stamp = table.link
        return bool(
            self._db.scalar(
                f"SELECT EXISTS (SELECT 1 FROM conversations WHERE {column} = ? AND {stamp} >= ?)",
                (item_id, since),
            )
        )

    def _checked(self, table: LibraryTable, record: Mapping[str, Any]) -> list[Any]:
        return [check(record[column]) for column, check in table.fields]

    def _apply_item(self, table: LibraryTable, record: Mapping[str, Any]) -> int:
        uuid = _text(record["id"])
        stamp = _time(record["changed_at"])
        values = self._checked(table, record)
        row = self._db.query_one(
            f"SELECT id, changed_at, {', '.join(table.columns)} FROM {table.name} WHERE uuid = ?",
            (uuid,),
        )
        if row is None:
            deleted_at = self._removed_at(table, uuid)
            if deleted_at is not None and deleted_at >= stamp:
                return 0
            self._insert(table, record, values)
            return 1
        if not newer((values, stamp), (list(row[2:]), float(row[1]))):
            return 0
        assignments = ", ".join(f"{column} = ?" for column in table.columns)
        self._db.execute(
            f"UPDATE {table.name} SET {assignments}, changed_at = ? WHERE id = ?",
            (*values, stamp, row[0]),
        )
        return 1

    def _insert(self, table: LibraryTable, record: Mapping[str, Any], values: list[Any]) -> int:
        uuid = _text(record["id"])
        fixed = [check(record.get(column)) for column, check in table.fixed]
        columns = [column for column, _ in (*table.fixed, *table.fields)]
        placeholders = ", ".join("?" for _ in range(len(columns) + 4))
        self._db.execute("DELETE FROM sync_removed WHERE kind = ? AND uuid = ?", (table.name, uuid))
        cursor = self._db.execute(
            f"INSERT INTO {table.name} (uuid, created_at, changed_at, sync_dirty,"
            f" {', '.join(columns)}) VALUES ({placeholders})",
            (
                uuid,
                _time(record["created_at"]),
                _time(record["changed_at"]),
                0,
                *fixed,
                *values,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def resolve(self, table_name: str, uuid: str | None, stamp: float) -> int | None:
        """The local id of the item a conversation was put into at `stamp` (None: none).

        An item deleted here before that comes back from the set's record; one deleted after
        it leaves the conversation in none. Raises Unresolved when it cannot be known yet.
        """
        if uuid is None:
            return None
        table = TABLES[table_name]
        found: int | None = self._db.scalar(f"SELECT id FROM {table.name} WHERE uuid = ?", (uuid,))
        if found is not None:
            return found
        deleted_at = self._removed_at(table, uuid)
        if deleted_at is not None and deleted_at >= stamp:
            return None
        record = self._incoming.get((table.name, uuid))
        if record is None:
            raise Unresolved(uuid)
        return self._insert(table, record, self._checked(table, record))
