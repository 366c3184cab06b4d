"""SQLite failures become messages for the user; bugs stay bugs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from longcat_desktop.store import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    StorageAccessError,
    StorageIOError,
    Store,
)
from longcat_desktop.store.errors import translate


def _error(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_error("database or disk is full", 13), DiskFullError),
        (sqlite3.OperationalError("database or disk is full"), DiskFullError),
        (_error("attempt to write a readonly database", 8), StorageAccessError),
        (_error("unable to open database file", 14), StorageAccessError),
        (_error("database disk image is malformed", 11), CorruptDatabaseError),
        (_error("file is not a database", 26), CorruptDatabaseError),
        (_error("database is locked", 5), DatabaseBusyError),
        (_error("disk I/O error", 10 | (3 << 8)), StorageIOError),
    ],
)
def test_failures_the_user_must_hear_about(error: sqlite3.Error, expected: type) -> None:
    translated = translate(error, Path("/data/longcat.db"))
    assert isinstance(translated, expected)
    assert str(translated)


def test_bugs_are_not_disguised(store: Store) -> None:
    assert translate(sqlite3.OperationalError("no such table: nothing")) is None
    with pytest.raises(sqlite3.OperationalError):
        store.db.execute("SELECT * FROM nothing")


def test_a_failed_transaction_changes_nothing(store: Store) -> None:
    from tests.store.helpers import SETTINGS

    with pytest.raises(RuntimeError), store.transaction():
        store.conversations.create(SETTINGS)
        raise RuntimeError("changed my mind")
    assert store.conversations.count() == 0
