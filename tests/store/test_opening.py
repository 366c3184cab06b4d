"""Opening the database: creation, every migration, backups, refusal, recovery, permissions."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.store import (
    DATABASE_NAME,
    MigrationError,
    NewerDatabaseError,
    StorageAccessError,
    Store,
)
from longcat_desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from tests.store import historical_schemas
from tests.store.helpers import SETTINGS, add_exchange, run_python, without_write_permission


def _database(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def _user_version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def _add_column_next(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE conversations ADD COLUMN colour TEXT NOT NULL DEFAULT ''")


def _failing_next(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE conversations ADD COLUMN colour TEXT")
    connection.execute("UPDATE conversations SET title = 'half-migrated'")
    raise sqlite3.OperationalError("the next step failed on purpose")


# A step after the released ones, as the next version will bring.
NEXT = SCHEMA_VERSION + 1
WITH_NEXT: tuple[tuple[int, Migration], ...] = (*MIGRATIONS, (NEXT, _add_column_next))


def test_a_new_database_has_the_released_schema(data_dir: Path, tmp_path: Path) -> None:
    Store.open(data_dir).close()
    released = tmp_path / "released.db"
    historical_schemas.build(released, SCHEMA_VERSION)
    assert historical_schemas.schema_of(_database(data_dir)) == historical_schemas.schema_of(
        released
    )
    assert _user_version(_database(data_dir)) == SCHEMA_VERSION


def test_the_database_is_in_wal_mode_with_foreign_keys(store: Store) -> None:
    assert store.db.scalar("PRAGMA journal_mode") == "wal"
    assert store.db.scalar("PRAGMA foreign_keys") == 1


def test_every_schema_version_is_kept_for_the_tests() -> None:
    assert set(historical_schemas.SCHEMAS) == set(range(SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", sorted(historical_schemas.SCHEMAS))
def test_a_database_of_every_version_opens_at_the_current_one(
    version: int, data_dir: Path, tmp_path: Path
) -> None:
    historical_schemas.build(_database(data_dir), version)
    with Store.open(data_dir) as store:
        assert _user_version(_database(data_dir)) == SCHEMA_VERSION
        if version in historical_schemas.SAMPLES:
            assert store.report.migrated_from is None or store.report.migrated_from == version
            conversation = store.conversations.find_by_uuid(
                historical_schemas.SAMPLE_CONVERSATION_UUID
            )
            assert conversation is not None
            assert conversation.pinned
            assert conversation.draft == "unsent"
            thread = store.messages.visible_thread(conversation.id)
            assert [m.text for m in thread] == [
                historical_schemas.SAMPLE_QUESTION,
                historical_schemas.SAMPLE_STREAMING,
            ]
            # The answer left streaming by the old version is interrupted, its text intact.
            assert thread[-1].status is MessageStatus.INTERRUPTED
            assert store.search("write-ahead")
    fresh = tmp_path / "fresh"
    Store.open(fresh).close()
    assert historical_schemas.schema_of(_database(data_dir)) == historical_schemas.schema_of(
        _database(fresh)
    )


def test_a_migration_writes_a_backup_first_and_it_goes_at_the_next_start(
    data_dir: Path,
) -> None:
    historical_schemas.build(_database(data_dir), SCHEMA_VERSION)
    with Store.open(data_dir, migrations=WITH_NEXT) as store:
        assert store.report.migrated_from == SCHEMA_VERSION
        backup = store.report.backup
        assert backup is not None
        assert backup.exists()
        assert _user_version(backup) == SCHEMA_VERSION
        columns = [row[1] for row in store.db.query("PRAGMA table_info(conversations)")]
        assert "colour" in columns
    # The copy holds the data as it was before the upgrade.
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT draft FROM conversations").fetchone() == ("unsent",)
    copy.close()
    with Store.open(data_dir, migrations=WITH_NEXT) as store:
        assert store.report.migrated_from is None
        assert store.report.backup is None
    assert not backup.exists()


def test_a_failing_migration_is_rolled_back_and_the_backup_kept(data_dir: Path) -> None:
    historical_schemas.build(_database(data_dir), SCHEMA_VERSION)
    with pytest.raises(MigrationError) as raised:
        Store.open(data_dir, migrations=(*MIGRATIONS, (NEXT, _failing_next)))
    assert raised.value.backup is not None
    assert raised.value.backup.exists()
    assert "could not be upgraded" in str(raised.value)
    # The released steps before the failing one stay done, each in its own transaction.
    assert _user_version(_database(data_dir)) == SCHEMA_VERSION
    with Store.open(data_dir) as store:
        conversation = store.conversations.find_by_uuid(historical_schemas.SAMPLE_CONVERSATION_UUID)
        assert conversation is not None
        assert conversation.title == "What is a write-ahead log?"


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path) -> None:
    path = _database(data_dir)
    historical_schemas.build(path, 1)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    before = path.read_bytes()
    files_before = sorted(p.name for p in data_dir.iterdir())
    with pytest.raises(NewerDatabaseError) as raised:
        Store.open(data_dir)
    assert raised.value.found == SCHEMA_VERSION + 1
    assert "newer version" in str(raised.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == files_before


def test_a_file_that_is_no_database_is_moved_aside_and_a_new_one_started(
    data_dir: Path,
) -> None:
    data_dir.mkdir()
    garbage = b"this is not a database, but it is somebody's file\n" * 100
    _database(data_dir).write_bytes(garbage)
    with Store.open(data_dir) as store:
        kept = store.report.recovered_from
        assert kept is not None
        assert kept.read_bytes() == garbage
        assert kept.parent == data_dir
        store.conversations.create(SETTINGS)
        assert store.conversations.count() == 1


def test_a_database_with_damaged_pages_is_moved_aside(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        conversation = store.conversations.create(SETTINGS)
        add_exchange(store, conversation.id, None, "question", "answer")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = _database(data_dir)
    data = bytearray(path.read_bytes())
    # Keep the 100-byte header, ruin the rest of the first page (the schema's root).
    data[100:4096] = b"\xa5" * (4096 - 100)
    path.write_bytes(bytes(data))
    damaged = bytes(data)
    with Store.open(data_dir) as store:
        assert store.report.recovered_from is not None
        assert store.report.recovered_from.read_bytes() == damaged
        assert store.conversations.count() == 0


def test_an_interrupted_answer_is_reported_with_its_text(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        conversation = store.conversations.create(SETTINGS)
        user = store.messages.add_user_message(conversation.id, None, "tell me")
        answer = store.messages.start_assistant_message(
            conversation.id, user.id, model="m", api_format=None
        )
        writer = store.writer(answer.id)
        writer.append_text("the first half")
        writer.flush()
    with Store.open(data_dir) as store:
        assert store.report.interrupted_message_ids == (answer.id,)
        message = store.messages.get(answer.id)
        assert message.status is MessageStatus.INTERRUPTED
        assert message.text == "the first half"
        # Found by search once it is no longer streaming.
        assert [hit.message_id for hit in store.search("first half")] == [answer.id]


def test_the_search_index_is_rebuilt_when_missing(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        conversation = store.conversations.create(SETTINGS)
        add_exchange(store, conversation.id, None, "question", "an answer about lighthouses")
        store.db.execute("DROP TABLE message_index")
    with Store.open(data_dir) as store:
        assert len(store.search("lighthouse")) == 1


_OPEN_IN_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from longcat_desktop.store import Store, StoreError
    try:
        Store.open(Path(sys.argv[1]) if len(sys.argv) > 1 else Path({path!r}))
    except StoreError as error:
        print(type(error).__name__, error)
    else:
        print("opened")
    """
)


def _needs_permissions() -> None:
    if without_write_permission(["true"]) is None:
        pytest.skip("running as root without setpriv: file permissions cannot apply")


def test_a_read_only_folder_without_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    _needs_permissions()
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run_python(_OPEN_IN_CHILD.format(path=str(folder)), restricted=True)
    finally:
        folder.chmod(0o755)
    assert result.stdout.startswith(StorageAccessError.__name__), result.stderr
    assert "cannot be written" in result.stdout


def test_a_read_only_folder_with_a_database_keeps_everything(data_dir: Path) -> None:
    _needs_permissions()
    with Store.open(data_dir) as store:
        conversation = store.conversations.create(SETTINGS)
        add_exchange(store, conversation.id, None, "keep me", "kept")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _database(data_dir).read_bytes()
    _database(data_dir).chmod(0o444)
    data_dir.chmod(0o555)
    try:
        result = run_python(_OPEN_IN_CHILD.format(path=str(data_dir)), restricted=True)
    finally:
        data_dir.chmod(0o755)
        _database(data_dir).chmod(0o644)
    assert result.stdout.startswith(StorageAccessError.__name__), result.stdout + result.stderr
    assert _database(data_dir).read_bytes() == before
    with Store.open(data_dir) as store:
        assert [m.text for m in store.messages.visible_thread(conversation.id)] == [
            "keep me",
            "kept",
        ]


def test_a_data_folder_that_cannot_be_created_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageAccessError, match="cannot be created"):
        Store.open(blocker / "data")
