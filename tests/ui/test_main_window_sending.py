"""Sending from the composer: which key sends, and nothing typed is lost when the store refuses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from longcat_desktop.services import options
from longcat_desktop.store.errors import DiskFullError
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window import thread, widget


def refuse_new_messages(app: RunningApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk is full for new messages until `monkeypatch.undo()`."""

    def disk_full(*_args: object) -> None:
        raise DiskFullError()

    monkeypatch.setattr(app.store.messages, "add_user_message", disk_full)


def test_a_message_whose_answer_cannot_be_started_is_not_stored_twice(
    running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The question is written, then the disk refuses its answer's row: the question is taken
    back, the text stays in the composer, and Enter later sends it exactly once."""
    app = running_app
    composer = app.window.composer

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise DiskFullError()

    monkeypatch.setattr(app.store.messages, "start_assistant_message", disk_full)
    app.type_and_send("Only once, please")
    app.wait(lambda: app.window.notices.notices(), "the failure shown")
    assert composer.text() == "Only once, please"
    assert thread(app) == []
    monkeypatch.undo()
    QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    app.wait(lambda: len(thread(app)) == 2, "the message and its answer")
    assert thread(app)[0].text == "Only once, please"
    assert composer.text() == ""


def test_a_message_the_store_refuses_stays_in_the_composer_and_its_draft(
    running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = running_app
    cid = app.window.conversation_id
    assert cid is not None
    composer = app.window.composer
    refuse_new_messages(app, monkeypatch)
    app.type_and_send("    def keep_me():")
    assert composer.text() == "    def keep_me():"
    app.wait(lambda: app.window.notices.notices(), "the failure shown")
    assert thread(app) == []
    assert not composer.is_streaming()
    app.wait(
        lambda: app.store.conversations.get(cid).draft == "    def keep_me():", "the draft saved"
    )

    # The disk has room again: the same Enter sends what was kept.
    monkeypatch.undo()
    QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    app.wait(lambda: len(thread(app)) == 2, "the message and its answer")
    assert thread(app)[0].text == "    def keep_me():"
    assert composer.text() == ""
    assert app.store.conversations.get(cid).draft == ""


def test_ctrl_enter_chosen_in_settings_applies_at_once_and_after_a_restart(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    composer = app.window.composer
    assert not composer.ctrl_enter_sends()
    app.key(Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    combo = dialog.send_key_combo
    assert combo.currentData() == "enter"
    combo.setCurrentIndex(combo.findData("ctrl_enter"))
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton
    )
    assert composer.ctrl_enter_sends()
    assert "Ctrl+Enter to send" in composer.edit.placeholderText()
    assert "Ctrl+Enter sends" in app.window.chat_view.empty_state.hint.text()
    dialog.reject()

    edit = composer.edit
    edit.setFocus()
    QTest.keyClicks(edit, "line one")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    QTest.keyClicks(edit, "line two")
    assert composer.text() == "line one\nline two"
    assert thread(app) == []
    QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.wait(lambda: len(thread(app)) == 2, "the message and its answer")
    assert thread(app)[0].text == "line one\nline two"
    assert composer.text() == ""

    app = app_factory.restart(app)
    assert str(app.services.settings.get(options.SEND_KEY)) == "ctrl_enter"
    assert app.window.composer.ctrl_enter_sends()
    app.key(Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    assert dialog.send_key_combo.currentData() == "ctrl_enter"
    dialog.reject()


def test_an_edit_the_store_refuses_goes_back_into_the_editor(
    running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = running_app
    app.type_and_send("Original question")
    app.wait(lambda: len(thread(app)) == 2, "the first answer")
    user = thread(app)[0]
    message = widget(app, user.id)
    QTest.mouseClick(message.edit_button, Qt.MouseButton.LeftButton)
    refuse_new_messages(app, monkeypatch)
    editor = message.editor
    editor.text_edit.selectAll()
    QTest.keyClicks(editor.text_edit, "A much better question")
    QTest.keyClick(editor.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert message.is_editing()
    assert editor.text() == "A much better question"
    assert thread(app)[0].id == user.id

    monkeypatch.undo()
    QTest.keyClick(editor.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.wait(lambda: thread(app)[0].text == "A much better question", "the edited question")


def test_with_no_conversation_left_a_refused_message_stays_too(
    running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = running_app
    cid = app.window.conversation_id
    assert cid is not None
    app.services.conversations.delete(cid)
    app.wait(lambda: app.window.conversation_id is None, "no conversation open")
    refuse_new_messages(app, monkeypatch)
    app.type_and_send("First words")
    assert app.window.conversation_id is not None
    assert app.window.composer.text() == "First words"


def test_a_sent_message_is_shown_exactly_as_typed(running_app: RunningApp) -> None:
    """Pasted code keeps its indentation on screen, and Markdown marks stay as typed."""
    app = running_app
    typed = "def f(x):\n    if x:\n        return **1**\n\n# not a heading"
    app.window.composer.set_draft(typed)
    QTest.keyClick(app.window.composer.edit, Qt.Key.Key_Return)
    app.wait(lambda: len(thread(app)) == 2, "the message and its answer")
    question = thread(app)[0]
    assert question.text == typed
    app.wait(lambda: app.window.chat_view.message_widget(question.id) is not None, "shown")
    assert widget(app, question.id).body_view.document().toPlainText() == typed
