"""Sync in the running app: conversations from another computer appear in the open window, the
status bar says how it went, and Settings has a Sync page."""

from __future__ import annotations

from pathlib import Path

from longcat_desktop.services.sync_service import SyncState
from longcat_desktop.ui.settings_dialog import SettingsDialog
from tests.fakes.webdav_server import PASSWORD, USER, WebDavServer
from tests.sync.helpers import PASSPHRASE, Device
from tests.ui.app_fixture import RunningApp
from tests.ui.test_main_window_conversations import list_titles


def test_conversations_from_another_computer_appear_and_the_status_bar_says_so(
    running_app: RunningApp, tmp_path: Path
) -> None:
    app = running_app
    sync = app.services.sync
    assert sync is not None
    status = app.window.status_presenter.sync_status
    assert status.isHidden()
    with WebDavServer(tmp_path / "webdav") as server:
        laptop = Device(tmp_path / "laptop", server)
        laptop.chat("Written on the laptop", "Hello from there")
        laptop.sync()

        sync.connect_storage(server.url, USER, "wrong password", PASSPHRASE)
        app.wait(lambda: sync.state is SyncState.FAILED, "the failed sync")
        assert status.text().startswith("Sync failed: The WebDAV server refused")

        sync.connect_storage(server.url, USER, PASSWORD, "")
        app.wait(lambda: "Written on the laptop" in list_titles(app), "the laptop's chat")
        app.wait(lambda: status.text() == "Synced", "the status")
        assert "1 conversations" in status.toolTip()


def test_settings_has_a_sync_page(running_app: RunningApp) -> None:
    running_app.window.open_settings()
    dialog = running_app.window.findChild(SettingsDialog)
    assert dialog is not None
    titles = [dialog.nav.item(row).text() for row in range(dialog.nav.count())]
    assert titles[-1] == "Sync"
    page = running_app.window.settings_flow.sync_page
    assert page is not None
    assert page.status_label.text() == "Sync is off."
    dialog.reject()
