"""Failures of the store that the user must hear about, each with a message fit to show them.

Anything else that escapes the store (an IntegrityError from a wrong id, a syntax error) is a
bug and is left to propagate as it is, so the two are never confused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.user_texts import UserText


class StoreError(Exception):
    """A failure to show the user. `str(error)` is the sentence in English; `user_text`, when
    it is one of our sentences, its template and values to show it translated."""

    def __init__(self, message: str | UserText) -> None:
        super().__init__(str(message))
        self.user_text = message if isinstance(message, UserText) else None


class NewerDatabaseError(StoreError):
    """The database was written by a newer version of the app; it is left untouched."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(texts.DATABASE_NEWER(path, found, supported))
        self.path = path
        self.found = found
        self.supported = supported


class MigrationError(StoreError):
    """Upgrading the database failed; it was rolled back and a backup copy exists."""

    def __init__(self, path: Path, backup: Path | None, cause: BaseException) -> None:
        super().__init__(
            texts.UPGRADE_FAILED_BACKUP(path, cause, backup)
            if backup
            else texts.UPGRADE_FAILED(path, cause)
        )
        self.path = path
        self.backup = backup


class CorruptDatabaseError(StoreError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            texts.DATABASE_DAMAGED_DETAIL(detail) if detail else texts.DATABASE_DAMAGED
        )


class StorageAccessError(StoreError):
    """The data folder or a file in it cannot be created, read or written (permissions)."""


class DiskFullError(StoreError):
    def __init__(self) -> None:
        super().__init__(texts.DISK_FULL)


class StorageIOError(StoreError):
    """The operating system reported an I/O error while reading or writing."""


class DatabaseBusyError(StoreError):
    """Another program holds the database locked for longer than we wait."""


class ImportFormatError(StoreError):
    """A file to import is not a conversation export this version understands."""


class SettingsSaveError(StoreError):
    """The settings file could not be written; the previous file is unchanged."""


class AlreadyRunningError(StoreError):
    """Another running copy of the app uses the same data folder."""

    def __init__(self, data_dir: Path, pid: int | None) -> None:
        super().__init__(
            texts.ALREADY_RUNNING_PID(pid, data_dir)
            if pid is not None
            else texts.ALREADY_RUNNING(data_dir)
        )
        self.data_dir = data_dir
        self.pid = pid


# Primary result codes (the low byte of an extended code), from sqlite3.h.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26
_SQLITE_PERM = 3


def translate(error: sqlite3.Error, path: Path | None = None) -> StoreError | None:
    """The user-facing error for an SQLite failure, or None when the failure is a bug."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error)
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return DiskFullError()
    if primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_PERM) or "readonly" in text:
        return StorageAccessError(
            texts.DATABASE_AT_READ_ONLY(path, text)
            if path is not None
            else texts.DATABASE_READ_ONLY(text)
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text:
        return CorruptDatabaseError(text)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseBusyError(
            texts.DATABASE_AT_LOCKED(path, text)
            if path is not None
            else texts.DATABASE_LOCKED(text)
        )
    if primary == _SQLITE_IOERR:
        return StorageIOError(texts.DATABASE_IO_FAILED(text))
    return None
