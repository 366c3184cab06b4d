"""The store records what sync needs without the rest of the store knowing about it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store, device_home
from longcat_desktop.store.sync_changes import SyncLedger

SETTINGS = ConversationSettings(model="m", api_format=ApiFormat.OPENAI)


def _times(store: Store, conversation_id: int) -> tuple[float, ...]:
    row = store.db.query_one(
        "SELECT title_at, pinned_at, settings_at, draft_at, leaf_at FROM conversations"
        " WHERE id = ?",
        (conversation_id,),
    )
    return tuple(row)


def test_every_edit_stamps_its_own_field(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    before = _times(store, conversation.id)
    store.conversations.set_pinned(conversation.id, True)
    pinned = _times(store, conversation.id)
    assert pinned[1] > before[1]
    assert pinned[0] == before[0]
    assert pinned[3] == before[3]
    store.conversations.set_draft(conversation.id, "draft")
    assert _times(store, conversation.id)[3] > pinned[3]
    store.conversations.rename(conversation.id, "Named")
    assert _times(store, conversation.id)[0] > before[0]


def test_an_unchanged_value_stamps_nothing(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    store.conversations.set_pinned(conversation.id, True)
    stamped = _times(store, conversation.id)
    store.conversations.set_pinned(conversation.id, True)
    assert _times(store, conversation.id) == stamped


def test_an_edit_made_during_an_upload_is_uploaded_next_time(store: Store) -> None:
    ledger = SyncLedger(store.db)
    conversation = store.conversations.create(SETTINGS)
    store.messages.add_user_message(conversation.id, None, "Hello")
    (outgoing,) = ledger.outgoing()
    store.conversations.set_pinned(conversation.id, True)
    ledger.mark_uploaded(outgoing)
    (again,) = ledger.outgoing()
    assert [c["pinned"][0] for c in again.document["conversations"]] == [True]
    assert again.document["conversations"][0]["messages"] == []
    ledger.mark_uploaded(again)
    assert not ledger.pending()


def test_streaming_answers_wait_and_deletions_leave_tombstones(store: Store) -> None:
    ledger = SyncLedger(store.db)
    conversation = store.conversations.create(SETTINGS)
    question = store.messages.add_user_message(conversation.id, None, "Hello")
    answer = store.messages.start_assistant_message(
        conversation.id, question.id, model="m", api_format=ApiFormat.OPENAI
    )
    (outgoing,) = ledger.outgoing()
    record = outgoing.document["conversations"][0]
    assert [m["uuid"] for m in record["messages"]] == [question.uuid]
    assert record["choice"][0]["leaf"] == question.uuid
    ledger.mark_uploaded(outgoing)
    store.writer(answer.id).finish(MessageStatus.COMPLETE)
    (finished,) = ledger.outgoing()
    assert [m["uuid"] for m in finished.document["conversations"][0]["messages"]] == [answer.uuid]
    ledger.mark_uploaded(finished)

    store.messages.delete_branch(answer.id)
    store.conversations.delete(conversation.id)
    (deleted,) = ledger.outgoing()
    assert deleted.document["conversations"] == []
    assert [t[:2] for t in deleted.document["tombstones"]] == [[conversation.uuid, ""]]


def test_a_message_that_arrives_before_its_parent_waits_for_it(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    with Store.open(tmp_path / "from") as source, Store.open(tmp_path / "to") as target:
        conversation = source.conversations.create(SETTINGS)
        first = source.messages.add_user_message(conversation.id, None, "First")
        second = source.messages.add_user_message(conversation.id, first.id, "Second")
        third = source.messages.add_user_message(conversation.id, second.id, "Third")
        (outgoing,) = SyncLedger(source.db).outgoing()
        record = outgoing.document["conversations"][0]
        by_uuid = {m["uuid"]: m for m in record["messages"]}
        late = {**record, "messages": [by_uuid[second.uuid], by_uuid[third.uuid]]}
        early = {**record, "messages": [by_uuid[first.uuid]]}
        ledger = SyncLedger(target.db)

        ledger.apply({"conversations": [late], "tombstones": []}, "other", 1)
        assert target.messages.all_in_conversation(ConversationId(1)) == []
        ledger.apply({"conversations": [early], "tombstones": []}, "other", 2)

        texts = [m.text for m in target.messages.visible_thread(ConversationId(1))]
        assert texts == ["First", "Second", "Third"]
        assert target.export_json() == source.export_json()


def test_an_answer_completed_later_from_a_recovery_file_is_uploaded_again(store: Store) -> None:
    ledger = SyncLedger(store.db)
    conversation = store.conversations.create(SETTINGS)
    question = store.messages.add_user_message(conversation.id, None, "Hello")
    answer = store.messages.start_assistant_message(
        conversation.id, question.id, model="m", api_format=ApiFormat.OPENAI
    )
    store.writer(answer.id).finish(MessageStatus.INTERRUPTED)
    for outgoing in ledger.outgoing():
        ledger.mark_uploaded(outgoing)
    # What store/recovery.py does with an answer the database refused at quit.
    store.db.execute(
        "UPDATE messages SET text = 'The whole answer', status = 'complete', finished_at = ?"
        " WHERE id = ?",
        (2_000_000_000.0, answer.id),
    )
    (again,) = ledger.outgoing()
    sent = again.document["conversations"][0]["messages"]
    assert [(m["uuid"], m["text"]) for m in sent] == [(answer.uuid, "The whole answer")]


def test_a_change_set_from_before_tool_choices_leaves_them_alone(store: Store) -> None:
    ledger = SyncLedger(store.db)
    conversation = store.conversations.create(SETTINGS)
    store.conversations.set_tool_selection(conversation.id, '{"servers": {}, "tools": {}}')
    (outgoing,) = ledger.outgoing()
    record = outgoing.document["conversations"][0]
    assert record["tools"][0] == '{"servers": {}, "tools": {}}'
    del record["tools"]
    record["title"][2] += 10  # a newer title, so the record is merged, not skipped
    ledger.apply(outgoing.document, "other", 1)
    assert store.conversations.tool_selection(conversation.id) == '{"servers": {}, "tools": {}}'


def _uploaded_everything(store: Store, sets: int) -> str:
    """A folder that synced: its id, `sets` change sets sent, nothing left to send."""
    ledger = SyncLedger(store.db)
    device = ledger.device_id()
    ledger.bind("server")
    conversation = store.conversations.create(SETTINGS)
    store.messages.add_user_message(conversation.id, None, "Hello")
    for outgoing in ledger.outgoing():
        ledger.mark_uploaded(outgoing)
    ledger.set_next_sequence(sets + 1)
    return device


def test_a_data_folder_keeps_its_device_id_where_it_was_made(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        device = _uploaded_everything(store, 3)
        assert SyncLedger(store.db).device_id() == device
    with Store.open(data_dir) as store:
        ledger = SyncLedger(store.db)
        assert ledger.device_id() == device
        assert (ledger.next_sequence(), ledger.applied()) == (4, {})


def test_a_copied_data_folder_takes_its_own_device_id(tmp_path: Path) -> None:
    original, copy = tmp_path / "original", tmp_path / "copy"
    with Store.open(original) as store:
        device = _uploaded_everything(store, 3)
    shutil.copytree(original, copy)

    with Store.open(copy) as store:
        ledger = SyncLedger(store.db)
        renamed = ledger.device_id()
        assert renamed != device
        assert ledger.device_id() == renamed
        # What it sent under the old id it holds; what the original sends from now on it
        # receives like any other device's. What was sent stays sent, and the server too.
        assert ledger.applied() == {device: 3}
        assert ledger.next_sequence() == 1
        assert not ledger.pending()
        assert store.db.scalar("SELECT value FROM sync_meta WHERE key = 'server'") == "server"
    with Store.open(original) as store:
        ledger = SyncLedger(store.db)
        assert ledger.device_id() == device
        assert (ledger.next_sequence(), ledger.applied()) == (4, {})


def test_a_copy_of_a_folder_that_never_uploaded_counts_nothing_as_held(tmp_path: Path) -> None:
    with Store.open(tmp_path / "original") as store:
        device = SyncLedger(store.db).device_id()
    shutil.copytree(tmp_path / "original", tmp_path / "copy")
    with Store.open(tmp_path / "copy") as store:
        ledger = SyncLedger(store.db)
        assert ledger.device_id() != device
        assert ledger.applied() == {}


def test_the_same_place_on_another_machine_is_a_copy(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(data_dir) as store:
        device = _uploaded_everything(store, 2)
    monkeypatch.setattr(device_home, "machine_identity", lambda: "another machine")
    with Store.open(data_dir) as store:
        ledger = SyncLedger(store.db)
        assert ledger.device_id() != device
        assert ledger.applied() == {device: 2}


def test_a_device_id_from_before_homes_were_recorded_is_kept(tmp_path: Path) -> None:
    original = tmp_path / "original"
    with Store.open(original) as store:
        device = _uploaded_everything(store, 2)
        store.db.execute("DELETE FROM sync_meta WHERE key = 'device_home'")
        ledger = SyncLedger(store.db)
        assert ledger.device_id() == device
        assert (ledger.next_sequence(), ledger.applied()) == (3, {})
    # Its home is recorded now, so a copy made from here on is told apart.
    shutil.copytree(original, tmp_path / "copy")
    with Store.open(tmp_path / "copy") as store:
        assert SyncLedger(store.db).device_id() != device
