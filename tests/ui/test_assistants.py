"""Assistants at New chat, the default one for Ctrl+N, editing one in Settings, and saved
prompts in the composer (`/`, then Tab through the placeholders) and in Settings."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from longcat_desktop.domain.conversation import Conversation
from longcat_desktop.store import Store
from longcat_desktop.ui.assistants_page import AssistantsPage
from longcat_desktop.ui.library_page import LibraryPage
from longcat_desktop.ui.prompts_page import PromptsPage
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window_conversations import seed


def start(app_factory: AppFactory, prompts: dict[str, str] | None = None) -> RunningApp:
    """The app on a conversation that already has messages (so New chat makes a new one)."""
    data_dir = app_factory.tmp_path / "data"
    seed(data_dir, {"Earlier": [("hello", "hi")]})
    if prompts:
        store = Store.open(data_dir)
        try:
            for name, body in prompts.items():
                store.prompts.add(name, body)
        finally:
            store.close()
    app = app_factory()
    app.ready()
    return app


def menu_action(app: RunningApp, text: str) -> QAction:
    menu = app.window.assistant_menu
    menu.fill()
    for action in menu.menu.actions():
        if action.text() == text:
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.menu.actions()]}")


def current(app: RunningApp) -> Conversation:
    conversation_id = app.window.conversation_id
    assert conversation_id is not None
    return app.store.conversations.get(conversation_id)


def confirm_remove(page: LibraryPage) -> None:
    """Remove the selected entry, answering the question it asks first."""
    page.delete_button.click()
    box = next(b for b in page.findChildren(QMessageBox) if b.isVisible())
    assert "Remove" in box.text()
    next(b for b in box.findChildren(QPushButton) if b.text() == "Remove").click()


def from_menu(app: RunningApp, assistant: str) -> Conversation:
    """A new chat started from the menu beside New chat (the app opened on "Earlier")."""
    earlier = app.window.conversation_id
    menu_action(app, assistant).trigger()
    app.wait(lambda: app.window.conversation_id != earlier, "a new conversation")
    return current(app)


def assistant_id(app: RunningApp, builtin: str) -> int:
    return next(a.id for a in app.store.assistants.all() if a.builtin == builtin)


def test_new_chat_from_an_assistant_takes_its_settings_and_remembers_it(
    app_factory: AppFactory,
) -> None:
    app = start(app_factory)
    earlier = app.window.conversation_id
    menu_action(app, "Code reviewer").trigger()
    app.wait(lambda: app.window.conversation_id != earlier, "a new conversation")
    conversation = current(app)
    reviewer = assistant_id(app, "code-reviewer")
    assert conversation.assistant_id == reviewer
    assert conversation.settings.system_prompt.startswith("You are a senior software engineer")
    assert conversation.settings.temperature == 0.2
    # The parameters panel shows what the conversation will be sent with.
    assert app.window.params.values().temperature == 0.2
    assert app.window.title_label.toolTip() == "Started from the assistant Code reviewer"
    # Used assistants come first in the menu next time.
    assert app.store.assistants.recent(1)[0].id == reviewer

    # Another assistant on the still empty conversation replaces its settings, not piles up.
    menu_action(app, "Writing editor").trigger()
    app.wait(
        lambda: current(app).assistant_id == assistant_id(app, "writing-editor"),
        "the editor's settings",
    )
    assert app.store.conversations.count() == 2
    menu_action(app, "Plain chat (Ctrl+N)").trigger()
    app.wait(
        lambda: current(app).assistant_id is None,
        "a plain chat",
    )
    assert current(app).settings.system_prompt == ""


def test_ctrl_n_starts_from_the_default_assistant(app_factory: AppFactory) -> None:
    app = start(app_factory)
    translator = assistant_id(app, "translator")
    app.services.conversations.assistants.set_default(translator)
    earlier = app.window.conversation_id
    app.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    app.wait(lambda: app.window.conversation_id != earlier, "a new conversation")
    conversation = current(app)
    assert conversation.assistant_id == translator
    assert "translator" in conversation.settings.system_prompt
    assert menu_action(app, "Translator (Chinese ↔ English) (Ctrl+N)")


def test_editing_an_assistant_in_settings_leaves_old_conversations_alone(
    app_factory: AppFactory,
) -> None:
    app = start(app_factory)
    old = from_menu(app, "Writing editor")

    menu_action(app, "Manage assistants…").trigger()
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    page = dialog.pages.currentWidget()
    assert isinstance(page, AssistantsPage)
    assert page.name.text() == "Writing editor"
    page.name.setText("Terse editor")
    page.params.system_prompt.setPlainText("Edit tersely.")
    page.is_default.setChecked(True)
    page.save_button.click()
    dialog.reject()
    edited = app.store.assistants.get(old.assistant_id or 0)
    assert (edited.name, edited.system_prompt, edited.is_default) == (
        "Terse editor",
        "Edit tersely.",
        True,
    )
    # The conversation started from it keeps what it started with.
    assert app.store.conversations.get(old.id).settings == old.settings

    # A message makes the old one non-empty; the next new chat uses the edited assistant.
    app.type_and_send("Please edit this")
    app.wait(lambda: app.store.conversations.get(old.id).current_leaf_id is not None, "sent")
    app.window.new_conversation()  # what Ctrl+N does (the window lost its activation)
    app.wait(lambda: app.window.conversation_id != old.id, "a new conversation")
    new = current(app)
    assert new.settings.system_prompt == "Edit tersely."


def test_a_removed_assistant_leaves_its_conversations_as_they_are(
    app_factory: AppFactory,
) -> None:
    app = start(app_factory)
    conversation = from_menu(app, "Code reviewer")
    app.window.open_settings("assistants")
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    page = dialog.pages.currentWidget()
    assert isinstance(page, AssistantsPage)
    page.list.setCurrentRow(
        next(
            row
            for row in range(page.list.count())
            if (item := page.list.item(row)) is not None and item.text() == "Code reviewer"
        )
    )
    confirm_remove(page)
    dialog.reject()
    assert all(a.builtin != "code-reviewer" for a in app.store.assistants.all())
    kept = app.store.conversations.get(conversation.id)
    assert kept.settings == conversation.settings


def test_slash_opens_the_prompts_and_tab_walks_the_placeholders(app_factory: AppFactory) -> None:
    app = start(
        app_factory,
        {
            "Summarise": "Summarise {{text}} in {{count}} bullet points.",
            "Translate": "Translate into English: {{text}}",
        },
    )
    completion = app.window.prompt_completion
    edit = app.window.composer.edit
    edit.setFocus()
    QTest.keyClicks(edit, "/")
    app.wait(completion.is_open, "the prompt list")
    assert [completion.list.item(r).text() for r in range(completion.list.count())] == [
        "Summarise",
        "Translate",
    ]
    QTest.keyClicks(edit, "sum")
    assert completion.list.count() == 1
    # Escape closes the list and leaves the text (and stops nothing).
    QTest.keyClick(edit, Qt.Key.Key_Escape)
    assert not completion.is_open()
    assert edit.toPlainText() == "/sum"
    QTest.keyClicks(edit, "m")
    app.wait(completion.is_open, "the list again")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert not completion.is_open()
    assert edit.textCursor().selectedText() == "{{text}}"
    QTest.keyClicks(edit, "the report")
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.textCursor().selectedText() == "{{count}}"
    QTest.keyClicks(edit, "3")
    assert edit.toPlainText() == "Summarise the report in 3 bullet points."
    # With every placeholder filled, Tab leaves the editor as usual.
    assert not completion.filling()
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert not edit.hasFocus()


def test_slash_later_in_a_message_is_just_a_slash(app_factory: AppFactory) -> None:
    app = start(app_factory, {"Summarise": "Summarise {{text}}"})
    edit = app.window.composer.edit
    edit.setFocus()
    QTest.keyClicks(edit, "a/b")
    assert not app.window.prompt_completion.is_open()


def test_prompts_page_exports_imports_and_refuses_a_bad_file(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = start(app_factory, {"Summarise": "Summarise {{text}}"})
    app.window.open_settings("prompts")
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    page = dialog.pages.currentWidget()
    assert isinstance(page, PromptsPage)
    assert page.name.text() == "Summarise"
    page.body.setPlainText("Summarise {{text}} briefly")
    page.save_button.click()
    assert app.store.prompts.all()[0].body == "Summarise {{text}} briefly"

    path = tmp_path / "prompts.json"
    page.export_to(str(path))
    assert json.loads(path.read_text("utf-8"))["prompts"][0]["name"] == "Summarise"
    confirm_remove(page)
    assert app.store.prompts.all() == []
    page.import_from(str(path))
    assert [p.name for p in app.store.prompts.all()] == ["Summarise"]
    assert page.status.text() == "1 prompts added"

    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    failures: list[str] = []
    app.services.conversations.failed.connect(failures.append)
    page.import_from(str(bad))
    assert failures
    assert "not valid JSON" in failures[0]
    assert [p.name for p in app.store.prompts.all()] == ["Summarise"]
    dialog.reject()
