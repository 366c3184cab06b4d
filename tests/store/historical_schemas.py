"""Databases as each released version of the app left them, built on demand for the tests.

Each released schema is kept here as it shipped, frozen (never imported from the app, whose
migrations may change), with sample rows in that version's own columns. A new schema version
adds its entry here; the migration tests then start from every earlier one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

SCHEMAS: dict[int, tuple[str, ...]] = {
    # Version 0: a database that was just created, with nothing in it.
    0: (),
    1: (
        """CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    title_is_custom INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    model TEXT NOT NULL,
    api_format TEXT NOT NULL,
    system_prompt TEXT NOT NULL DEFAULT '',
    temperature REAL,
    top_p REAL,
    max_tokens INTEGER,
    thinking INTEGER,
    draft TEXT NOT NULL DEFAULT '',
    current_leaf_id INTEGER
)""",
        "CREATE INDEX conversations_by_order"
        " ON conversations (pinned DESC, updated_at DESC, id DESC, title)",
        """CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES messages (id) DEFERRABLE INITIALLY DEFERRED,
    selected_child_id INTEGER,
    role TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    reasoning TEXT NOT NULL DEFAULT '',
    reasoning_signature TEXT,
    model TEXT,
    api_format TEXT,
    status TEXT NOT NULL,
    finish_reason TEXT,
    error_message TEXT,
    error_type TEXT,
    error_code TEXT,
    error_status INTEGER,
    input_tokens INTEGER,
    output_tokens INTEGER,
    created_at REAL NOT NULL,
    first_token_at REAL,
    finished_at REAL,
    UNIQUE (conversation_id, uuid)
)""",
        "CREATE INDEX messages_by_conversation ON messages (conversation_id, id)",
        "CREATE INDEX messages_by_parent ON messages (parent_id, id)",
        "CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming'",
    ),
}
# Version 2: errors keep the key and values of the app's own sentences.
SCHEMAS[2] = (
    *SCHEMAS[1],
    "ALTER TABLE messages ADD COLUMN error_key TEXT",
    "ALTER TABLE messages ADD COLUMN error_args TEXT",
)
# Version 3: where imported conversations came from.
SCHEMAS[3] = (
    *SCHEMAS[2],
    "ALTER TABLE conversations ADD COLUMN source TEXT",
    "ALTER TABLE conversations ADD COLUMN source_id TEXT",
    "CREATE UNIQUE INDEX conversations_by_source ON conversations (source, source_id)"
    " WHERE source_id IS NOT NULL",
)
# Version 4: messages know how long the model thought.
SCHEMAS[4] = (*SCHEMAS[3], "ALTER TABLE messages ADD COLUMN reasoning_seconds REAL")
# Version 5: attachments, stored once per content, referred to by messages and drafts.
SCHEMAS[5] = (
    *SCHEMAS[4],
    """CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    text TEXT NOT NULL DEFAULT '',
    thumbnail BLOB,
    data BLOB NOT NULL,
    created_at REAL NOT NULL
)""",
    """CREATE TABLE message_attachments (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments (sha256),
    name TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
) WITHOUT ROWID""",
    "CREATE INDEX message_attachments_by_content ON message_attachments (sha256)",
    """CREATE TABLE draft_attachments (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments (sha256),
    name TEXT NOT NULL,
    PRIMARY KEY (conversation_id, position)
) WITHOUT ROWID""",
    "CREATE INDEX draft_attachments_by_content ON draft_attachments (sha256)",
    """CREATE TRIGGER message_attachment_released AFTER DELETE ON message_attachments BEGIN
    DELETE FROM attachments WHERE sha256 = old.sha256
    AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)
    AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256); END""",
    """CREATE TRIGGER draft_attachment_released AFTER DELETE ON draft_attachments BEGIN
    DELETE FROM attachments WHERE sha256 = old.sha256
    AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)
    AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256); END""",
)
# Version 6: answers keep their tool calls, tool messages their results.
SCHEMAS[6] = (
    *SCHEMAS[5],
    "ALTER TABLE messages ADD COLUMN tool_calls TEXT",
    "ALTER TABLE messages ADD COLUMN tool_result TEXT",
    "ALTER TABLE conversations ADD COLUMN tools TEXT",
)

SAMPLE_CONVERSATION_UUID = "6f1c1a52-58a4-4d36-9d43-0c7c1cbd0001"
SAMPLE_QUESTION = "What is a write-ahead log? 预写日志是什么？"
SAMPLE_ANSWER = "A log of changes written before they reach the database file."
SAMPLE_STREAMING = "Half of an answer that was still arriving"


def _sample_version_1(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO conversations (id, uuid, title, created_at, updated_at, pinned, model,"
        " api_format, system_prompt, temperature, max_tokens, thinking, draft, current_leaf_id)"
        " VALUES (1, ?, 'What is a write-ahead log?', 1700000000.5, 1700000100.25, 1,"
        " 'LongCat-2.0-Preview', 'openai', 'Be brief.', 0.7, 2048, 1, 'unsent', 3)",
        (SAMPLE_CONVERSATION_UUID,),
    )
    rows = [
        (1, "m-1", None, 2, "user", SAMPLE_QUESTION, "", "complete", None, None),
        (2, "m-2", 1, None, "assistant", SAMPLE_ANSWER, "thinking", "complete", "stop", 12),
        (3, "m-3", 1, None, "assistant", SAMPLE_STREAMING, "", "streaming", None, None),
    ]
    for row_id, uuid, parent, selected, role, text, reasoning, status, finish, tokens in rows:
        connection.execute(
            "INSERT INTO messages (id, uuid, conversation_id, parent_id, selected_child_id, role,"
            " text, reasoning, model, api_format, status, finish_reason, output_tokens,"
            " created_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, 'LongCat-2.0-Preview', 'openai', ?, ?,"
            " ?, 1700000000.5)",
            (row_id, uuid, parent, selected, role, text, reasoning, status, finish, tokens),
        )


def _sample_version_4(connection: sqlite3.Connection) -> None:
    _sample_version_1(connection)
    connection.execute("UPDATE messages SET reasoning_seconds = 4.5 WHERE id = 2")


# Versions 2, 3, 5 and 6 added only columns and tables empty for conversations made here.
SAMPLES: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _sample_version_1,
    2: _sample_version_1,
    3: _sample_version_1,
    4: _sample_version_4,
    5: _sample_version_4,
    6: _sample_version_4,
}


def build(path: Path, version: int) -> None:
    """A database file as version `version` of the app left it, sample rows included."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN")
        for statement in SCHEMAS[version]:
            connection.execute(statement)
        if version in SAMPLES:
            SAMPLES[version](connection)
        connection.execute(f"PRAGMA user_version = {version}")
        connection.execute("COMMIT")
    finally:
        connection.close()


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    """The tables and indexes of a database (not the derived search index), comparable."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            " AND name NOT LIKE '%_index%' ORDER BY type, name"
        ).fetchall()
    finally:
        connection.close()
    return [(kind, name, sql) for kind, name, sql in rows]
