"""Attachments in the store: once per content, kept while referred to, never dangling."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store import Store
from longcat_desktop.store.attachments import content_hash
from tests.store.helpers import SETTINGS


def prepared(data: bytes, name: str = "shot.png", kind: str = "image") -> PreparedAttachment:
    media = "image/png" if kind == "image" else "text/plain"
    attachment = Attachment(
        sha256=content_hash(data),
        kind=AttachmentKind(kind),
        name=name,
        media_type=media,
        size=len(data),
        width=4 if kind == "image" else None,
        height=3 if kind == "image" else None,
        text="" if kind == "image" else data.decode(),
    )
    return PreparedAttachment(attachment, data, thumbnail=b"thumb" if kind == "image" else None)


def _send(store: Store, conversation_id: ConversationId, text: str) -> MessageId:
    with store.transaction():
        message = store.messages.add_user_message(conversation_id, None, text)
        store.attachments.move_draft_to_message(conversation_id, message.id)
    return message.id


def test_the_same_content_is_stored_once_under_each_name(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    store.attachments.add_to_draft(conversation.id, prepared(b"\x89PNG same", "a.png"))
    store.attachments.add_to_draft(conversation.id, prepared(b"\x89PNG same", "b.png"))
    assert store.attachments.count() == 1
    assert [a.name for a in store.attachments.draft(conversation.id)] == ["a.png", "b.png"]


def test_a_draft_with_attachments_survives_reopening(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        conversation = store.conversations.create(SETTINGS)
        store.attachments.add_to_draft(conversation.id, prepared(b"one"))
        store.attachments.add_to_draft(conversation.id, prepared(b"notes", "n.txt", "document"))
    with Store.open(data_dir) as store:
        draft = store.attachments.draft(conversation.id)
        assert [(a.name, a.kind) for a in draft] == [
            ("shot.png", AttachmentKind.IMAGE),
            ("n.txt", AttachmentKind.DOCUMENT),
        ]
        assert draft[1].text == "notes"
        assert store.attachments.data(draft[0].sha256) == b"one"
        assert store.attachments.thumbnail(draft[0].sha256) == b"thumb"


def test_sending_moves_the_draft_onto_the_message(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    store.attachments.add_to_draft(conversation.id, prepared(b"first", "1.png"))
    store.attachments.add_to_draft(conversation.id, prepared(b"second", "2.png"))
    store.attachments.remove_from_draft(conversation.id, 0)
    store.attachments.add_to_draft(conversation.id, prepared(b"third", "3.png"))
    message_id = _send(store, conversation.id, "look")
    assert store.attachments.draft(conversation.id) == []
    assert [a.name for a in store.attachments.of_message(message_id)] == ["2.png", "3.png"]
    # The removed one went with its only reference.
    assert not store.attachments.exists(content_hash(b"first"))


def test_a_blob_goes_with_its_last_reference_only(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    store.attachments.add_to_draft(conversation.id, prepared(b"shared"))
    first = _send(store, conversation.id, "one")
    store.attachments.add_to_draft(conversation.id, prepared(b"shared"))
    other = store.conversations.create(SETTINGS)
    store.attachments.add_to_draft(other.id, prepared(b"shared"))
    _send(store, other.id, "two")
    store.messages.delete_branch(first)
    assert store.attachments.exists(content_hash(b"shared"))
    store.conversations.delete(other.id)
    assert store.attachments.exists(content_hash(b"shared"))  # still in the first's draft
    store.attachments.clear_draft(conversation.id)
    assert store.attachments.count() == 0


def test_a_message_cannot_refer_to_a_missing_attachment(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    message = store.messages.add_user_message(conversation.id, None, "hi")
    missing = Attachment("0" * 64, AttachmentKind.IMAGE, "x.png", "image/png", 1)
    with pytest.raises(sqlite3.IntegrityError):
        store.attachments.attach(message.id, [missing])
    assert store.attachments.of_message(message.id) == []


def test_data_that_does_not_match_its_hash_is_refused(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    good = prepared(b"real")
    forged = PreparedAttachment(good.attachment, b"other bytes")
    with pytest.raises(ValueError, match="does not match"):
        store.attachments.add_to_draft(conversation.id, forged)
    assert store.attachments.count() == 0


def test_contents_left_without_a_reference_are_collected_on_opening(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        conversation = store.conversations.create(SETTINGS)
        store.attachments.add_to_draft(conversation.id, prepared(b"kept"))
        # As a crash between writing a blob and referring to it would leave it.
        store.db.execute(
            "INSERT INTO attachments (sha256, kind, media_type, size, data, created_at)"
            " VALUES (?, 'image', 'image/png', 4, ?, 0)",
            (content_hash(b"lost"), b"lost"),
        )
        assert store.attachments.count() == 2
    with Store.open(data_dir) as store:
        assert store.attachments.count() == 1
        assert store.attachments.exists(content_hash(b"kept"))


def test_attachments_of_many_messages_come_back_in_one_call(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    ids = []
    for number in range(3):
        store.attachments.add_to_draft(conversation.id, prepared(f"img{number}".encode()))
        with store.transaction():
            leaf = store.messages.current_leaf(conversation.id)
            message = store.messages.add_user_message(conversation.id, leaf, f"m{number}")
            store.attachments.move_draft_to_message(conversation.id, message.id)
        ids.append(message.id)
    found = store.attachments.of_messages([*ids, 999])
    assert sorted(found) == ids
    assert all(len(found[i]) == 1 for i in ids)
