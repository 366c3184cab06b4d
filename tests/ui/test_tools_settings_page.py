"""Settings → Tools: servers with their states, enable/disable, add, paste, restart, undo of
"Always allow", the loop limit, and a clear token moved to the keyring."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTreeWidgetItem

from longcat_desktop.services import options
from longcat_desktop.tools.config import Transport, parse_config
from longcat_desktop.tools.naming import ToolRef
from longcat_desktop.ui.tools_settings_page import PasteDialog, ServerForm, ToolsSettingsPage
from tests.ui.app_fixture import AppFactory, RunningApp

ROOT = Path(__file__).resolve().parents[2]
FAKE = {"command": sys.executable, "args": ["-m", "tests.fakes.mcp_server"], "cwd": str(ROOT)}


def _document(app: RunningApp) -> dict[str, object]:
    return json.loads((app.data_dir / "mcp.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _configure(tmp_path: Path, servers: dict[str, object]) -> None:
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "mcp.json").write_text(
        json.dumps({"mcpServers": servers}), encoding="utf-8"
    )


def _page(app: RunningApp) -> ToolsSettingsPage:
    app.window.open_settings()
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    page = dialog.findChild(ToolsSettingsPage)
    assert page is not None
    return page


def _server(page: ToolsSettingsPage, name: str) -> QTreeWidgetItem:
    for index in range(page.tree.topLevelItemCount()):
        item = page.tree.topLevelItem(index)
        if item is not None and item.text(0) == name:
            return item
    raise AssertionError(f"no server {name} shown")


def _tool(page: ToolsSettingsPage, server: str, name: str) -> QTreeWidgetItem:
    item = _server(page, server)
    for index in range(item.childCount()):
        child = item.child(index)
        if child is not None and child.text(0) == name:
            return child
    raise AssertionError(f"no tool {name} shown")


def test_servers_show_their_state_and_tools_and_can_be_switched_off(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(
        tmp_path,
        {
            "fake": {**FAKE, "autoApprove": ["echo"], "x-own-key": 1},
            "missing": {"command": "uvx-not-installed-anywhere"},
        },
    )
    app = app_factory()
    loop = app.services.tool_loop
    assert loop is not None
    app.run(loop.servers.tools())
    page = _page(app)
    app.wait(lambda: _server(page, "fake").text(1).startswith("Ready"), "the state shown")
    missing = _server(page, "missing")
    assert "uvx-not-installed-anywhere" in missing.text(1)
    assert "PATH" in missing.text(1)
    assert _tool(page, "fake", "echo").text(1) == "always allowed"

    # A tool switched off is no longer offered; unknown keys of the file are kept.
    _tool(page, "fake", "add").setCheckState(0, Qt.CheckState.Unchecked)
    assert _document(app)["mcpServers"]["fake"]["disabledTools"] == ["add"]  # type: ignore[index]
    assert _document(app)["mcpServers"]["fake"]["x-own-key"] == 1  # type: ignore[index]
    names, _infos, _problems = app.run(loop.servers.tools())
    assert ToolRef("fake", "add") not in names.values()
    assert ToolRef("fake", "echo") in names.values()

    # "Always allow" is undone here.
    QApplication.processEvents()
    page.tree.setCurrentItem(_tool(page, "fake", "echo"))
    assert page.ask_button.isEnabled()
    page.ask_button.click()
    assert _document(app)["mcpServers"]["fake"]["autoApprove"] == []  # type: ignore[index]

    # A whole server switched off.
    QApplication.processEvents()
    _server(page, "missing").setCheckState(0, Qt.CheckState.Unchecked)
    assert _document(app)["mcpServers"]["missing"]["disabled"] is True  # type: ignore[index]
    app.wait(lambda: _server(page, "missing").text(1) == "Disabled", "the server shown off")


def test_add_by_form_and_by_pasted_json_and_the_loop_limit(app_factory: AppFactory) -> None:
    app = app_factory()
    page = _page(app)
    page.add_button.click()
    form = page.findChild(ServerForm)
    assert form is not None
    form.name.setText("time")
    form.command.setText("uvx mcp-server-time --local-timezone 'Asia/Shanghai'")
    form._submit()
    server = _document(app)["mcpServers"]["time"]  # type: ignore[index]
    assert server["command"] == "uvx"
    assert server["args"] == ["mcp-server-time", "--local-timezone", "Asia/Shanghai"]

    page.paste_button.click()
    paste = page.findChild(PasteDialog)
    assert paste is not None
    paste.text.setPlainText('{"mcpServers": {"remote": {"url": "http://127.0.0.1:9/mcp"}}}')
    paste.submitted.emit(paste.text.toPlainText())
    assert "remote" in _document(app)["mcpServers"]  # type: ignore[operator]
    paste.text.setPlainText('{"mcpServers": ')
    paste.submitted.emit(paste.text.toPlainText())
    assert "JSON" in paste.error.text()

    page.turn_limit.setValue(7)
    assert app.services.settings.get(options.TOOL_TURN_LIMIT) == 7


def test_a_token_in_clear_can_be_moved_to_the_keyring(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "mcp.json").write_text(
        json.dumps({"mcpServers": {"gh": {**FAKE, "env": {"GITHUB_TOKEN": "ghp_" + "a1" * 18}}}}),
        encoding="utf-8",
    )
    app = app_factory()
    page = _page(app)
    assert page.secrets_box.count() == 1
    found = page.secrets_box.itemAt(0)
    row = None if found is None else found.widget()
    assert row is not None
    button = row.findChild(QPushButton)
    assert button is not None
    button.click()
    env = _document(app)["mcpServers"]["gh"]["env"]  # type: ignore[index]
    assert env["GITHUB_TOKEN"].startswith("${secret:")
    assert "ghp_" not in (app.data_dir / "mcp.json").read_text(encoding="utf-8")


def test_a_server_added_with_secret_values_keeps_them_in_the_keyring(
    app_factory: AppFactory,
) -> None:
    from longcat_desktop.store.named_secrets import NamedSecrets

    app = app_factory()
    page = _page(app)
    page.add_button.click()
    form = page.findChild(ServerForm)
    assert form is not None
    form.name.setText("search")
    form.kind.setCurrentIndex(1)
    form.url.setText("http://127.0.0.1:9/mcp")
    form.values.setPlainText("Authorization: Bearer sk-hidden-value-1234567890\nX-Plain: yes")
    assert form.secret.isChecked()
    form._submit()
    text = (app.data_dir / "mcp.json").read_text(encoding="utf-8")
    assert "sk-hidden-value" not in text
    headers = _document(app)["mcpServers"]["search"]["headers"]  # type: ignore[index]
    assert headers["Authorization"] == "${secret:mcp/search/headers/Authorization}"
    assert NamedSecrets().get("mcp/search/headers/Authorization") == (
        "Bearer sk-hidden-value-1234567890"
    )


def test_editing_a_server_from_a_command_to_a_url_leaves_a_file_that_loads(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(
        tmp_path,
        {
            "moved": {
                "command": str(tmp_path / "no-such-server"),
                "args": ["--port", "1"],
                "env": {"TZ": "UTC"},
                "x-own-key": 1,
            }
        },
    )
    app = app_factory()
    page = _page(app)
    page.tree.setCurrentItem(_server(page, "moved"))
    page.edit_button.click()
    form = page.findChild(ServerForm)
    assert form is not None
    form.kind.setCurrentIndex(1)
    form.url.setText("http://127.0.0.1:9/mcp")
    form.values.setPlainText("")
    form._submit()
    assert form.error.text() == ""
    assert _document(app)["mcpServers"]["moved"] == {  # type: ignore[index]
        "url": "http://127.0.0.1:9/mcp",
        "timeout": 120.0,
        "x-own-key": 1,
    }
    text = (app.data_dir / "mcp.json").read_text(encoding="utf-8")
    assert parse_config(text).server("moved").transport is Transport.HTTP  # type: ignore[union-attr]
    assert page.error_label.text() == ""


def test_emptying_the_environment_of_a_server_removes_it_from_the_file(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(
        tmp_path,
        {"local": {"command": str(tmp_path / "no-such-server"), "env": {"TOKEN": "old"}}},
    )
    app = app_factory()
    page = _page(app)
    page.tree.setCurrentItem(_server(page, "local"))
    page.edit_button.click()
    form = page.findChild(ServerForm)
    assert form is not None
    assert form.values.toPlainText() == "TOKEN=old"
    form.values.setPlainText("")
    form._submit()
    assert form.error.text() == ""
    assert "env" not in _document(app)["mcpServers"]["local"]  # type: ignore[index]
