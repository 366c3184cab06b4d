"""Answers while the database refuses writes: a lock held by another program, a full disk."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.services import chat_service
from longcat_desktop.services.answer_recovery import recover_answers
from longcat_desktop.store import Store
from longcat_desktop.store.errors import DatabaseBusyError, DiskFullError
from tests.fakes.longcat_server import Scenario
from tests.qt_async import emitted, run, until
from tests.services.conftest import ChatEnv

WORDS = [f"word{i} " for i in range(60)]
# Chunks big enough that the database must grow to take them.
BIG = ["The start. ", *["z" * 20_000 for _ in range(12)]]


@contextmanager
def _locked(store: Store) -> Iterator[None]:
    """Another program holding the database's write lock for the duration."""
    other = sqlite3.connect(store.db.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def _first_words(chat_env: ChatEnv, conversation_id: ConversationId) -> MessageId:
    """Send a question and wait until its answer has begun; returns the answer's id."""
    message_id = chat_env.chat.send(conversation_id, "Go")
    assert message_id is not None
    await emitted(chat_env.chat.answerDelta)
    return message_id


def _fill_disk(store: Store) -> None:
    """A real SQLITE_FULL: the database may not grow by a single page."""
    store.db.execute(f"PRAGMA max_page_count = {store.db.scalar('PRAGMA page_count')}")


def _stream_ended(chat_env: ChatEnv, message_id: MessageId) -> bool:
    live = chat_env.chat.live_answer(message_id)
    return live is not None and live.task is None


def test_a_lock_delays_the_writes_without_waiting_or_losing_text(
    chat_env: ChatEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_service, "LOCK_REPORT_AFTER", 60.0)
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(deltas=WORDS, delay=0.005))
    failures: list[str] = []
    chat_env.chat.storeFailed.connect(failures.append)

    async def body() -> MessageId:
        message_id = await _first_words(chat_env, conversation.id)
        with _locked(chat_env.store):
            # The whole answer arrives while the lock is held; its end cannot be written.
            await until(lambda: _stream_ended(chat_env, message_id), what="the stream's end")
            live = chat_env.chat.live_answer(message_id)
            assert live is not None
            assert isinstance(live.writer.last_error, DatabaseBusyError)
            assert chat_env.chat.is_streaming(conversation.id)
            on_disk = chat_env.store.messages.get(message_id)
            assert on_disk.status is MessageStatus.STREAMING
            assert "".join(WORDS).startswith(on_disk.text)
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    message_id = run(chat_env.loop, body())
    stored = chat_env.store.messages.get(message_id)
    # Nothing lost, nothing written twice, and a short lock not worth a word to the user.
    assert stored.text == "".join(WORDS)
    assert stored.status is MessageStatus.COMPLETE
    assert failures == []


def test_a_lasting_lock_is_reported_once(
    chat_env: ChatEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_service, "LOCK_REPORT_AFTER", 0.3)
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(deltas=WORDS, delay=0.02))
    failures: list[str] = []
    chat_env.chat.storeFailed.connect(failures.append)

    async def body() -> MessageId:
        message_id = await _first_words(chat_env, conversation.id)
        live = chat_env.chat.live_answer(message_id)
        assert live is not None
        with _locked(chat_env.store):
            await emitted(chat_env.chat.storeFailed)
            # Writes keep failing well past the first report, which is not repeated.
            await until(lambda: live.writer.failing_for() > 1.0, what="more failed writes")
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    message_id = run(chat_env.loop, body())
    assert len(failures) == 1
    assert "locked" in failures[0]
    assert chat_env.store.messages.get(message_id).text == "".join(WORDS)


@pytest.mark.parametrize("quit_mid_answer", [False, True])
def test_an_answer_the_full_disk_refuses_at_quit_goes_to_a_recovery_file(
    chat_env: ChatEnv, monkeypatch: pytest.MonkeyPatch, quit_mid_answer: bool
) -> None:
    monkeypatch.setattr(chat_service, "SHUTDOWN_RETRY_FOR", 0.3)
    conversation = chat_env.new_conversation()
    # Mid answer: the server sends everything, then holds the stream open.
    chat_env.server.push(
        Scenario(deltas=BIG, delay=0.005, stall_after=len(BIG) if quit_mid_answer else None)
    )
    failures: list[str] = []
    chat_env.chat.storeFailed.connect(failures.append)
    full_text = "".join(BIG)

    async def body() -> MessageId:
        message_id = await _first_words(chat_env, conversation.id)
        _fill_disk(chat_env.store)
        await until(
            lambda: (chat_env.chat.shown_text(message_id) or ("",))[0] == full_text,
            what="the whole answer",
        )
        if not quit_mid_answer:
            # The answer's last write fails and waits to be tried again.
            await until(lambda: _stream_ended(chat_env, message_id), what="the stream's end")
        await chat_env.chat.shutdown()
        return message_id

    message_id = run(chat_env.loop, body())
    assert any("disk is full" in failure for failure in failures)
    assert not chat_env.chat.is_streaming(conversation.id)
    # The database never got the answer's end...
    assert chat_env.store.messages.get(message_id).status is MessageStatus.STREAMING
    # ...so it is kept in a file, whole, and without the key.
    [path] = chat_env.store.recovery.files()
    content = path.read_text(encoding="utf-8")
    assert chat_env.server.api_key not in content
    saved = json.loads(content)
    assert saved["message_id"] == message_id
    assert saved["conversation_id"] == conversation.id
    assert saved["text"] == full_text
    expected = MessageStatus.INTERRUPTED if quit_mid_answer else MessageStatus.COMPLETE
    assert saved["status"] == expected.value

    # The next start puts it back and says so.
    data_dir = chat_env.store.db.path.parent
    chat_env.store.close()
    with Store.open(data_dir) as reopened:
        assert message_id in reopened.report.interrupted_message_ids
        notices, recovered = recover_answers(reopened)
        assert recovered == {message_id}
        assert len(notices) == 1
        assert "back in their conversations" in notices[0]
        stored = reopened.messages.get(message_id)
        assert stored.text == full_text
        assert stored.status is expected
        assert reopened.recovery.files() == []


def test_an_answer_written_once_the_disk_has_room_again_needs_no_recovery(
    chat_env: ChatEnv,
) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(deltas=BIG, delay=0.005))

    async def body() -> MessageId:
        message_id = await _first_words(chat_env, conversation.id)
        _fill_disk(chat_env.store)
        await until(lambda: _stream_ended(chat_env, message_id), what="the stream's end")
        live = chat_env.chat.live_answer(message_id)
        assert live is not None
        assert isinstance(live.writer.last_error, DiskFullError)
        chat_env.store.db.execute("PRAGMA max_page_count = 1073741823")
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        await chat_env.chat.shutdown()
        return message_id

    message_id = run(chat_env.loop, body())
    stored = chat_env.store.messages.get(message_id)
    assert stored.text == "".join(BIG)
    assert stored.status is MessageStatus.COMPLETE
    assert chat_env.store.recovery.files() == []
