"""Two data folders holding the same synced history write the same exports, byte for byte,
although their rows arrived, and got local ids, in different orders."""

from __future__ import annotations

import json
from dataclasses import replace

from longcat_desktop.domain.organising import Assistant
from longcat_desktop.store import Store
from tests.sync.helpers import SETTINGS, Device, answered, later, picture


def _chat_with_pictures(device: Device, question: str, answer: str, pictures: int) -> str:
    with device.store() as store:
        conversation = store.conversations.create(SETTINGS)
        asked = store.messages.add_user_message(conversation.id, None, question)
        for position in range(pictures):
            store.attachments.import_content(asked.id, position, picture(f"{position}.png"))
        answered(store, conversation.id, asked.id, answer)
        return conversation.uuid


def _file(device: Device, conversation_uuid: str, folder: str) -> None:
    """A new folder with the conversation in it."""
    with device.store() as store:
        folder_id = store.folders.create(folder)
        store.folders.move([device.local_id(store, conversation_uuid)], folder_id)


def _local_order(device: Device) -> list[str]:
    """Every conversation, message and folder UUID in the order of their local row ids."""
    with device.store() as store:
        rows = store.db.query(
            "SELECT uuid FROM (SELECT id, uuid, 0 AS kind FROM conversations"
            " UNION ALL SELECT id, uuid, 1 AS kind FROM messages"
            " UNION ALL SELECT id, uuid, 2 AS kind FROM folders) ORDER BY kind, id"
        )
    return [row[0] for row in rows]


def _text_exports(store: Store) -> list[tuple[str, str, dict[str, bytes]]]:
    exports = []
    for conversation in store.export_document()["conversations"]:
        found = store.conversations.find_by_uuid(conversation["id"])
        assert found is not None
        markdown, files = store.export_markdown_files(found.id, "pictures")
        exports.append((markdown, store.export_html(found.id), files))
    return exports


def test_devices_that_synced_the_same_history_write_identical_exports(
    laptop: Device, desktop: Device
) -> None:
    # Each side starts conversations before it ever synced, so each receives the other's after
    # its own and numbers them differently.
    tides = _chat_with_pictures(laptop, "What do these tides show?", "Spring tides.", 2)
    laptop.chat("Name a prime", "Seven.", title="Primes")
    later()
    waves = desktop.chat("How do waves work?", "Wind.")
    neap = _chat_with_pictures(desktop, "And this one?", "A neap tide.", 1)
    _file(laptop, tides, "Tides")
    _file(desktop, waves, "Waves")
    _file(desktop, neap, "Archive")
    laptop.sync()
    desktop.sync()
    laptop.sync()

    # Offline on both sides: a regenerated answer on one, a follow-up with a picture and a
    # regenerated answer on the other, in both shared conversations.
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, waves)
        question, _ = store.messages.visible_thread(conversation_id)
        answered(store, conversation_id, question.id, "The wind, and far storms.")
        tides_id = laptop.local_id(store, tides)
        question, _ = store.messages.visible_thread(tides_id)
        answered(store, tides_id, question.id, "Neap tides.")
        # A draft whose attachments sit at positions 1 and 2 here.
        waves_id = laptop.local_id(store, waves)
        store.conversations.set_draft(waves_id, "Compare these")
        for name in ("a.png", "b.png", "c.png"):
            store.attachments.add_to_draft(waves_id, picture(name))
        store.attachments.remove_from_draft(waves_id, 0)
    later()
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, tides)
        question, answer = store.messages.visible_thread(conversation_id)
        follow_up = store.messages.add_user_message(conversation_id, answer.id, "And here?")
        store.attachments.import_content(follow_up.id, 0, picture("here.png"))
        answered(store, conversation_id, follow_up.id, "High water.")
        waves_id = desktop.local_id(store, waves)
        question, _ = store.messages.visible_thread(waves_id)
        answered(store, waves_id, question.id, "Wind over water.")
        # Collapsed on one computer only: not part of what is exported.
        (tides_folder,) = [f.id for f in store.folders.all() if f.name == "Tides"]
        store.folders.set_collapsed(tides_folder, True)
    laptop.sync()
    desktop.sync()
    laptop.sync()

    # The same rows, numbered differently: an export in row-id order would differ.
    assert sorted(_local_order(laptop)) == sorted(_local_order(desktop))
    assert _local_order(laptop) != _local_order(desktop)
    with laptop.store() as store:
        laptop_document = store.export_document()
        laptop_file = store.export_json()
        laptop_texts = _text_exports(store)
    with desktop.store() as store:
        desktop_document = store.export_document()
        desktop_file = store.export_json()
        desktop_texts = _text_exports(store)
    assert desktop_document == laptop_document
    assert desktop_file == laptop_file
    assert desktop_texts == laptop_texts
    assert len(laptop_document["conversations"]) == 4
    assert sum(len(c["messages"]) for c in laptop_document["conversations"]) == 13
    pictures = [
        a["name"]
        for c in laptop_document["conversations"]
        for m in c["messages"]
        for a in m["attachments"]
    ]
    assert sorted(pictures) == ["0.png", "0.png", "1.png", "here.png"]
    assert [f["name"] for f in laptop_document["folders"]] == ["Archive", "Tides", "Waves"]
    drafts = [[a["name"] for a in c["draft_attachments"]] for c in laptop_document["conversations"]]
    assert ["b.png", "c.png"] in drafts


def _library(device: Device, assistants: list[str], prompts: list[str]) -> None:
    """New assistants, each with a conversation started from it, and saved prompts."""
    with device.store() as store:
        for name in assistants:
            made = store.assistants.add(Assistant(0, "", name, f"Be {name}.", temperature=0.4))
            store.conversations.create(SETTINGS, title=name, assistant_id=made.id)
            store.assistants.mark_used(made.id)
        for name in prompts:
            store.prompts.add(name, f"{name}: {{{{text}}}}")


def test_devices_that_synced_the_same_library_write_identical_exports(
    laptop: Device, desktop: Device
) -> None:
    _library(laptop, ["Poet", "critic"], ["Summarise", "explain"])
    later()
    _library(desktop, ["Alpha", "poet"], ["Translate"])
    with desktop.store() as store:
        reviewer = next(a for a in store.assistants.all() if a.builtin == "code-reviewer")
        store.assistants.update(replace(reviewer, system_prompt="Review Rust only."))
        store.assistants.set_default(reviewer.id)
    laptop.sync()
    desktop.sync()
    laptop.sync()

    exports = []
    for device in (laptop, desktop):
        with device.store() as store:
            rows = store.db.query("SELECT uuid FROM assistants ORDER BY id")
            exports.append((store.export_json(), [row[0] for row in rows]))
    (laptop_file, laptop_rows), (desktop_file, desktop_rows) = exports
    assert sorted(laptop_rows) == sorted(desktop_rows)
    assert laptop_rows != desktop_rows
    assert laptop_file == desktop_file
    document = json.loads(laptop_file)
    assert [a["name"] for a in document["assistants"]] == ["", "Alpha", "critic", "Poet", "poet"]
    assert document["assistants"][0]["builtin"] == "code-reviewer"
    assert [p["name"] for p in document["prompts"]] == ["explain", "Summarise", "Translate"]
    assert sum("assistant" in c for c in document["conversations"]) == 4
