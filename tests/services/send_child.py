"""Run as a child process by the crash test: attaches an image, sends, says so, and waits to
be killed while the answer is still being asked for.

Prints "SENT <conversation id> <sha256 of the image as sent>" right after Send returned.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import qasync
from PySide6.QtGui import QGuiApplication

from longcat_desktop.services.attachment_processing import prepare_bytes
from longcat_desktop.services.chat_service import ChatService
from longcat_desktop.services.client_pool import ClientPool, ConnectionConfig
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store import Store
from tests.services.images import encoded, photo_like
from tests.store.helpers import SETTINGS


def main(data_dir: Path, server_url: str) -> None:
    app = QGuiApplication(["send_child"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    store = Store.open(data_dir)
    conversation = store.conversations.create(SETTINGS)
    prepared = prepare_bytes(encoded(photo_like(200, 150), "JPEG"), "photo.jpg")
    store.attachments.add_to_draft(conversation.id, prepared)
    clients = ClientPool(ConnectionConfig(base_url=server_url, max_retries=0))
    clients.set_key("lc-test-key")
    chat = ChatService(store, clients, TaskOwner(loop, print))
    answer = chat.send(conversation.id, "What is in this photo?")
    assert answer is not None
    print(f"SENT {conversation.id} {prepared.attachment.sha256}", flush=True)
    with loop:
        loop.run_forever()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
