"""Folders: one level of groups, moving conversations, deleting, search and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.organising import LOOSE, PINNED
from longcat_desktop.store import Store
from longcat_desktop.store.errors import ImportFormatError
from tests.store.importers.helpers import by_title, import_path

SETTINGS = ConversationSettings("LongCat-Flash-Chat", ApiFormat.OPENAI)


def _conversation(store: Store, title: str, text: str = "") -> ConversationId:
    conversation = store.conversations.create(SETTINGS, title=title)
    if text:
        store.messages.add_user_message(conversation.id, None, text)
    return conversation.id


def test_folders_are_listed_by_name_with_their_counts(store: Store) -> None:
    work = store.folders.create("work")
    home = store.folders.create("Home")
    a, b, c = (_conversation(store, t) for t in "abc")
    store.folders.move([a, b], work)
    store.folders.move([c], home)
    assert [(f.name, f.total) for f in store.folders.all()] == [("Home", 1), ("work", 2)]
    assert store.folders.folder_of(a) == work
    assert store.conversations.get(a).folder_id == work


def test_rename_and_collapse_are_kept(store: Store) -> None:
    folder = store.folders.create("Drafts")
    store.folders.rename(folder, "Papers")
    store.folders.set_collapsed(folder, True)
    summary = store.folders.get(folder)
    assert (summary.name, summary.collapsed) == ("Papers", True)


def test_moving_out_of_a_folder_and_between_folders(store: Store) -> None:
    first, second = store.folders.create("1"), store.folders.create("2")
    conversation = _conversation(store, "x")
    store.folders.move([conversation], first)
    store.folders.move([conversation], second)
    assert store.folders.folder_of(conversation) == second
    store.folders.move([conversation], None)
    assert store.folders.folder_of(conversation) is None
    before = store.conversations.get(conversation).updated_at
    store.folders.move([conversation], first)
    # Filing a conversation is not activity: its place in the order stays.
    assert store.conversations.get(conversation).updated_at == before


def test_deleting_a_folder_keeps_its_conversations(store: Store) -> None:
    folder = store.folders.create("Old")
    kept = _conversation(store, "kept", "hello")
    store.folders.move([kept], folder)
    store.folders.delete(folder)
    assert store.folders.all() == []
    assert store.conversations.get(kept).folder_id is None
    assert [m.text for m in store.messages.visible_thread(kept)] == ["hello"]


def test_deleting_a_folder_with_its_conversations_when_asked(store: Store) -> None:
    folder = store.folders.create("Trash")
    gone = _conversation(store, "gone")
    other = _conversation(store, "other")
    store.folders.move([gone], folder)
    store.folders.delete(folder, with_conversations=True)
    assert store.conversations.find_by_uuid(store.conversations.get(other).uuid) is not None
    assert store.conversations.count() == 1


def test_sections_page_the_list(store: Store) -> None:
    folder = store.folders.create("F")
    ids = [_conversation(store, f"c{n}") for n in range(5)]
    store.folders.move(ids[:3], folder)
    store.conversations.set_pinned(ids[0], True)
    assert [s.id for s in store.folders.section(PINNED, 10)] == [ids[0]]
    in_folder = store.folders.section(folder, 1)
    assert [s.id for s in in_folder] == [ids[2]]
    assert [s.id for s in store.folders.section(folder, 5, in_folder[-1])] == [ids[1]]
    assert [s.id for s in store.folders.section(LOOSE, 10)] == [ids[4], ids[3]]


def test_search_can_be_limited_to_a_folder(store: Store) -> None:
    folder = store.folders.create("Lighthouses")
    inside = _conversation(store, "inside", "the lighthouse keeper")
    _conversation(store, "outside", "another lighthouse story")
    store.folders.move([inside], folder)
    assert len({hit.conversation_id for hit in store.search("lighthouse")}) == 2
    assert {hit.conversation_id for hit in store.search("lighthouse", folder_id=folder)} == {inside}
    assert {hit.conversation_id for hit in store.search("li", folder_id=folder)} == {inside}


def test_folders_travel_in_the_json_export(store: Store) -> None:
    folder = store.folders.create("Research 研究")
    filed = _conversation(store, "filed", "question")
    _conversation(store, "loose")
    store.folders.move([filed], folder)
    document = json.loads(store.export_json())
    assert document["folders"] == [{"id": store.folders.uuid_of(folder), "name": "Research 研究"}]
    by_title = {c["title"]: c for c in document["conversations"]}
    assert by_title["filed"]["folder"] == store.folders.uuid_of(folder)
    assert "folder" not in by_title["loose"]

    other = Store.open(store.db.path.parent.parent / "other")
    try:
        result = other.import_json(json.dumps(document))
        assert len(result.imported) == 2
        assert [(f.name, f.total) for f in other.folders.all()] == [("Research 研究", 1)]
        # Import of the same file again adds neither conversations nor folders.
        other.import_json(json.dumps(document))
        assert [(f.name, f.total) for f in other.folders.all()] == [("Research 研究", 1)]
        assert other.export_json() == store.export_json()
    finally:
        other.close()


def test_folders_export_by_name_whatever_order_and_state_they_have_here(store: Store) -> None:
    folders = [
        (name, f"00000000-0000-4000-8000-00000000000{digit}")
        for name, digit in (("work", 1), ("Same", 4), ("Home", 2), ("Same", 3))
    ]
    other = Store.open(store.db.path.parent.parent / "other")
    try:
        # The other folder makes them in the reverse order and collapses one: neither shows.
        for target, order in ((store, folders), (other, folders[::-1])):
            for name, uuid in order:
                folder = target.folders.create(name, uuid=uuid)
                target.folders.move([_conversation(target, name)], folder)
        other.folders.set_collapsed(other.folders.all()[0].id, True)

        listed = json.loads(store.export_json())["folders"]
        assert [(f["name"], f["id"][-1]) for f in listed] == [
            ("Home", "2"),
            ("Same", "3"),
            ("Same", "4"),
            ("work", "1"),
        ]
        assert json.loads(other.export_json())["folders"] == listed
    finally:
        other.close()


def test_an_export_from_before_folders_still_imports(store: Store) -> None:
    _conversation(store, "old", "text")
    document = json.loads(store.export_json())
    assert "folders" not in document
    store.conversations.delete(store.conversations.list()[0].id)
    result = store.import_json(json.dumps(document))
    assert len(result.imported) == 1
    assert store.conversations.get(result.imported[0]).folder_id is None


def test_a_malformed_folder_list_imports_nothing(store: Store) -> None:
    folder = store.folders.create("F")
    filed = _conversation(store, "filed")
    store.folders.move([filed], folder)
    document = json.loads(store.export_json())
    store.conversations.delete(filed)
    store.folders.delete(folder)
    for bad in ({"id": 3, "name": "x"}, "folder", None):
        broken = {**document, "folders": [bad]}
        with pytest.raises(ImportFormatError):
            store.import_json(json.dumps(broken))
    with pytest.raises(ImportFormatError):
        store.import_json(json.dumps({**document, "folders": {}}))
    assert store.conversations.count() == 0
    assert store.folders.all() == []


def test_file_import_of_our_export_files_conversations_into_their_folders(
    store: Store, tmp_path: Path
) -> None:
    folder = store.folders.create("Research 研究")
    filed = _conversation(store, "filed", "question")
    _conversation(store, "loose")
    store.folders.move([filed], folder)
    path = tmp_path / "export.json"
    path.write_text(store.export_json(), encoding="utf-8")

    other = Store.open(tmp_path / "other")
    try:
        tally = import_path(other, path)
        assert len(tally.added) == 2
        assert [(f.name, f.total) for f in other.folders.all()] == [("Research 研究", 1)]
        assert other.conversations.get(by_title(other, "filed")).folder_id is not None
        assert other.conversations.get(by_title(other, "loose")).folder_id is None
        # Again: nothing new, and no second folder.
        import_path(other, path)
        assert [(f.name, f.total) for f in other.folders.all()] == [("Research 研究", 1)]
    finally:
        other.close()
