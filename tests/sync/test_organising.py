"""Folders, assistants, saved prompts and drafts' attachments sync like conversations: the
newest change wins, a deletion loses to an edit made after it, and what belongs to one computer
(a collapsed folder, the default assistant) stays there."""

from __future__ import annotations

import os
from dataclasses import replace

from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
from longcat_desktop.domain.organising import Assistant
from longcat_desktop.store.attachments import content_hash
from tests.sync.helpers import SETTINGS, Device, later, server_files

MARKER = b"DRAFT-ONLY-DISTINCTIVE-BYTES-0xBADC0DE"


def _folders(device: Device) -> dict[str, list[str]]:
    """Each folder's name with the titles of the conversations in it."""
    with device.store() as store:
        found: dict[str, list[str]] = {}
        for folder in store.folders.all():
            titles = sorted(
                store.conversations.get(c).title for c in store.folders.conversation_ids(folder.id)
            )
            found.setdefault(folder.name, []).extend(titles)
        return found


def _folder_id(device: Device, name: str) -> int:
    with device.store() as store:
        (found,) = [f.id for f in store.folders.all() if f.name == name]
        return found


def _move(device: Device, conversation_uuid: str, folder: str | None) -> None:
    folder_id = None if folder is None else _folder_id(device, folder)
    with device.store() as store:
        store.folders.move([device.local_id(store, conversation_uuid)], folder_id)


def _prompts(device: Device) -> list[tuple[str, str]]:
    with device.store() as store:
        return [(p.name, p.body) for p in store.prompts.all()]


def _assistants(device: Device) -> dict[str, str]:
    """The user's own assistants: name → system prompt."""
    with device.store() as store:
        return {a.name: a.system_prompt for a in store.assistants.all() if a.builtin is None}


def test_folders_and_what_is_in_them_arrive_on_the_other_computer(
    laptop: Device, desktop: Device
) -> None:
    work = laptop.chat("Quarterly plan?", "Here it is.", title="Plan")
    laptop.chat("Recipe?", "Soup.", title="Soup")
    with laptop.store() as store:
        store.folders.create("Work")
        store.folders.create("Empty for now")
    _move(laptop, work, "Work")

    laptop.sync()
    desktop.sync()

    assert _folders(desktop) == {"Work": ["Plan"], "Empty for now": []}
    assert desktop.export() == laptop.export()


def test_a_move_and_a_rename_made_on_two_computers_offline_both_land(
    laptop: Device, desktop: Device
) -> None:
    first = laptop.chat("One?", "One.", title="One")
    with laptop.store() as store:
        store.folders.create("Projects")
    laptop.sync()
    desktop.sync()

    _move(desktop, first, "Projects")
    later()
    with laptop.store() as store:
        store.folders.rename(_folder_id(laptop, "Projects"), "Clients")

    for device in (laptop, desktop, laptop):
        device.sync()
    assert _folders(laptop) == _folders(desktop) == {"Clients": ["One"]}


def test_the_later_of_two_renames_wins_everywhere(laptop: Device, desktop: Device) -> None:
    with laptop.store() as store:
        store.folders.create("Draft name")
    laptop.sync()
    desktop.sync()

    with desktop.store() as store:
        store.folders.rename(_folder_id(desktop, "Draft name"), "Older name")
    later()
    with laptop.store() as store:
        store.folders.rename(_folder_id(laptop, "Draft name"), "Newest name")

    for device in (desktop, laptop, desktop):
        device.sync()
    assert list(_folders(laptop)) == list(_folders(desktop)) == ["Newest name"]


def test_a_deleted_folder_lets_its_conversations_go_loose_everywhere(
    laptop: Device, desktop: Device
) -> None:
    inside = laptop.chat("Inside?", "Yes.", title="Inside")
    with laptop.store() as store:
        store.folders.create("Old")
    _move(laptop, inside, "Old")
    laptop.sync()
    desktop.sync()
    assert _folders(desktop) == {"Old": ["Inside"]}

    with desktop.store() as store:
        store.folders.delete(_folder_id(desktop, "Old"))
    desktop.sync()
    laptop.sync()

    assert _folders(laptop) == _folders(desktop) == {}
    assert laptop.conversation(inside) is not None
    assert desktop.export() == laptop.export()


def test_a_conversation_moved_in_after_the_folder_was_deleted_elsewhere_brings_it_back(
    laptop: Device, desktop: Device
) -> None:
    kept = laptop.chat("Keep?", "Kept.", title="Kept")
    with laptop.store() as store:
        store.folders.create("Archive")
    laptop.sync()
    desktop.sync()

    with desktop.store() as store:
        store.folders.delete(_folder_id(desktop, "Archive"))
    later()
    _move(laptop, kept, "Archive")

    for device in (desktop, laptop, desktop):
        device.sync()
    assert _folders(laptop) == _folders(desktop) == {"Archive": ["Kept"]}


def test_a_move_made_before_the_folder_was_deleted_elsewhere_loses_to_the_deletion(
    laptop: Device, desktop: Device
) -> None:
    moved = laptop.chat("Move me?", "Moved.", title="Moved")
    with laptop.store() as store:
        store.folders.create("Doomed")
    laptop.sync()
    desktop.sync()

    _move(laptop, moved, "Doomed")
    later()
    with desktop.store() as store:
        store.folders.delete(_folder_id(desktop, "Doomed"))

    for device in (laptop, desktop, laptop):
        device.sync()
    assert _folders(laptop) == _folders(desktop) == {}


def test_a_folder_that_is_collapsed_here_stays_open_there(laptop: Device, desktop: Device) -> None:
    with laptop.store() as store:
        folder_id = store.folders.create("Tidy")
        store.folders.set_collapsed(folder_id, True)
    laptop.sync()
    desktop.sync()
    with desktop.store() as store:
        (folder,) = store.folders.all()
    assert folder.name == "Tidy"
    assert not folder.collapsed


def test_saved_prompts_follow_edits_and_deletions(laptop: Device, desktop: Device) -> None:
    with laptop.store() as store:
        summary = store.prompts.add("Summarise", "Summarise {{text}} in three lines.")
        store.prompts.add("Translate", "Translate into French: {{text}}")
    laptop.sync()
    received = desktop.sync()
    assert _prompts(desktop) == _prompts(laptop)
    assert received.received.library == 2
    assert "2 folders, assistants or prompts updated" in str(received.summary())

    with laptop.store() as store:
        store.prompts.update(summary, "Summarise", "Summarise {{text}} in one line.")
    with desktop.store() as store:
        (translate,) = [p.id for p in store.prompts.all() if p.name == "Translate"]
        store.prompts.delete(translate)
    for device in (laptop, desktop, laptop):
        device.sync()

    assert (
        _prompts(laptop) == _prompts(desktop) == [("Summarise", "Summarise {{text}} in one line.")]
    )


def test_a_prompt_edited_after_it_was_deleted_elsewhere_stays(
    laptop: Device, desktop: Device
) -> None:
    with laptop.store() as store:
        prompt_id = store.prompts.add("Explain", "Explain simply.")
    laptop.sync()
    desktop.sync()

    with desktop.store() as store:
        store.prompts.delete(store.prompts.all()[0].id)
    later()
    with laptop.store() as store:
        store.prompts.update(prompt_id, "Explain", "Explain to a child.")
    for device in (desktop, laptop, desktop):
        device.sync()
    assert _prompts(laptop) == _prompts(desktop) == [("Explain", "Explain to a child.")]


def test_assistants_sync_but_the_default_one_is_chosen_per_computer(
    laptop: Device, desktop: Device
) -> None:
    with laptop.store() as store:
        poet = store.assistants.add(Assistant(0, "", "Poet", "Answer in verse.", temperature=0.9))
        store.assistants.set_default(poet.id)
        conversation = store.conversations.create(
            replace(SETTINGS, system_prompt="Answer in verse."), assistant_id=poet.id
        )
        conversation_uuid = conversation.uuid
    laptop.sync()
    desktop.sync()

    assert _assistants(desktop) == {"Poet": "Answer in verse."}
    with desktop.store() as store:
        assert store.assistants.default() is None
        (received,) = [a for a in store.assistants.all() if a.name == "Poet"]
        assert received.temperature == 0.9
        linked = store.conversations.find_by_uuid(conversation_uuid)
        assert linked is not None
        assert linked.assistant_id == received.id
        store.assistants.update(replace(received, system_prompt="Answer in haiku."))
    desktop.sync()
    laptop.sync()
    assert _assistants(laptop) == {"Poet": "Answer in haiku."}


def test_an_edited_built_in_assistant_syncs_and_an_untouched_one_is_never_sent(
    laptop: Device, desktop: Device
) -> None:
    with laptop.store() as store:
        translator = next(a for a in store.assistants.all() if a.builtin == "translator")
        store.assistants.update(replace(translator, name="Translator", system_prompt="To Dutch."))
    laptop.sync()
    desktop.sync()
    with desktop.store() as store:
        received = next(a for a in store.assistants.all() if a.builtin == "translator")
        untouched = [a for a in store.assistants.all() if a.builtin == "code-reviewer"]
    assert received.system_prompt == "To Dutch."
    assert len(untouched) == 1
    assert untouched[0].system_prompt == ""
    assert desktop.sync().sent_sets == 0


def _draft_image() -> PreparedAttachment:
    data = b"\x89PNG\r\n\x1a\n" + MARKER * 20 + os.urandom(2000)
    attachment = Attachment(
        content_hash(data), AttachmentKind.IMAGE, "sketch.png", "image/png", len(data), 320, 200
    )
    return PreparedAttachment(attachment, data, thumbnail=b"thumb " + MARKER)


def test_a_draft_with_an_attachment_continues_on_the_other_computer(
    laptop: Device, desktop: Device
) -> None:
    conversation_uuid = laptop.chat("First question", "First answer.")
    image = _draft_image()
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, conversation_uuid)
        store.conversations.set_draft(conversation_id, "What is in this sketch?")
        store.attachments.add_to_draft(conversation_id, image)

    laptop.sync()
    desktop.sync()

    with desktop.store() as store:
        conversation_id = desktop.local_id(store, conversation_uuid)
        assert store.conversations.get(conversation_id).draft == "What is in this sketch?"
        (attached,) = store.attachments.draft(conversation_id)
        assert attached == image.attachment
        assert store.attachments.data(attached.sha256) == image.data
        # Sent from here: the attachment leaves the draft on both computers.
        store.attachments.remove_from_draft(conversation_id, 0)
    desktop.sync()
    laptop.sync()
    with laptop.store() as store:
        assert store.attachments.draft(laptop.local_id(store, conversation_uuid)) == []
        assert not store.attachments.exists(image.attachment.sha256)
    assert all(MARKER not in content for content in server_files(laptop.server).values())
    assert desktop.export() == laptop.export()
