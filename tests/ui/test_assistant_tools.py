"""Settings → Assistants: an assistant's tools, as in Settings or servers chosen on and off, and
the conversations started from it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from longcat_desktop.services.tool_loop import ToolSelection
from longcat_desktop.ui.assistants_page import AssistantsPage
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_assistants import assistant_id, from_menu, start

# Never started here: choosing a server needs only its name from mcp.json.
ROOT = Path(__file__).resolve().parents[2]
FAKE = {"command": sys.executable, "args": ["-m", "tests.fakes.mcp_server"], "cwd": str(ROOT)}
SERVERS = {"files": {"command": "files-not-installed"}, "web": {"command": "web-not-installed"}}


def _with_servers(app_factory: AppFactory) -> RunningApp:
    data_dir = app_factory.tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "mcp.json").write_text(json.dumps({"mcpServers": SERVERS}), encoding="utf-8")
    return start(app_factory)


def _editor(app: RunningApp, name: str) -> AssistantsPage:
    app.window.open_settings("assistants")
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    page = dialog.pages.currentWidget()
    assert isinstance(page, AssistantsPage)
    for row in range(page.list.count()):
        item = page.list.item(row)
        if item is not None and item.text() == name:
            page.list.setCurrentRow(row)
            return page
    raise AssertionError(f"no assistant {name}")


def _server(page: AssistantsPage, name: str) -> QTreeWidgetItem:
    tree = page.tools.tree
    for row in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(row)
        if item is not None and item.text(0) == name:
            return item
    raise AssertionError(f"no server {name} shown")


def _children(server: QTreeWidgetItem) -> dict[str, QTreeWidgetItem]:
    children = (server.child(index) for index in range(server.childCount()))
    return {child.text(0): child for child in children if child is not None}


def test_an_assistant_chooses_its_servers_and_new_chats_from_it_use_them(
    app_factory: AppFactory,
) -> None:
    app = _with_servers(app_factory)
    loop = app.services.tool_loop
    assert loop is not None
    page = _editor(app, "Code reviewer")
    tools = page.tools
    # At first it follows Settings: the list shows what that means and cannot be changed.
    assert tools.mode.currentText() == "As in Settings (default)"
    assert not tools.tree.isEnabled()
    assert [tools.tree.topLevelItem(r).text(0) for r in range(2)] == ["files", "web"]  # type: ignore[union-attr]
    assert tools.note.isHidden()

    tools.mode.setCurrentIndex(tools.mode.findText("Chosen here"))
    assert tools.tree.isEnabled()
    _server(page, "web").setCheckState(0, Qt.CheckState.Unchecked)
    page.save_button.click()
    reviewer = assistant_id(app, "code-reviewer")
    stored = app.store.assistants.get(reviewer).tools
    chosen = ToolSelection.from_json(stored, default_on=True)
    assert (chosen.servers["files"], chosen.servers["web"]) == (True, False)
    # The choice is written down whole: turning every tool off in Settings does not change it.
    assert ToolSelection.from_json(stored, default_on=False).uses_server("files")

    app.window.settings_flow.dialog.reject()  # type: ignore[union-attr]
    old = from_menu(app, "Code reviewer")
    assert not loop.selection(old.id).uses_server("web")
    assert loop.selection(old.id).uses_server("files")

    # Back to Settings' choice: shown again as it was stored, and old conversations keep theirs.
    page = _editor(app, "Code reviewer")
    assert page.tools.mode.currentText() == "Chosen here"
    assert _server(page, "web").checkState(0) == Qt.CheckState.Unchecked
    page.tools.mode.setCurrentIndex(0)
    page.save_button.click()
    assert app.store.assistants.get(reviewer).tools is None
    assert not loop.selection(old.id).uses_server("web")


def test_without_tool_servers_the_editor_says_where_to_add_them(
    app_factory: AppFactory,
) -> None:
    app = start(app_factory)
    page = _editor(app, "Translator (Chinese ↔ English)")
    assert page.tools.tree.isHidden()
    assert not page.tools.note.isHidden()
    assert "Settings → Tools" in page.tools.note.text()


def test_the_tools_of_a_started_server_can_be_chosen_one_by_one(app_factory: AppFactory) -> None:
    data_dir = app_factory.tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "mcp.json").write_text(json.dumps({"mcpServers": {"fake": FAKE}}), encoding="utf-8")
    app = start(app_factory)
    loop = app.services.tool_loop
    assert loop is not None
    app.run(loop.servers.tools())
    page = _editor(app, "Writing editor")
    page.tools.mode.setCurrentIndex(1)
    server = _server(page, "fake")
    tools = _children(server)
    assert "echo" in tools
    tools["echo"].setCheckState(0, Qt.CheckState.Unchecked)
    page.save_button.click()
    chosen = ToolSelection.from_json(
        app.store.assistants.get(assistant_id(app, "writing-editor")).tools, default_on=True
    )
    assert not chosen.allows("fake", "echo")
    assert chosen.uses_server("fake")
    # Saving shows the list again; a server switched off there greys its tools.
    server = _server(page, "fake")
    echo = _children(server)["echo"]
    assert echo.checkState(0) == Qt.CheckState.Unchecked
    assert echo.flags() & Qt.ItemFlag.ItemIsEnabled
    server.setCheckState(0, Qt.CheckState.Unchecked)
    assert not echo.flags() & Qt.ItemFlag.ItemIsEnabled
