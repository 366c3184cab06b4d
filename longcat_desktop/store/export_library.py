"""Assistants and saved prompts in the JSON export: optional lists at the top and a reference
per conversation.

    "assistants"                 array of <assistant>
    "prompts"                    array of {"id": string (a UUID), "name": string, "body": string}
    <conversation>."assistant"   string, the id of the assistant it was started from

<assistant>:
    "id"             string, a UUID
    "builtin"        string | null, which of the app's own assistants it is
    "name"           string ("" on a built-in one: the app's own name for it)
    "system_prompt"  string ("" on a built-in one: the app's own prompt)
    "model"          string ("": the app's default)
    "api_format"     "" | "openai" | "anthropic"  ("": the app's default)
    "temperature"    number | null
    "top_p"          number | null
    "max_tokens"     integer | null
    "thinking"       boolean | null
    "tools"          object | null, the choice of tools its conversations start with, in the
                     form of a conversation's "tools"; null: as in Settings

An archive of everything lists every assistant the user made, each built-in one that was edited
(an untouched one is the same on every computer, and its id too) and every saved prompt; an
archive of chosen conversations lists only the assistants they were started from, and no
prompts. Both lists are ordered by name as the app lists them (ignoring ASCII case), then by id:
never by local row id or creation time, which differ between computers holding the same items.
Which assistant is the default, when one was last used, and when an item was created or changed
belong to one computer and are not exported.

All three are written only where there is something to write, so an archive without them is
exactly what it was before they existed (and exports from then read as they did).

Import adds the assistants and prompts whose id is not in the database yet and leaves those that
are as they are. A built-in assistant takes the file's settings only where nobody edited it here
yet. Each imported conversation is linked to its assistant if, after that, the database has it.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.store.assistants import NO_TOOLS
from longcat_desktop.store.database import Database
from longcat_desktop.store.errors import ImportFormatError

_COLUMNS = "name, system_prompt, model, api_format, temperature, top_p, max_tokens, thinking, tools"
# Edited here (stamped by the sync triggers); an untouched built-in one is stamped 0.
_EXPORTED = "(builtin IS NULL OR changed_at > 0)"


@dataclass(frozen=True, slots=True)
class AssistantEntry:
    """One assistant as a file lists it, checked; values as the database stores them."""

    uuid: str
    builtin: str | None
    # In the order of _COLUMNS.
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Library:
    assistants: tuple[AssistantEntry, ...] = ()
    # (uuid, name, body)
    prompts: tuple[tuple[str, str, str], ...] = ()


# -- export -----------------------------------------------------------------------------------


def export_library(
    db: Database, conversations: list[dict[str, Any]], *, everything: bool
) -> dict[str, list[dict[str, Any]]]:
    """The "assistants" and "prompts" of an archive, each only if not empty; sets each
    exported conversation's "assistant" by its uuid."""
    by_conversation = dict(
        db.query(
            "SELECT c.uuid, a.uuid FROM conversations c JOIN assistants a ON a.id = c.assistant_id"
        )
    )
    used: set[str] = set()
    for conversation in conversations:
        assistant = by_conversation.get(conversation["id"])
        if assistant is not None:
            conversation["assistant"] = assistant
            used.add(assistant)
    rows = db.query(
        f"SELECT uuid, builtin, {_COLUMNS} FROM assistants WHERE {_EXPORTED}"
        " ORDER BY name COLLATE NOCASE, name, uuid"
    )
    library: dict[str, list[dict[str, Any]]] = {}
    assistants = [_assistant(row) for row in rows if everything or row[0] in used]
    if assistants:
        library["assistants"] = assistants
    if everything:
        prompts = db.query(
            "SELECT uuid, name, body FROM prompts ORDER BY name COLLATE NOCASE, name, uuid"
        )
        if prompts:
            library["prompts"] = [{"id": u, "name": n, "body": b} for u, n, b in prompts]
    return library


def _assistant(row: Any) -> dict[str, Any]:
    formats = {str(f) for f in ApiFormat}
    return {
        "id": row[0],
        "builtin": row[1],
        "name": row[2],
        "system_prompt": row[3],
        "model": row[4],
        "api_format": row[5] if row[5] in formats else "",
        "temperature": row[6],
        "top_p": row[7],
        "max_tokens": row[8],
        "thinking": None if row[9] is None else bool(row[9]),
        "tools": tools_value(row[10]),
    }


def tools_value(text: str | None) -> dict[str, Any] | None:
    """A stored choice of tools (a conversation's or an assistant's) as JSON; none, or a damaged
    one, exports as null: the default."""
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# -- import -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a string")
    return value


def _uuid(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("a non-empty string")
    return value


def _optional_text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("a string or null")
    return value


def _api_format(value: Any) -> str:
    options = ("", *(str(f) for f in ApiFormat))
    if value not in options:
        raise ValueError("one of " + ", ".join(repr(o) for o in options))
    return str(value)


def _optional_number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("a finite number or null")
    return float(value)


def _optional_integer(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value < 2**63:
        raise ValueError("an integer or null")
    return value


def _optional_flag(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValueError("true, false or null")
    return int(value)


def _tools(value: Any) -> str:
    if value is None:
        return NO_TOOLS
    if not isinstance(value, dict):
        raise ValueError("an object or null")
    return json.dumps(value, ensure_ascii=False)


# Each field of an entry and how it is checked (a check raises ValueError naming what it wants).
_ASSISTANT_FIELDS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("id", _uuid),
    ("builtin", _optional_text),
    ("name", _text),
    ("system_prompt", _text),
    ("model", _text),
    ("api_format", _api_format),
    ("temperature", _optional_number),
    ("top_p", _optional_number),
    ("max_tokens", _optional_integer),
    ("thinking", _optional_flag),
    ("tools", _tools),
)
_PROMPT_FIELDS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("id", _uuid),
    ("name", _text),
    ("body", _text),
)


def _entries(
    document: Mapping[str, Any], key: str, fields: tuple[tuple[str, Callable[[Any], Any]], ...]
) -> list[list[Any]]:
    listed = document.get(key, [])
    if not isinstance(listed, list):
        raise ImportFormatError(f"file.{key} should be an array.")
    entries = []
    for position, entry in enumerate(listed):
        where = f"file.{key}[{position}]"
        if not isinstance(entry, dict):
            raise ImportFormatError(f"{where} should be an object.")
        values = []
        for field, check in fields:
            if field not in entry:
                raise ImportFormatError(f"{where} lacks the field {field!r}.")
            try:
                values.append(check(entry[field]))
            except ValueError as error:
                raise ImportFormatError(f"{where}.{field} should be {error}.") from None
        entries.append(values)
    return entries


def read_library(document: Any) -> Library:
    """The assistants and prompts of an export, checked (raises ImportFormatError); none in
    a file without them."""
    if not isinstance(document, dict):
        return Library()
    return Library(
        tuple(
            AssistantEntry(values[0], values[1], tuple(values[2:]))
            for values in _entries(document, "assistants", _ASSISTANT_FIELDS)
        ),
        tuple(
            (uuid, name, body) for uuid, name, body in _entries(document, "prompts", _PROMPT_FIELDS)
        ),
    )


def import_library(db: Database, library: Library) -> None:
    """Add what the database lacks of a file's library; the caller holds the transaction."""
    now = time.time()
    for entry in library.assistants:
        if entry.builtin is not None:
            local = db.query_one(
                "SELECT id, changed_at FROM assistants WHERE builtin = ? ORDER BY id LIMIT 1",
                (entry.builtin,),
            )
            if local is not None:
                if local[1] == 0:
                    assignments = ", ".join(f"{c.strip()} = ?" for c in _COLUMNS.split(","))
                    db.execute(
                        f"UPDATE assistants SET {assignments} WHERE id = ?",
                        (*entry.values, local[0]),
                    )
                continue
        if not db.scalar("SELECT 1 FROM assistants WHERE uuid = ?", (entry.uuid,)):
            db.execute(
                f"INSERT INTO assistants (uuid, builtin, created_at, {_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.uuid, entry.builtin, now, *entry.values),
            )
    for uuid, name, body in library.prompts:
        if not db.scalar("SELECT 1 FROM prompts WHERE uuid = ?", (uuid,)):
            db.execute(
                "INSERT INTO prompts (uuid, name, body, created_at) VALUES (?, ?, ?, ?)",
                (uuid, name, body, now),
            )


def link(db: Database, conversation_id: int, assistant: object, where: str) -> None:
    """Link an imported conversation to the assistant its entry names, if the database has it
    (a link to an assistant neither here nor in the file is dropped)."""
    if assistant is None:
        return
    if not isinstance(assistant, str):
        raise ImportFormatError(f"{where}.assistant should be a string or null.")
    found = db.scalar("SELECT id FROM assistants WHERE uuid = ?", (assistant,))
    if found is not None:
        db.execute(
            "UPDATE conversations SET assistant_id = ? WHERE id = ?", (found, conversation_id)
        )
