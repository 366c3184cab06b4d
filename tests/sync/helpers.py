"""A device for the sync tests: a data folder, its store, and one call to sync it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store import Store
from longcat_desktop.store.attachments import content_hash
from longcat_desktop.sync.command import SyncConfig, sync_once
from longcat_desktop.sync.engine import SyncResult
from tests.fakes.webdav_server import PASSWORD, USER

PASSPHRASE = "purple elephants dance at midnight"
# scrypt at its cheapest: the tests are about the protocol, not the cost of guessing.
TEST_KDF_N = 1 << 10
SETTINGS = ConversationSettings(model="LongCat-Flash-Chat", api_format=ApiFormat.OPENAI)
MARKER = b"LONGCAT-DISTINCTIVE-PIXELS-0xC0FFEE"


class SyncServer(Protocol):
    """A WebDAV server the tests start: wsgidav (tests/fakes/webdav_server.py) or rclone."""

    @property
    def url(self) -> str: ...

    @property
    def folder(self) -> Path: ...


class Device:
    def __init__(self, data_dir: Path, server: SyncServer) -> None:
        self.data_dir = data_dir
        self.server = server
        Store.open(data_dir).close()

    def config(self, **changes: Any) -> SyncConfig:
        values: dict[str, Any] = {
            "url": self.server.url,
            "user": USER,
            "password": PASSWORD,
            "passphrase": PASSPHRASE,
        }
        values.update(changes)
        return SyncConfig(**values)

    def sync(self, *, timeout: float = 5.0, **changes: Any) -> SyncResult:
        return sync_once(
            self.data_dir, self.config(**changes), new_key_n=TEST_KDF_N, timeout=timeout
        )

    @contextmanager
    def store(self) -> Iterator[Store]:
        with Store.open(self.data_dir) as store:
            yield store

    def chat(self, question: str, answer: str, *, title: str = "") -> str:
        """A new conversation with one question and its answer; returns its UUID."""
        with self.store() as store:
            conversation = store.conversations.create(SETTINGS, title=title)
            asked = store.messages.add_user_message(conversation.id, None, question)
            answer_id = answered(store, conversation.id, asked.id, answer)
            assert answer_id
            return conversation.uuid

    def export(self) -> dict[str, Any]:
        """The JSON export as the app makes it: two devices holding the same write the same,
        whatever order their rows were added in."""
        with self.store() as store:
            return store.export_document()

    def export_file(self) -> str:
        """The JSON export as the app writes it to a file."""
        with self.store() as store:
            return store.export_json()

    def conversation(self, conversation_uuid: str) -> dict[str, Any] | None:
        for conversation in self.export()["conversations"]:
            if conversation["id"] == conversation_uuid:
                found: dict[str, Any] = conversation
                return found
        return None

    def texts(self, conversation_uuid: str) -> list[str]:
        conversation = self.conversation(conversation_uuid)
        assert conversation is not None
        return sorted(m["text"] for m in conversation["messages"])

    def local_id(self, store: Store, conversation_uuid: str) -> ConversationId:
        found = store.conversations.find_by_uuid(conversation_uuid)
        assert found is not None
        return found.id


def answered(
    store: Store, conversation_id: ConversationId, parent_id: MessageId, text: str
) -> MessageId:
    started = store.messages.start_assistant_message(
        conversation_id, parent_id, model=SETTINGS.model, api_format=SETTINGS.api_format
    )
    writer = store.writer(started.id)
    writer.append_text(text)
    writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
    return started.id


def picture(name: str = "cat.png") -> PreparedAttachment:
    """An image attachment of its own content, with MARKER in its bytes and thumbnail."""
    data = b"\x89PNG\r\n\x1a\n" + MARKER * 40 + os.urandom(3000) + MARKER
    attachment = Attachment(
        content_hash(data), AttachmentKind.IMAGE, name, "image/png", len(data), 640, 480
    )
    return PreparedAttachment(attachment, data, thumbnail=b"thumbnail " + MARKER)


def later() -> None:
    """Let the clock move on, so the next edit is stamped later than the last one on any device
    (stamps have millisecond resolution)."""
    start = time.time()
    while time.time() - start < 0.003:
        pass


def server_files(server: SyncServer) -> dict[str, bytes]:
    return {
        str(path.relative_to(server.folder)): path.read_bytes()
        for path in sorted(server.folder.rglob("*"))
        if path.is_file()
    }


def name_device(device: Device, device_id: str) -> None:
    """Fix the device's id on the server, and with it the order other devices merge in."""
    with device.store() as store:
        store.db.execute("INSERT INTO sync_meta (key, value) VALUES ('device', ?)", (device_id,))
