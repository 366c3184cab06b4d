"""Duplicate and export from the conversation list's context menu, as a person uses them."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from longcat_desktop.domain.ids import ConversationId
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window_conversations import list_titles, menu_action, seed


def _export_action(app: RunningApp, conversation_id: ConversationId, label: str) -> QAction:
    export_menu = menu_action(app, conversation_id, "Export").menu()
    assert isinstance(export_menu, QMenu)
    for action in export_menu.actions():
        if action.text() == label:
            return action
    raise AssertionError(f"no {label!r} export")


def _file_dialog(app: RunningApp) -> QFileDialog:
    dialogs = [d for d in app.window.findChildren(QFileDialog) if d.isVisible()]
    assert dialogs, "no file dialog shown"
    return dialogs[-1]


def test_duplicate_copies_the_conversation_and_opens_the_copy(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Original": [("question", "answer")]})
    app = app_factory()
    menu_action(app, ids["Original"], "Duplicate").trigger()
    app.wait(lambda: list_titles(app).count("Original") == 2, "the copy in the list")
    copy_id = app.window.conversation_id
    assert copy_id is not None
    assert copy_id != ids["Original"]
    texts = [m.text for m in app.store.messages.visible_thread(copy_id)]
    assert texts == ["question", "answer"]
    # The copy is independent: deleting it leaves the original whole.
    app.services.conversations.delete(copy_id)
    assert [m.text for m in app.store.messages.visible_thread(ids["Original"])] == [
        "question",
        "answer",
    ]


def test_export_writes_each_format_where_the_user_chose(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    ids = seed(
        app_factory.tmp_path / "data", {"Lisbon plan": [("Where to eat?", "Try **Ramiro**.")]}
    )
    app = app_factory()
    for label, name in (("Markdown…", "out.md"), ("HTML…", "out.html"), ("JSON…", "out.json")):
        _export_action(app, ids["Lisbon plan"], label).trigger()
        dialog = _file_dialog(app)
        target = tmp_path / name
        dialog.fileSelected.emit(str(target))
        dialog.close()
        app.wait(target.exists, f"{name} written")
        content = target.read_text(encoding="utf-8")
        assert "Where to eat?" in content
        assert app_factory.server.api_key not in content
    assert "Ramiro" in (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "<html" in (tmp_path / "out.html").read_text(encoding="utf-8").lower()
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["format"] == "longcat-desktop/conversations"
    assert [c["title"] for c in document["conversations"]] == ["Lisbon plan"]


def test_an_export_that_cannot_be_written_is_said_plainly(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Notes": [("a", "b")]})
    app = app_factory()
    _export_action(app, ids["Notes"], "Markdown…").trigger()
    dialog = _file_dialog(app)
    dialog.fileSelected.emit(str(tmp_path / "no-such-folder" / "out.md"))
    dialog.close()
    app.wait(lambda: any("could not be written" in n for n in app.window.notices.notices()))
