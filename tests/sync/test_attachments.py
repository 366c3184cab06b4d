"""Attachments sync with their messages: each content crosses the server once, sealed under a
name that reveals nothing, and is imported only when its bytes are the ones named."""

from __future__ import annotations

from pathlib import Path

import pytest

from longcat_desktop.domain.attachments import Attachment, PreparedAttachment
from tests.sync.helpers import (
    MARKER,
    SETTINGS,
    Device,
    answered,
    name_device,
    picture,
    server_files,
)


def _chat_with(device: Device, question: str, *images: PreparedAttachment) -> str:
    """A conversation whose question carries `images`, answered; returns its UUID."""
    with device.store() as store:
        conversation = store.conversations.create(SETTINGS)
        asked = store.messages.add_user_message(conversation.id, None, question)
        for position, image in enumerate(images):
            store.attachments.import_content(asked.id, position, image)
        answered(store, conversation.id, asked.id, "A cat.")
        return conversation.uuid


def _question_attachments(device: Device, conversation_uuid: str) -> list[tuple[Attachment, bytes]]:
    with device.store() as store:
        question, _answer = store.messages.visible_thread(device.local_id(store, conversation_uuid))
        return [
            (a, store.attachments.data(a.sha256)) for a in store.attachments.of_message(question.id)
        ]


def _blob_files(device: Device) -> dict[str, bytes]:
    return {k: v for k, v in server_files(device.server).items() if k.startswith("blobs/")}


def test_an_image_sent_on_one_device_arrives_byte_for_byte_on_the_other(
    laptop: Device, desktop: Device
) -> None:
    image, document_like = picture("cat.png"), picture("second.png")
    uuid = _chat_with(laptop, "What is this?", image, document_like)

    sent = laptop.sync()
    received = desktop.sync()

    assert (sent.sent_blobs, received.received_blobs) == (2, 2)
    assert not received.damaged
    arrived = _question_attachments(desktop, uuid)
    assert [(a, data) for a, data in arrived] == [
        (image.attachment, image.data),
        (document_like.attachment, document_like.data),
    ]
    with desktop.store() as store:
        assert store.attachments.thumbnail(image.attachment.sha256) == image.thumbnail
    # The desktop knows the server has it: sending the image again there uploads no content.
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, uuid)
        _question, answer = store.messages.visible_thread(conversation_id)
        again = store.messages.add_user_message(conversation_id, answer.id, "And again?")
        store.attachments.attach(again.id, [image.attachment])
    again_sent = desktop.sync()
    assert (again_sent.sent_sets, again_sent.sent_blobs) == (1, 0)


def test_a_content_is_uploaded_once_however_many_messages_use_it(
    laptop: Device, desktop: Device
) -> None:
    image = picture()
    first = _chat_with(laptop, "One", image)
    second = _chat_with(laptop, "Two", image)

    assert laptop.sync().sent_blobs == 1
    assert len(_blob_files(laptop)) == 1
    third = _chat_with(laptop, "Three", image)
    assert laptop.sync().sent_blobs == 0

    assert desktop.sync().received_blobs == 1
    for uuid in (first, second, third):
        assert _question_attachments(desktop, uuid) == [(image.attachment, image.data)]
    assert len(_blob_files(laptop)) == 1


def test_the_server_holds_no_plaintext_of_a_content_nor_its_hash(laptop: Device) -> None:
    image = picture()
    _chat_with(laptop, "Look", image)
    laptop.sync()

    files = server_files(laptop.server)
    (name,) = _blob_files(laptop)
    assert image.attachment.sha256 not in name
    for path, data in files.items():
        assert MARKER not in data, path
        assert image.attachment.sha256.encode() not in data, path
        assert image.attachment.sha256 not in path


@pytest.mark.parametrize("damage", ["flipped byte", "truncated"])
def test_a_damaged_content_is_refused_and_the_rest_of_the_sync_completes(
    laptop: Device, desktop: Device, damage: str
) -> None:
    plain = laptop.chat("Hello", "Hi")
    laptop.sync()
    image = picture()
    with_image = _chat_with(laptop, "Look", image)
    laptop.sync()
    (name,) = _blob_files(laptop)
    path = laptop.server.folder / name
    original = path.read_bytes()
    middle = len(original) // 2
    if damage == "flipped byte":
        path.write_bytes(original[:middle] + bytes([original[middle] ^ 1]) + original[middle + 1 :])
    else:
        path.write_bytes(original[:middle])
    mine = desktop.chat("From the desktop", "Noted")

    result = desktop.sync()

    assert result.damaged == [name]
    assert name in result.summary().args[0]
    assert desktop.conversation(plain) is not None
    assert desktop.conversation(with_image) is None
    with desktop.store() as store:
        assert not store.attachments.exists(image.attachment.sha256)
    assert result.sent_sets == 1
    laptop.sync()
    assert laptop.conversation(mine) is not None

    # Once the server holds the content again, the waiting set is merged.
    path.write_bytes(original)
    again = desktop.sync()
    assert not again.damaged
    assert _question_attachments(desktop, with_image) == [(image.attachment, image.data)]


def test_a_reply_with_an_attachment_merged_before_its_parent_keeps_it(
    laptop: Device, desktop: Device, tmp_path: Path
) -> None:
    third = Device(tmp_path / "third", laptop.server)
    # The third device merges the desktop's sets ("a…") before the laptop's ("b…"), so the
    # desktop's reply arrives before the message it answers.
    name_device(desktop, "a" * 32)
    name_device(laptop, "b" * 32)
    image = picture("reply.png")
    uuid = _chat_with(laptop, "Look")
    laptop.sync()
    desktop.sync()
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, uuid)
        _question, answer = store.messages.visible_thread(conversation_id)
        reply = store.messages.add_user_message(conversation_id, answer.id, "Now this")
        store.attachments.import_content(reply.id, 0, image)
    desktop.sync()

    result = third.sync()

    assert not result.damaged
    with third.store() as store:
        conversation_id = third.local_id(store, uuid)
        thread = store.messages.visible_thread(conversation_id)
        assert [m.text for m in thread] == ["Look", "A cat.", "Now this"]
        assert store.attachments.of_message(thread[2].id) == [image.attachment]
        assert store.attachments.data(image.attachment.sha256) == image.data
