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

# Version 6: what sync needs to merge (per-field times, upload marks, tombstones).
SCHEMAS[6] = (
    *SCHEMAS[5],
    "CREATE TABLE sync_applying (one INTEGER PRIMARY KEY)",
    "CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE sync_peers (device TEXT PRIMARY KEY, applied INTEGER NOT NULL)",
    "CREATE TABLE sync_tombstones (conversation_uuid TEXT NOT NULL, message_uuid "
    "TEXT NOT NULL, deleted_at REAL NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0, "
    "PRIMARY KEY (conversation_uuid, message_uuid))",
    "CREATE TABLE sync_orphans (conversation_uuid TEXT NOT NULL, message_uuid TEXT "
    "NOT NULL, record TEXT NOT NULL, PRIMARY KEY (conversation_uuid, message_uuid))",
    "ALTER TABLE conversations ADD COLUMN sync_dirty INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE conversations ADD COLUMN revived_at REAL NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN revived_at REAL NOT NULL DEFAULT 0",
    "CREATE INDEX messages_to_upload ON messages (conversation_id) WHERE uploaded = 0",
    "CREATE INDEX conversations_to_upload ON conversations (id) WHERE sync_dirty = 1",
    "ALTER TABLE conversations ADD COLUMN title_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_title AFTER UPDATE OF title, title_is_custom ON "
    "conversations WHEN (old.title IS NOT new.title OR old.title_is_custom IS NOT "
    "new.title_is_custom) AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN UPDATE "
    "conversations SET title_at = max((julianday('now') - 2440587.5) * 86400.0, "
    "old.title_at + 0.000001), sync_dirty = 1 WHERE id = new.id; END",
    "ALTER TABLE conversations ADD COLUMN pinned_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_pinned AFTER UPDATE OF pinned ON conversations WHEN "
    "(old.pinned IS NOT new.pinned) AND NOT EXISTS (SELECT 1 FROM sync_applying) "
    "BEGIN UPDATE conversations SET pinned_at = max((julianday('now') - 2440587.5) * "
    "86400.0, old.pinned_at + 0.000001), sync_dirty = 1 WHERE id = new.id; END",
    "ALTER TABLE conversations ADD COLUMN settings_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_settings AFTER UPDATE OF model, api_format, "
    "system_prompt, temperature, top_p, max_tokens, thinking ON conversations WHEN "
    "(old.model IS NOT new.model OR old.api_format IS NOT new.api_format OR "
    "old.system_prompt IS NOT new.system_prompt OR old.temperature IS NOT "
    "new.temperature OR old.top_p IS NOT new.top_p OR old.max_tokens IS NOT "
    "new.max_tokens OR old.thinking IS NOT new.thinking) AND NOT EXISTS (SELECT 1 "
    "FROM sync_applying) BEGIN UPDATE conversations SET settings_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, old.settings_at + 0.000001), "
    "sync_dirty = 1 WHERE id = new.id; END",
    "ALTER TABLE conversations ADD COLUMN draft_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_draft AFTER UPDATE OF draft ON conversations WHEN "
    "(old.draft IS NOT new.draft) AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN "
    "UPDATE conversations SET draft_at = max((julianday('now') - 2440587.5) * "
    "86400.0, old.draft_at + 0.000001), sync_dirty = 1 WHERE id = new.id; END",
    "ALTER TABLE conversations ADD COLUMN leaf_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_leaf AFTER UPDATE OF current_leaf_id ON conversations "
    "WHEN (old.current_leaf_id IS NOT new.current_leaf_id) AND NOT EXISTS (SELECT 1 "
    "FROM sync_applying) BEGIN UPDATE conversations SET leaf_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, old.leaf_at + 0.000001), "
    "sync_dirty = 1 WHERE id = new.id; END",
    "CREATE TRIGGER sync_stamp_choice AFTER UPDATE OF selected_child_id ON messages "
    "WHEN old.selected_child_id IS NOT new.selected_child_id AND NOT EXISTS (SELECT "
    "1 FROM sync_applying) BEGIN UPDATE conversations SET leaf_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, leaf_at + 0.000001), sync_dirty = "
    "1 WHERE id = new.conversation_id; END",
    "CREATE TRIGGER sync_finished AFTER UPDATE OF status, finished_at ON messages "
    "WHEN new.status != 'streaming' AND (old.status = 'streaming' OR old.finished_at "
    "IS NOT new.finished_at) AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN "
    "UPDATE messages SET uploaded = 0 WHERE id = new.id; UPDATE conversations SET "
    "leaf_at = max((julianday('now') - 2440587.5) * 86400.0, leaf_at + 0.000001), "
    "sync_dirty = 1 WHERE id = new.conversation_id; END",
    "CREATE TRIGGER sync_forget_conversation AFTER DELETE ON conversations WHEN NOT "
    "EXISTS (SELECT 1 FROM sync_applying) BEGIN DELETE FROM sync_tombstones WHERE "
    "conversation_uuid = old.uuid; INSERT INTO sync_tombstones (conversation_uuid, "
    "message_uuid, deleted_at) VALUES (old.uuid, '', (julianday('now') - 2440587.5) "
    "* 86400.0); END",
    "CREATE TRIGGER sync_forget_message AFTER DELETE ON messages WHEN NOT EXISTS "
    "(SELECT 1 FROM sync_applying) BEGIN INSERT OR REPLACE INTO sync_tombstones "
    "(conversation_uuid, message_uuid, deleted_at) SELECT c.uuid, old.uuid, "
    "(julianday('now') - 2440587.5) * 86400.0 FROM conversations c WHERE c.id = "
    "old.conversation_id; END",
)
# Version 7: folders, assistants (three built-in ones seeded) and saved prompts.
SCHEMAS[7] = (
    *SCHEMAS[6],
    """CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    collapsed INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
)""",
    "ALTER TABLE conversations ADD COLUMN folder_id INTEGER"
    " REFERENCES folders (id) ON DELETE SET NULL",
    "CREATE INDEX conversations_by_folder"
    " ON conversations (folder_id, pinned, updated_at DESC, id DESC, title)",
    """CREATE TABLE assistants (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    builtin TEXT,
    name TEXT NOT NULL DEFAULT '',
    system_prompt TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    api_format TEXT NOT NULL DEFAULT '',
    temperature REAL,
    top_p REAL,
    max_tokens INTEGER,
    thinking INTEGER,
    tools TEXT NOT NULL DEFAULT '[]',
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    last_used_at REAL
)""",
    "ALTER TABLE conversations ADD COLUMN assistant_id INTEGER"
    " REFERENCES assistants (id) ON DELETE SET NULL",
    """CREATE TABLE prompts (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at REAL NOT NULL
)""",
)
# Version 8: answers keep their tool calls, tool messages their results.
SCHEMAS[8] = (
    *SCHEMAS[7],
    "ALTER TABLE messages ADD COLUMN tool_calls TEXT",
    "ALTER TABLE messages ADD COLUMN tool_result TEXT",
    "ALTER TABLE conversations ADD COLUMN tools TEXT",
)
# Version 9: a conversation's choice of tools syncs.
SCHEMAS[9] = (
    *SCHEMAS[8],
    "ALTER TABLE conversations ADD COLUMN tools_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_tools AFTER UPDATE OF tools ON conversations WHEN "
    "(old.tools IS NOT new.tools) AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN "
    "UPDATE conversations SET tools_at = max((julianday('now') - 2440587.5) * "
    "86400.0, old.tools_at + 0.000001), sync_dirty = 1 WHERE id = new.id; END",
)
# Version 10: folders, assistants, prompts, conversations' folder and assistant, and
# draft attachments sync.
SCHEMAS[10] = (
    *SCHEMAS[9],
    "CREATE TABLE sync_removed (kind TEXT NOT NULL, uuid TEXT NOT NULL, deleted_at REAL "
    "NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, uuid))",
    "ALTER TABLE folders ADD COLUMN changed_at REAL NOT NULL DEFAULT 0",
    "ALTER TABLE folders ADD COLUMN sync_dirty INTEGER NOT NULL DEFAULT 1",
    "CREATE INDEX folders_to_upload ON folders (id) WHERE sync_dirty = 1",
    "CREATE TRIGGER sync_stamp_new_folders AFTER INSERT ON folders WHEN NOT EXISTS "
    "(SELECT 1 FROM sync_applying) BEGIN UPDATE folders SET changed_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, new.changed_at), sync_dirty = 1 WHERE "
    "id = new.id; END",
    "CREATE TRIGGER sync_stamp_folders AFTER UPDATE OF name ON folders WHEN (old.name IS "
    "NOT new.name) AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN UPDATE folders SET "
    "changed_at = max((julianday('now') - 2440587.5) * 86400.0, old.changed_at + "
    "0.000001), sync_dirty = 1 WHERE id = new.id; END",
    "CREATE TRIGGER sync_forget_folders AFTER DELETE ON folders WHEN NOT EXISTS (SELECT 1"
    " FROM sync_applying) BEGIN INSERT OR REPLACE INTO sync_removed (kind, uuid, "
    "deleted_at) VALUES ('folders', old.uuid, (julianday('now') - 2440587.5) * 86400.0); "
    "END",
    "ALTER TABLE assistants ADD COLUMN changed_at REAL NOT NULL DEFAULT 0",
    "ALTER TABLE assistants ADD COLUMN sync_dirty INTEGER NOT NULL DEFAULT 1",
    "CREATE INDEX assistants_to_upload ON assistants (id) WHERE sync_dirty = 1",
    "CREATE TRIGGER sync_stamp_new_assistants AFTER INSERT ON assistants WHEN NOT EXISTS "
    "(SELECT 1 FROM sync_applying) BEGIN UPDATE assistants SET changed_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, new.changed_at), sync_dirty = 1 WHERE "
    "id = new.id; END",
    "CREATE TRIGGER sync_stamp_assistants AFTER UPDATE OF name, system_prompt, model, "
    "api_format, temperature, top_p, max_tokens, thinking, tools ON assistants WHEN "
    "(old.name IS NOT new.name OR old.system_prompt IS NOT new.system_prompt OR old.model"
    " IS NOT new.model OR old.api_format IS NOT new.api_format OR old.temperature IS NOT "
    "new.temperature OR old.top_p IS NOT new.top_p OR old.max_tokens IS NOT "
    "new.max_tokens OR old.thinking IS NOT new.thinking OR old.tools IS NOT new.tools) "
    "AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN UPDATE assistants SET changed_at "
    "= max((julianday('now') - 2440587.5) * 86400.0, old.changed_at + 0.000001), "
    "sync_dirty = 1 WHERE id = new.id; END",
    "CREATE TRIGGER sync_forget_assistants AFTER DELETE ON assistants WHEN NOT EXISTS "
    "(SELECT 1 FROM sync_applying) BEGIN INSERT OR REPLACE INTO sync_removed (kind, uuid,"
    " deleted_at) VALUES ('assistants', old.uuid, (julianday('now') - 2440587.5) * "
    "86400.0); END",
    "ALTER TABLE prompts ADD COLUMN changed_at REAL NOT NULL DEFAULT 0",
    "ALTER TABLE prompts ADD COLUMN sync_dirty INTEGER NOT NULL DEFAULT 1",
    "CREATE INDEX prompts_to_upload ON prompts (id) WHERE sync_dirty = 1",
    "CREATE TRIGGER sync_stamp_new_prompts AFTER INSERT ON prompts WHEN NOT EXISTS "
    "(SELECT 1 FROM sync_applying) BEGIN UPDATE prompts SET changed_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, new.changed_at), sync_dirty = 1 WHERE "
    "id = new.id; END",
    "CREATE TRIGGER sync_stamp_prompts AFTER UPDATE OF name, body ON prompts WHEN "
    "(old.name IS NOT new.name OR old.body IS NOT new.body) AND NOT EXISTS (SELECT 1 FROM"
    " sync_applying) BEGIN UPDATE prompts SET changed_at = max((julianday('now') - "
    "2440587.5) * 86400.0, old.changed_at + 0.000001), sync_dirty = 1 WHERE id = new.id; "
    "END",
    "CREATE TRIGGER sync_forget_prompts AFTER DELETE ON prompts WHEN NOT EXISTS (SELECT 1"
    " FROM sync_applying) BEGIN INSERT OR REPLACE INTO sync_removed (kind, uuid, "
    "deleted_at) VALUES ('prompts', old.uuid, (julianday('now') - 2440587.5) * 86400.0); "
    "END",
    "ALTER TABLE conversations ADD COLUMN folder_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_folder AFTER UPDATE OF folder_id ON conversations WHEN "
    "old.folder_id IS NOT new.folder_id AND NOT EXISTS (SELECT 1 FROM sync_applying) "
    "BEGIN UPDATE conversations SET folder_at = max((julianday('now') - 2440587.5) * "
    "86400.0, old.folder_at + 0.000001), sync_dirty = 1 WHERE id = new.id; END",
    "CREATE TRIGGER sync_stamp_new_folder AFTER INSERT ON conversations WHEN "
    "new.folder_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN UPDATE "
    "conversations SET folder_at = (julianday('now') - 2440587.5) * 86400.0 WHERE id = "
    "new.id; END",
    "ALTER TABLE conversations ADD COLUMN assistant_at REAL NOT NULL DEFAULT 0",
    "CREATE TRIGGER sync_stamp_assistant AFTER UPDATE OF assistant_id ON conversations "
    "WHEN old.assistant_id IS NOT new.assistant_id AND NOT EXISTS (SELECT 1 FROM "
    "sync_applying) BEGIN UPDATE conversations SET assistant_at = max((julianday('now') -"
    " 2440587.5) * 86400.0, old.assistant_at + 0.000001), sync_dirty = 1 WHERE id = "
    "new.id; END",
    "CREATE TRIGGER sync_stamp_new_assistant AFTER INSERT ON conversations WHEN "
    "new.assistant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN "
    "UPDATE conversations SET assistant_at = (julianday('now') - 2440587.5) * 86400.0 "
    "WHERE id = new.id; END",
    "CREATE TRIGGER sync_stamp_draft_attached AFTER INSERT ON draft_attachments WHEN NOT "
    "EXISTS (SELECT 1 FROM sync_applying) BEGIN UPDATE conversations SET draft_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, draft_at + 0.000001), sync_dirty = 1 "
    "WHERE id = new.conversation_id; END",
    "CREATE TRIGGER sync_stamp_draft_detached AFTER DELETE ON draft_attachments WHEN NOT "
    "EXISTS (SELECT 1 FROM sync_applying) BEGIN UPDATE conversations SET draft_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, draft_at + 0.000001), sync_dirty = 1 "
    "WHERE id = old.conversation_id; END",
    "CREATE TRIGGER sync_stamp_draft_reattached AFTER UPDATE ON draft_attachments WHEN "
    "NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN UPDATE conversations SET draft_at = "
    "max((julianday('now') - 2440587.5) * 86400.0, draft_at + 0.000001), sync_dirty = 1 "
    "WHERE id IN (old.conversation_id, new.conversation_id); END",
    "DROP TRIGGER message_attachment_released",
    "DROP TRIGGER draft_attachment_released",
    "CREATE TRIGGER message_attachment_released AFTER DELETE ON message_attachments WHEN "
    "NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN DELETE FROM attachments WHERE sha256 "
    "= old.sha256 AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = "
    "old.sha256) AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = "
    "old.sha256); END",
    "CREATE TRIGGER draft_attachment_released AFTER DELETE ON draft_attachments WHEN NOT "
    "EXISTS (SELECT 1 FROM sync_applying) BEGIN DELETE FROM attachments WHERE sha256 = "
    "old.sha256 AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = "
    "old.sha256) AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = "
    "old.sha256); END",
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


SAMPLES: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _sample_version_1,
    2: _sample_version_1,
    3: _sample_version_1,
    4: _sample_version_4,
    5: _sample_version_4,
    # Version 6 added nothing a sample row must fill in: the sync columns have defaults.
    6: _sample_version_4,
    7: _sample_version_4,
    # Version 8 added only columns that are NULL for rows written before it.
    8: _sample_version_4,
    9: _sample_version_4,
    # Version 10 added columns with defaults and stamps filled in from existing rows.
    10: _sample_version_4,
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
