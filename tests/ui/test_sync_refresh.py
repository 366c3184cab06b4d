"""What a sync brings in shows in the open window at once: new folders in the list, and the
draft of the conversation on screen with its attachments, unless typing here is not saved yet."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
from longcat_desktop.services.sync_service import SyncState
from longcat_desktop.store.attachments import content_hash
from longcat_desktop.ui.folder_rows import FolderRow
from tests.fakes.webdav_server import PASSWORD, USER, WebDavServer
from tests.qt_async import emitted, until
from tests.sync.helpers import PASSPHRASE, Device
from tests.ui.app_fixture import AppFactory, RunningApp


def _sync(app: RunningApp, server: WebDavServer | None = None) -> None:
    sync = app.services.sync
    assert sync is not None

    async def body() -> None:
        changed = asyncio.ensure_future(emitted(sync.dataChanged))
        if server is not None:
            sync.connect_storage(server.url, USER, PASSWORD, PASSPHRASE)
        else:
            sync.sync_now()
        await changed
        await until(lambda: sync.state is SyncState.IDLE, what="the sync to finish")

    app.run(body())


def _image() -> PreparedAttachment:
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(1500)
    attachment = Attachment(
        content_hash(data), AttachmentKind.IMAGE, "plan.png", "image/png", len(data), 64, 48
    )
    return PreparedAttachment(attachment, data, thumbnail=None)


def test_a_synced_folder_and_draft_appear_in_the_open_window(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    with WebDavServer(tmp_path / "webdav") as server:
        other = Device(tmp_path / "other", server)
        conversation_uuid = other.chat("Plan the launch", "Here is a plan.", title="Launch")
        other.sync()
        # The folder's key parameters come from the server, cheap as the other device made them.
        app = app_factory()
        _sync(app, server)
        shown = app.store.conversations.find_by_uuid(conversation_uuid)
        assert shown is not None
        app.window.open_conversation(shown.id)

        image = _image()
        with other.store() as store:
            conversation_id = other.local_id(store, conversation_uuid)
            folder_id = store.folders.create("Projects")
            store.folders.move([conversation_id], folder_id)
            store.conversations.set_draft(conversation_id, "And the budget?")
            store.attachments.add_to_draft(conversation_id, image)
        other.sync()
        _sync(app)

        folders = [r.name for r in app.window.sidebar.list_model.rows() if isinstance(r, FolderRow)]
        assert folders == ["Projects"]
        assert app.window.composer.text() == "And the budget?"
        app.wait(lambda: len(app.window.composer.attachments()) == 1, "the synced chip")

        # Typing here that is not saved yet is kept over a draft arriving meanwhile.
        with other.store() as store:
            store.conversations.set_draft(other.local_id(store, conversation_uuid), "Older")
        other.sync()
        edit = app.window.composer.edit
        edit.setFocus()
        QTest.keyClicks(edit, " Typed here", Qt.KeyboardModifier.NoModifier)
        _sync(app)
        assert app.window.composer.text() == "And the budget? Typed here"
