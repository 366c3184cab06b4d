"""`--sync-now`: saved settings, flags for one run, secrets from the environment or the keyring,
one line out; and a sync beside the running app on the same folder."""

from __future__ import annotations

import io
import subprocess
import sys
import threading

import pytest

from longcat_desktop.store import DataDirLock, Store
from longcat_desktop.store.errors import DatabaseBusyError
from longcat_desktop.store.named_secrets import NamedSecrets
from longcat_desktop.store.settings import SETTINGS_NAME, SYNC_URL, SYNC_USER, Settings
from longcat_desktop.sync import command
from tests.fakes.webdav_server import PASSWORD, USER
from tests.processes import REPO_ROOT, app_environment
from tests.sync.helpers import PASSPHRASE, SETTINGS, Device


def _run(device: Device, **flags: str | None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = command.run_command(device.data_dir, out=out, err=err, **flags)
    return code, out.getvalue(), err.getvalue()


def _save_settings(device: Device, url: str, user: str) -> None:
    settings = Settings.load(device.data_dir / SETTINGS_NAME)
    settings.set(SYNC_URL, url)
    settings.set(SYNC_USER, user)
    settings.save()


def test_saved_settings_and_keyring_secrets_are_used(laptop: Device) -> None:
    laptop.chat("Question", "Answer")
    _save_settings(laptop, laptop.server.url, USER)
    NamedSecrets().set(command.PASSWORD_SECRET, PASSWORD)
    NamedSecrets().set(command.PASSPHRASE_SECRET, PASSPHRASE)

    code, out, err = _run(laptop)

    assert (code, err) == (0, "")
    assert out == (
        "Synced: 0 conversations and 0 messages received, 0 deletions applied,"
        " 1 change sets sent.\n"
    )


def test_flags_override_the_saved_settings_for_one_run(
    laptop: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_settings(laptop, "http://127.0.0.1:9/nothing/", "nobody")
    monkeypatch.setenv(command.PASSWORD_VARIABLE, PASSWORD)
    monkeypatch.setenv(command.PASSPHRASE_VARIABLE, PASSPHRASE)

    assert _run(laptop, url=laptop.server.url, user=USER)[0] == 0
    code, out, err = _run(laptop)
    assert code == 1
    assert out == ""
    assert err.startswith("Could not reach the WebDAV server http://127.0.0.1:9/nothing/")
    assert err.count("\n") == 1


def test_without_an_address_or_passphrase_it_says_what_is_missing(
    laptop: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(laptop) == (2, "", "Sync is not set up: enter the address of a WebDAV folder.\n")
    code, _, err = _run(laptop, url=laptop.server.url)
    assert code == 2
    assert "needs the encryption passphrase" in err


def test_the_command_line_syncs_two_folders_without_a_window(
    laptop: Device, desktop: Device
) -> None:
    laptop.chat("From the command line", "Yes")
    environment = app_environment(
        LONGCAT_SYNC_PASSWORD=PASSWORD, LONGCAT_SYNC_PASSPHRASE=PASSPHRASE
    )
    environment.pop("QT_QPA_PLATFORM")
    for device in (laptop, desktop):
        finished = subprocess.run(
            [
                sys.executable,
                "-m",
                "longcat_desktop",
                "--sync-now",
                "--data-dir",
                str(device.data_dir),
                "--sync-url",
                device.server.url,
                "--sync-user",
                USER,
            ],
            cwd=REPO_ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert finished.returncode == 0, finished.stderr
        assert finished.stdout.startswith("Synced:")
        assert finished.stdout.count("\n") == 1
    assert desktop.export() == laptop.export()


def test_a_sync_beside_the_running_app_and_its_writes_corrupts_nothing(
    laptop: Device, desktop: Device
) -> None:
    for number in range(40):
        laptop.chat(f"Question {number}", f"Answer {number} " * 50)
    laptop.sync()
    written: list[str] = []
    failures: list[BaseException] = []

    def sync_in_background() -> None:
        try:
            desktop.sync()
        except BaseException as error:
            failures.append(error)

    # The app: the folder's lock and its own connection, writing while the sync runs.
    with DataDirLock.acquire(desktop.data_dir), Store.open(desktop.data_dir) as app_store:
        worker = threading.Thread(target=sync_in_background)
        worker.start()
        while worker.is_alive() or len(written) < 5:
            try:
                with app_store.transaction():
                    conversation = app_store.conversations.create(SETTINGS)
                    app_store.messages.add_user_message(
                        conversation.id, None, f"Typed {len(written)}"
                    )
            except DatabaseBusyError:
                # The app waits a moment for the sync's short transactions and says so when a
                # write still finds the file busy; the user's next action writes again.
                continue
            written.append(conversation.uuid)
        worker.join()
        app_store.check_integrity()

    assert failures == []
    desktop.sync()
    laptop.sync()
    assert desktop.export() == laptop.export()
    assert len(laptop.export()["conversations"]) == 40 + len(written)


def test_beside_an_app_of_another_database_format_it_refuses_and_writes_nothing(
    laptop: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from longcat_desktop.store.migrations import SCHEMA_VERSION

    monkeypatch.setenv(command.PASSWORD_VARIABLE, PASSWORD)
    monkeypatch.setenv(command.PASSPHRASE_VARIABLE, PASSPHRASE)
    laptop.chat("Question", "Answer")
    before = laptop.export()

    def set_version(version: int) -> None:
        connection = sqlite3.connect(laptop.data_dir / "longcat.db")
        connection.execute(f"PRAGMA user_version = {version}")
        connection.commit()
        connection.close()

    with DataDirLock.acquire(laptop.data_dir):
        set_version(SCHEMA_VERSION + 1)
        code, out, err = _run(laptop, url=laptop.server.url)

    assert (code, out) == (1, "")
    assert err == (
        f"The running LongCat Desktop uses database format {SCHEMA_VERSION + 1} and this command"
        f" format {SCHEMA_VERSION}: sync from the app, or close it first.\n"
    )
    assert list(laptop.server.folder.iterdir()) == []
    set_version(SCHEMA_VERSION)
    assert laptop.export() == before
