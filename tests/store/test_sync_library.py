"""Folders, assistants and saved prompts in change sets: stamped by the database itself, merged
by the newest change, never half applied."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.store import DATABASE_NAME, Store
from longcat_desktop.store.attachments import content_hash
from longcat_desktop.store.migrations import _BUILTIN_ASSISTANTS
from longcat_desktop.store.sync_changes import SyncLedger
from tests.store import historical_schemas

SETTINGS = ConversationSettings(model="m", api_format=ApiFormat.OPENAI)


def _upload_all(ledger: SyncLedger) -> list[dict[str, Any]]:
    documents = []
    for outgoing in ledger.outgoing():
        documents.append(copy.deepcopy(outgoing.document))
        ledger.mark_uploaded(outgoing)
    return documents


def test_creating_renaming_and_deleting_are_stamped_and_sent_once(store: Store) -> None:
    ledger = SyncLedger(store.db)
    folder_id = store.folders.create("Work")
    prompt_id = store.prompts.add("Shorter", "Make it shorter.")
    (document,) = _upload_all(ledger)
    assert [f["name"] for f in document["folders"]] == ["Work"]
    assert [p["body"] for p in document["prompts"]] == ["Make it shorter."]
    assert not ledger.pending()

    store.folders.set_collapsed(folder_id, True)
    assert not ledger.pending()  # collapsing belongs to this computer

    store.folders.rename(folder_id, "Office")
    store.prompts.delete(prompt_id)
    (document,) = _upload_all(ledger)
    assert [f["name"] for f in document["folders"]] == ["Office"]
    assert document["prompts"] == []
    assert [entry[0] for entry in document["removed"]] == ["prompts"]
    assert not ledger.pending()


def test_an_edit_made_while_a_set_was_uploading_goes_up_next_time(store: Store) -> None:
    ledger = SyncLedger(store.db)
    folder_id = store.folders.create("Work")
    (outgoing,) = ledger.outgoing()
    store.folders.rename(folder_id, "Office")
    ledger.mark_uploaded(outgoing)
    (again,) = ledger.outgoing()
    assert [f["name"] for f in again.document["folders"]] == ["Office"]


def test_a_set_names_the_folder_of_each_of_its_conversations(store: Store) -> None:
    ledger = SyncLedger(store.db)
    folder_id = store.folders.create("Work")
    _upload_all(ledger)
    conversation = store.conversations.create(SETTINGS)
    store.folders.move([conversation.id], folder_id)
    (document,) = _upload_all(ledger)
    (record,) = document["conversations"]
    assert record["folder"][0] == store.folders.uuid_of(folder_id)
    # Not changed since its upload, and still described, for a computer that deleted it.
    assert [f["id"] for f in document["folders"]] == [record["folder"][0]]


def test_a_set_from_before_folders_synced_leaves_the_folder_alone(tmp_path: Path) -> None:
    with Store.open(tmp_path / "from") as source, Store.open(tmp_path / "to") as target:
        conversation = source.conversations.create(SETTINGS)
        (document,) = _upload_all(SyncLedger(source.db))
        SyncLedger(target.db).apply(document, "other", 1)
        here = target.conversations.find_by_uuid(conversation.uuid)
        assert here is not None
        folder_id = target.folders.create("Mine")
        target.folders.move([here.id], folder_id)

        source.conversations.rename(conversation.id, "Renamed")
        (older,) = _upload_all(SyncLedger(source.db))
        for key in ("folder", "assistant", "draft_attachments"):
            del older["conversations"][0][key]
        for key in ("folders", "assistants", "prompts", "removed"):
            del older[key]
        SyncLedger(target.db).apply(older, "other", 2)

        assert target.conversations.get(here.id).title == "Renamed"
        assert target.folders.folder_of(here.id) == folder_id


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["removed"].append(["tables", "x", 1.0]),
        lambda d: d["folders"][0].update(name=7),
        lambda d: d["prompts"][0].pop("body"),
        lambda d: d["folders"][0].update(changed_at="yesterday"),
    ],
    ids=["unknown kind", "name not text", "body missing", "time not a number"],
)
def test_a_malformed_set_changes_nothing(tmp_path: Path, damage: Any) -> None:
    with Store.open(tmp_path / "from") as source, Store.open(tmp_path / "to") as target:
        source.folders.create("Work")
        source.prompts.add("Shorter", "Make it shorter.")
        source.conversations.create(SETTINGS)
        (document,) = _upload_all(SyncLedger(source.db))
        damage(document)
        before = target.export_json()
        with pytest.raises((KeyError, TypeError, ValueError)):
            SyncLedger(target.db).apply(document, "other", 1)
        assert target.export_json() == before
        assert target.folders.all() == []
        assert target.prompts.all() == []
        assert SyncLedger(target.db).applied() == {}


def _image() -> PreparedAttachment:
    data = b"\x89PNG\r\n\x1a\n" + b"pixels" * 50
    attachment = Attachment(
        content_hash(data), AttachmentKind.IMAGE, "a.png", "image/png", len(data), 4, 4
    )
    return PreparedAttachment(attachment, data, thumbnail=None)


def test_adding_or_removing_a_draft_attachment_is_a_change_of_the_draft(store: Store) -> None:
    ledger = SyncLedger(store.db)
    conversation = store.conversations.create(SETTINGS)
    _upload_all(ledger)
    store.attachments.add_to_draft(conversation.id, _image())
    (document,) = _upload_all(ledger)
    (record,) = document["conversations"]
    assert [a["name"] for a in record["draft_attachments"]] == ["a.png"]
    store.attachments.remove_from_draft(conversation.id, 0)
    (document,) = _upload_all(ledger)
    assert document["conversations"][0]["draft_attachments"] == []


def test_what_was_organised_before_the_upgrade_goes_up_at_the_next_sync(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    historical_schemas.build(data_dir / DATABASE_NAME, 9)
    connection = sqlite3.connect(data_dir / DATABASE_NAME, isolation_level=None)
    connection.execute(
        "INSERT INTO folders (id, uuid, name, created_at) VALUES (1, 'f-1', 'Old folder', 5.0)"
    )
    connection.execute("UPDATE conversations SET folder_id = 1, sync_dirty = 0")
    connection.execute("UPDATE messages SET uploaded = 1")
    connection.execute(
        "INSERT INTO prompts (uuid, name, body, created_at) VALUES ('p-1', 'Old', 'Body', 6.0)"
    )
    connection.close()

    with Store.open(data_dir) as store:
        (document,) = _upload_all(SyncLedger(store.db))
    (record,) = document["conversations"]
    assert record["folder"][0] == "f-1"
    assert record["folder"][1] > 0
    assert [f["name"] for f in document["folders"]] == ["Old folder"]
    assert [p["name"] for p in document["prompts"]] == ["Old"]
    assert document["assistants"] == []  # the built-in ones nobody edited


def test_a_conversation_made_inside_a_folder_carries_the_time_it_was_put_there(
    store: Store,
) -> None:
    folder_id = store.folders.create("Work")
    conversation = store.conversations.create(SETTINGS, folder_id=folder_id)
    (document,) = _upload_all(SyncLedger(store.db))
    (record,) = document["conversations"]
    assert record["folder"][0] == store.folders.uuid_of(folder_id)
    assert record["folder"][1] >= conversation.created_at - 1


def test_built_in_assistants_edited_before_the_upgrade_sync_and_untouched_ones_do_not(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    historical_schemas.build(data_dir / DATABASE_NAME, 9)
    connection = sqlite3.connect(data_dir / DATABASE_NAME, isolation_level=None)
    # As version 7 seeded them.
    connection.executemany(
        "INSERT INTO assistants (uuid, builtin, temperature, created_at) VALUES (?, ?, ?, 0)",
        [(uuid, key, temperature) for key, uuid, temperature in _BUILTIN_ASSISTANTS],
    )
    connection.execute(
        "UPDATE assistants SET system_prompt = 'To Dutch.' WHERE builtin = 'translator'"
    )
    connection.execute("UPDATE assistants SET temperature = 0.9 WHERE builtin = 'code-reviewer'")
    connection.execute("UPDATE conversations SET sync_dirty = 0")
    connection.execute("UPDATE messages SET uploaded = 1")
    connection.close()

    with Store.open(data_dir) as store:
        (document,) = _upload_all(SyncLedger(store.db))
        exported = store.export_document()
    assert sorted(a["builtin"] for a in document["assistants"]) == ["code-reviewer", "translator"]
    assert sorted(a["builtin"] for a in exported["assistants"]) == ["code-reviewer", "translator"]
