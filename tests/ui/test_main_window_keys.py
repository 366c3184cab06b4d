"""Keyboard shortcuts, links, the model picker's notes, the status bar, and the API key that
must never reach a file."""

from __future__ import annotations

import json
import socket

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.services import options
from longcat_desktop.store.secrets import SERVICE_NAME, USERNAME
from longcat_desktop.store.settings import SETTINGS_NAME
from longcat_desktop.ui.settings_dialog import SettingsDialog
from tests.fakes.longcat_server import Scenario
from tests.fakes.memory_keyring import MemoryKeyring
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window import ANSWER, last_answer, shown_text, thread, widget


def answered(app: RunningApp, question: str, answer: str = ANSWER) -> MessageId:
    app.server.push(Scenario(text=answer))
    app.type_and_send(question)
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "the answer")
    app.wait(
        lambda: not widget(app, mid).view.is_streaming and shown_text(app, mid), "the answer shown"
    )
    return mid


# -- shortcuts --------------------------------------------------------------------------------


def test_up_in_an_empty_composer_edits_the_last_message(running_app: RunningApp) -> None:
    app = running_app
    answered(app, "First question")
    answered(app, "Second question")
    edit = app.window.composer.edit
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_Up)
    last_user = thread(app)[-2]
    assert last_user.text == "Second question"
    editing = widget(app, last_user.id)
    assert editing.is_editing()
    assert editing.editor.text() == "Second question"
    # Escape cancels the edit without sending anything.
    requests = len(app.server.chat_requests)
    QTest.keyClick(editing.editor.text_edit, Qt.Key.Key_Escape)
    assert not editing.is_editing()
    assert len(app.server.chat_requests) == requests


def test_up_in_a_composer_with_text_moves_the_cursor_only(running_app: RunningApp) -> None:
    app = running_app
    answered(app, "Question")
    edit = app.window.composer.edit
    QTest.keyClicks(edit, "not empty")
    QTest.keyClick(edit, Qt.Key.Key_Up)
    assert not widget(app, thread(app)[0].id).is_editing()


def test_ctrl_shift_c_copies_the_last_answer(running_app: RunningApp) -> None:
    app = running_app
    answered(app, "Question", "The *answer* to copy.")
    QGuiApplication.clipboard().setText("something else")
    app.key(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "The *answer* to copy."


def test_ctrl_n_starts_a_new_chat_once(running_app: RunningApp) -> None:
    app = running_app
    answered(app, "Question")
    before = app.window.conversation_id
    app.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    created = app.window.conversation_id
    assert created != before
    assert thread(app) == []
    assert app.window.chat_view.message_ids() == []
    assert QApplication.focusWidget() is app.window.composer.edit
    # An untouched new chat is reused.
    app.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert app.window.conversation_id == created
    assert len(app.services.conversations.summaries()) == 2


def test_ctrl_k_focuses_search_and_ctrl_l_the_composer(running_app: RunningApp) -> None:
    app = running_app
    window = app.window
    window.activateWindow()
    app.key(Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.sidebar.search_field
    app.key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.composer.edit


def test_ctrl_comma_opens_the_settings(running_app: RunningApp) -> None:
    app = running_app
    app.key(Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = app.window.settings_flow.dialog
    assert isinstance(dialog, SettingsDialog)
    assert dialog.isVisible()
    dialog.reject()


def test_the_composer_has_the_focus_at_start(running_app: RunningApp) -> None:
    running_app.window.activateWindow()
    running_app.wait(
        lambda: QApplication.focusWidget() is running_app.window.composer.edit, "the focus"
    )


def test_shift_enter_adds_a_line_and_enter_sends(running_app: RunningApp) -> None:
    app = running_app
    edit = app.window.composer.edit
    QTest.keyClicks(edit, "line one")
    QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(edit, "line two")
    assert app.window.composer.text() == "line one\nline two"
    assert thread(app) == []
    QTest.keyClick(edit, Qt.Key.Key_Return)
    app.wait(lambda: len(thread(app)) == 2, "the message and its answer")
    assert thread(app)[0].text == "line one\nline two"
    app.wait(lambda: last_answer(app).status is MessageStatus.COMPLETE, "the answer")


# -- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://longcat.chat/platform", True),
        ("http://example.com/a?b=c", True),
        ("mailto:someone@example.com", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("longcat-desktop://settings", False),
        ("ftp://example.com/file", False),
    ],
)
def test_only_web_and_mail_links_open(
    running_app: RunningApp, monkeypatch: pytest.MonkeyPatch, url: str, opened: bool
) -> None:
    app = running_app
    mid = answered(app, "Links please", f"See [the link]({url}).")
    calls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda target: calls.append(target.toString()))
    widget(app, mid).body_view.linkActivated.emit(QUrl(url))
    assert calls == ([QUrl(url).toString()] if opened else [])


def test_a_mail_link_opens_without_its_query(
    running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = running_app
    url = "mailto:someone@example.com?attach=/home/me/.ssh/id_rsa&body=hi#top"
    mid = answered(app, "Mail link please", f"Write to [us]({url}).")
    calls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda target: calls.append(target.toString()))
    widget(app, mid).body_view.linkActivated.emit(QUrl(url))
    assert calls == ["mailto:someone@example.com"]


# -- models -----------------------------------------------------------------------------------


def test_a_default_model_the_server_lacks_is_replaced_and_the_picker_says_so(
    app_factory: AppFactory,
) -> None:
    app_factory.server.models = ["LongCat-Flash-Chat", "LongCat-Flash-Thinking"]
    app = app_factory()
    picker = app.window.model_picker
    app.wait(lambda: picker.current_model() == "LongCat-Flash-Chat", "the first listed model")
    assert "LongCat-2.0" in picker.note()
    cid = app.window.conversation_id
    assert cid is not None
    assert app.store.conversations.get(cid).settings.model == "LongCat-Flash-Chat"
    answered(app, "Which model?")
    assert app.server.chat_requests[-1].json["model"] == "LongCat-Flash-Chat"


def test_an_old_default_model_gives_way_to_longcat_2_0_when_it_is_listed(
    app_factory: AppFactory,
) -> None:
    # A settings file written when LongCat-2.0-Preview was the default still names it.
    app_factory.server.models = ["LongCat-2.5-Preview", "LongCat-2.0"]
    data_dir = app_factory.tmp_path / "data"
    data_dir.mkdir()
    (data_dir / SETTINGS_NAME).write_text(
        json.dumps({"version": 1, "values": {"default_model": "LongCat-2.0-Preview"}}),
        encoding="utf-8",
    )
    app = app_factory(data_dir=data_dir)
    picker = app.window.model_picker
    app.wait(lambda: picker.current_model() == "LongCat-2.0", "LongCat-2.0 chosen")
    assert "LongCat-2.0-Preview" in picker.note()
    cid = app.window.conversation_id
    assert cid is not None
    assert app.store.conversations.get(cid).settings.model == "LongCat-2.0"


def test_when_the_model_list_fails_the_picker_says_it_shows_the_fallback(
    app_factory: AppFactory,
) -> None:
    app_factory.server.push_models(Scenario.http_error(403, "Listing models is not allowed"))
    app = app_factory()
    picker = app.window.model_picker
    app.wait(lambda: "could not be fetched" in picker.note(), "the fallback note")
    assert "Listing models is not allowed" in picker.note()
    assert picker.current_model() == "LongCat-2.0"
    assert [picker.combo.itemText(i) for i in range(picker.combo.count())] == [
        "LongCat-2.0",
        "LongCat-2.5-Preview",
    ]


def test_choosing_a_model_is_kept_for_the_conversation(app_factory: AppFactory) -> None:
    app_factory.server.models = ["LongCat-2.0-Preview", "LongCat-Flash-Chat"]
    app = app_factory()
    combo = app.window.model_picker.combo
    # The built-in list also has two entries: wait for the server's own.
    app.wait(lambda: combo.findText("LongCat-Flash-Chat") >= 0, "the server's list")
    combo.activated.emit(combo.findText("LongCat-Flash-Chat"))
    cid = app.window.conversation_id
    assert cid is not None
    assert app.store.conversations.get(cid).settings.model == "LongCat-Flash-Chat"
    answered(app, "Hi")
    assert app.server.chat_requests[-1].json["model"] == "LongCat-Flash-Chat"


# -- status bar -------------------------------------------------------------------------------


def test_the_status_bar_shows_the_connection_and_the_last_answer(running_app: RunningApp) -> None:
    app = running_app
    window = app.window
    app.wait(lambda: "Connected" in window.connection_status(), "the connection state")
    answered(app, "Question")
    assert "tokens/s" in window.status_presenter.stats.text()


def test_the_status_bar_says_when_the_server_cannot_be_reached(app_factory: AppFactory) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there any more.
    app = app_factory(base_url=f"http://127.0.0.1:{port}")
    app.wait(lambda: "Cannot reach" in app.window.connection_status(), "the offline state")
    assert "127.0.0.1" in app.window.connection_status()
    assert "could not be fetched" in app.window.model_picker.note()


# -- the key ----------------------------------------------------------------------------------


def test_the_api_key_never_reaches_a_file_of_the_data_folder(
    app_factory: AppFactory, memory_keyring: MemoryKeyring
) -> None:
    secret = "lc-SECRET-7f3a9c1e5b2d4e6f8a0b"
    app_factory.server.api_key = secret
    app = app_factory(with_key=False)
    QTest.keyClicks(app.window.welcome.key_edit, secret)
    QTest.keyClick(app.window.welcome.key_edit, Qt.Key.Key_Return)
    app.wait(lambda: memory_keyring.passwords.get((SERVICE_NAME, USERNAME)) == secret, "saved")
    app.wait(lambda: app.window.main_stack.currentWidget() is app.window.chat_page, "the chat")
    answered(app, f"Do not repeat {secret[:6]}")
    # The settings dialog, the connection test and a restart: all places a key could leak.
    app.key(Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    QTest.keyClicks(dialog.key_edit, secret)
    QTest.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    app.wait(lambda: dialog.test_result.isVisibleTo(dialog), "the connection test")
    assert "Connected" in dialog.test_result.text()
    assert "LongCat-2.0" in dialog.test_result.text()
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.key_edit.text() == ""
    app.wait(lambda: not dialog.isVisible(), "the dialog to close")
    app = app_factory.restart(app)
    answered(app, "Again")
    app.close()

    files = [path for path in app.data_dir.rglob("*") if path.is_file()]
    assert any(path.suffix in (".sqlite3", ".db", ".sqlite") for path in files) or files
    needle = secret.encode()
    for path in files:
        data = path.read_bytes()
        assert needle not in data, f"the key is in {path}"
        assert secret.encode("utf-16-le") not in data, f"the key is in {path}"


def test_a_refused_address_in_settings_keeps_every_other_change(running_app: RunningApp) -> None:
    """A mistyped API address is named and refused; the theme chosen with it still applies."""
    from dataclasses import replace

    app = running_app
    window = app.window
    window.open_settings()
    dialog = window.settings_flow.dialog
    assert dialog is not None
    values = replace(dialog.values(), base_url="api.example.com", theme="dark")
    dialog.settingsApplied.emit(values)
    dialog.reject()
    assert str(app.services.settings.get(options.THEME)) == "dark"
    assert str(app.services.settings.get(options.BASE_URL)) != "api.example.com"
    app.wait(
        lambda: "The API address was not changed" in " ".join(window.notices.notices()),
        "the refused field named",
    )
