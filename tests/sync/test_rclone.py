"""The same sync through `rclone serve webdav`, the usual way to put WebDAV in front of S3 or
Google Drive: another server implementation entirely (CI installs rclone from Debian)."""

from __future__ import annotations

from pathlib import Path

import pytest

from longcat_desktop.sync.webdav import AuthenticationFailed
from tests.fakes import rclone_server
from tests.fakes.rclone_server import RcloneServer
from tests.sync.helpers import MARKER, Device, answered, later, picture, server_files

pytestmark = pytest.mark.skipif(
    not rclone_server.available(), reason="rclone is not installed (.ci/run installs it)"
)


def test_two_computers_edit_offline_and_end_identical_through_rclone(tmp_path: Path) -> None:
    with RcloneServer(tmp_path / "rclone") as server:
        laptop = Device(tmp_path / "laptop", server)
        desktop = Device(tmp_path / "desktop", server)
        shared = laptop.chat("Shared question", "Shared answer", title="Shared")
        doomed = laptop.chat("Doomed question", "Doomed answer")
        image = picture()
        with laptop.store() as store:
            conversation = store.conversations.create(
                store.conversations.get(laptop.local_id(store, shared)).settings
            )
            asked = store.messages.add_user_message(conversation.id, None, "What is this?")
            store.attachments.import_content(asked.id, 0, image)
            answered(store, conversation.id, asked.id, "A cat.")
            store.folders.move([conversation.id], store.folders.create("Pictures"))
        laptop.sync()
        desktop.sync()

        with laptop.store() as store:
            conversation_id = laptop.local_id(store, shared)
            _, answer = store.messages.visible_thread(conversation_id)
            asked = store.messages.add_user_message(conversation_id, answer.id, "From the laptop")
            answered(store, conversation_id, asked.id, "Laptop's answer")
            store.conversations.set_pinned(conversation_id, True)
        later()
        with desktop.store() as store:
            conversation_id = desktop.local_id(store, shared)
            question, _ = store.messages.visible_thread(conversation_id)
            answered(store, conversation_id, question.id, "Another version of the answer")
            store.conversations.rename(conversation_id, "Renamed on the desktop")
            store.conversations.delete(desktop.local_id(store, doomed))

        for device in (desktop, laptop, desktop):
            assert not device.sync().damaged

        assert laptop.export() == desktop.export()
        exported = laptop.conversation(shared)
        assert exported is not None
        assert exported["title"] == "Renamed on the desktop"
        assert exported["pinned"]
        assert len(exported["messages"]) == 5
        assert laptop.conversation(doomed) is None
        stored = b"".join(server_files(server).values())
        assert MARKER not in stored
        assert b"Shared question" not in stored
        assert b"Pictures" not in stored
        assert laptop.sync().sent_sets == 0


def test_a_wrong_password_for_rclone_is_said_and_writes_nothing(tmp_path: Path) -> None:
    with RcloneServer(tmp_path / "rclone") as server:
        laptop = Device(tmp_path / "laptop", server)
        laptop.chat("Question", "Answer")
        with pytest.raises(AuthenticationFailed):
            laptop.sync(password="wrong")
        assert server_files(server) == {}
