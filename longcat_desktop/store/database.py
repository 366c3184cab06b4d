"""One SQLite connection, configured once, with transactions and user-facing errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from longcat_desktop.store.errors import translate

Params = Sequence[Any]

# FULL makes each commit (one streaming flush every 250 ms) durable against a power cut as well
# as a crash; in WAL mode that is one fsync of the log per commit, measured well under 1 ms here.
_SYNCHRONOUS = "FULL"
# How long a statement waits for another program's lock. Opening (before the window exists)
# may wait long; once the app runs, every call is on the UI thread, so a user's action waits
# at most a blink, and writes made by timers (streaming flushes) do not wait at all: they keep
# their text and try again on the next tick (see Database.transaction(wait=False)).
_OPEN_BUSY_TIMEOUT_MS = 2000
_BUSY_TIMEOUT_MS = 100
_CACHE_KIB = 16 * 1024


@contextmanager
def translated_errors(path: Path | None = None) -> Iterator[None]:
    """Turn SQLite failures the user must hear about into StoreErrors; let bugs through."""
    try:
        yield
    except sqlite3.Error as error:
        friendly = translate(error, path)
        if friendly is None:
            raise
        raise friendly from error


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode, so that transactions are exactly the ones we open."""
    with translated_errors(path):
        connection = sqlite3.connect(
            path, isolation_level=None, check_same_thread=True, cached_statements=256
        )
    try:
        with translated_errors(path):
            # Setting WAL writes to the file, so it reveals a damaged or unwritable one now.
            connection.execute("PRAGMA journal_mode = WAL").fetchone()
            connection.execute(f"PRAGMA synchronous = {_SYNCHRONOUS}")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute(f"PRAGMA busy_timeout = {_OPEN_BUSY_TIMEOUT_MS}")
            connection.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            connection.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        connection.close()
        raise
    return connection


class Database:
    """The store's only way to SQLite. Meant for one thread; holds no global state."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self._depth = 0
        with translated_errors(path):
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")

    @property
    def connection(self) -> sqlite3.Connection:
        return self._connection

    @contextmanager
    def transaction(self, *, wait: bool = True) -> Iterator[Database]:
        """All or nothing. Nested uses join the outermost transaction.

        With wait=False, a lock held by another program fails at once (DatabaseBusyError)
        instead of waiting for it: for writes that are simply tried again later.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        with translated_errors(self.path):
            # IMMEDIATE takes the write lock at once, so a commit cannot fail on a busy reader.
            if wait:
                self._connection.execute("BEGIN IMMEDIATE")
            else:
                self._begin_without_waiting()
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            with translated_errors(self.path):
                self._connection.execute("COMMIT")
        except BaseException:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise

    def _begin_without_waiting(self) -> None:
        # Only taking the lock can wait: in WAL mode, once it is held, neither the writes nor
        # the commit wait for anyone (the automatic checkpoint is passive).
        self._connection.execute("PRAGMA busy_timeout = 0")
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        finally:
            self._connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")

    def wait_for_locks(self, milliseconds: int) -> None:
        """How long this connection's writes wait for another's lock. Only for connections
        off the UI thread (the sync's): the app's own stays short."""
        with translated_errors(self.path):
            self._connection.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    @property
    def busy_timeout_ms(self) -> int:
        """How long the next statement would wait for another program's lock."""
        return int(self._connection.execute("PRAGMA busy_timeout").fetchone()[0])

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        with translated_errors(self.path):
            return self._connection.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with translated_errors(self.path):
            self._connection.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[Any]:
        with translated_errors(self.path):
            return self._connection.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = ()) -> Any:
        with translated_errors(self.path):
            return self._connection.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    def close(self) -> None:
        with translated_errors(self.path):
            self._connection.close()
