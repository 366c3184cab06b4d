"""The API key never reaches a file: not the database, its log, the settings or any export."""

from __future__ import annotations

from pathlib import Path

from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.store import SecretStore, Settings, Store
from longcat_desktop.store import settings as options
from longcat_desktop.store.settings import SETTINGS_NAME
from tests.fakes.memory_keyring import MemoryKeyring
from tests.store.helpers import SETTINGS, add_exchange

KEY = "sk-LEAKCANARY-7f3a9c1e2b4d6f8a0c2e4a6b8d0f1a3c"


def test_a_distinctive_key_appears_in_no_file_written(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    secrets = SecretStore(environ={})
    assert secrets.save(KEY).persisted
    with Store.open(data_dir) as store:
        conversation = store.conversations.create(SETTINGS)
        question, _ = add_exchange(store, conversation.id, None, "hello", "hi")
        failed = store.messages.start_assistant_message(
            conversation.id, question, model="m", api_format=None
        )
        writer = store.writer(failed.id)
        writer.append_text("partial")
        writer.finish(
            MessageStatus.ERROR, error=ErrorDetails("Invalid API key", "auth_error", None, 401)
        )
        streaming = store.messages.start_assistant_message(
            conversation.id, question, model="m", api_format=None
        )
        store.writer(streaming.id).append_text("still going")
        (data_dir / "export.json").write_text(store.export_json(), encoding="utf-8")
        (data_dir / "export.md").write_text(store.export_markdown(conversation.id))
        (data_dir / "export.html").write_text(store.export_html(conversation.id))
        settings = Settings.load(data_dir / SETTINGS_NAME)
        settings.set(options.PROXY_URL, "http://proxy.example:8080")
        settings.save()
        # Look while the database is open, so its -wal and -shm files are there too.
        written = sorted(p for p in data_dir.rglob("*") if p.is_file())
        names = {p.name for p in written}
        assert {"longcat.db", "longcat.db-wal", "longcat.db-shm", SETTINGS_NAME} <= names
        for path in written:
            assert KEY.encode() not in path.read_bytes(), path
    assert memory_keyring.passwords  # the key is where it belongs
