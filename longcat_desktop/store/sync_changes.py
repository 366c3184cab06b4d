"""The database side of sync: what changed here since the last upload, and merging what other
devices changed. No network and no encryption here (that is longcat_desktop/sync/).

Change records
==============
A change set holds conversation records and tombstones:

    {"conversations": [<record>, ...], "tombstones": [[conversation, message, deleted_at], ...]}

<record> carries a conversation's fields, each group with the time it was last changed
("title": [title, title_is_custom, time], "pinned": [bool, time], "settings": [{...}, time],
"draft": [text, time], "choice": [{"leaf": uuid, "chosen": {parent: child}}, time],
"tools": [json or None, time], "folder": [folder uuid or None, time], "assistant": [assistant
uuid or None, time]), plus "created_at", "updated_at", "revived_at", the draft's attachments
("draft_attachments", part of the draft's field) and the finished messages not uploaded before.
A tombstone's message is "" for the whole conversation. Folders, assistants and prompts travel
beside them (store/sync_library.py); a set carries the record of every folder and assistant its
conversations name. Groups a set does not carry (sets written by older versions) stay as they
are.

A message with attachments lists them under "attachments", in order: {"sha256", "name",
"position", "kind", "media_type", "size", "width", "height"}. The contents travel separately,
once each, as content-addressed objects (sync/blobs.py); this database remembers which it has
uploaded (or received) in sync_meta as "blob:<sha256>". A set is applied only with every
content it refers to at hand, here already or downloaded and verified.

Merge rules
===========
- Messages are a union by UUID. A message is uploaded once it stops streaming; an answer
  continued later is uploaded again and replaces the older copy (the later finished_at wins).
- Each field group is last-writer-wins by its time (ties: the larger value, so every device
  picks the same). updated_at is the latest of both.
- A deletion is a tombstone. A device that receives one for a conversation or branch to which
  it added messages that it has not uploaded yet keeps it instead: the conversation or branch is
  revived (revived_at set later than the deletion) and uploaded whole, so it comes back on every
  device. A message whose parent was deleted on the receiving device is dropped there. A
  device that holds the revival and receives messages from a device that had not heard of it
  yet (they were dropped where the deletion was made) uploads them again, with the revival time.
- The branch shown ("choice") is not taken from another device while an answer is streaming
  here; the finished answer then makes this device's choice the newest. When the chosen leaf
  is gone (deleted elsewhere), every device picks the newest path alike, and picks again as
  messages arrive, until someone chooses.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.store.attachments import Attachments
from longcat_desktop.store.database import Database
from longcat_desktop.store.errors import DatabaseBusyError
from longcat_desktop.store.sync_library import (
    TABLES,
    LibraryMarks,
    LibrarySync,
    Unresolved,
    newer,
)

# A change set stays small enough to apply in one short transaction: about 40 ms for 500
# messages on a 2-core machine, well inside the 100 ms the app's own writes wait for a lock.
MAX_MESSAGES_PER_SET = 500
MAX_TEXT_PER_SET = 1_000_000

_GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "title_is_custom"),
    "pinned": ("pinned",),
    "settings": (
        "model",
        "api_format",
        "system_prompt",
        "temperature",
        "top_p",
        "max_tokens",
        "thinking",
    ),
    "draft": ("draft",),
    # The choice of tools (JSON text, None: the default); absent in change sets written
    # before it synced, which then leave it alone.
    "tools": ("tools",),
}
_CONVERSATION_SYNC_COLUMNS = (
    "id, uuid, title, title_is_custom, pinned, model, api_format, system_prompt, temperature,"
    " top_p, max_tokens, thinking, draft, current_leaf_id, created_at, updated_at, revived_at,"
    " title_at, pinned_at, settings_at, draft_at, leaf_at, tools, tools_at,"
    " (SELECT uuid FROM folders WHERE folders.id = conversations.folder_id), folder_at,"
    " (SELECT uuid FROM assistants WHERE assistants.id = conversations.assistant_id),"
    " assistant_at"
)
# The fields that name a library item: (record key, its table, the row's uuid and time).
_LINKS = (("folder", "folders", 24, 25), ("assistant", "assistants", 26, 27))
_MESSAGE_FIELDS = (
    "uuid",
    "role",
    "status",
    "text",
    "reasoning",
    "reasoning_signature",
    "model",
    "api_format",
    "finish_reason",
    "error_message",
    "error_type",
    "error_code",
    "error_status",
    "error_key",
    "error_args",
    "input_tokens",
    "output_tokens",
    "created_at",
    "first_token_at",
    "finished_at",
    "reasoning_seconds",
    "revived_at",
    # Tool calls and results (JSON); absent in change sets written before tools existed.
    "tool_calls",
    "tool_result",
)
_OPTIONAL_MESSAGE_FIELDS = frozenset({"tool_calls", "tool_result"})
_MESSAGE_SELECT = ", ".join(f"m.{name}" for name in _MESSAGE_FIELDS)
_ATTACHMENT_FIELDS = ("position", "sha256", "name", "kind", "media_type", "size", "width", "height")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class BlobContent:
    """An attachment's content as it travels: the bytes and what the store keeps with them."""

    sha256: str
    kind: str
    media_type: str
    data: bytes
    width: int | None = None
    height: int | None = None
    text: str = ""
    thumbnail: bytes | None = None


@dataclass
class OutgoingSet:
    """One change set to upload, and what to mark as uploaded once it is on the server."""

    document: dict[str, Any]
    # (conversation id, the field times read): cleared only if no edit happened meanwhile.
    conversations: list[tuple[int, tuple[float, ...]]] = field(default_factory=list)
    # (message id, finished_at read).
    messages: list[tuple[int, float | None]] = field(default_factory=list)
    tombstones: list[tuple[str, str, float]] = field(default_factory=list)
    # The contents its messages and drafts refer to (SHA-256), each once, in order of first use.
    blobs: list[str] = field(default_factory=list)
    library: LibraryMarks = field(default_factory=lambda: LibraryMarks([], []))

    @property
    def empty(self) -> bool:
        return not (
            self.document["conversations"]
            or self.document["tombstones"]
            or self.library.items
            or self.library.removed
        )

    def name_item(self, table: str, uuid: str | None, library: LibrarySync) -> None:
        """Carry the record of an item a conversation of the set is in, unless it already does."""
        records = self.document.setdefault(table, [])
        if uuid is None or any(r["id"] == uuid for r in records):
            return
        record = library.record(table, uuid)
        if record is not None:
            records.append(record)


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    time: float
    ok: bool
    text: UserText


@dataclass
class ApplyStats:
    # Conversations added, or changed in any field (so that what shows them is refreshed).
    conversations: int = 0
    messages: int = 0
    deleted: int = 0
    # Folders, assistants and prompts added, changed or deleted.
    library: int = 0

    def add(self, other: ApplyStats) -> None:
        self.conversations += other.conversations
        self.messages += other.messages
        self.deleted += other.deleted
        self.library += other.library


# Each attempt waits the connection's busy timeout (2 s): an app writing all the while still
# leaves the sync a turn within a few attempts.
BUSY_ATTEMPTS = 6

F = TypeVar("F", bound=Callable[..., Any])


def _busy_retry(method: F) -> F:
    """Run a write again when the app held the database for longer than the busy timeout; the
    failed attempt was rolled back whole."""

    @functools.wraps(method)
    def retrying(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(BUSY_ATTEMPTS):
            try:
                return method(*args, **kwargs)
            except DatabaseBusyError:
                if attempt == BUSY_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    return retrying  # type: ignore[return-value]


def _settings_of(row: Any) -> dict[str, Any]:
    """The settings group of a row read with _CONVERSATION_SYNC_COLUMNS."""
    return dict(zip(_GROUP_COLUMNS["settings"], row[5:12], strict=True))


def _tools_of(record: Mapping[str, Any]) -> tuple[str | None, float]:
    """A record's choice of tools and its time; the default, never set, if it has none."""
    if "tools" not in record:
        return None, 0.0
    value, stamp = record["tools"]
    return (None if value is None else str(value)), float(stamp)


class SyncLedger:
    """Sync's view of one database. Every write is one short transaction."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock
        self._library = LibrarySync(db)
        # The contents downloaded for the set being applied (see apply).
        self._incoming_blobs: Mapping[str, BlobContent] = {}

    # -- this device and the server it syncs with ---------------------------------------------

    def _meta(self, key: str) -> str | None:
        value: str | None = self._db.scalar("SELECT value FROM sync_meta WHERE key = ?", (key,))
        return value

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO sync_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @_busy_retry
    def device_id(self) -> str:
        """This data folder's id on the server: random, created on first use, and created anew
        when the folder turns out to be a copy (its home, see device_home.py, differs from the
        one recorded with the id): otherwise the copy and the original would upload under one
        id, and each would skip the other's change sets as its own. A folder from before homes
        were recorded keeps its id and records its home."""
        from longcat_desktop.store.device_home import device_home

        home = device_home(self._db.path)
        with self._db.transaction():
            device = self._meta("device")
            recorded = self._meta("device_home")
            if device is not None and recorded is not None and recorded != home:
                self._leave_copied_id(device)
                device = None
            if device is None:
                import secrets

                device = secrets.token_hex(16)
                self._set_meta("device", device)
            if recorded != home:
                self._set_meta("device_home", home)
        return device

    def _leave_copied_id(self, device: str) -> None:
        """The copy holds everything it uploaded under the old id (up to next_sequence - 1):
        only what the original uploads under it from now on is new to the copy. What is marked
        uploaded stays so: it is on the server, under the old id."""
        uploaded = self.next_sequence() - 1
        if uploaded > 0:
            self._count_applied(device, uploaded)
        self._set_meta("next_sequence", "1")

    @_busy_retry
    def bind(self, server_id: str) -> bool:
        """Remember which server store this folder syncs with. Returns True when it is another
        one than before: then everything here counts as not uploaded, and nothing as applied."""
        with self._db.transaction():
            if self._meta("server") == server_id:
                return False
            self._set_meta("server", server_id)
            self._set_meta("next_sequence", "1")
            self._db.execute("DELETE FROM sync_peers")
            self._db.execute("DELETE FROM sync_orphans")
            self._db.execute(
                "DELETE FROM sync_meta WHERE key LIKE 'blob:%' OR key LIKE 'waiting:%'"
            )
            self._db.execute("UPDATE conversations SET sync_dirty = 1")
            self._db.execute("UPDATE messages SET uploaded = 0")
            self._db.execute("UPDATE sync_tombstones SET uploaded = 0")
            self._library.rebind()
        return True

    @_busy_retry
    def forget_server(self) -> None:
        """Disconnect: the next server starts from scratch (see bind)."""
        with self._db.transaction():
            self._db.execute("DELETE FROM sync_meta WHERE key IN ('server', 'next_sequence')")

    @_busy_retry
    def record_outcome(self, when: float, ok: bool, text: UserText) -> None:
        """The last sync's time and result, for the settings page (written by app and CLI)."""
        outcome = {"time": when, "ok": ok, "template": text.template, "args": list(text.args)}
        with self._db.transaction():
            self._set_meta("last_sync", json.dumps(outcome))

    def last_outcome(self) -> SyncOutcome | None:
        raw = self._meta("last_sync")
        if raw is None:
            return None
        try:
            value = json.loads(raw)
            text = UserText(str(value["template"]), tuple(str(a) for a in value["args"]))
            return SyncOutcome(float(value["time"]), bool(value["ok"]), text)
        except (ValueError, KeyError, TypeError):
            return None

    def next_sequence(self) -> int:
        return int(self._meta("next_sequence") or "1")

    @_busy_retry
    def set_next_sequence(self, sequence: int) -> None:
        with self._db.transaction():
            self._set_meta("next_sequence", str(sequence))

    def _count_applied(self, device: str, sequence: int) -> None:
        """Another device's sets up to `sequence` are merged here (or waiting, see wait_for)."""
        self._db.execute(
            "INSERT INTO sync_peers (device, applied) VALUES (?, ?)"
            " ON CONFLICT (device) DO UPDATE SET applied = max(applied, excluded.applied)",
            (device, sequence),
        )

    def applied(self) -> dict[str, int]:
        """For each other device: the last of its change sets merged here."""
        return {row[0]: row[1] for row in self._db.query("SELECT device, applied FROM sync_peers")}

    def waiting(self) -> dict[str, list[int]]:
        """For each other device: its sets that could not be merged yet, in order."""
        found: dict[str, list[int]] = {}
        for (key,) in self._db.query("SELECT key FROM sync_meta WHERE key LIKE 'waiting:%'"):
            device, _, sequence = key.removeprefix("waiting:").partition("/")
            if sequence.isdigit():
                found.setdefault(device, []).append(int(sequence))
        return {device: sorted(sequences) for device, sequences in found.items()}

    @_busy_retry
    def wait_for(self, device: str, sequence: int) -> None:
        """A set of another device that could not be merged: tried again at the next sync,
        while its later sets are merged (and counted as merged) meanwhile."""
        with self._db.transaction():
            self._set_meta(f"waiting:{device}/{sequence}", "1")
            self._count_applied(device, sequence)

    @_busy_retry
    def stop_waiting(self, device: str, sequence: int) -> None:
        with self._db.transaction():
            self._db.execute(
                "DELETE FROM sync_meta WHERE key = ?", (f"waiting:{device}/{sequence}",)
            )

    # -- outgoing -----------------------------------------------------------------------------

    def pending(self) -> bool:
        """Whether anything here waits to be uploaded (cheap: a few index lookups)."""
        return bool(
            self._db.scalar(
                "SELECT EXISTS (SELECT 1 FROM conversations WHERE sync_dirty = 1)"
                " OR EXISTS (SELECT 1 FROM messages WHERE uploaded = 0 AND status != 'streaming')"
                " OR EXISTS (SELECT 1 FROM sync_tombstones WHERE uploaded = 0)"
                f" OR {LibrarySync.PENDING_SQL}"
            )
        )

    def outgoing(self) -> Iterator[OutgoingSet]:
        """The local changes, in sets of bounded size. Read only; mark_uploaded() after each."""
        tombstones = [
            (row[0], row[1], row[2])
            for row in self._db.query(
                "SELECT conversation_uuid, message_uuid, deleted_at FROM sync_tombstones"
                " WHERE uploaded = 0 ORDER BY deleted_at"
            )
        ]
        ids = [
            row[0]
            for row in self._db.query(
                "SELECT id FROM conversations WHERE sync_dirty = 1 UNION"
                " SELECT conversation_id FROM messages WHERE uploaded = 0"
                " AND status != 'streaming' ORDER BY 1"
            )
        ]
        current = self._new_set()
        current.document["tombstones"] = [list(t) for t in tombstones]
        current.tombstones = tombstones
        library, current.library = self._library.outgoing()
        current.document.update(library)
        count = 0
        size = 0
        for conversation_id in ids:
            built = self._record(conversation_id)
            if built is None:
                continue
            record, times, messages = built
            record_size = sum(len(m["text"]) + len(m["reasoning"]) for m in record["messages"])
            if (count or size) and (
                count + len(messages) > MAX_MESSAGES_PER_SET
                or size + record_size > MAX_TEXT_PER_SET
            ):
                yield current
                current = self._new_set()
                count = size = 0
            current.document["conversations"].append(record)
            current.conversations.append((conversation_id, times))
            current.messages.extend(messages)
            for key, table, _, _ in _LINKS:
                current.name_item(table, record[key][0], self._library)
            references = [m.get("attachments", ()) for m in record["messages"]]
            for reference in [*(r for rs in references for r in rs), *record["draft_attachments"]]:
                if reference["sha256"] not in current.blobs:
                    current.blobs.append(reference["sha256"])
            count += len(messages)
            size += record_size
        if not current.empty:
            yield current

    @staticmethod
    def _new_set() -> OutgoingSet:
        return OutgoingSet({"conversations": [], "tombstones": []})

    def _record(
        self, conversation_id: int
    ) -> tuple[dict[str, Any], tuple[float, ...], list[tuple[int, float | None]]] | None:
        row = self._db.query_one(
            f"SELECT {_CONVERSATION_SYNC_COLUMNS} FROM conversations WHERE id = ?",
            (conversation_id,),
        )
        if row is None:
            return None
        rows = self._db.query(
            f"SELECT m.id, p.uuid, {_MESSAGE_SELECT} FROM messages m"
            " LEFT JOIN messages p ON p.id = m.parent_id"
            " WHERE m.conversation_id = ? AND m.uploaded = 0 AND m.status != 'streaming'"
            " ORDER BY m.id",
            (conversation_id,),
        )
        attachments = self._attachment_references(conversation_id)
        messages = []
        marks = []
        for message in rows:
            record = dict(zip(_MESSAGE_FIELDS, message[2:], strict=True))
            record["parent"] = message[1]
            if message[0] in attachments:
                record["attachments"] = attachments[message[0]]
            messages.append(record)
            marks.append((message[0], record["finished_at"]))
        times = (*row[17:22], row[23], row[25], row[27])
        record = {
            "id": row[1],
            "created_at": row[14],
            "updated_at": row[15],
            "revived_at": row[16],
            "title": [row[2], bool(row[3]), row[17]],
            "pinned": [bool(row[4]), row[18]],
            "settings": [
                _settings_of(row),
                row[19],
            ],
            "draft": [row[12], row[20]],
            "draft_attachments": self._draft_references(conversation_id),
            "tools": [row[22], row[23]],
            "folder": [row[24], row[25]],
            "assistant": [row[26], row[27]],
            "choice": [self._choice(conversation_id, row[13]), row[21]],
            "messages": messages,
        }
        return record, times, marks

    def _attachment_references(self, conversation_id: int) -> dict[int, list[dict[str, Any]]]:
        """The attachments of the conversation's messages waiting to be uploaded."""
        rows = self._db.query(
            "SELECT r.message_id, r.position, r.sha256, r.name, a.kind, a.media_type, a.size,"
            " a.width, a.height FROM message_attachments r JOIN attachments a USING (sha256)"
            " JOIN messages m ON m.id = r.message_id WHERE m.conversation_id = ?"
            " AND m.uploaded = 0 AND m.status != 'streaming' ORDER BY r.message_id, r.position",
            (conversation_id,),
        )
        found: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            found.setdefault(row[0], []).append(dict(zip(_ATTACHMENT_FIELDS, row[1:], strict=True)))
        return found

    def _draft_references(self, conversation_id: int) -> list[dict[str, Any]]:
        rows = self._db.query(
            "SELECT r.position, r.sha256, r.name, a.kind, a.media_type, a.size, a.width,"
            " a.height FROM draft_attachments r JOIN attachments a USING (sha256)"
            " WHERE r.conversation_id = ? ORDER BY r.position",
            (conversation_id,),
        )
        return [dict(zip(_ATTACHMENT_FIELDS, row, strict=True)) for row in rows]

    # -- contents (attachment blobs) ----------------------------------------------------------

    def blob_uploaded(self, sha256: str) -> bool:
        """Whether the server has this content: uploaded from here, or received from there."""
        return self._meta(f"blob:{sha256}") is not None

    @_busy_retry
    def mark_blob_uploaded(self, sha256: str) -> None:
        with self._db.transaction():
            self._set_meta(f"blob:{sha256}", "1")

    def blob(self, sha256: str) -> BlobContent | None:
        """The content to upload; None if it is gone here (its last message deleted since)."""
        row = self._db.query_one(
            "SELECT kind, media_type, data, width, height, text, thumbnail FROM attachments"
            " WHERE sha256 = ?",
            (sha256,),
        )
        if row is None:
            return None
        thumbnail = None if row[6] is None else bytes(row[6])
        return BlobContent(sha256, row[0], row[1], bytes(row[2]), row[3], row[4], row[5], thumbnail)

    def missing_blobs(self, document: Mapping[str, Any]) -> list[str]:
        """The contents that the set's messages (and those waiting for a parent) refer to and
        that are not here. Raises ValueError for a malformed reference."""
        wanted: list[str] = []
        messages = [m for record in document["conversations"] for m in record["messages"]]
        messages += [
            json.loads(row[0]) for row in self._db.query("SELECT record FROM sync_orphans")
        ]
        references = [r for m in messages for r in m.get("attachments", ())]
        references += [
            r for record in document["conversations"] for r in record.get("draft_attachments", ())
        ]
        for reference in references:
            sha256 = reference["sha256"]
            if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
                raise ValueError("malformed attachment reference")
            if sha256 not in wanted and not self._db.scalar(
                "SELECT 1 FROM attachments WHERE sha256 = ?", (sha256,)
            ):
                wanted.append(sha256)
        return wanted

    def _apply_attachments(self, message_id: int, m: Mapping[str, Any]) -> None:
        for reference in m.get("attachments", ()):
            sha256 = self._content_for(reference)
            self._db.execute(
                "INSERT OR REPLACE INTO message_attachments (message_id, position, sha256, name)"
                " VALUES (?, ?, ?, ?)",
                (message_id, int(reference["position"]), sha256, str(reference["name"])),
            )

    def _apply_draft_attachments(
        self, conversation_id: int, references: list[Mapping[str, Any]]
    ) -> None:
        """The draft's attachments become the record's. The new ones are written before the old
        ones go, so a content in both is never released in between."""
        offset = 1 << 40
        rows = [
            (conversation_id, offset + int(r["position"]), self._content_for(r), str(r["name"]))
            for r in references
        ]
        self._db.executemany(
            "INSERT INTO draft_attachments (conversation_id, position, sha256, name)"
            " VALUES (?, ?, ?, ?)",
            rows,
        )
        self._db.execute(
            "DELETE FROM draft_attachments WHERE conversation_id = ? AND position < ?",
            (conversation_id, offset),
        )
        self._db.execute(
            "UPDATE draft_attachments SET position = position - ? WHERE conversation_id = ?",
            (offset, conversation_id),
        )

    def _content_for(self, reference: Mapping[str, Any]) -> str:
        """Make sure a referenced content is here (downloaded for this set, or kept already)."""
        sha256 = str(reference["sha256"])
        content = self._incoming_blobs.get(sha256)
        if content is not None:
            self._db.execute(
                "INSERT OR IGNORE INTO attachments (sha256, kind, media_type, size, width,"
                " height, text, thumbnail, data, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sha256,
                    content.kind,
                    content.media_type,
                    len(content.data),
                    content.width,
                    content.height,
                    content.text,
                    content.thumbnail,
                    content.data,
                    self._clock(),
                ),
            )
            self._set_meta(f"blob:{sha256}", "1")
        elif not self._db.scalar("SELECT 1 FROM attachments WHERE sha256 = ?", (sha256,)):
            raise KeyError(f"no content {sha256}")
        return sha256

    def _choice(self, conversation_id: int, leaf_id: int | None) -> dict[str, Any]:
        """The branch shown, by UUIDs, leaving out answers still streaming."""
        rows = self._db.query(
            "SELECT id, uuid, parent_id, status, selected_child_id FROM messages"
            " WHERE conversation_id = ?",
            (conversation_id,),
        )
        by_id = {r[0]: r for r in rows}
        leaf = by_id.get(leaf_id) if leaf_id is not None else None
        while leaf is not None and leaf[3] == "streaming":
            leaf = by_id.get(leaf[2]) if leaf[2] is not None else None
        chosen = {}
        for r in rows:
            child = by_id.get(r[4]) if r[4] is not None else None
            if child is not None and child[2] == r[0] and child[3] != "streaming":
                chosen[r[1]] = child[1]
        return {"leaf": None if leaf is None else leaf[1], "chosen": chosen}

    @_busy_retry
    def mark_uploaded(self, outgoing: OutgoingSet) -> None:
        """After the set is on the server: what was sent and not edited since is up to date."""
        with self._db.transaction():
            for conversation_id, times in outgoing.conversations:
                self._db.execute(
                    "UPDATE conversations SET sync_dirty = 0 WHERE id = ? AND title_at = ?"
                    " AND pinned_at = ? AND settings_at = ? AND draft_at = ? AND leaf_at = ?"
                    " AND tools_at = ? AND folder_at = ? AND assistant_at = ?",
                    (conversation_id, *times),
                )
            self._library.mark_uploaded(outgoing.library)
            self._db.executemany(
                "UPDATE messages SET uploaded = 1 WHERE id = ? AND finished_at IS ?"
                " AND status != 'streaming'",
                outgoing.messages,
            )
            self._db.executemany(
                "UPDATE sync_tombstones SET uploaded = 1 WHERE conversation_uuid = ?"
                " AND message_uuid = ? AND deleted_at = ?",
                outgoing.tombstones,
            )

    # -- incoming -----------------------------------------------------------------------------

    @contextmanager
    def _applying(self) -> Iterator[None]:
        with self._db.transaction():
            self._db.execute("INSERT INTO sync_applying (one) VALUES (1)")
            try:
                yield
            finally:
                self._db.execute("DELETE FROM sync_applying")

    @_busy_retry
    def apply(
        self,
        document: Mapping[str, Any],
        device: str,
        sequence: int,
        blobs: Mapping[str, BlobContent] | None = None,
    ) -> ApplyStats:
        """Merge one change set of another device, and remember it as applied: all or nothing.

        `document` has been authenticated; its shape is still checked (ValueError, KeyError or
        TypeError for a malformed one, which then changes nothing). `blobs` holds, verified,
        every content of missing_blobs(document); a reference to any other content not here
        is a KeyError.
        """
        stats = ApplyStats()
        self._incoming_blobs = blobs or {}
        try:
            self._apply_set(document, device, sequence, stats)
        finally:
            self._incoming_blobs = {}
            self._library.finish()
        return stats

    def _apply_set(
        self, document: Mapping[str, Any], device: str, sequence: int, stats: ApplyStats
    ) -> None:
        with self._applying():
            stats.library += self._library.apply(document)
            for tombstone in document["tombstones"]:
                conversation, message, deleted_at = tombstone
                stats.deleted += self._apply_tombstone(
                    str(conversation), str(message), float(deleted_at)
                )
            for record in document["conversations"]:
                self._apply_record(record, stats)
            self._retry_orphans(stats)
            self._retry_choices()
            self._repick_leaves()
            # Kept while the set was applied (see migration 10's release triggers).
            Attachments(self._db).collect_garbage()
            self._count_applied(device, sequence)

    def _conversation(self, conversation_uuid: str) -> Any:
        return self._db.query_one(
            f"SELECT {_CONVERSATION_SYNC_COLUMNS} FROM conversations WHERE uuid = ?",
            (conversation_uuid,),
        )

    def _tombstone(self, conversation_uuid: str, message_uuid: str) -> float | None:
        value: float | None = self._db.scalar(
            "SELECT deleted_at FROM sync_tombstones WHERE conversation_uuid = ?"
            " AND message_uuid = ?",
            (conversation_uuid, message_uuid),
        )
        return value

    def _keep_tombstone(self, conversation_uuid: str, message_uuid: str, deleted_at: float) -> None:
        self._db.execute(
            "INSERT INTO sync_tombstones (conversation_uuid, message_uuid, deleted_at, uploaded)"
            " VALUES (?, ?, ?, 1) ON CONFLICT (conversation_uuid, message_uuid)"
            " DO UPDATE SET deleted_at = max(deleted_at, excluded.deleted_at)",
            (conversation_uuid, message_uuid, deleted_at),
        )

    def _revival_time(self, deleted_at: float) -> float:
        return max(self._clock(), deleted_at + 0.001)

    def _apply_tombstone(self, conversation_uuid: str, message_uuid: str, deleted_at: float) -> int:
        row = self._conversation(conversation_uuid)
        if row is None:
            self._keep_tombstone(conversation_uuid, message_uuid, deleted_at)
            return 0
        conversation_id = row[0]
        if not message_uuid:
            if row[16] >= deleted_at:
                return 0
            unsent = self._db.scalar(
                "SELECT count(*) FROM messages WHERE conversation_id = ? AND uploaded = 0",
                (conversation_id,),
            )
            if unsent:
                # Messages written here offline outweigh the deletion: bring it back everywhere.
                self._db.execute(
                    "UPDATE conversations SET revived_at = ?, sync_dirty = 1 WHERE id = ?",
                    (self._revival_time(deleted_at), conversation_id),
                )
                self._db.execute(
                    "UPDATE messages SET uploaded = 0 WHERE conversation_id = ?",
                    (conversation_id,),
                )
                return 0
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            self._keep_tombstone(conversation_uuid, "", deleted_at)
            return 1
        target = self._db.query_one(
            "SELECT id, revived_at FROM messages WHERE conversation_id = ? AND uuid = ?",
            (conversation_id, message_uuid),
        )
        if target is None:
            self._keep_tombstone(conversation_uuid, message_uuid, deleted_at)
            return 0
        if target[1] >= deleted_at:
            return 0
        below = (
            "WITH RECURSIVE below(id) AS (SELECT ?"
            " UNION ALL SELECT m.id FROM messages m JOIN below ON m.parent_id = below.id)"
        )
        unsent = self._db.scalar(
            f"{below} SELECT count(*) FROM messages WHERE id IN below AND uploaded = 0",
            (target[0],),
        )
        if unsent:
            self._db.execute(
                f"{below} UPDATE messages SET uploaded = 0, revived_at = ? WHERE id IN below",
                (target[0], self._revival_time(deleted_at)),
            )
            self._db.execute(
                "UPDATE conversations SET sync_dirty = 1 WHERE id = ?", (conversation_id,)
            )
            return 0
        self._db.execute(f"{below} DELETE FROM messages WHERE id IN below", (target[0],))
        self._keep_tombstone(conversation_uuid, message_uuid, deleted_at)
        self._repair_leaf(conversation_id)
        return 1

    def _repair_leaf(self, conversation_id: int) -> None:
        """A leaf that was deleted gives way to one every device picks alike. Picked, not
        chosen: it is picked again after every set (_repick_leaves), so that devices that
        picked before different messages arrived end alike, until a choice is made."""
        row = self._db.query_one(
            "SELECT current_leaf_id, leaf_at FROM conversations WHERE id = ?", (conversation_id,)
        )
        leaf = row[0]
        if leaf is not None and self._db.scalar("SELECT 1 FROM messages WHERE id = ?", (leaf,)):
            return
        self._pick_leaf(conversation_id)
        self._set_meta(f"picked:{conversation_id}", repr(float(row[1])))

    def _repick_leaves(self) -> None:
        for key, text in self._db.query(
            "SELECT key, value FROM sync_meta WHERE key LIKE 'picked:%'"
        ):
            conversation_id = int(key.removeprefix("picked:"))
            leaf_at = self._db.scalar(
                "SELECT leaf_at FROM conversations WHERE id = ?", (conversation_id,)
            )
            if leaf_at is None or float(leaf_at) != float(text):
                # Gone, or a choice was made since.
                self._db.execute("DELETE FROM sync_meta WHERE key = ?", (key,))
                continue
            self._pick_leaf(conversation_id)

    def _pick_leaf(self, conversation_id: int) -> None:
        current = self._db.scalar(
            "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS NULL"
            " ORDER BY created_at DESC, uuid DESC LIMIT 1",
            (conversation_id,),
        )
        while current is not None:
            child = self._db.scalar(
                "SELECT id FROM messages WHERE parent_id = ?"
                " ORDER BY created_at DESC, uuid DESC LIMIT 1",
                (current,),
            )
            if child is None:
                break
            current = child
        self._db.execute(
            "UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (current, conversation_id)
        )

    def _apply_record(self, record: Mapping[str, Any], stats: ApplyStats) -> None:
        conversation_uuid = str(record["id"])
        revived_at = float(record["revived_at"])
        row = self._conversation(conversation_uuid)
        if row is None:
            deleted_at = self._tombstone(conversation_uuid, "")
            if deleted_at is not None and deleted_at >= revived_at:
                return
            self._db.execute(
                "DELETE FROM sync_tombstones WHERE conversation_uuid = ?", (conversation_uuid,)
            )
            settings = record["settings"][0]
            self._db.execute(
                "INSERT INTO conversations (uuid, title, title_is_custom, pinned, model,"
                " api_format, system_prompt, temperature, top_p, max_tokens, thinking, draft,"
                " created_at, updated_at, revived_at, title_at, pinned_at, settings_at, draft_at,"
                " tools, tools_at, sync_dirty)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (
                    conversation_uuid,
                    str(record["title"][0]),
                    int(bool(record["title"][1])),
                    int(bool(record["pinned"][0])),
                    str(settings["model"]),
                    str(settings["api_format"]),
                    str(settings["system_prompt"]),
                    settings["temperature"],
                    settings["top_p"],
                    settings["max_tokens"],
                    settings["thinking"],
                    str(record["draft"][0]),
                    float(record["created_at"]),
                    float(record["updated_at"]),
                    revived_at,
                    float(record["title"][2]),
                    float(record["pinned"][1]),
                    float(record["settings"][1]),
                    float(record["draft"][1]),
                    *_tools_of(record),
                ),
            )
            stats.conversations += 1
            row = self._conversation(conversation_uuid)
            self._apply_links(row[0], None, record)
            if record.get("draft_attachments"):
                self._apply_draft_attachments(row[0], record["draft_attachments"])
            before = None
        else:
            before = tuple(row)
            self._merge_fields(row, record)
            self._apply_links(row[0], row, record)
        conversation_id = row[0]
        self._apply_messages(
            conversation_id,
            conversation_uuid,
            record["messages"],
            stats,
            seen_revival=float(record["revived_at"]),
        )
        self._apply_choice(conversation_id, conversation_uuid, record["choice"])
        if before is not None and tuple(self._conversation(conversation_uuid)) != before:
            # Counted as changed, so that what shows it is refreshed.
            stats.conversations += 1

    def _merge_fields(self, row: Any, record: Mapping[str, Any]) -> None:
        conversation_id = row[0]
        local: dict[str, tuple[Any, float]] = {
            "title": ([row[2], bool(row[3])], row[17]),
            "pinned": (bool(row[4]), row[18]),
            "settings": (
                _settings_of(row),
                row[19],
            ),
            "draft": (row[12], row[20]),
            "tools": (row[22], row[23]),
        }
        remote: dict[str, tuple[Any, float]] = {
            "title": ([str(record["title"][0]), bool(record["title"][1])], record["title"][2]),
            "pinned": (bool(record["pinned"][0]), float(record["pinned"][1])),
            "settings": (dict(record["settings"][0]), float(record["settings"][1])),
            "draft": (str(record["draft"][0]), float(record["draft"][1])),
        }
        if "tools" in record:
            remote["tools"] = _tools_of(record)
        if "draft_attachments" in record and newer(remote["draft"], local["draft"]):
            self._apply_draft_attachments(conversation_id, record["draft_attachments"])
        for group, columns in _GROUP_COLUMNS.items():
            if group not in remote or not newer(remote[group], local[group]):
                continue
            value, stamp = remote[group]
            if group == "title":
                values: list[Any] = [value[0], int(value[1])]
            elif group == "pinned":
                values = [int(value)]
            elif group == "settings":
                values = [value[c] for c in columns]
            else:
                values = [value]
            assignments = ", ".join(f"{c} = ?" for c in columns)
            self._db.execute(
                f"UPDATE conversations SET {assignments}, {group}_at = ? WHERE id = ?",
                (*values, float(stamp), conversation_id),
            )
        self._db.execute(
            "UPDATE conversations SET updated_at = max(updated_at, ?),"
            " revived_at = max(revived_at, ?) WHERE id = ?",
            (float(record["updated_at"]), float(record["revived_at"]), conversation_id),
        )

    def _apply_links(self, conversation_id: int, row: Any, record: Mapping[str, Any]) -> None:
        """The conversation's folder and assistant, if newer (`row` None: a new conversation).
        Sets from before they synced carry neither."""
        for key, table, uuid_index, stamp_index in _LINKS:
            if key not in record:
                continue
            uuid = None if record[key][0] is None else str(record[key][0])
            stamp = float(record[key][1])
            if row is not None and not newer((uuid, stamp), (row[uuid_index], row[stamp_index])):
                continue
            try:
                item_id = self._library.resolve(table, uuid, stamp)
            except Unresolved:
                continue
            link = TABLES[table].link
            assert link is not None
            column, stamp_column = link
            self._db.execute(
                f"UPDATE conversations SET {column} = ?, {stamp_column} = ? WHERE id = ?",
                (item_id, stamp, conversation_id),
            )

    def _parent(self, conversation_id: int, message_uuid: str) -> tuple[int, float] | None:
        """A message's row id and revival time, if it is here."""
        row = self._db.query_one(
            "SELECT id, revived_at FROM messages WHERE conversation_id = ? AND uuid = ?",
            (conversation_id, message_uuid),
        )
        return None if row is None else (int(row[0]), float(row[1]))

    def _apply_messages(
        self,
        conversation_id: int,
        conversation_uuid: str,
        messages: list[Mapping[str, Any]],
        stats: ApplyStats,
        *,
        seen_revival: float,
    ) -> None:
        waiting = sorted(messages, key=lambda m: (float(m["created_at"]), str(m["uuid"])))
        while waiting:
            later = []
            for message in waiting:
                outcome = self._apply_message(
                    conversation_id, conversation_uuid, message, seen_revival
                )
                if outcome is None:
                    later.append(message)
                else:
                    stats.messages += outcome
            if len(later) == len(waiting):
                for message in later:
                    self._db.execute(
                        "INSERT OR REPLACE INTO sync_orphans (conversation_uuid, message_uuid,"
                        " record) VALUES (?, ?, ?)",
                        (conversation_uuid, str(message["uuid"]), json.dumps(message)),
                    )
                return
            waiting = later

    def _apply_message(
        self,
        conversation_id: int,
        conversation_uuid: str,
        m: Mapping[str, Any],
        seen_revival: float = 0.0,
    ) -> int | None:
        """1 if added or updated, 0 if not needed; None if its parent has not arrived yet.

        `seen_revival`: the conversation's revival time as the sender knew it (0: unknown).
        A message from a sender that had not seen the revival of its conversation or of its
        branch was dropped by the computers that deleted them: it is sent on from here, with
        its branch's revival time, so that they take it."""
        message_uuid = str(m["uuid"])
        revived_at = float(m["revived_at"])
        existing = self._db.query_one(
            "SELECT id, status, finished_at, revived_at FROM messages"
            " WHERE conversation_id = ? AND uuid = ?",
            (conversation_id, message_uuid),
        )
        values = [
            m.get(name) if name in _OPTIONAL_MESSAGE_FIELDS else m[name]
            for name in _MESSAGE_FIELDS[1:]
        ]
        if existing is not None:
            newer = (m["finished_at"] or 0.0) > (existing[2] or 0.0)
            if existing[1] == "streaming" or not newer:
                if revived_at > existing[3]:
                    self._db.execute(
                        "UPDATE messages SET revived_at = ? WHERE id = ?", (revived_at, existing[0])
                    )
                return 0
            assignments = ", ".join(f"{name} = ?" for name in _MESSAGE_FIELDS[1:])
            self._db.execute(
                f"UPDATE messages SET {assignments}, uploaded = 1 WHERE id = ?",
                (*values, existing[0]),
            )
            return 1
        deleted_at = self._tombstone(conversation_uuid, message_uuid)
        if deleted_at is not None and deleted_at >= revived_at:
            return 0
        parent_uuid = m["parent"]
        parent_id = None
        branch_revival = 0.0
        if parent_uuid is not None:
            parent = self._parent(conversation_id, str(parent_uuid))
            if parent is not None:
                parent_id, branch_revival = parent
            else:
                parent_deleted = self._tombstone(conversation_uuid, str(parent_uuid))
                if parent_deleted is not None and parent_deleted >= revived_at:
                    # Deleted here with its parent; its own children follow it.
                    self._keep_tombstone(conversation_uuid, message_uuid, parent_deleted)
                    return 0
                return None
        self._db.execute(
            "DELETE FROM sync_tombstones WHERE conversation_uuid = ? AND message_uuid = ?",
            (conversation_uuid, message_uuid),
        )
        conversation_revival = float(
            self._db.scalar("SELECT revived_at FROM conversations WHERE id = ?", (conversation_id,))
        )
        missed = conversation_revival > seen_revival or branch_revival > revived_at
        values[_MESSAGE_FIELDS.index("revived_at") - 1] = max(revived_at, branch_revival)
        columns = ", ".join(_MESSAGE_FIELDS)
        placeholders = ", ".join("?" for _ in _MESSAGE_FIELDS)
        cursor = self._db.execute(
            f"INSERT INTO messages (conversation_id, parent_id, uploaded, {columns})"
            f" VALUES (?, ?, ?, {placeholders})",
            (conversation_id, parent_id, int(not missed), message_uuid, *values),
        )
        assert cursor.lastrowid is not None
        self._apply_attachments(cursor.lastrowid, m)
        return 1

    def _apply_choice(
        self,
        conversation_id: int,
        conversation_uuid: str,
        choice: list[Any],
        *,
        again: bool = False,
    ) -> None:
        """The branch shown, if newer. One that names messages not here yet is kept and applied
        again once they arrive (_retry_choices)."""
        value, stamp = choice[0], float(choice[1])
        row = self._db.query_one(
            "SELECT leaf_at, EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?"
            " AND status = 'streaming') FROM conversations WHERE id = ?",
            (conversation_id, conversation_id),
        )
        if row[1] or (stamp <= row[0] and not (again and stamp == row[0])):
            self._repair_leaf(conversation_id)
            return
        ids = {
            r[0]: r[1]
            for r in self._db.query(
                "SELECT uuid, id FROM messages WHERE conversation_id = ?", (conversation_id,)
            )
        }
        self._db.execute(
            "UPDATE messages SET selected_child_id = NULL WHERE conversation_id = ?"
            " AND selected_child_id IS NOT NULL",
            (conversation_id,),
        )
        self._db.executemany(
            "UPDATE messages SET selected_child_id = ? WHERE id = ?",
            [
                (ids[child], ids[parent])
                for parent, child in dict(value["chosen"]).items()
                if parent in ids and child in ids
            ],
        )
        self._db.execute(
            "UPDATE conversations SET current_leaf_id = ?, leaf_at = ? WHERE id = ?",
            (ids.get(value["leaf"]), stamp, conversation_id),
        )
        self._db.execute("DELETE FROM sync_meta WHERE key = ?", (f"picked:{conversation_id}",))
        self._repair_leaf(conversation_id)
        named = [value["leaf"], *value["chosen"].keys(), *value["chosen"].values()]
        key = f"choice:{conversation_uuid}"
        if any(uuid is not None and uuid not in ids for uuid in named):
            self._set_meta(key, json.dumps(choice))
        else:
            self._db.execute("DELETE FROM sync_meta WHERE key = ?", (key,))

    def _retry_choices(self) -> None:
        for key, text in self._db.query(
            "SELECT key, value FROM sync_meta WHERE key LIKE 'choice:%'"
        ):
            conversation_uuid = key.removeprefix("choice:")
            choice = json.loads(text)
            row = self._db.query_one(
                "SELECT id, leaf_at FROM conversations WHERE uuid = ?", (conversation_uuid,)
            )
            if row is None or row[1] != float(choice[1]):
                # Gone, or a newer choice was made since: this one no longer matters.
                self._db.execute("DELETE FROM sync_meta WHERE key = ?", (key,))
                continue
            self._apply_choice(row[0], conversation_uuid, choice, again=True)

    def _retry_orphans(self, stats: ApplyStats) -> None:
        # Until a pass places none: an orphan's parent may itself be an orphan placed just now.
        while self._place_orphans(stats):
            pass

    def _place_orphans(self, stats: ApplyStats) -> bool:
        placed = False
        rows = self._db.query("SELECT conversation_uuid, message_uuid, record FROM sync_orphans")
        for conversation_uuid, message_uuid, text in rows:
            conversation_id = self._db.scalar(
                "SELECT id FROM conversations WHERE uuid = ?", (conversation_uuid,)
            )
            outcome = None
            if conversation_id is not None:
                outcome = self._apply_message(conversation_id, conversation_uuid, json.loads(text))
            if conversation_id is None or outcome is not None:
                self._db.execute(
                    "DELETE FROM sync_orphans WHERE conversation_uuid = ? AND message_uuid = ?",
                    (conversation_uuid, message_uuid),
                )
                stats.messages += outcome or 0
                placed = True
        return placed
