"""Conversations as JSON: the export format, and import of it. Never holds an API key.

Format "longcat-desktop/conversations", version 1
=================================================
One UTF-8 JSON object. A single conversation and a whole archive use the same format; a single
conversation is an archive with one entry. Every field is always present (null where unknown).
Times are seconds since 1970-01-01 UTC, as JSON numbers.

    {
      "format": "longcat-desktop/conversations",
      "version": 1,
      "conversations": [ <conversation>, ... ]      // oldest first
    }

Everything is in an order that depends only on the content, never on local row ids, so two
databases holding the same (one synced from the other, or an import) write the same file:
conversations and messages by "created_at", then by "id" where times are equal; attachments in
the order they were attached; folders as export_folders.py says, assistants and saved prompts
as export_library.py says.

<conversation>:
    "id"               string, a UUID; identifies the conversation across databases
    "title"            string
    "title_is_custom"  boolean; false while the title is taken from the first message
    "created_at"       number
    "updated_at"       number
    "pinned"           boolean
    "draft"            string, the unsent text in the composer
    "settings"         object:
        "model"          string
        "api_format"     "openai" | "anthropic"
        "system_prompt"  string
        "temperature"    number | null   (null: the server's default)
        "top_p"          number | null
        "max_tokens"     integer | null
        "thinking"       boolean | null
    "tools"            object | null, the conversation's choice of tools:
                       {"servers": {name: boolean}, "tools": {"server/tool": boolean}};
                       null: the default (absent in older files, read as null)
    "current_leaf"     string | null, the id of the last message of the branch shown
    "messages"         array of <message>, every branch, by "created_at" then "id" (a reply
                       may come before its parent when clocks disagreed; parents are named
                       by id, so the order carries no structure)
    "draft_attachments" array of <attachment> (export_attachments.py), the unsent draft's

<message>:
    "id"                   string, unique within its conversation
    "parent"               string | null; messages with the same parent are alternatives
                           (an edited question, a regenerated answer)
    "selected_child"       string | null, the child last shown below this message
    "role"                 "user" | "assistant" | "tool"
    "status"               "complete" | "stopped" | "interrupted" | "error"
                           (an answer still arriving when the file was written is exported,
                           and read, as "interrupted": no stream will ever finish it)
    "text"                 string
    "reasoning"            string, the model's thinking ("" if none)
    "reasoning_signature"  string | null
    "model"                string | null
    "api_format"           "openai" | "anthropic" | null
    "finish_reason"        string | null
    "error"                null | {"message": string, "type": string | null,
                                   "code": string | null, "status": integer | null,
                                   "key": string | null, "args": array of string}
                           "message" is in English or the server's own words; "key" and
                           "args" name the app's own sentence and its values (to show it in
                           another language), "key" null when the message is the server's.
                           Exports written before "key" existed lack both; an import then
                           recognises the app's sentences from the English message.
    "input_tokens"         integer | null
    "output_tokens"        integer | null
    "created_at"           number
    "first_token_at"       number | null
    "finished_at"          number | null
    "reasoning_seconds"    number | null, how long the model thought (absent in older files)
    "attachments"          array of <attachment> (export_attachments.py): images and
                           documents sent with a user message, embedded in base64
    "tool_calls"           (only on an answer that made tool calls) array of
                           {"id", "name", "arguments": JSON text as the model sent it,
                            "server"?, "tool"?: what the name mapped to}
    "tool_result"          (only on a message of role "tool") {"call_id", "name", "arguments",
                           "state", "is_error", "server"?, "tool"?, "started_at"?, "seconds"?,
                           "images"?: [{"media_type", "data": base64}], "links"?: [{"uri",
                           "title"}]}; the result's text is the message's "text"

Folders: see export_folders.py; assistants and saved prompts: see export_library.py (optional
fields, so files from before them still read).

Import adds conversations whose id is not yet in the database and skips (and reports) those
that are, so importing the same file twice changes nothing; ids are kept, which makes export,
import into an empty database and export again give the same file. Local row ids never appear.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.chat import ApiFormat, Role
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.tool_turns import INTERRUPTED_RESULT, ToolCallState
from longcat_desktop.store import export_attachments
from longcat_desktop.store.conversations import CONVERSATION_COLUMNS
from longcat_desktop.store.database import Database
from longcat_desktop.store.error_columns import error_from_columns
from longcat_desktop.store.errors import ImportFormatError
from longcat_desktop.store.export_folders import export_folders, import_folders, place
from longcat_desktop.store.export_library import (
    export_library,
    import_library,
    link,
    read_library,
    tools_value,
)
from longcat_desktop.store.messages import MESSAGE_COLUMNS
from longcat_desktop.store.tool_columns import (
    call_dict,
    calls_from,
    calls_json,
    result_dict,
    result_from,
    result_json,
)

FORMAT = "longcat-desktop/conversations"
VERSION = 1

_EXPORT_MESSAGE_COLUMNS = MESSAGE_COLUMNS + ", selected_child_id"


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def export_document(db: Database, conversation_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """The given conversations (all if None), by creation time then UUID: local row ids differ
    between devices holding the same conversations, so they must not decide the order."""
    if conversation_ids is None:
        rows = db.query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations ORDER BY created_at, uuid"
        )
    else:
        rows = []
        for conversation_id in set(conversation_ids):
            row = db.query_one(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?",
                (conversation_id,),
            )
            if row is None:
                raise KeyError(f"no conversation {conversation_id}")
            rows.append(row)
        rows.sort(key=lambda row: (row[4], row[1]))
    exported = [_export_conversation(db, row) for row in rows]
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    folders = export_folders(db, exported)
    if folders:
        document["folders"] = folders
    document.update(export_library(db, exported, everything=conversation_ids is None))
    document["conversations"] = exported
    return document


def _export_conversation(db: Database, row: Any) -> dict[str, Any]:
    messages = db.query(
        f"SELECT {_EXPORT_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?"
        " ORDER BY created_at, uuid",
        (row[0],),
    )
    uuids: dict[int, str] = {m[0]: m[1] for m in messages}
    parents: dict[int, int | None] = {m[0]: m[3] for m in messages}
    attached = export_attachments.message_attachments(
        db, (m[0] for m in messages if m[4] == "user")
    )
    thinking = row[13]
    tools = db.scalar("SELECT tools FROM conversations WHERE id = ?", (row[0],))
    return {
        "id": row[1],
        "title": row[2],
        "title_is_custom": bool(row[3]),
        "created_at": row[4],
        "updated_at": row[5],
        "pinned": bool(row[6]),
        "draft": row[14],
        "settings": {
            "model": row[7],
            "api_format": row[8],
            "system_prompt": row[9],
            "temperature": row[10],
            "top_p": row[11],
            "max_tokens": row[12],
            "thinking": None if thinking is None else bool(thinking),
        },
        "tools": tools_value(tools),
        "current_leaf": uuids.get(row[15]),
        "messages": [
            {**_export_message(m, uuids, parents), "attachments": attached.get(m[0], [])}
            for m in messages
        ],
        "draft_attachments": export_attachments.draft_attachments(db, row[0]),
    }


def _export_message(
    m: Any, uuids: Mapping[int, str], parents: Mapping[int, int | None]
) -> dict[str, Any]:
    error = None
    details = error_from_columns(m[13], m[14], m[15], m[16], m[21], m[22])
    if details is not None:
        text = details.user_text
        error = {
            "message": details.message,
            "type": details.type,
            "code": details.code,
            "status": details.status,
            "key": None if text is None else text.key,
            "args": [] if text is None else list(text.args),
        }
    # A stale choice (its message deleted) is no choice.
    selected = uuids[m[26]] if parents.get(m[26], -1) == m[0] else None
    shape: dict[str, Any] = {
        "id": m[1],
        "parent": None if m[3] is None else uuids[m[3]],
        "selected_child": selected,
        "role": m[4],
        "status": _settled(m[7]),
        "text": m[5],
        "reasoning": m[6],
        "reasoning_signature": m[9],
        "model": m[10],
        "api_format": m[11],
        "finish_reason": m[12],
        "error": error,
        "input_tokens": m[17],
        "output_tokens": m[18],
        "created_at": m[8],
        "first_token_at": m[19],
        "finished_at": m[20],
        "reasoning_seconds": m[23],
    }
    if m[24] is not None:
        shape["tool_calls"] = [call_dict(call) for call in calls_from(m[24])]
    result = None if m[25] is None else result_from(m[25])
    if result is not None:
        if not result.state.final:
            # A call still waiting or running is, once written down, one that never finished.
            result = replace(result, state=ToolCallState.INTERRUPTED, is_error=True)
            shape["text"] = shape["text"] or INTERRUPTED_RESULT
        shape["tool_result"] = result_dict(result)
    return shape


# -- import -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    # Local ids of the conversations added, in file order.
    imported: tuple[ConversationId, ...]
    # Ids (UUIDs) of conversations that were already in the database and left as they were.
    skipped: tuple[str, ...]


class _Reader:
    """Typed access to one JSON object, with errors that say where the problem is."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise ImportFormatError(f"{where} should be an object.")
        self._value = value
        self.where = where

    def _get(self, key: str) -> Any:
        if key not in self._value:
            raise ImportFormatError(f"{self.where} lacks the field {key!r}.")
        return self._value[key]

    def _fail(self, key: str, expected: str) -> ImportFormatError:
        return ImportFormatError(f"{self.where}.{key} should be {expected}.")

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self._get(key) is None else self.text(key)

    def flag(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def optional_flag(self, key: str) -> bool | None:
        return None if self._get(key) is None else self.flag(key)

    def number(self, key: str) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(key, "a number")
        if not math.isfinite(value):
            raise self._fail(key, "a finite number")
        return float(value)

    def optional_number(self, key: str, *, missing_ok: bool = False) -> float | None:
        """missing_ok: a field later versions added, absent from older files."""
        if missing_ok and key not in self._value:
            return None
        return None if self._get(key) is None else self.number(key)

    def optional_integer(self, key: str) -> int | None:
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "an integer or null")
        if not -(2**63) <= value < 2**63:
            raise self._fail(key, "an integer SQLite can hold")
        return value

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        value = self.text(key)
        options = tuple(allowed)
        if value not in options:
            raise self._fail(key, "one of " + ", ".join(options))
        return value

    def optional_choice(self, key: str, allowed: Iterable[str]) -> str | None:
        return None if self._get(key) is None else self.choice(key, allowed)

    def child(self, key: str) -> _Reader:
        return _Reader(self._get(key), f"{self.where}.{key}")

    def raw(self, key: str) -> Any:
        """The value as it is, None when absent; for parts parsed by their own module."""
        return self._value.get(key)

    def has(self, key: str) -> bool:
        return key in self._value

    def texts(self, key: str) -> list[str]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "an array of strings")
        return value

    def optional_child(self, key: str) -> _Reader | None:
        return None if self._get(key) is None else self.child(key)

    def items(self, key: str) -> list[_Reader]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._fail(key, "an array")
        return [_Reader(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(value)]


def _error_key(error: _Reader | None) -> tuple[str | None, str | None]:
    """The key and values columns of an imported error (see error_columns.py)."""
    if error is None or not error.has("key"):
        return None, None  # An export from before keys: the message is recognised when read.
    key = error.optional_text("key")
    if key is None:
        return "", None
    return key, json.dumps(error.texts("args"), ensure_ascii=False)


_FORMATS = tuple(str(f) for f in ApiFormat)
_ROLES = tuple(str(r) for r in Role)
_STATUSES = tuple(str(s) for s in MessageStatus)


def parse(text: str | bytes) -> Any:
    """The JSON value of a file; any file that is not JSON raises ImportFormatError."""
    try:
        return json.loads(text)
    except RecursionError as error:
        # Nesting deeper than Python's recursion limit: no export of ours (or anyone's) is
        # shaped like that, and the error must not reach the crash dialog.
        raise ImportFormatError(texts.IMPORT_TOO_DEEP) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFormatError(texts.IMPORT_NOT_JSON(error)) from error


def import_document(db: Database, document: Any) -> ImportResult:
    """Add the conversations of an export, all or none: a bad file changes nothing."""
    conversations = [
        _Reader(item, f"file.conversations[{i}]") for i, item in enumerate(check_header(document))
    ]
    library = read_library(document)
    imported: list[ConversationId] = []
    skipped: list[str] = []
    seen: set[str] = set()
    with db.transaction():
        folders = import_folders(db, document)
        import_library(db, library)
        for conversation in conversations:
            conversation_uuid = conversation.text("id")
            if conversation_uuid in seen or db.scalar(
                "SELECT 1 FROM conversations WHERE uuid = ?", (conversation_uuid,)
            ):
                skipped.append(conversation_uuid)
                continue
            seen.add(conversation_uuid)
            imported.append(ConversationId(insert_conversation(db, conversation)))
            if conversation.has("folder"):
                place(db, imported[-1], conversation.optional_text("folder"), folders)
            link(db, imported[-1], conversation.raw("assistant"), conversation.where)
    return ImportResult(tuple(imported), tuple(skipped))


def _check_tree(where: str, parents: Mapping[str, str | None]) -> None:
    """Every parent exists and no message is its own ancestor."""
    settled: set[str] = set()
    for start in parents:
        trail: set[str] = set()
        node: str | None = start
        while node is not None and node not in settled:
            if node in trail:
                raise ImportFormatError(f"{where}: the messages' parents form a loop.")
            trail.add(node)
            if node not in parents:
                raise ImportFormatError(f"{where}: a message's parent {node!r} is missing.")
            node = parents[node]
        settled |= trail


def read_object(value: Any, where: str) -> _Reader:
    """A checked view of one JSON object of the export format (raises ImportFormatError)."""
    return _Reader(value, where)


def check_header(document: Any) -> list[Any]:
    """The conversations of an export, once its format and version are ours."""
    root = _Reader(document, "file")
    if root.text("format") != FORMAT:
        raise ImportFormatError(texts.IMPORT_NOT_EXPORT)
    version = root._get("version")
    if version != VERSION:
        raise ImportFormatError(texts.IMPORT_VERSION(repr(version), VERSION))
    conversations = root._get("conversations")
    if not isinstance(conversations, list):
        raise root._fail("conversations", "an array")
    return conversations


def insert_conversation(db: Database, c: _Reader) -> int:
    """Add one conversation of the export format; the caller holds the transaction."""
    settings = c.child("settings")
    messages = c.items("messages")
    parents: dict[str, str | None] = {}
    for m in messages:
        message_uuid = m.text("id")
        if message_uuid in parents:
            raise ImportFormatError(f"{m.where}.id {message_uuid!r} appears twice.")
        parents[message_uuid] = m.optional_text("parent")
    _check_tree(c.where, parents)
    current_leaf = c.optional_text("current_leaf")
    if current_leaf is not None and current_leaf not in parents:
        raise ImportFormatError(f"{c.where}.current_leaf names no message of it.")

    tools = c._value.get("tools")
    if tools is not None and not isinstance(tools, dict):
        raise c._fail("tools", "an object or null")
    cursor = db.execute(
        "INSERT INTO conversations (uuid, title, title_is_custom, created_at, updated_at, pinned,"
        " model, api_format, system_prompt, temperature, top_p, max_tokens, thinking, draft,"
        " tools) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            c.text("id"),
            c.text("title"),
            int(c.flag("title_is_custom")),
            c.number("created_at"),
            c.number("updated_at"),
            int(c.flag("pinned")),
            settings.text("model"),
            settings.choice("api_format", _FORMATS),
            settings.text("system_prompt"),
            settings.optional_number("temperature"),
            settings.optional_number("top_p"),
            settings.optional_integer("max_tokens"),
            _optional_int(settings.optional_flag("thinking")),
            c.text("draft"),
            None if tools is None else json.dumps(tools, ensure_ascii=False),
        ),
    )
    conversation_id = cursor.lastrowid
    assert conversation_id is not None
    now = time.time()
    if c.has("draft_attachments"):
        export_attachments.import_draft_attachments(
            db,
            ConversationId(conversation_id),
            c._get("draft_attachments"),
            f"{c.where}.draft_attachments",
            now,
        )
    ids: dict[str, int] = {}
    selected: list[tuple[str, str, str]] = []
    for m in messages:
        error = m.optional_child("error")
        cursor = db.execute(
            "INSERT INTO messages (uuid, conversation_id, role, status, text, reasoning,"
            " reasoning_signature, model, api_format, finish_reason, error_message, error_type,"
            " error_code, error_status, input_tokens, output_tokens, created_at, first_token_at,"
            " finished_at, error_key, error_args, reasoning_seconds, tool_calls, tool_result)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.text("id"),
                conversation_id,
                m.choice("role", _ROLES),
                _settled(m.choice("status", _STATUSES)),
                m.text("text"),
                m.text("reasoning"),
                m.optional_text("reasoning_signature"),
                m.optional_text("model"),
                m.optional_choice("api_format", _FORMATS),
                m.optional_text("finish_reason"),
                None if error is None else error.text("message"),
                None if error is None else error.optional_text("type"),
                None if error is None else error.optional_text("code"),
                None if error is None else error.optional_integer("status"),
                m.optional_integer("input_tokens"),
                m.optional_integer("output_tokens"),
                m.number("created_at"),
                m.optional_number("first_token_at"),
                m.optional_number("finished_at"),
                *_error_key(error),
                m.optional_number("reasoning_seconds", missing_ok=True),
                calls_json(calls_from(m.raw("tool_calls"))),
                result_json(result_from(m.raw("tool_result"))),
            ),
        )
        assert cursor.lastrowid is not None
        ids[m.text("id")] = cursor.lastrowid
        if m.has("attachments"):
            export_attachments.import_message_attachments(
                db,
                MessageId(cursor.lastrowid),
                m._get("attachments"),
                f"{m.where}.attachments",
                now,
            )
        child = m.optional_text("selected_child")
        if child is not None:
            selected.append((m.where, m.text("id"), child))
    # Parents are linked once every row exists, so a file may list children first.
    db.executemany(
        "UPDATE messages SET parent_id = ? WHERE id = ?",
        [(ids[parent], ids[child]) for child, parent in parents.items() if parent is not None],
    )
    for where, parent, child in selected:
        if parents.get(child) != parent:
            raise ImportFormatError(f"{where}.selected_child names no child of it.")
    db.executemany(
        "UPDATE messages SET selected_child_id = ? WHERE id = ?",
        [(ids[child], ids[parent]) for _, parent, child in selected],
    )
    db.execute(
        "UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
        (None if current_leaf is None else ids[current_leaf], conversation_id),
    )
    return conversation_id


def _settled(status: str) -> str:
    """A message's status as a file states it: nothing is streaming once written down."""
    return MessageStatus.INTERRUPTED if status == MessageStatus.STREAMING else status


def _optional_int(value: bool | None) -> int | None:
    return None if value is None else int(value)
