"""The full-text index: derived from messages and titles, kept in step by triggers.

Messages are indexed once they stop streaming, so a 250 ms flush never re-indexes a growing
answer. The trigram tokenizer (SQLite 3.34+) finds any substring of three or more characters,
which is what makes Chinese searchable; without it the index falls back to word tokens, and
without FTS5 at all there is no index and search scans the text.

Because the index can always be rebuilt from the data, it is not part of the migrations: when
its definition here differs from the one in the file (a new tokenizer, a newer SQLite), it is
dropped and rebuilt on open.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum


class Tokenizer(StrEnum):
    TRIGRAM = "trigram"
    WORDS = "unicode61"
    NONE = "none"


_TABLES = ("message_index", "title_index")
_TRIGGERS = (
    "message_index_insert",
    "message_index_delete",
    "message_index_update",
    "title_index_insert",
    "title_index_delete",
    "title_index_update",
)


def _definitions(tokenizer: Tokenizer) -> dict[str, str]:
    tokenize = "trigram" if tokenizer is Tokenizer.TRIGRAM else "unicode61 remove_diacritics 2"
    not_streaming_new = "new.status != 'streaming'"
    not_streaming_old = "old.status != 'streaming'"
    return {
        "message_index": (
            "CREATE VIRTUAL TABLE message_index USING fts5(text, content='messages', "
            f"content_rowid='id', tokenize='{tokenize}')"
        ),
        "title_index": (
            "CREATE VIRTUAL TABLE title_index USING fts5(title, content='conversations', "
            f"content_rowid='id', tokenize='{tokenize}')"
        ),
        # An external-content index must be told the exact old text to remove, or it is
        # damaged; hence one trigger per event, with removal before insertion.
        "message_index_insert": (
            f"CREATE TRIGGER message_index_insert AFTER INSERT ON messages WHEN {not_streaming_new}"
            " BEGIN INSERT INTO message_index (rowid, text) VALUES (new.id, new.text); END"
        ),
        "message_index_delete": (
            f"CREATE TRIGGER message_index_delete AFTER DELETE ON messages WHEN {not_streaming_old}"
            " BEGIN INSERT INTO message_index (message_index, rowid, text)"
            " VALUES ('delete', old.id, old.text); END"
        ),
        "message_index_update": (
            "CREATE TRIGGER message_index_update AFTER UPDATE OF text, status ON messages"
            " WHEN old.text IS NOT new.text OR old.status IS NOT new.status BEGIN"
            " INSERT INTO message_index (message_index, rowid, text)"
            f" SELECT 'delete', old.id, old.text WHERE {not_streaming_old};"
            " INSERT INTO message_index (rowid, text)"
            f" SELECT new.id, new.text WHERE {not_streaming_new}; END"
        ),
        "title_index_insert": (
            "CREATE TRIGGER title_index_insert AFTER INSERT ON conversations"
            " BEGIN INSERT INTO title_index (rowid, title) VALUES (new.id, new.title); END"
        ),
        "title_index_delete": (
            "CREATE TRIGGER title_index_delete AFTER DELETE ON conversations"
            " BEGIN INSERT INTO title_index (title_index, rowid, title)"
            " VALUES ('delete', old.id, old.title); END"
        ),
        "title_index_update": (
            "CREATE TRIGGER title_index_update AFTER UPDATE OF title ON conversations"
            " WHEN old.title IS NOT new.title BEGIN"
            " INSERT INTO title_index (title_index, rowid, title)"
            " VALUES ('delete', old.id, old.title);"
            " INSERT INTO title_index (rowid, title) VALUES (new.id, new.title); END"
        ),
    }


def best_tokenizer(connection: sqlite3.Connection) -> Tokenizer:
    """What this SQLite can do, probed in the temp schema so the database is not touched."""
    for tokenizer in (Tokenizer.TRIGRAM, Tokenizer.WORDS):
        try:
            connection.execute(
                f"CREATE VIRTUAL TABLE temp.tokenizer_probe USING fts5(x, tokenize='{tokenizer}')"
            )
        except sqlite3.OperationalError:
            continue
        connection.execute("DROP TABLE temp.tokenizer_probe")
        return tokenizer
    return Tokenizer.NONE


def current_tokenizer(connection: sqlite3.Connection) -> Tokenizer:
    row = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'message_index'"
    ).fetchone()
    if row is None:
        return Tokenizer.NONE
    return Tokenizer.TRIGRAM if "tokenize='trigram'" in row[0] else Tokenizer.WORDS


def ensure(connection: sqlite3.Connection, tokenizer: Tokenizer | None = None) -> Tokenizer:
    """Make the index match its definition, rebuilding it if not. Returns the tokenizer in use.

    Must run when no message is streaming (after recovery on open), since a rebuild indexes
    exactly the messages that are not.
    """
    wanted = best_tokenizer(connection) if tokenizer is None else tokenizer
    names = _TABLES + _TRIGGERS
    expected = {} if wanted is Tokenizer.NONE else _definitions(wanted)
    placeholders = ", ".join("?" for _ in names)
    found = dict(
        connection.execute(
            f"SELECT name, sql FROM sqlite_master WHERE name IN ({placeholders})", names
        ).fetchall()
    )
    if found == expected:
        return wanted
    connection.execute("BEGIN IMMEDIATE")
    try:
        for trigger in _TRIGGERS:
            connection.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in _TABLES:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        for sql in expected.values():
            connection.execute(sql)
        if expected:
            connection.execute(
                "INSERT INTO message_index (rowid, text)"
                " SELECT id, text FROM messages WHERE status != 'streaming'"
            )
            connection.execute(
                "INSERT INTO title_index (rowid, title) SELECT id, title FROM conversations"
            )
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return wanted
