"""Streaming writes: flushed within 250 ms, survive a kill, never lose text on a failed write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.domain.events import Usage
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.store import DiskFullError, Store
from longcat_desktop.store.streaming import StreamingMessageWriter
from tests.store.crash_child import CHUNK
from tests.store.helpers import child_environment, start_answer


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _start(store: Store) -> MessageId:
    return start_answer(store).id


def _on_disk(store: Store, message_id: MessageId) -> str:
    text: str = store.db.scalar("SELECT text FROM messages WHERE id = ?", (message_id,))
    return text


def test_the_answer_row_exists_before_any_token(store: Store) -> None:
    message_id = _start(store)
    message = store.messages.get(message_id)
    assert message.status is MessageStatus.STREAMING
    assert message.text == ""


def test_appends_are_flushed_once_the_oldest_has_waited_long_enough(store: Store) -> None:
    message_id = _start(store)
    clock = FakeClock()
    writer = StreamingMessageWriter(store.db, message_id, max_delay=0.25, monotonic=clock)
    writer.append_text("a")
    clock.now += 0.125
    writer.append_text("b")
    assert _on_disk(store, message_id) == ""
    assert not writer.due()
    clock.now += 0.125
    writer.append_reasoning("thought")
    assert _on_disk(store, message_id) == "ab"
    assert store.messages.get(message_id).reasoning == "thought"
    assert writer.pending_chars == 0
    writer.append_text("c")
    assert writer.flush()
    assert not writer.flush()
    assert _on_disk(store, message_id) == "abc"


def test_finish_writes_the_rest_and_the_outcome(store: Store) -> None:
    message_id = _start(store)
    writer = store.writer(message_id)
    writer.append_reasoning("hmm")
    writer.set_reasoning_signature("sig")
    writer.append_text("partial answer")
    writer.finish(
        MessageStatus.ERROR,
        finish_reason=None,
        usage=Usage(input_tokens=10, output_tokens=3),
        error=ErrorDetails("overloaded", type="overloaded_error", code="529", status=529),
    )
    message = store.messages.get(message_id)
    assert message.text == "partial answer"
    assert message.reasoning == "hmm"
    assert message.reasoning_signature == "sig"
    assert message.status is MessageStatus.ERROR
    assert message.error == ErrorDetails("overloaded", "overloaded_error", "529", 529)
    assert message.usage == Usage(10, 3)
    assert message.finished_at is not None
    assert not writer.open
    with pytest.raises(ValueError, match="streaming"):
        store.writer(message_id).finish(MessageStatus.STREAMING)


def test_a_writer_whose_conversation_was_deleted_stops_quietly(store: Store) -> None:
    message_id = _start(store)
    writer = store.writer(message_id)
    conversation_id = store.messages.get(message_id).conversation_id
    store.conversations.delete(conversation_id)
    writer.append_text("late token")
    assert not writer.flush()
    assert not writer.open
    writer.finish(MessageStatus.COMPLETE)


def test_a_full_disk_keeps_the_text_buffered_until_a_flush_succeeds(store: Store) -> None:
    message_id = _start(store)
    writer = store.writer(message_id)
    writer.append_text("saved before the disk filled. ")
    writer.flush()
    pages = store.db.scalar("PRAGMA page_count")
    # A real SQLITE_FULL: the database may not grow by a single page.
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    big = "x" * 200_000
    writer.append_text(big)
    with pytest.raises(DiskFullError) as raised:
        writer.flush()
    assert "disk is full" in str(raised.value)
    assert writer.last_error is raised.value
    assert writer.pending_chars == len(big)
    # Nothing already saved was lost, and the store still works for reading.
    assert _on_disk(store, message_id) == "saved before the disk filled. "
    with pytest.raises(DiskFullError):
        store.messages.add_user_message(
            store.messages.get(message_id).conversation_id, None, "y" * 100_000
        )
    with pytest.raises(DiskFullError):
        writer.finish(MessageStatus.COMPLETE)
    store.db.execute("PRAGMA max_page_count = 1073741823")
    writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
    message = store.messages.get(message_id)
    assert message.text == "saved before the disk filled. " + big
    assert message.status is MessageStatus.COMPLETE


def test_an_append_during_a_full_disk_does_not_raise(store: Store) -> None:
    message_id = _start(store)
    clock = FakeClock()
    writer = StreamingMessageWriter(store.db, message_id, max_delay=0.2, monotonic=clock)
    store.db.execute(f"PRAGMA max_page_count = {store.db.scalar('PRAGMA page_count')}")
    writer.append_text("z" * 100_000)
    clock.now += 1
    writer.append_text("more")
    assert isinstance(writer.last_error, DiskFullError)
    store.db.execute("PRAGMA max_page_count = 1073741823")
    clock.now += 1
    writer.append_text("!")
    assert writer.pending_chars == 0
    assert _on_disk(store, message_id) == "z" * 100_000 + "more!"


def test_a_killed_process_loses_at_most_the_last_250_ms(data_dir: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_child", str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=child_environment(),
    )
    assert child.stdout is not None
    appends: list[tuple[float, int]] = []
    try:
        ready = child.stdout.readline().split()
        assert ready[:1] == ["READY"], ready
        message_id = MessageId(int(ready[1]))
        # Let it stream for a while (timed by its own reports, not by sleeping).
        while len(appends) < 80:
            line = child.stdout.readline()
            assert line, "the child stopped early"
            _, at, total = line.split()
            appends.append((float(at), int(total)))
        killed_at = time.monotonic()
        os.kill(child.pid, signal.SIGKILL)
        rest = child.stdout.read()
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    for line in rest.splitlines():
        _, at, total = line.split()
        appends.append((float(at), int(total)))

    must_be_saved = max(total for at, total in appends if at <= killed_at - 0.25)
    with Store.open(data_dir) as store:
        assert message_id in store.report.interrupted_message_ids
        message = store.messages.get(message_id)
    assert message.status is MessageStatus.INTERRUPTED
    expected = "".join(CHUNK.format(i) for i in range(len(appends) + 5))
    assert expected.startswith(message.text)
    assert len(message.text) >= must_be_saved


def test_the_reasoning_duration_runs_from_the_first_thought_to_the_first_answer_token(
    store: Store,
) -> None:
    message_id = _start(store)
    clock = FakeClock()
    writer = StreamingMessageWriter(store.db, message_id, monotonic=clock)
    writer.append_reasoning("Let me think")
    clock.now += 3.0
    writer.append_reasoning(" more")
    clock.now += 1.5
    writer.append_text("Answer")
    clock.now += 10.0
    writer.append_text(" goes on")
    writer.finish(MessageStatus.COMPLETE)
    assert store.messages.get(message_id).reasoning_seconds == pytest.approx(4.5)


def test_reasoning_cut_off_before_any_answer_lasts_until_the_end(store: Store) -> None:
    message_id = _start(store)
    clock = FakeClock()
    writer = StreamingMessageWriter(store.db, message_id, monotonic=clock)
    writer.append_reasoning("Thinking")
    clock.now += 2.0
    writer.finish(MessageStatus.STOPPED)
    assert store.messages.get(message_id).reasoning_seconds == pytest.approx(2.0)


def test_an_answer_without_reasoning_has_no_duration(store: Store) -> None:
    message_id = _start(store)
    writer = StreamingMessageWriter(store.db, message_id, monotonic=FakeClock())
    writer.append_text("Straight to the answer")
    writer.finish(MessageStatus.COMPLETE)
    assert store.messages.get(message_id).reasoning_seconds is None
