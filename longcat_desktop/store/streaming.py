"""Writing an answer while it arrives: buffered in memory, on disk within 250 ms.

The writer flushes by itself when an append finds the oldest unwritten text older than
`max_delay`; the caller also calls flush() on a 250 ms timer, which covers pauses in the stream.
Together, text reaches the disk at most about 250 ms after it arrived, so a crash or a kill loses
no more than that.

A failing write (disk full, say) never loses text: it stays buffered and the next flush or
finish() tries again. Appends never raise; flush() and finish() report the failure.

These writes run on the UI thread, on timers, so they never wait for a lock another program
holds on the database: they fail at once (DatabaseBusyError), keep the text, and the next tick
tries again. `failing_since` tells how long writes have been failing, so that a lock held for a
moment is not reported to the user but one that lasts is.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.domain.events import Usage
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.store.database import Database
from longcat_desktop.store.error_columns import error_columns
from longcat_desktop.store.errors import StoreError

# Below the promised 250 ms so that appends arriving every few ms still meet it.
DEFAULT_MAX_DELAY = 0.2


class StreamingMessageWriter:
    def __init__(
        self,
        db: Database,
        message_id: MessageId,
        *,
        max_delay: float = DEFAULT_MAX_DELAY,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self.message_id = message_id
        self._max_delay = max_delay
        self._monotonic = monotonic
        self._clock = clock
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._signature: str | None = None
        self._usage: Usage | None = None
        self._first_token_at: float | None = None
        # Monotonic times of the first reasoning token and of the first answer token after it.
        self._reasoning_started: float | None = None
        self._reasoning_ended: float | None = None
        self._oldest_pending: float | None = None
        self._last_attempt = float("-inf")
        self.last_error: StoreError | None = None
        # When the current run of failed writes began (monotonic), None while writes succeed.
        self.failing_since: float | None = None
        # False once the row is gone (its conversation deleted) or the answer was finished.
        self.open = True

    @property
    def pending_chars(self) -> int:
        return sum(map(len, self._text)) + sum(map(len, self._reasoning))

    def append_text(self, text: str) -> None:
        if text:
            if self._reasoning_started is not None and self._reasoning_ended is None:
                self._reasoning_ended = self._monotonic()
            self._text.append(text)
            self._arrived()

    def append_reasoning(self, text: str) -> None:
        if text:
            if self._reasoning_started is None:
                self._reasoning_started = self._monotonic()
            self._reasoning.append(text)
            self._arrived()

    @property
    def finished_thinking_seconds(self) -> float | None:
        """The reasoning time, once the first answer token has ended it."""
        if self._reasoning_started is None or self._reasoning_ended is None:
            return None
        return self._reasoning_ended - self._reasoning_started

    @property
    def reasoning_seconds(self) -> float | None:
        """How long the model has thought: to its first answer token, or until now."""
        if self._reasoning_started is None:
            return None
        end = self._reasoning_ended if self._reasoning_ended is not None else self._monotonic()
        return end - self._reasoning_started

    def set_reasoning_signature(self, signature: str) -> None:
        self._signature = signature
        self._arrived()

    def set_usage(self, usage: Usage) -> None:
        self._usage = usage

    def due(self) -> bool:
        """Whether text has waited long enough that it should be written now."""
        if self._oldest_pending is None or not self.open:
            return False
        now = self._monotonic()
        return (
            now - self._oldest_pending >= self._max_delay
            and now - self._last_attempt >= self._max_delay
        )

    def flush(self) -> bool:
        """Write what is buffered. Returns whether anything was written.

        Raises StoreError when the write fails; the text stays buffered for the next try.
        """
        if not self.open or self._oldest_pending is None:
            return False
        self._last_attempt = self._monotonic()
        text, reasoning = "".join(self._text), "".join(self._reasoning)
        usage = self._usage or Usage()
        try:
            with self._db.transaction(wait=False):
                cursor = self._db.execute(
                    "UPDATE messages SET text = text || ?, reasoning = reasoning || ?,"
                    " reasoning_signature = coalesce(?, reasoning_signature),"
                    " first_token_at = coalesce(first_token_at, ?),"
                    " input_tokens = coalesce(?, input_tokens),"
                    " output_tokens = coalesce(?, output_tokens)"
                    " WHERE id = ? AND status = 'streaming'",
                    (
                        text,
                        reasoning,
                        self._signature,
                        self._first_token_at,
                        usage.input_tokens,
                        usage.output_tokens,
                        self.message_id,
                    ),
                )
        except StoreError as error:
            self._failed(error)
            raise
        self._succeeded()
        if cursor.rowcount == 0:
            self.open = False
            return False
        return True

    def finish(
        self,
        status: MessageStatus,
        *,
        finish_reason: str | None = None,
        usage: Usage | None = None,
        error: ErrorDetails | None = None,
    ) -> None:
        """Write the rest and the outcome in one transaction. Safe to call again on failure."""
        if status is MessageStatus.STREAMING:
            raise ValueError("an answer cannot finish as streaming")
        if not self.open:
            return
        if usage is not None:
            self._usage = usage
        final = self._usage or Usage()
        now = self._clock()
        self._last_attempt = self._monotonic()
        try:
            with self._db.transaction(wait=False):
                cursor = self._db.execute(
                    "UPDATE messages SET text = text || ?, reasoning = reasoning || ?,"
                    " reasoning_signature = coalesce(?, reasoning_signature),"
                    " first_token_at = coalesce(first_token_at, ?),"
                    " input_tokens = coalesce(?, input_tokens),"
                    " output_tokens = coalesce(?, output_tokens),"
                    " reasoning_seconds = coalesce(?, reasoning_seconds),"
                    " status = ?, finish_reason = ?, error_message = ?, error_type = ?,"
                    " error_code = ?, error_status = ?, error_key = ?, error_args = ?,"
                    " finished_at = ?"
                    " WHERE id = ? AND status = 'streaming'",
                    (
                        "".join(self._text),
                        "".join(self._reasoning),
                        self._signature,
                        self._first_token_at,
                        final.input_tokens,
                        final.output_tokens,
                        self.reasoning_seconds,
                        str(status),
                        finish_reason,
                        *error_columns(error),
                        now,
                        self.message_id,
                    ),
                )
                if cursor.rowcount:
                    self._db.execute(
                        "UPDATE conversations SET updated_at = ? WHERE id ="
                        " (SELECT conversation_id FROM messages WHERE id = ?)",
                        (now, self.message_id),
                    )
        except StoreError as failure:
            self._failed(failure)
            raise
        self._succeeded()
        self.open = False

    def _arrived(self) -> None:
        now = self._monotonic()
        if self._first_token_at is None:
            self._first_token_at = self._clock()
        if self._oldest_pending is None:
            self._oldest_pending = now
        if self.due():
            # The failure is kept in last_error and the text in the buffer; the timer's
            # flush reports it.
            with contextlib.suppress(StoreError):
                self.flush()

    def failing_for(self) -> float:
        """Seconds since writes began to fail, 0 while they succeed."""
        return 0.0 if self.failing_since is None else self._monotonic() - self.failing_since

    def _failed(self, error: StoreError) -> None:
        self.last_error = error
        if self.failing_since is None:
            self.failing_since = self._last_attempt

    def _succeeded(self) -> None:
        self.last_error = None
        self.failing_since = None
        self._clear()

    def _clear(self) -> None:
        self._text.clear()
        self._reasoning.clear()
        self._signature = None
        self._oldest_pending = None
