"""Two data folders syncing through one WebDAV folder end with the same history."""

from __future__ import annotations

import pytest

from tests.sync.helpers import Device, answered, later, name_device


def test_a_second_device_receives_every_conversation_with_all_its_branches(
    laptop: Device, desktop: Device
) -> None:
    first = laptop.chat("How do tides work?", "The moon pulls the oceans.")
    laptop.chat("Name a prime", "Seven.", title="Primes")
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, first)
        question, answer = store.messages.visible_thread(conversation_id)
        answered(store, conversation_id, question.id, "Gravity of the moon and the sun.")
        edited = store.messages.add_user_message(conversation_id, None, "How do waves work?")
        answered(store, conversation_id, edited.id, "Wind.")
        store.conversations.set_pinned(conversation_id, True)
        store.conversations.set_draft(conversation_id, "and the sun?")
        store.messages.select_branch(answer.id)

    laptop.sync()
    received = desktop.sync()

    assert received.received.conversations == 2
    assert received.received.messages == 7
    assert desktop.export() == laptop.export()
    shown = desktop.conversation(first)
    assert shown is not None
    assert shown["pinned"] is True
    assert shown["draft"] == "and the sun?"


def _offline_changes(laptop: Device, desktop: Device, shared: str, doomed: str) -> None:
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, shared)
        _, answer = store.messages.visible_thread(conversation_id)
        follow_up = store.messages.add_user_message(conversation_id, answer.id, "Why?")
        answered(store, conversation_id, follow_up.id, "Because of laptops.")
        store.conversations.set_pinned(conversation_id, True)
    laptop.chat("Laptop only", "Written on the train.")
    later()
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, shared)
        question, _ = store.messages.visible_thread(conversation_id)
        answered(store, conversation_id, question.id, "A regenerated answer.")
        store.conversations.rename(conversation_id, "Renamed on the desktop")
        store.conversations.delete(desktop.local_id(store, doomed))
    desktop.chat("Desktop only", "Written at home.")


@pytest.mark.parametrize("first_name", ["laptop", "desktop"])
def test_changes_made_offline_on_both_sides_merge_in_either_order(
    laptop: Device, desktop: Device, first_name: str
) -> None:
    shared = laptop.chat("Shared question", "Shared answer")
    doomed = laptop.chat("Soon deleted", "Gone")
    laptop.sync()
    desktop.sync()
    _offline_changes(laptop, desktop, shared, doomed)

    first, second = (laptop, desktop) if first_name == "laptop" else (desktop, laptop)
    first.sync()
    second.sync()
    first.sync()

    assert laptop.export() == desktop.export()
    merged = laptop.conversation(shared)
    assert merged is not None
    assert merged["pinned"] is True
    assert merged["title"] == "Renamed on the desktop"
    assert laptop.texts(shared) == sorted(
        [
            "Shared question",
            "Shared answer",
            "Why?",
            "Because of laptops.",
            "A regenerated answer.",
        ]
    )
    assert laptop.conversation(doomed) is None
    titles = sorted(c["title"] for c in laptop.export()["conversations"])
    assert titles == ["Desktop only", "Laptop only", "Renamed on the desktop"]


def test_syncing_again_changes_nothing_and_sends_nothing(laptop: Device, desktop: Device) -> None:
    laptop.chat("Question", "Answer")
    laptop.sync()
    desktop.sync()
    before = laptop.export()

    for device in (laptop, desktop, laptop, desktop):
        result = device.sync()
        assert result.sent_sets == 0
        assert not result.changed_here
        # The format, the key check, the change folders: a handful of requests.
        assert result.requests <= 5

    assert laptop.export() == desktop.export() == before


def test_the_later_edit_of_a_field_wins_on_both_sides(laptop: Device, desktop: Device) -> None:
    shared = laptop.chat("Question", "Answer")
    laptop.sync()
    desktop.sync()
    with desktop.store() as store:
        store.conversations.rename(desktop.local_id(store, shared), "Earlier title")
    later()
    with laptop.store() as store:
        store.conversations.rename(laptop.local_id(store, shared), "Later title")

    laptop.sync()
    desktop.sync()
    laptop.sync()

    for device in (laptop, desktop):
        conversation = device.conversation(shared)
        assert conversation is not None
        assert conversation["title"] == "Later title"
    assert laptop.export() == desktop.export()


def test_the_later_choice_of_tools_wins_on_both_sides(laptop: Device, desktop: Device) -> None:
    shared = laptop.chat("Question", "Answer")
    laptop.sync()
    desktop.sync()
    with desktop.store() as store:
        store.conversations.set_tool_selection(
            desktop.local_id(store, shared), '{"servers": {"web": true}, "tools": {}}'
        )
    later()
    with laptop.store() as store:
        store.conversations.set_tool_selection(
            laptop.local_id(store, shared), '{"servers": {"web": false}, "tools": {}}'
        )

    laptop.sync()
    desktop.sync()
    laptop.sync()

    for device in (laptop, desktop):
        conversation = device.conversation(shared)
        assert conversation is not None
        assert conversation["tools"] == {"servers": {"web": False}, "tools": {}}
    assert laptop.export() == desktop.export()


def test_a_choice_of_tools_reaches_a_device_that_never_saw_the_conversation(
    laptop: Device, desktop: Device
) -> None:
    shared = laptop.chat("Question", "Answer")
    with laptop.store() as store:
        store.conversations.set_tool_selection(
            laptop.local_id(store, shared), '{"servers": {"files": false}, "tools": {}}'
        )
    laptop.sync()
    desktop.sync()
    received = desktop.conversation(shared)
    assert received is not None
    assert received["tools"] == {"servers": {"files": False}, "tools": {}}


def test_a_deleted_branch_is_deleted_on_the_other_device(laptop: Device, desktop: Device) -> None:
    shared = laptop.chat("Question", "First answer")
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, shared)
        question, _ = store.messages.visible_thread(conversation_id)
        regenerated = answered(store, conversation_id, question.id, "Second answer")
    laptop.sync()
    desktop.sync()
    with laptop.store() as store:
        store.messages.delete_branch(regenerated)

    laptop.sync()
    result = desktop.sync()

    assert result.received.deleted == 1
    assert desktop.texts(shared) == ["First answer", "Question"]
    assert desktop.export() == laptop.export()


@pytest.mark.parametrize("deleted", ["conversation", "branch"])
def test_what_was_deleted_on_one_side_but_continued_offline_on_the_other_comes_back(
    laptop: Device, desktop: Device, deleted: str
) -> None:
    shared = laptop.chat("Question", "Answer")
    laptop.sync()
    desktop.sync()
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, shared)
        if deleted == "conversation":
            store.conversations.delete(conversation_id)
        else:
            _, answer = store.messages.visible_thread(conversation_id)
            store.messages.delete_branch(answer.id)
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, shared)
        _, answer = store.messages.visible_thread(conversation_id)
        store.messages.add_user_message(conversation_id, answer.id, "Written offline")

    laptop.sync()
    desktop.sync()
    laptop.sync()

    assert laptop.texts(shared) == ["Answer", "Question", "Written offline"]
    assert laptop.export() == desktop.export()


@pytest.mark.parametrize("deleted", ["conversation", "branch"])
def test_what_a_third_computer_added_before_it_heard_of_a_deletion_comes_back_too(
    laptop: Device, desktop: Device, deleted: str
) -> None:
    tablet = Device(laptop.data_dir.parent / "tablet", laptop.server)
    # The computer that brings the conversation back hears of the deletion before it hears of
    # the tablet's reply (sets are merged in the order of their computers' ids).
    name_device(desktop, "a" * 32)
    name_device(tablet, "b" * 32)
    name_device(laptop, "c" * 32)
    shared = laptop.chat("Question", "Answer")
    for device in (laptop, desktop, tablet):
        device.sync()
    with tablet.store() as store:
        conversation_id = tablet.local_id(store, shared)
        _, answer = store.messages.visible_thread(conversation_id)
        asked = store.messages.add_user_message(conversation_id, answer.id, "From the tablet")
        answered(store, conversation_id, asked.id, "Tablet's answer")
    tablet.sync()
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, shared)
        if deleted == "conversation":
            store.conversations.delete(conversation_id)
        else:
            _, answer = store.messages.visible_thread(conversation_id)
            store.messages.delete_branch(answer.id)
    desktop.sync()  # drops the tablet's reply with what it deleted
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, shared)
        _, answer = store.messages.visible_thread(conversation_id)
        store.messages.add_user_message(conversation_id, answer.id, "From the laptop, offline")

    for device in (laptop, desktop, tablet, laptop, desktop):
        device.sync()

    expected = ["Answer", "From the laptop, offline", "From the tablet", "Question"]
    assert desktop.texts(shared)[:4] == expected
    assert "Tablet's answer" in desktop.texts(shared)
    assert laptop.export() == desktop.export() == tablet.export()


def test_a_deletion_made_while_the_other_side_was_still_uploading_wins(
    laptop: Device, desktop: Device
) -> None:
    shared = laptop.chat("Question", "Answer")
    laptop.sync()
    desktop.sync()
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, shared)
        _, answer = store.messages.visible_thread(conversation_id)
        store.messages.add_user_message(conversation_id, answer.id, "Sent before the deletion")
    desktop.sync()
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, shared)
        _, answer = store.messages.visible_thread(conversation_id)
        store.messages.delete_branch(answer.id)

    laptop.sync()
    desktop.sync()
    laptop.sync()

    assert laptop.texts(shared) == ["Question"]
    assert laptop.export() == desktop.export()


def test_three_devices_agree(laptop: Device, desktop: Device, tmp_path_factory: object) -> None:
    third = Device(laptop.data_dir.parent / "phone", laptop.server)
    laptop.chat("From the laptop", "One")
    desktop.chat("From the desktop", "Two")
    third.chat("From the third", "Three")
    for device in (laptop, desktop, third, laptop, desktop):
        device.sync()
    assert laptop.export() == desktop.export() == third.export()
    assert len(laptop.export()["conversations"]) == 3
