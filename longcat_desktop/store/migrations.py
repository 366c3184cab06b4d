"""The schema's history: ordered steps, each taking the database one version up.

A released step is never edited: a change to the schema is a new step appended to MIGRATIONS,
and tests/store/historical_schemas.py gains the schema as released so the step is tested from a
real database of the version before. Version 0 is an empty database.

The search index is not here: it is derived data, rebuilt by search_index.py whenever its
definition changes, so migrations only ever carry what cannot be recreated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

Migration = Callable[[sqlite3.Connection], None]

_V1 = (
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
    # Covers the conversation list, which then never touches the table.
    "CREATE INDEX conversations_by_order"
    " ON conversations (pinned DESC, updated_at DESC, id DESC, title)",
    # parent_id is checked at commit, not per row: a cascade through a deep thread would
    # otherwise exceed SQLite's trigger depth, and an import may insert children first.
    # selected_child_id and current_leaf_id are soft pointers repaired in code, which spares
    # every delete a lookup in two more indexes.
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
)


def _create_version_1(connection: sqlite3.Connection) -> None:
    for statement in _V1:
        connection.execute(statement)


def _error_keys_version_2(connection: sqlite3.Connection) -> None:
    # Our own error sentences kept as their key and values, to be shown in the language of the
    # day. Existing rows keep NULL: their English sentence is recognised when read.
    connection.execute("ALTER TABLE messages ADD COLUMN error_key TEXT")
    connection.execute("ALTER TABLE messages ADD COLUMN error_args TEXT")


_IMPORT_SOURCES = (
    # Where an imported conversation came from ("chatgpt", "claude") and its id there, so that
    # importing the same export again finds it instead of adding a copy. NULL for our own.
    "ALTER TABLE conversations ADD COLUMN source TEXT",
    "ALTER TABLE conversations ADD COLUMN source_id TEXT",
    "CREATE UNIQUE INDEX conversations_by_source ON conversations (source, source_id)"
    " WHERE source_id IS NOT NULL",
)


def _add_import_sources(connection: sqlite3.Connection) -> None:
    for statement in _IMPORT_SOURCES:
        connection.execute(statement)


def _add_reasoning_seconds(connection: sqlite3.Connection) -> None:
    # How long the model thought (first reasoning token to first answer token, or the end);
    # NULL for answers written before it was measured, and for answers without reasoning.
    connection.execute("ALTER TABLE messages ADD COLUMN reasoning_seconds REAL")


# Attachments are stored once per content (SHA-256) as blobs in this file: one transaction
# writes a blob with its first reference, foreign keys make a reference to a missing blob
# impossible, and backups and exports carry them (benchmarks/attachment_storage.py measures
# the choice). Messages and drafts refer to them by position, under the name attached as.
_ATTACHMENTS = (
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
    # A blob goes with its last reference, whichever way that goes (a deleted branch or
    # conversation cascades here, and cascades fire triggers).
    """CREATE TRIGGER message_attachment_released AFTER DELETE ON message_attachments BEGIN
    DELETE FROM attachments WHERE sha256 = old.sha256
    AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)
    AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256); END""",
    """CREATE TRIGGER draft_attachment_released AFTER DELETE ON draft_attachments BEGIN
    DELETE FROM attachments WHERE sha256 = old.sha256
    AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)
    AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256); END""",
)


def _add_attachments(connection: sqlite3.Connection) -> None:
    for statement in _ATTACHMENTS:
        connection.execute(statement)


def _sync_tracking(connection: sqlite3.Connection) -> None:
    """What sync needs to merge (see store/sync_changes.py): per-field change times, marks of
    what is not yet uploaded, tombstones, and the sync's own state.

    Triggers stamp the times, so every code path that edits a conversation is covered without
    knowing about sync. A row in sync_applying (only ever inside the sync's own transaction, so
    no other connection sees it) keeps the sync's writes from counting as local edits.
    """
    # Computed in SQL so that every connection stamps alike; never below the last stamp, so a
    # stamp always changes (uploads compare them to see whether an edit happened meanwhile).
    now = "(julianday('now') - 2440587.5) * 86400.0"
    statements = [
        "CREATE TABLE sync_applying (one INTEGER PRIMARY KEY)",
        "CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # The highest change-set sequence applied from each device of the server.
        "CREATE TABLE sync_peers (device TEXT PRIMARY KEY, applied INTEGER NOT NULL)",
        # message_uuid '' stands for the whole conversation.
        "CREATE TABLE sync_tombstones (conversation_uuid TEXT NOT NULL,"
        " message_uuid TEXT NOT NULL, deleted_at REAL NOT NULL,"
        " uploaded INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (conversation_uuid, message_uuid))",
        # Messages whose parent has not arrived yet, kept as their change-set record.
        "CREATE TABLE sync_orphans (conversation_uuid TEXT NOT NULL, message_uuid TEXT NOT NULL,"
        " record TEXT NOT NULL, PRIMARY KEY (conversation_uuid, message_uuid))",
        "ALTER TABLE conversations ADD COLUMN sync_dirty INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE conversations ADD COLUMN revived_at REAL NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN revived_at REAL NOT NULL DEFAULT 0",
        "CREATE INDEX messages_to_upload ON messages (conversation_id) WHERE uploaded = 0",
        "CREATE INDEX conversations_to_upload ON conversations (id) WHERE sync_dirty = 1",
    ]
    local = "NOT EXISTS (SELECT 1 FROM sync_applying)"
    groups = {
        "title": ("title", "title_is_custom"),
        "pinned": ("pinned",),
        "settings": (
            "model",
            "api_format",
            "system_prompt",
            "temperature",
            "top_p",
            "max_tokens",
            "thinking",
        ),
        "draft": ("draft",),
        "leaf": ("current_leaf_id",),
    }
    for group, columns in groups.items():
        statements.append(
            f"ALTER TABLE conversations ADD COLUMN {group}_at REAL NOT NULL DEFAULT 0"
        )
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        statements.append(
            f"CREATE TRIGGER sync_stamp_{group} AFTER UPDATE OF {', '.join(columns)}"
            f" ON conversations WHEN ({changed}) AND {local} BEGIN"
            f" UPDATE conversations SET {group}_at = max({now}, old.{group}_at + 0.000001),"
            " sync_dirty = 1 WHERE id = new.id; END"
        )
    stamp_leaf = (
        f"UPDATE conversations SET leaf_at = max({now}, leaf_at + 0.000001), sync_dirty = 1"
    )
    statements += [
        # The branch shown is one field: its leaf and every message's chosen child.
        "CREATE TRIGGER sync_stamp_choice AFTER UPDATE OF selected_child_id ON messages"
        f" WHEN old.selected_child_id IS NOT new.selected_child_id AND {local} BEGIN"
        f" {stamp_leaf} WHERE id = new.conversation_id; END",
        # An answer that finishes (again, after a continuation, or completed from a recovery
        # file) is uploaded (again).
        "CREATE TRIGGER sync_finished AFTER UPDATE OF status, finished_at ON messages"
        " WHEN new.status != 'streaming' AND (old.status = 'streaming'"
        f" OR old.finished_at IS NOT new.finished_at) AND {local} BEGIN"
        " UPDATE messages SET uploaded = 0 WHERE id = new.id;"
        f" {stamp_leaf} WHERE id = new.conversation_id; END",
        "CREATE TRIGGER sync_forget_conversation AFTER DELETE ON conversations"
        f" WHEN {local} BEGIN"
        " DELETE FROM sync_tombstones WHERE conversation_uuid = old.uuid;"
        " INSERT INTO sync_tombstones (conversation_uuid, message_uuid, deleted_at)"
        f" VALUES (old.uuid, '', {now}); END",
        # Messages deleted with their conversation need no tombstones of their own.
        f"CREATE TRIGGER sync_forget_message AFTER DELETE ON messages WHEN {local} BEGIN"
        " INSERT OR REPLACE INTO sync_tombstones (conversation_uuid, message_uuid, deleted_at)"
        f" SELECT c.uuid, old.uuid, {now} FROM conversations c"
        " WHERE c.id = old.conversation_id; END",
    ]
    for statement in statements:
        connection.execute(statement)


_ORGANISING = (
    # One level of folders; a conversation's folder_id is cleared when its folder goes.
    """CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    collapsed INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
)""",
    "ALTER TABLE conversations ADD COLUMN folder_id INTEGER"
    " REFERENCES folders (id) ON DELETE SET NULL",
    # Covers one folder's page of the list (and the folder's count) as the first index covers
    # the whole list.
    "CREATE INDEX conversations_by_folder"
    " ON conversations (folder_id, pinned, updated_at DESC, id DESC, title)",
    # Presets for new conversations. Empty model or api_format: the app's defaults. A built-in
    # (builtin set) with an empty name and prompt shows its translated text until edited.
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
_BUILTIN_ASSISTANTS = (
    ("translator", "1b0f0c9e-5c38-4d1e-a8f4-7a31c0a10001", 0.3),
    ("code-reviewer", "1b0f0c9e-5c38-4d1e-a8f4-7a31c0a10002", 0.2),
    ("writing-editor", "1b0f0c9e-5c38-4d1e-a8f4-7a31c0a10003", 0.5),
)


def _folders_assistants_prompts(connection: sqlite3.Connection) -> None:
    # Self-contained on purpose: it only adds tables and nullable columns, so it can take any
    # place among other additive steps.
    for statement in _ORGANISING:
        connection.execute(statement)
    connection.executemany(
        "INSERT INTO assistants (uuid, builtin, temperature, created_at) VALUES (?, ?, ?, 0)",
        [(uuid, key, temperature) for key, uuid, temperature in _BUILTIN_ASSISTANTS],
    )


def _tool_turns_version_8(connection: sqlite3.Connection) -> None:
    # An answer's tool calls (JSON), and on a message of role 'tool' the call's result (JSON:
    # state, error flag, duration, images); the result's text is the message's text.
    connection.execute("ALTER TABLE messages ADD COLUMN tool_calls TEXT")
    connection.execute("ALTER TABLE messages ADD COLUMN tool_result TEXT")
    # Which servers and tools the conversation uses (JSON); NULL: the default.
    connection.execute("ALTER TABLE conversations ADD COLUMN tools TEXT")


def _sync_tools_version_9(connection: sqlite3.Connection) -> None:
    # The choice of tools syncs as a field of its own (last writer wins), stamped like the
    # fields of _sync_tracking.
    now = "(julianday('now') - 2440587.5) * 86400.0"
    connection.execute("ALTER TABLE conversations ADD COLUMN tools_at REAL NOT NULL DEFAULT 0")
    connection.execute(
        "CREATE TRIGGER sync_stamp_tools AFTER UPDATE OF tools ON conversations"
        " WHEN (old.tools IS NOT new.tools) AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN"
        f" UPDATE conversations SET tools_at = max({now}, old.tools_at + 0.000001),"
        " sync_dirty = 1 WHERE id = new.id; END"
    )


# Folders, assistants and prompts sync as items of their own: each a whole-record last writer
# wins by changed_at, a deletion a row of sync_removed. A conversation's folder and assistant
# are fields of the conversation, and its draft's attachments belong to its draft field.
_LIBRARY_TABLES = {
    "folders": ("name",),
    "assistants": (
        "name",
        "system_prompt",
        "model",
        "api_format",
        "temperature",
        "top_p",
        "max_tokens",
        "thinking",
        "tools",
    ),
    "prompts": ("name", "body"),
}


def _sync_organising_version_10(connection: sqlite3.Connection) -> None:
    now = "(julianday('now') - 2440587.5) * 86400.0"
    local = "NOT EXISTS (SELECT 1 FROM sync_applying)"
    statements = [
        "CREATE TABLE sync_removed (kind TEXT NOT NULL, uuid TEXT NOT NULL,"
        " deleted_at REAL NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (kind, uuid))",
    ]
    for table, columns in _LIBRARY_TABLES.items():
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        statements += [
            f"ALTER TABLE {table} ADD COLUMN changed_at REAL NOT NULL DEFAULT 0",
            f"ALTER TABLE {table} ADD COLUMN sync_dirty INTEGER NOT NULL DEFAULT 1",
            f"UPDATE {table} SET changed_at = created_at",
            f"CREATE INDEX {table}_to_upload ON {table} (id) WHERE sync_dirty = 1",
            f"CREATE TRIGGER sync_stamp_new_{table} AFTER INSERT ON {table} WHEN {local} BEGIN"
            f" UPDATE {table} SET changed_at = max({now}, new.changed_at), sync_dirty = 1"
            " WHERE id = new.id; END",
            f"CREATE TRIGGER sync_stamp_{table} AFTER UPDATE OF {', '.join(columns)} ON {table}"
            f" WHEN ({changed}) AND {local} BEGIN"
            f" UPDATE {table} SET changed_at = max({now}, old.changed_at + 0.000001),"
            " sync_dirty = 1 WHERE id = new.id; END",
            f"CREATE TRIGGER sync_forget_{table} AFTER DELETE ON {table} WHEN {local} BEGIN"
            " INSERT OR REPLACE INTO sync_removed (kind, uuid, deleted_at)"
            f" VALUES ('{table}', old.uuid, {now}); END",
        ]
    # A built-in assistant edited before edits were stamped differs from how it was seeded:
    # stamped now, so that it syncs and exports like any edit. Those nobody edited are the same
    # everywhere already.
    seeded = " ".join(
        f"WHEN '{key}' THEN {temperature}" for key, _, temperature in _BUILTIN_ASSISTANTS
    )
    statements += [
        f"UPDATE assistants SET changed_at = {now} WHERE builtin IS NOT NULL AND changed_at = 0"
        " AND (name != '' OR system_prompt != '' OR model != '' OR api_format != ''"
        " OR top_p IS NOT NULL OR max_tokens IS NOT NULL OR thinking IS NOT NULL"
        f" OR tools != '[]' OR temperature IS NOT (CASE builtin {seeded} END))",
        "UPDATE assistants SET sync_dirty = 0 WHERE builtin IS NOT NULL AND changed_at = 0",
    ]
    # A folder's deletion moves its conversations out (ON DELETE SET NULL), which these
    # triggers stamp like any other move.
    for group, column in (("folder", "folder_id"), ("assistant", "assistant_id")):
        statements += [
            f"ALTER TABLE conversations ADD COLUMN {group}_at REAL NOT NULL DEFAULT 0",
            f"UPDATE conversations SET {group}_at = {now}, sync_dirty = 1"
            f" WHERE {column} IS NOT NULL",
            f"CREATE TRIGGER sync_stamp_{group} AFTER UPDATE OF {column} ON conversations"
            f" WHEN old.{column} IS NOT new.{column} AND {local} BEGIN"
            f" UPDATE conversations SET {group}_at = max({now}, old.{group}_at + 0.000001),"
            " sync_dirty = 1 WHERE id = new.id; END",
            # A conversation made inside a folder, or from an assistant.
            f"CREATE TRIGGER sync_stamp_new_{group} AFTER INSERT ON conversations"
            f" WHEN new.{column} IS NOT NULL AND {local} BEGIN"
            f" UPDATE conversations SET {group}_at = {now} WHERE id = new.id; END",
        ]
    stamp_draft = (
        f"UPDATE conversations SET draft_at = max({now}, draft_at + 0.000001), sync_dirty = 1"
    )
    statements += [
        f"CREATE TRIGGER sync_stamp_draft_attached AFTER INSERT ON draft_attachments"
        f" WHEN {local} BEGIN {stamp_draft} WHERE id = new.conversation_id; END",
        f"CREATE TRIGGER sync_stamp_draft_detached AFTER DELETE ON draft_attachments"
        f" WHEN {local} BEGIN {stamp_draft} WHERE id = old.conversation_id; END",
        f"CREATE TRIGGER sync_stamp_draft_reattached AFTER UPDATE ON draft_attachments"
        f" WHEN {local} BEGIN {stamp_draft} WHERE id IN (old.conversation_id,"
        " new.conversation_id); END",
        # While a change set is applied, a content given up by one conversation may be taken
        # by the next one: the sync releases what is left unreferenced once the set is in.
        "DROP TRIGGER message_attachment_released",
        "DROP TRIGGER draft_attachment_released",
        "CREATE TRIGGER message_attachment_released AFTER DELETE ON message_attachments"
        f" WHEN {local} BEGIN DELETE FROM attachments WHERE sha256 = old.sha256"
        " AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)"
        " AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256); END",
        "CREATE TRIGGER draft_attachment_released AFTER DELETE ON draft_attachments"
        f" WHEN {local} BEGIN DELETE FROM attachments WHERE sha256 = old.sha256"
        " AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)"
        " AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256); END",
        # Drafts holding attachments from before they synced go up once.
        "UPDATE conversations SET sync_dirty = 1"
        " WHERE id IN (SELECT conversation_id FROM draft_attachments)",
    ]
    for statement in statements:
        connection.execute(statement)


# (version reached, step) in order; append, never edit.
MIGRATIONS: tuple[tuple[int, Migration], ...] = (
    (1, _create_version_1),
    (2, _error_keys_version_2),
    (3, _add_import_sources),
    (4, _add_reasoning_seconds),
    (5, _add_attachments),
    (6, _sync_tracking),
    (7, _folders_assistants_prompts),
    (8, _tool_turns_version_8),
    (9, _sync_tools_version_9),
    (10, _sync_organising_version_10),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]


def user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    connection: sqlite3.Connection, migrations: Sequence[tuple[int, Migration]] = MIGRATIONS
) -> list[int]:
    """Run every step above the current version, each in its own transaction.

    A failing step is rolled back and re-raised, leaving the database at the last version
    reached. Returns the versions reached.
    """
    reached = []
    for version, step in migrations:
        if version <= user_version(connection):
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            step(connection)
            # user_version lives in the file header and is part of the same transaction.
            connection.execute(f"PRAGMA user_version = {int(version)}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        reached.append(version)
    return reached
