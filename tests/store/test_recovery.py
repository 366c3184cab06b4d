"""Answers kept aside in recovery files at quit go back into the database at the next start."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.store import Store
from longcat_desktop.store.recovery import RECOVERY_FOLDER, UnwrittenAnswer
from tests.store.helpers import start_answer


def _streaming_answer(store: Store, flushed: str) -> UnwrittenAnswer:
    """An answer whose first part reached the database; the rest only the recovery file."""
    answer = start_answer(store)
    writer = store.writer(answer.id)
    writer.append_text(flushed)
    writer.flush()
    return UnwrittenAnswer(
        conversation_id=answer.conversation_id,
        message_id=answer.id,
        message_uuid=answer.uuid,
        text=flushed + " and the rest, which the disk refused.",
        reasoning="thought it through",
        status=MessageStatus.INTERRUPTED,
    )


def test_a_saved_answer_is_put_back_and_its_file_removed(store: Store, data_dir: Path) -> None:
    unwritten = _streaming_answer(store, "The start")
    path = store.recovery.save(unwritten)
    assert path.parent == data_dir / RECOVERY_FOLDER
    assert path.name.endswith(f"-{unwritten.message_id}.json")
    # Written whole, atomically: the one file and no temporary beside it.
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["text"] == unwritten.text
    assert saved["conversation_id"] == unwritten.conversation_id

    report = store.recovery.apply(store.db)
    assert report.applied == [unwritten]
    assert (report.kept, report.waiting, report.unreadable) == ([], [], [])
    message = store.messages.get(unwritten.message_id)
    assert message.text == unwritten.text
    assert message.reasoning == "thought it through"
    assert message.status is MessageStatus.INTERRUPTED
    assert message.finished_at is not None
    assert not path.exists()
    # Nothing left to do the next time.
    assert not store.recovery.apply(store.db).anything


def test_the_outcome_in_the_file_is_the_one_stored(store: Store) -> None:
    unwritten = _streaming_answer(store, "Complete")
    failed = replace(
        unwritten,
        text="Complete",
        reasoning="",
        status=MessageStatus.ERROR,
        error=ErrorDetails("overloaded", "overloaded_error", "529", 529),
    )
    store.recovery.save(failed)
    store.recovery.apply(store.db)
    message = store.messages.get(unwritten.message_id)
    assert message.status is MessageStatus.ERROR
    assert message.error == ErrorDetails("overloaded", "overloaded_error", "529", 529)
    assert message.text == "Complete"


def test_our_own_error_sentence_keeps_its_key(store: Store) -> None:
    unwritten = _streaming_answer(store, "Partial")
    said = texts.ANSWER_FAILED("ValueError")
    failed = replace(
        unwritten,
        status=MessageStatus.ERROR,
        error=ErrorDetails.of(said, type="internal_error"),
    )
    store.recovery.save(failed)
    assert store.recovery.apply(store.db).applied == [failed]
    error = store.messages.get(unwritten.message_id).error
    assert error is not None
    assert error.user_text == said
    assert error.type == "internal_error"


def test_a_longer_text_in_the_database_is_not_replaced(store: Store) -> None:
    unwritten = _streaming_answer(store, "x" * 500)
    shorter = replace(unwritten, text="x" * 100, reasoning="")
    store.recovery.save(shorter)
    assert store.recovery.apply(store.db).applied == [shorter]
    assert store.messages.get(unwritten.message_id).text == "x" * 500


def test_an_answer_whose_conversation_is_gone_stays_in_its_file(store: Store) -> None:
    unwritten = _streaming_answer(store, "The start")
    path = store.recovery.save(unwritten)
    store.conversations.delete(unwritten.conversation_id)
    report = store.recovery.apply(store.db)
    assert report.kept == [path]
    assert report.applied == []
    assert path.exists()
    assert json.loads(path.read_text(encoding="utf-8"))["text"] == unwritten.text


def test_a_file_for_another_message_with_the_same_id_is_not_applied(store: Store) -> None:
    unwritten = _streaming_answer(store, "The start")
    other = replace(
        unwritten,
        message_uuid="not-this-message",
        text="Something else entirely, and longer than the start.",
    )
    path = store.recovery.save(other)
    assert store.recovery.apply(store.db).kept == [path]
    assert store.messages.get(unwritten.message_id).text == "The start"


def test_a_damaged_file_is_left_alone(store: Store) -> None:
    store.recovery.folder.mkdir()
    damaged = store.recovery.folder / "20260101-000000-7.json"
    damaged.write_text('{"format": "longcat-desktop-unwritten-answer", "tex', encoding="utf-8")
    report = store.recovery.apply(store.db)
    assert report.unreadable == [damaged]
    assert damaged.exists()


def test_a_file_waits_while_the_database_still_refuses(store: Store) -> None:
    unwritten = _streaming_answer(store, "The start")
    big = replace(unwritten, text="The start" + "y" * 300_000)
    path = store.recovery.save(big)
    store.db.execute(f"PRAGMA max_page_count = {store.db.scalar('PRAGMA page_count')}")
    report = store.recovery.apply(store.db)
    assert report.waiting == [path]
    assert report.failure is not None
    assert path.exists()
    assert store.messages.get(unwritten.message_id).text == "The start"
    store.db.execute("PRAGMA max_page_count = 1073741823")
    assert store.recovery.apply(store.db).applied == [big]
    assert store.messages.get(unwritten.message_id).text == big.text
