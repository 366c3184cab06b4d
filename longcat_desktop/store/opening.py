"""Opening the database: refuse a newer one, set a damaged one aside, migrate, recover.

Nothing the user wrote is ever deleted here: a damaged file is renamed and kept, a migration is
preceded by a backup copy, and a newer file is not even opened by SQLite.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.domain.tool_turns import INTERRUPTED_RESULT
from longcat_desktop.store import search_index
from longcat_desktop.store.database import Database, connect, translated_errors
from longcat_desktop.store.errors import (
    CorruptDatabaseError,
    MigrationError,
    NewerDatabaseError,
    StorageAccessError,
    StoreError,
)
from longcat_desktop.store.migrations import MIGRATIONS, Migration, migrate, user_version
from longcat_desktop.store.search_index import Tokenizer

DATABASE_NAME = "longcat.db"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100
_USER_VERSION_OFFSET = 60
_SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True, slots=True)
class OpenReport:
    """What happened while opening, for the app to tell the user."""

    path: Path
    # Where a damaged database was moved before a fresh one was started.
    recovered_from: Path | None = None
    # The version the database was upgraded from, if it was.
    migrated_from: int | None = None
    # The copy written before upgrading; removed at the next start that needs no upgrade.
    backup: Path | None = None
    # Answers that were still streaming when the app last stopped; now interrupted.
    interrupted_message_ids: tuple[MessageId, ...] = ()
    tokenizer: Tokenizer = Tokenizer.TRIGRAM


def _header_version(path: Path) -> int | None:
    """user_version read straight from the file header, or None if the file is no database.

    Reading the bytes ourselves lets us refuse a newer database without SQLite writing to it.
    """
    try:
        with path.open("rb") as file:
            header = file.read(_HEADER_SIZE)
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise StorageAccessError(texts.DATABASE_UNREADABLE(path, error.strerror)) from error
    if not header:
        return 0
    if len(header) < _HEADER_SIZE or not header.startswith(_SQLITE_MAGIC):
        return None
    return int.from_bytes(header[_USER_VERSION_OFFSET : _USER_VERSION_OFFSET + 4], "big")


def _move_aside(path: Path, now: float) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    try:
        os.replace(path, target)
        # The log may hold the latest writes: it travels with its database.
        for suffix in _SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
    except OSError as error:
        raise StorageAccessError(texts.DATABASE_NOT_MOVED(path, error.strerror)) from error
    return target


def _backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}.backup")


def _write_backup(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    target = _backup_path(path, version)
    partial = target.with_name(target.name + ".partial")
    # The backup API copies a consistent snapshot including what is still only in the log.
    with translated_errors(target):
        copy = sqlite3.connect(partial)
        try:
            connection.backup(copy)
        finally:
            copy.close()
    os.replace(partial, target)
    return target


def _remove_backups(path: Path) -> None:
    for old in path.parent.glob(f"{path.name}.v*.backup"):
        # A leftover copy costs disk space, not data: it is tried again at the next start.
        with contextlib.suppress(OSError):
            old.unlink()


def _has_schema(connection: sqlite3.Connection) -> bool:
    count: int = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return count > 0


def _recover_streaming(connection: sqlite3.Connection) -> tuple[MessageId, ...]:
    ids = tuple(
        MessageId(row[0])
        for row in connection.execute("SELECT id FROM messages WHERE status = 'streaming'")
    )
    if ids:
        connection.execute("BEGIN IMMEDIATE")
        # A tool call that waited or ran gets an error result the model can read, so the
        # history stays valid to send.
        connection.execute(
            "UPDATE messages SET text = ?, tool_result = json_set(coalesce(tool_result, '{}'),"
            " '$.state', 'interrupted', '$.is_error', json('true'))"
            " WHERE status = 'streaming' AND role = 'tool'",
            (INTERRUPTED_RESULT,),
        )
        connection.execute("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'")
        connection.execute("COMMIT")
    return ids


def _connect_checked(path: Path) -> tuple[sqlite3.Connection, int]:
    connection = connect(path)
    try:
        with translated_errors(path):
            version = user_version(connection)
            _has_schema(connection)
    except BaseException:
        connection.close()
        raise
    return connection, version


def open_database(
    data_dir: Path,
    *,
    migrations: Sequence[tuple[int, Migration]] = MIGRATIONS,
    clock: Callable[[], float] = time.time,
) -> tuple[Database, OpenReport]:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageAccessError(texts.FOLDER_NOT_CREATED(data_dir, error.strerror)) from error
    path = data_dir / DATABASE_NAME
    latest = migrations[-1][0] if migrations else 0
    recovered_from = None

    version = _header_version(path)
    if version is None:
        recovered_from = _move_aside(path, clock())
    elif version > latest:
        raise NewerDatabaseError(path, version, latest)

    try:
        connection, version = _connect_checked(path)
    except CorruptDatabaseError:
        if recovered_from is not None:
            raise
        recovered_from = _move_aside(path, clock())
        connection, version = _connect_checked(path)

    try:
        if version > latest:
            # The header was older than the log: a newer app wrote the log and stopped.
            raise NewerDatabaseError(path, version, latest)
        backup = None
        migrated_from = None
        if version < latest:
            with translated_errors(path):
                if version > 0 or _has_schema(connection):
                    backup = _write_backup(connection, path, version)
            try:
                migrate(connection, migrations)
            except (sqlite3.Error, StoreError, ValueError) as error:
                raise MigrationError(path, backup, error) from error
            migrated_from = version
        else:
            _remove_backups(path)
        with translated_errors(path):
            interrupted = _recover_streaming(connection)
            tokenizer = search_index.ensure(connection)
    except BaseException:
        connection.close()
        raise
    report = OpenReport(
        path=path,
        recovered_from=recovered_from,
        migrated_from=migrated_from,
        backup=backup,
        interrupted_message_ids=interrupted,
        tokenizer=tokenizer,
    )
    return Database(connection, path), report
