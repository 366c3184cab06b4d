"""A data folder copied whole (to another computer, or elsewhere on this one) syncs as a device
of its own: the copy and the original receive each other's changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fakes.webdav_server import WebDavServer
from tests.sync.helpers import Device, answered, later, server_files


def _follow_up(device: Device, conversation_uuid: str, question: str, answer: str) -> None:
    with device.store() as store:
        conversation_id = device.local_id(store, conversation_uuid)
        last = store.messages.visible_thread(conversation_id)[-1]
        asked = store.messages.add_user_message(conversation_id, last.id, question)
        answered(store, conversation_id, asked.id, answer)


def _device_folders(server: WebDavServer) -> set[str]:
    return {Path(name).parts[1] for name in server_files(server) if name.startswith("changes/")}


@pytest.mark.parametrize("first_name", ["original", "copy"])
def test_a_copied_data_folder_and_its_original_receive_each_others_changes(
    laptop: Device, server: WebDavServer, tmp_path: Path, first_name: str
) -> None:
    shared = laptop.chat("Shared question", "Shared answer")
    laptop.sync()
    # Copied as a user would, with nothing open on it.
    shutil.copytree(laptop.data_dir, tmp_path / "copy")
    copy = Device(tmp_path / "copy", server)

    original_only = laptop.chat("Written in the original", "Kept.")
    _follow_up(laptop, shared, "Original's follow-up", "From the original.")
    later()
    copy_only = copy.chat("Written in the copy", "Kept too.")
    _follow_up(copy, shared, "Copy's follow-up", "From the copy.")

    first, second = (laptop, copy) if first_name == "original" else (copy, laptop)
    first.sync()
    received_second = second.sync().received
    received_first = first.sync().received

    # Each receives exactly the messages the other wrote since the copy, and its conversation.
    assert received_second.messages == received_first.messages == 4
    assert received_second.conversations >= 1
    assert received_first.conversations >= 1
    assert len(_device_folders(server)) == 2
    for device in (laptop, copy):
        assert device.conversation(original_only) is not None
        assert device.conversation(copy_only) is not None
        assert "Copy's follow-up" in device.texts(shared)
        assert "Original's follow-up" in device.texts(shared)
    assert copy.export() == laptop.export()
    assert copy.export_file() == laptop.export_file()

    # And so on, turn by turn.
    _follow_up(copy, copy_only, "One more from the copy", "Received.")
    copy.sync()
    assert laptop.sync().received.messages == 2
    assert copy.sync().received.messages == 0
    assert copy.export_file() == laptop.export_file()
