"""Another program holding a lock on the database never makes the app wait, and loses nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.store import Store
from longcat_desktop.store.errors import DatabaseBusyError
from tests.store.helpers import SETTINGS, add_exchange, start_answer


def _start(store: Store) -> MessageId:
    return start_answer(store).id


@contextmanager
def another_program(store: Store, begin: str) -> Iterator[sqlite3.Connection]:
    """A second connection, as a database tool would open it, holding the write lock."""
    other = sqlite3.connect(store.db.path, isolation_level=None)
    other.execute(begin)
    other.execute("UPDATE conversations SET title = 'changed by another program'")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


LOCKS = pytest.mark.parametrize("begin", ["BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"])


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    store.db.connection.set_trace_callback(seen.append)
    return seen


def test_a_flush_while_locked_fails_at_once_and_keeps_the_text(store: Store) -> None:
    message_id = _start(store)
    writer = store.writer(message_id)
    writer.append_text("before the lock. ")
    writer.flush()
    other = sqlite3.connect(store.db.path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        writer.append_text("during the lock.")
        seen = _statements(store)
        with pytest.raises(DatabaseBusyError):
            writer.flush()
        store.db.connection.set_trace_callback(None)
        # The lock was asked for without waiting, and the usual wait is back afterwards.
        begin = seen.index("BEGIN IMMEDIATE")
        assert seen[begin - 1] == "PRAGMA busy_timeout = 0"
        assert 0 < store.db.busy_timeout_ms <= 100
        assert writer.pending_chars == len("during the lock.")
        assert writer.failing_since is not None
        with pytest.raises(DatabaseBusyError):
            writer.finish(MessageStatus.COMPLETE)
        assert writer.open
    finally:
        other.execute("ROLLBACK")
        other.close()
    writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
    message = store.messages.get(message_id)
    # Written once the lock was gone: nothing lost, nothing twice.
    assert message.text == "before the lock. during the lock."
    assert message.status is MessageStatus.COMPLETE
    assert writer.failing_since is None


@LOCKS
def test_each_kind_of_lock_is_refused_without_waiting(store: Store, begin: str) -> None:
    message_id = _start(store)
    writer = store.writer(message_id)
    writer.append_text("kept")
    with another_program(store, begin) as other:
        seen = _statements(store)
        with pytest.raises(DatabaseBusyError):
            writer.flush()
        store.db.connection.set_trace_callback(None)
        assert seen[seen.index("BEGIN IMMEDIATE") - 1] == "PRAGMA busy_timeout = 0"
        other.execute("COMMIT")
    assert writer.flush()
    assert store.messages.get(message_id).text == "kept"


@LOCKS
def test_reading_a_conversation_does_not_wait_for_a_writer(store: Store, begin: str) -> None:
    conversation = store.conversations.create(SETTINGS)
    add_exchange(store, conversation.id, None, "question", "answer")
    with another_program(store, begin) as other:
        other.execute("UPDATE messages SET text = 'uncommitted'")
        # Not even a moment's wait: WAL readers see the last commit while another program
        # writes.
        store.db.execute("PRAGMA busy_timeout = 0")
        thread = store.messages.visible_thread(conversation.id)
        assert [message.text for message in thread] == ["question", "answer"]
        assert store.conversations.get(conversation.id).title == "question"
        assert [c.id for c in store.conversations.list()] == [conversation.id]
