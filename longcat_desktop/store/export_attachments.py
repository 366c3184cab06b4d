"""Attachments in the JSON export: embedded whole (base64), so an import loses nothing.

<attachment> (in a message's "attachments", and a conversation's "draft_attachments"):
    "name"        string, the name it was attached under
    "kind"        "image" | "document"
    "media_type"  string, e.g. "image/png", "application/pdf"
    "sha256"      string, the SHA-256 of the data (hex); checked on import
    "width"       integer | null (images)
    "height"      integer | null
    "text"        string, a document's text as sent ("" for images and scans)
    "data"        string, the bytes in base64 (as sent: an image re-encoded, a document as is)
    "thumbnail"   string | null, a small PNG or JPEG in base64

Both keys are optional on import (exports written before attachments existed lack them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from typing import Any

from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store.database import Database
from longcat_desktop.store.errors import ImportFormatError

_KINDS = ("image", "document")


def _item(row: Any) -> dict[str, Any]:
    return {
        "name": row[0],
        "kind": row[1],
        "media_type": row[2],
        "sha256": row[3],
        "width": row[4],
        "height": row[5],
        "text": row[6],
        "data": base64.b64encode(bytes(row[7])).decode("ascii"),
        "thumbnail": None if row[8] is None else base64.b64encode(bytes(row[8])).decode("ascii"),
    }


_SELECT = (
    "SELECT r.name, a.kind, a.media_type, a.sha256, a.width, a.height, a.text, a.data, a.thumbnail"
)


def message_attachments(db: Database, message_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Each message's attachments as export items (messages without any left out)."""
    found: dict[int, list[Any]] = {}
    for message_id in message_ids:
        rows = db.query(
            f"{_SELECT}, r.message_id FROM message_attachments r JOIN attachments a"
            " USING (sha256) WHERE r.message_id = ? ORDER BY r.position",
            (message_id,),
        )
        if rows:
            found[message_id] = [_item(row) for row in rows]
    return found


def draft_attachments(db: Database, conversation_id: ConversationId) -> list[Any]:
    rows = db.query(
        f"{_SELECT} FROM draft_attachments r JOIN attachments a USING (sha256)"
        " WHERE r.conversation_id = ? ORDER BY r.position",
        (conversation_id,),
    )
    return [_item(row) for row in rows]


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise ImportFormatError(f"{where}.{key} should be a string.")
    return value


def _dimension(item: dict[str, Any], key: str, where: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ImportFormatError(f"{where}.{key} should be a whole number or null.")
    return value


def _bytes(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImportFormatError(f"{where} is not valid base64.") from error


def _stored(db: Database, raw: Any, where: str, now: float) -> tuple[str, str]:
    """Store one exported attachment (once per content); its hash and name."""
    if not isinstance(raw, dict):
        raise ImportFormatError(f"{where} should be an object.")
    name = _text(raw, "name", where)
    kind = _text(raw, "kind", where)
    if kind not in _KINDS:
        raise ImportFormatError(f"{where}.kind should be one of {', '.join(_KINDS)}.")
    data = _bytes(_text(raw, "data", where), f"{where}.data")
    sha256 = _text(raw, "sha256", where)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ImportFormatError(f"{where}.data does not match its sha256.")
    thumbnail_text = raw.get("thumbnail")
    if thumbnail_text is not None and not isinstance(thumbnail_text, str):
        raise ImportFormatError(f"{where}.thumbnail should be a string or null.")
    thumbnail = None if thumbnail_text is None else _bytes(thumbnail_text, f"{where}.thumbnail")
    text = raw.get("text", "")
    if not isinstance(text, str):
        raise ImportFormatError(f"{where}.text should be a string.")
    db.execute(
        "INSERT OR IGNORE INTO attachments (sha256, kind, media_type, size, width, height, text,"
        " thumbnail, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            sha256,
            kind,
            _text(raw, "media_type", where),
            len(data),
            _dimension(raw, "width", where),
            _dimension(raw, "height", where),
            text,
            thumbnail,
            data,
            now,
        ),
    )
    return sha256, name


def _items(raw: Any, where: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImportFormatError(f"{where} should be a list.")
    return raw


def _import(db: Database, table: str, owner: int, raw: Any, where: str, now: float) -> None:
    owner_column = "message_id" if table == "message_attachments" else "conversation_id"
    for position, item in enumerate(_items(raw, where)):
        sha256, name = _stored(db, item, f"{where}[{position}]", now)
        db.execute(
            f"INSERT INTO {table} ({owner_column}, position, sha256, name) VALUES (?, ?, ?, ?)",
            (owner, position, sha256, name),
        )


def import_message_attachments(
    db: Database, message_id: MessageId, raw: Any, where: str, now: float
) -> None:
    """The attachments of an imported message (inside the import's transaction)."""
    _import(db, "message_attachments", message_id, raw, where, now)


def import_draft_attachments(
    db: Database, conversation_id: ConversationId, raw: Any, where: str, now: float
) -> None:
    _import(db, "draft_attachments", conversation_id, raw, where, now)
