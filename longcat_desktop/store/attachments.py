"""Attachments: stored once per content (SHA-256), referred to by drafts and sent messages.

A blob is written together with its first reference (the draft it joins), in one committed
transaction, before any message refers to it; sending moves the draft's references onto the
new message in the transaction that writes the message. Foreign keys make a reference to a
missing blob impossible, and triggers drop a blob with its last reference. Whatever a crash
leaves unreferenced is collected when the store opens.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store.database import Database

_COLUMNS = "a.sha256, a.kind, r.name, a.media_type, a.size, a.width, a.height, a.text"
# SQLite's default limit on host parameters in one statement is 32766; stay far below.
_CHUNK = 500


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _attachment(row: Any) -> Attachment:
    return Attachment(
        sha256=row[0],
        kind=AttachmentKind(row[1]),
        name=row[2],
        media_type=row[3],
        size=row[4],
        width=row[5],
        height=row[6],
        text=row[7],
    )


class Attachments:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    # -- content ------------------------------------------------------------------------------

    def _put(self, prepared: PreparedAttachment) -> None:
        attachment = prepared.attachment
        if content_hash(prepared.data) != attachment.sha256:
            raise ValueError(f"the data of {attachment.name!r} does not match its hash")
        self._db.execute(
            "INSERT OR IGNORE INTO attachments (sha256, kind, media_type, size, width, height,"
            " text, thumbnail, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                attachment.sha256,
                str(attachment.kind),
                attachment.media_type,
                len(prepared.data),
                attachment.width,
                attachment.height,
                attachment.text,
                prepared.thumbnail,
                prepared.data,
                self._clock(),
            ),
        )

    def data(self, sha256: str) -> bytes:
        """The bytes as sent (an image re-encoded, a document as it was)."""
        row = self._db.query_one("SELECT data FROM attachments WHERE sha256 = ?", (sha256,))
        if row is None:
            raise KeyError(f"no attachment {sha256}")
        return bytes(row[0])

    def thumbnail(self, sha256: str) -> bytes | None:
        row = self._db.query_one("SELECT thumbnail FROM attachments WHERE sha256 = ?", (sha256,))
        return None if row is None or row[0] is None else bytes(row[0])

    def exists(self, sha256: str) -> bool:
        return bool(self._db.scalar("SELECT 1 FROM attachments WHERE sha256 = ?", (sha256,)))

    def available(self) -> bool:
        """False for a store opened with older migrations only (tests of upgrades)."""
        return bool(self._db.scalar("SELECT 1 FROM sqlite_master WHERE name = 'draft_attachments'"))

    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM attachments"))

    # -- drafts -------------------------------------------------------------------------------

    def draft(self, conversation_id: ConversationId) -> list[Attachment]:
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM draft_attachments r JOIN attachments a USING (sha256)"
            " WHERE r.conversation_id = ? ORDER BY r.position",
            (conversation_id,),
        )
        return [_attachment(row) for row in rows]

    def add_to_draft(
        self, conversation_id: ConversationId, prepared: PreparedAttachment
    ) -> Attachment:
        """Store the content (once) and add it at the end of the conversation's draft."""
        with self._db.transaction():
            self._put(prepared)
            position = self._db.scalar(
                "SELECT coalesce(max(position) + 1, 0) FROM draft_attachments"
                " WHERE conversation_id = ?",
                (conversation_id,),
            )
            self._db.execute(
                "INSERT INTO draft_attachments (conversation_id, position, sha256, name)"
                " VALUES (?, ?, ?, ?)",
                (conversation_id, position, prepared.attachment.sha256, prepared.attachment.name),
            )
        return prepared.attachment

    def remove_from_draft(self, conversation_id: ConversationId, index: int) -> None:
        """Remove the draft's attachment at `index` (0-based, in the order shown)."""
        with self._db.transaction():
            refs = self._draft_refs(conversation_id)
            if not 0 <= index < len(refs):
                raise IndexError(index)
            self._db.execute(
                "DELETE FROM draft_attachments WHERE conversation_id = ? AND position = ?",
                (conversation_id, refs[index]),
            )

    def clear_draft(self, conversation_id: ConversationId) -> None:
        with self._db.transaction():
            self._db.execute(
                "DELETE FROM draft_attachments WHERE conversation_id = ?", (conversation_id,)
            )

    def _draft_refs(self, conversation_id: ConversationId) -> list[int]:
        rows = self._db.query(
            "SELECT position FROM draft_attachments WHERE conversation_id = ? ORDER BY position",
            (conversation_id,),
        )
        return [row[0] for row in rows]

    # -- messages -----------------------------------------------------------------------------

    def move_draft_to_message(self, conversation_id: ConversationId, message_id: MessageId) -> None:
        """The draft's attachments now belong to the message (call inside the transaction
        that adds the message, so both happen or neither)."""
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO message_attachments (message_id, position, sha256, name)"
                " SELECT ?, row_number() OVER (ORDER BY position) - 1, sha256, name"
                " FROM draft_attachments WHERE conversation_id = ?",
                (message_id, conversation_id),
            )
            self.clear_draft(conversation_id)

    def attach(self, message_id: MessageId, attachments: Sequence[Attachment]) -> None:
        """Refer a message to contents already stored (a new version of an edited message)."""
        with self._db.transaction():
            self._db.executemany(
                "INSERT INTO message_attachments (message_id, position, sha256, name)"
                " VALUES (?, ?, ?, ?)",
                [(message_id, i, a.sha256, a.name) for i, a in enumerate(attachments)],
            )

    def import_content(
        self, message_id: MessageId, position: int, prepared: PreparedAttachment
    ) -> None:
        """Store the content (once) and refer the message to it (an import)."""
        with self._db.transaction():
            self._put(prepared)
            self._db.execute(
                "INSERT INTO message_attachments (message_id, position, sha256, name)"
                " VALUES (?, ?, ?, ?)",
                (message_id, position, prepared.attachment.sha256, prepared.attachment.name),
            )

    def of_message(self, message_id: MessageId) -> list[Attachment]:
        return self.of_messages([message_id]).get(message_id, [])

    def of_messages(self, message_ids: Iterable[int]) -> dict[int, list[Attachment]]:
        """Each message's attachments in order; messages without any are left out."""
        ids = list(message_ids)
        found: dict[int, list[Attachment]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._db.query(
                f"SELECT r.message_id, {_COLUMNS} FROM message_attachments r"
                f" JOIN attachments a USING (sha256) WHERE r.message_id IN ({marks})"
                " ORDER BY r.message_id, r.position",
                chunk,
            )
            for row in rows:
                found.setdefault(row[0], []).append(_attachment(row[1:]))
        return found

    # -- upkeep -------------------------------------------------------------------------------

    def collect_garbage(self) -> int:
        """Remove contents nothing refers to (left by a crash). Returns how many."""
        with self._db.transaction():
            cursor = self._db.execute(
                "DELETE FROM attachments AS a WHERE"
                " NOT EXISTS (SELECT 1 FROM message_attachments r WHERE r.sha256 = a.sha256)"
                " AND NOT EXISTS (SELECT 1 FROM draft_attachments r WHERE r.sha256 = a.sha256)"
            )
        return cursor.rowcount
