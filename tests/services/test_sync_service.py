"""The sync service: runs syncs off the UI thread, keeps the secrets in the keyring, says how
the last one went, and syncs by itself after changes and at quit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from longcat_desktop.services.settings_service import SettingsService
from longcat_desktop.services.sync_service import SyncService, SyncState
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store import SETTINGS_NAME, Settings, Store
from longcat_desktop.store import settings as options
from longcat_desktop.store.named_secrets import NamedSecrets
from longcat_desktop.sync import command
from tests.fakes.webdav_server import PASSWORD, USER, WebDavServer
from tests.qt_async import emitted, run, until
from tests.sync.helpers import PASSPHRASE, SETTINGS, TEST_KDF_N, Device

FAST = {"new_key_n": TEST_KDF_N, "timeout": 5.0}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WebDavServer]:
    with WebDavServer(tmp_path / "webdav") as running:
        yield running


class App:
    """The parts of a running app that sync touches."""

    def __init__(self, data_dir: Path, loop: asyncio.AbstractEventLoop, **extra: Any) -> None:
        self.data_dir = data_dir
        self.store = Store.open(data_dir)
        self.errors: list[BaseException] = []
        self.settings = SettingsService(Settings.load(data_dir / SETTINGS_NAME))
        self.tasks = TaskOwner(loop, self.errors.append)
        self.sync = SyncService(
            self.store, data_dir, self.settings, self.tasks, environ={}, run_options=FAST, **extra
        )

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def app(tmp_path: Path, qloop: asyncio.AbstractEventLoop) -> Iterator[App]:
    opened = App(tmp_path / "app", qloop)
    try:
        yield opened
    finally:
        opened.close()


def test_connecting_saves_the_secrets_in_the_keyring_and_syncs(
    app: App, server: WebDavServer, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    other = Device(tmp_path / "other", server)
    other.chat("From the other computer", "Hello")
    other.sync()
    assert app.sync.state is SyncState.OFF

    async def body() -> None:
        changed = asyncio.ensure_future(emitted(app.sync.dataChanged))
        app.sync.connect_storage(server.url, USER, PASSWORD, PASSPHRASE)
        await changed
        await until(lambda: app.sync.state is SyncState.IDLE)

    run(qloop, body())

    assert NamedSecrets().get(command.PASSWORD_SECRET) == PASSWORD
    assert NamedSecrets().get(command.PASSPHRASE_SECRET) == PASSPHRASE
    assert app.settings.get(options.SYNC_URL) == server.url
    saved = (app.data_dir / SETTINGS_NAME).read_text()
    assert PASSPHRASE not in saved
    assert PASSWORD not in saved
    assert [c.title for c in app.store.conversations.list()] == ["From the other computer"]
    assert app.sync.message.startswith("Synced: 1 conversations")
    outcome = app.sync.last_outcome()
    assert outcome is not None
    assert outcome.ok
    assert app.errors == []


def test_a_sync_runs_off_the_ui_thread(app: App, qloop: asyncio.AbstractEventLoop) -> None:
    threads: list[threading.Thread] = []

    def runner(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        from longcat_desktop.sync.engine import SyncResult

        return SyncResult()

    recording = SyncService(
        app.store,
        app.data_dir,
        app.settings,
        app.tasks,
        environ={command.PASSPHRASE_VARIABLE: PASSPHRASE},
        runner=runner,
    )
    app.settings.update({options.SYNC_URL.key: "http://127.0.0.1:9/"})
    recording.sync_now()
    run(qloop, until(lambda: recording.state is SyncState.IDLE and threads))
    assert threads[0] is not threading.main_thread()


def test_a_failed_sync_is_said_in_words_and_the_next_one_completes(
    app: App, server: WebDavServer, qloop: asyncio.AbstractEventLoop
) -> None:
    server.fail_next(507, method="PUT")

    async def body() -> None:
        app.sync.connect_storage(server.url, USER, PASSWORD, PASSPHRASE)
        await until(lambda: app.sync.state is SyncState.FAILED)
        assert "no space left" in app.sync.message
        app.sync.sync_now()
        await until(lambda: app.sync.state is SyncState.IDLE)

    run(qloop, body())
    outcome = app.sync.last_outcome()
    assert outcome is not None
    assert outcome.ok


def test_changes_are_synced_by_themselves_and_at_quit(
    app: App, server: WebDavServer, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    other = Device(tmp_path / "other", server)

    async def body() -> None:
        app.sync.connect_storage(server.url, USER, PASSWORD, PASSPHRASE)
        await until(lambda: app.sync.state is SyncState.IDLE)
        conversation = app.store.conversations.create(SETTINGS, title="Typed in the app")
        # What the change timer does every few seconds.
        app.sync._check_changes()
        await until(lambda: not app.sync.running and app.sync.state is SyncState.IDLE)
        assert other.sync().received.conversations == 1
        app.store.conversations.set_pinned(conversation.id, True)
        await app.sync.shutdown()

    run(qloop, body())
    other.sync()
    assert [c["pinned"] for c in other.export()["conversations"]] == [True]


def test_disconnecting_forgets_the_address_and_the_secrets(
    app: App, server: WebDavServer, qloop: asyncio.AbstractEventLoop
) -> None:
    async def body() -> None:
        app.sync.connect_storage(server.url, USER, PASSWORD, PASSPHRASE)
        await until(lambda: app.sync.state is SyncState.IDLE)
        app.sync.disconnect_storage()
        await until(lambda: NamedSecrets().get(command.PASSPHRASE_SECRET) is None)

    run(qloop, body())
    assert app.sync.state is SyncState.OFF
    assert not app.sync.configured
    assert NamedSecrets().get(command.PASSWORD_SECRET) is None
    assert app.settings.get(options.SYNC_URL) == ""
