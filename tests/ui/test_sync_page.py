"""Settings → Sync: the passphrase is shown once with its warning, secrets leave the fields as
soon as they are handed over, and the last result is said in words."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.services.settings_service import SettingsService
from longcat_desktop.services.sync_service import SyncService
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store import SETTINGS_NAME, Settings, Store
from longcat_desktop.store.named_secrets import NamedSecrets
from longcat_desktop.store.sync_changes import SyncLedger
from longcat_desktop.sync import command
from longcat_desktop.sync.engine import SyncResult
from longcat_desktop.sync.webdav import SyncError
from longcat_desktop.ui.sync_page import SyncPage
from tests.qt_async import run, until


class Runner:
    """Stands in for the network: records each sync and answers as told."""

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.error: SyncError | None = None

    def __call__(self, data_dir: Path, config: Any, **options: Any) -> SyncResult:
        self.calls.append(config)
        with Store.open(data_dir) as store:
            ledger = SyncLedger(store.db)
            if self.error is not None:
                ledger.record_outcome(1_800_000_000.0, False, self.error.user_text)
                raise self.error
            result = SyncResult()
            ledger.record_outcome(1_800_000_000.0, True, result.summary())
            return result


@pytest.fixture
def runner() -> Runner:
    return Runner()


@pytest.fixture
def page(
    qtbot: QtBot, tmp_path: Path, qloop: asyncio.AbstractEventLoop, runner: Runner
) -> Iterator[SyncPage]:
    store = Store.open(tmp_path / "data")
    settings = SettingsService(Settings.load(tmp_path / "data" / SETTINGS_NAME))
    service = SyncService(
        store, tmp_path / "data", settings, TaskOwner(qloop), environ={}, runner=runner
    )
    widget = SyncPage(service)
    qtbot.addWidget(widget)
    try:
        yield widget
    finally:
        store.close()


def test_a_new_passphrase_is_shown_once_with_a_warning(page: SyncPage) -> None:
    page.show()
    assert not page.passphrase_warning.isVisible()
    page.new_passphrase_button.click()
    passphrase = page.passphrase_edit.text()
    assert len(passphrase) >= 24
    assert page.passphrase_edit.is_revealed()
    assert page.passphrase_warning.isVisible()
    assert "cannot be recovered" in page.passphrase_warning.text()


def test_saving_hands_the_secrets_over_and_clears_them(
    page: SyncPage, runner: Runner, qloop: asyncio.AbstractEventLoop
) -> None:
    page.show()
    page.url_edit.setText("https://dav.example/remote.php/dav/files/me/LongCat/")
    page.user_edit.setText("me")
    page.password_edit.setText("server password")
    page.new_passphrase_button.click()
    passphrase = page.passphrase_edit.text()

    page.save_button.click()

    assert page.password_edit.text() == ""
    assert page.passphrase_edit.text() == ""
    assert not page.passphrase_warning.isVisible()
    run(qloop, until(lambda: runner.calls and "Last sync" in page.status_label.text()))
    assert NamedSecrets().get(command.PASSPHRASE_SECRET) == passphrase
    assert runner.calls[0].passphrase == passphrase
    assert runner.calls[0].user == "me"
    assert "Synced: 0 conversations" in page.status_label.text()
    assert "keyring" in page.passphrase_edit.placeholderText()


def test_a_failure_is_shown_in_words_and_disconnect_turns_sync_off(
    page: SyncPage, runner: Runner, qloop: asyncio.AbstractEventLoop
) -> None:
    runner.error = SyncError(texts.SYNC_WRONG_PASSPHRASE)
    page.url_edit.setText("https://dav.example/LongCat/")
    page.passphrase_edit.setText("not the right one")
    page.save_button.click()
    run(qloop, until(lambda: "failed" in page.status_label.text()))
    assert "passphrase is not the one" in page.status_label.text()

    page.disconnect_button.click()

    assert page.status_label.text() == "Sync is off."
    assert page.url_edit.text() == ""
    assert not page.disconnect_button.isEnabled()
