"""The notices that tell the user what the recovery files of the last quit became."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.services.answer_recovery import recover_answers
from longcat_desktop.store import Store
from longcat_desktop.store.recovery import UnwrittenAnswer


def _kept_aside(store: Store, text: str) -> UnwrittenAnswer:
    conversation = store.conversations.create(
        ConversationSettings("LongCat-2.0-Preview", ApiFormat.OPENAI)
    )
    question = store.messages.add_user_message(conversation.id, None, "go")
    answer = store.messages.start_assistant_message(
        conversation.id, question.id, model="m", api_format=None
    )
    unwritten = UnwrittenAnswer(
        conversation_id=conversation.id,
        message_id=answer.id,
        message_uuid=answer.uuid,
        text=text,
        reasoning="",
        status=MessageStatus.INTERRUPTED,
    )
    store.recovery.save(unwritten)
    return unwritten


def test_nothing_to_recover_says_nothing(tmp_path: Path, qapp: QApplication) -> None:
    with Store.open(tmp_path) as store:
        assert recover_answers(store) == ([], set())


def test_an_answer_whose_conversation_is_gone_is_said_to_be_in_its_folder(
    tmp_path: Path, qapp: QApplication
) -> None:
    with Store.open(tmp_path) as store:
        back = _kept_aside(store, "kept")
        gone = _kept_aside(store, "lost conversation")
        store.conversations.delete(gone.conversation_id)
        (store.recovery.folder / "20260101-000000-99.json").write_text("{", encoding="utf-8")
        notices, recovered = recover_answers(store)
        assert recovered == {back.message_id}
        assert store.messages.get(back.message_id).text == "kept"
        folder = str(store.recovery.folder)
        assert notices == [
            "1 answer(s) could not be saved when the app last closed and were kept aside. "
            "They are back in their conversations.",
            "1 answer(s) kept aside when the app last closed belong to conversations that no "
            f"longer exist. Their text is in {folder}.",
            f"1 file(s) in {folder} could not be read; they were left there.",
        ]
        assert len(store.recovery.files()) == 2


def test_an_answer_the_database_still_refuses_waits_for_the_next_start(
    tmp_path: Path, qapp: QApplication
) -> None:
    with Store.open(tmp_path) as store:
        waiting = _kept_aside(store, "w" * 300_000)
        store.db.execute(f"PRAGMA max_page_count = {store.db.scalar('PRAGMA page_count')}")
        notices, recovered = recover_answers(store)
        assert recovered == set()
        [notice] = notices
        assert "still cannot be saved" in notice
        assert "disk is full" in notice
        assert str(store.recovery.folder) in notice
        assert store.messages.get(waiting.message_id).text == ""
        assert len(store.recovery.files()) == 1
