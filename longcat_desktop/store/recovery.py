"""Answers the database refused at quit (a full disk), kept in files until a later start.

When the last write of an answer fails even after retries at shutdown, its whole text is written
to `recovery/<time>-<message id>.json` in the data folder, atomically, beside the database.
At the next start each file is applied to its message (if the message still exists and holds
less text) and removed once the database has it. A file whose message is gone is left where it
is, for the user to open: it is plain JSON holding the text.

The files hold what the message row would: ids, text, reasoning, how the answer ended. Never a
key, a header or anything from the connection.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store.atomic import write_atomic
from longcat_desktop.store.database import Database
from longcat_desktop.store.error_columns import (
    NO_ERROR,
    ErrorColumns,
    error_columns,
    error_from_columns,
)
from longcat_desktop.store.errors import StoreError

log = logging.getLogger(__name__)

RECOVERY_FOLDER = "recovery"
_FORMAT = "longcat-desktop-unwritten-answer"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class UnwrittenAnswer:
    """An answer as it should have been stored: its whole text, not only the unwritten end."""

    conversation_id: ConversationId
    message_id: MessageId
    message_uuid: str
    text: str
    reasoning: str
    status: MessageStatus
    finish_reason: str | None = None
    error: ErrorDetails | None = None
    ended_at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "version": _VERSION,
            "conversation_id": self.conversation_id,
            "message_id": self.message_id,
            "message_uuid": self.message_uuid,
            "text": self.text,
            "reasoning": self.reasoning,
            "status": str(self.status),
            "finish_reason": self.finish_reason,
            # As the message's error columns: our own sentences keep their key and values.
            "error": None if self.error is None else list(error_columns(self.error)),
            "ended_at": self.ended_at,
        }

    @classmethod
    def from_json(cls, data: object) -> UnwrittenAnswer:
        """Raises ValueError (or KeyError, TypeError) for anything but a file written here."""
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError("not an unwritten answer")
        error = data.get("error")
        status = MessageStatus(data["status"])
        return cls(
            conversation_id=ConversationId(int(data["conversation_id"])),
            message_id=MessageId(int(data["message_id"])),
            message_uuid=str(data["message_uuid"]),
            text=str(data["text"]),
            reasoning=str(data.get("reasoning") or ""),
            # An answer cut short by the quit is over; it only ever resumes by Continue.
            status=MessageStatus.INTERRUPTED if status is MessageStatus.STREAMING else status,
            finish_reason=data.get("finish_reason"),
            error=None if error is None else error_from_columns(*_error_columns(error)),
            ended_at=float(data.get("ended_at") or time.time()),
        )


@dataclass
class RecoveryReport:
    """What applying the recovery files did."""

    folder: Path
    # Answers now complete in the database; their files are gone.
    applied: list[UnwrittenAnswer] = field(default_factory=list)
    # Files kept because their message no longer exists (its conversation was deleted).
    kept: list[Path] = field(default_factory=list)
    # Files kept because they cannot be read (damaged, or not written by this app).
    unreadable: list[Path] = field(default_factory=list)
    # Files kept because the database still refused the write; tried again at the next start.
    waiting: list[Path] = field(default_factory=list)
    failure: StoreError | None = None

    @property
    def anything(self) -> bool:
        return bool(self.applied or self.kept or self.unreadable or self.waiting)


class RecoveryFiles:
    """The recovery folder of one data folder."""

    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.folder = data_dir / RECOVERY_FOLDER
        self._clock = clock

    def save(self, answer: UnwrittenAnswer) -> Path:
        """Write the answer's file. Raises OSError (the disk may well be full too)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self._clock()))
        path = self.folder / f"{stamp}-{answer.message_id}.json"
        data = json.dumps(answer.to_json(), ensure_ascii=False, indent=1)
        write_atomic(path, data.encode("utf-8"))
        return path

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(path for path in self.folder.glob("*.json") if path.is_file())

    def apply(self, db: Database) -> RecoveryReport:
        """Put every file's answer into the database; remove each file once it is there."""
        report = RecoveryReport(self.folder)
        for path in self.files():
            try:
                answer = UnwrittenAnswer.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as error:
                log.warning("Recovery file %s cannot be read: %s", path.name, error)
                report.unreadable.append(path)
                continue
            try:
                found = _apply_one(db, answer)
            except StoreError as failure:
                log.warning("Recovered answer %s not written yet: %s", answer.message_id, failure)
                report.waiting.append(path)
                report.failure = failure
                continue
            if not found:
                report.kept.append(path)
                continue
            try:
                path.unlink()
            except OSError as error:
                # Harmless: applying it again changes nothing, as the row now holds the text.
                log.warning("Recovery file %s not removed: %s", path.name, error)
            report.applied.append(answer)
        return report


def _error_columns(raw: object) -> ErrorColumns:
    if not isinstance(raw, list) or len(raw) != len(NO_ERROR):
        raise ValueError("not an answer's error")
    message, type_, code, status, key, args = raw
    if not isinstance(message, str) or not (status is None or isinstance(status, int)):
        raise ValueError("not an answer's error")
    strings = (type_, code, key, args)
    if not all(value is None or isinstance(value, str) for value in strings):
        raise ValueError("not an answer's error")
    return (message, type_, code, status, key, args)


def _apply_one(db: Database, answer: UnwrittenAnswer) -> bool:
    """Whether the message exists (and now holds at least the file's text)."""
    with db.transaction():
        row = db.query_one(
            "SELECT text, reasoning FROM messages"
            " WHERE id = ? AND uuid = ? AND conversation_id = ?",
            (answer.message_id, answer.message_uuid, answer.conversation_id),
        )
        if row is None:
            return False
        text, reasoning = row
        # The row holds what was flushed before the failure: a start of the file's text. A
        # longer row was written later (a Continue in another run); it is left as it is.
        if len(text) <= len(answer.text) and len(reasoning) <= len(answer.reasoning):
            db.execute(
                "UPDATE messages SET text = ?, reasoning = ?, status = ?, finish_reason = ?,"
                " error_message = ?, error_type = ?, error_code = ?, error_status = ?,"
                " error_key = ?, error_args = ?, finished_at = ? WHERE id = ?",
                (
                    answer.text,
                    answer.reasoning,
                    str(answer.status),
                    answer.finish_reason,
                    *error_columns(answer.error),
                    answer.ended_at,
                    answer.message_id,
                ),
            )
    return True
