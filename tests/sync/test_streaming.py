"""An answer still arriving is not synced; once finished it is, once."""

from __future__ import annotations

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.store import DataDirLock
from tests.sync.helpers import SETTINGS, Device


def test_a_streaming_answer_is_synced_once_finished_and_only_once(
    laptop: Device, desktop: Device
) -> None:
    # As in the app, which holds the folder's lock while an answer streams in.
    with DataDirLock.acquire(laptop.data_dir), laptop.store() as store:
        conversation = store.conversations.create(SETTINGS)
        question = store.messages.add_user_message(conversation.id, None, "Tell me a story")
        started = store.messages.start_assistant_message(
            conversation.id, question.id, model=SETTINGS.model, api_format=SETTINGS.api_format
        )
        writer = store.writer(started.id)
        writer.append_text("Once upon a time")
        writer.flush()

        laptop.sync()
        desktop.sync()
        assert desktop.texts(conversation.uuid) == ["Tell me a story"]
        received = desktop.conversation(conversation.uuid)
        assert received is not None
        assert received["current_leaf"] == question.uuid

        writer.append_text(", the end.")
        writer.finish(MessageStatus.COMPLETE, finish_reason="stop")

    laptop.sync()
    assert desktop.sync().received.messages == 1
    assert desktop.texts(conversation.uuid) == ["Once upon a time, the end.", "Tell me a story"]
    assert desktop.export() == laptop.export()
    assert desktop.sync().received.messages == 0


def test_a_continued_answer_replaces_the_earlier_copy(laptop: Device, desktop: Device) -> None:
    conversation_uuid = laptop.chat("Count to four", "One, two")
    laptop.sync()
    desktop.sync()
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, conversation_uuid)
        _, answer = store.messages.visible_thread(conversation_id)
        store.messages.resume_assistant_message(answer.id)
        writer = store.writer(answer.id)
        writer.append_text(", three, four")
        writer.finish(MessageStatus.COMPLETE, finish_reason="stop")

    laptop.sync()
    desktop.sync()

    assert desktop.texts(conversation_uuid) == ["Count to four", "One, two, three, four"]
    assert desktop.export() == laptop.export()
