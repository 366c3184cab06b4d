"""Switching between English and 简体中文 in Settings rebuilds the window, without a restart.

The session keeps its services; the new window opens where the old one was, on the same
conversation, and the old one is deleted with every connection it had to the services.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import SIGNAL, QObject
from PySide6.QtGui import QFontDatabase
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from longcat_desktop.session import AppSession
from longcat_desktop.store import Store
from longcat_desktop.store import settings as options
from longcat_desktop.ui.main_window import MainWindow
from longcat_desktop.ui.settings_dialog import SettingsDialog
from tests.qt_async import run, until


@dataclass
class Running:
    session: AppSession
    store: Store
    loop: asyncio.AbstractEventLoop
    errors: list[BaseException]

    @property
    def window(self) -> MainWindow:
        return self.session.window

    def wait(self, condition: object, what: str, timeout: float = 10) -> None:
        run(self.loop, until(condition, timeout=timeout, what=what), timeout + 5)  # type: ignore[arg-type]


@pytest.fixture
def running(tmp_path: Path, qloop: asyncio.AbstractEventLoop, qtbot: QtBot) -> Iterator[Running]:
    # The system font, as at a real start: a larger app font an earlier test's theme left
    # would leave the sidebar's New chat button no room for its label.
    QApplication.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    store = Store.open(tmp_path)
    errors: list[BaseException] = []
    # No key: nothing is fetched from the network, the welcome page shows.
    session = AppSession(store, tmp_path, errors.append, environ={})
    app = Running(session, store, qloop, errors)
    session.start()
    app.wait(lambda: session.services.credentials.loaded, "the key lookup")
    app.wait(lambda: session.window.conversation_id is not None, "a conversation to open")
    try:
        yield app
    finally:
        app.window.close()
        run(qloop, session.aclose())
        app.window.deleteLater()
        store.close()
        QApplication.processEvents()
        assert not errors, errors


def _button_texts(window: MainWindow) -> set[str]:
    return {button.text() for button in window.findChildren(QPushButton)}


def _receivers(running: Running) -> dict[str, int]:
    """How many slots listen to each service signal the window uses."""
    services = running.session.services
    signals: list[tuple[QObject, str]] = [
        (services.conversations, "listChanged()"),
        (services.conversations, "threadChanged(int)"),
        (services.chat, "answerDelta(int,int)"),
        (services.chat, "answerUpdated(int,int)"),
        (services.chat, "streamingChanged(int,bool)"),
        (services.credentials, "keyStateChanged()"),
        (services.models, "modelsChanged(QString)"),
        (services.settings, "changed(QVariantList)"),
    ]
    counts = {}
    for owner, signature in signals:
        index = owner.metaObject().indexOfSignal(signature)
        if index >= 0:
            counts[signature] = owner.receivers(SIGNAL(signature))
    assert len(counts) >= 6, f"signals renamed? found only {sorted(counts)}"
    return counts


def _set_language(running: Running, language: str) -> None:
    running.session.services.settings.update({options.LANGUAGE.key: language})


def test_choosing_chinese_rebuilds_the_window_in_chinese(running: Running) -> None:
    conversation = running.session.services.conversations.create()
    assert conversation is not None
    running.store.messages.add_user_message(conversation.id, None, "你好 LongCat")
    running.window.open_conversation(conversation.id)
    QTest.keyClicks(running.window.composer.edit, "an unsent draft")
    running.window.resize(760, 520)  # inside the offscreen screen (800x600)
    before = _receivers(running)
    old = running.window
    assert "New chat" in _button_texts(old)
    deleted: list[bool] = []
    old.destroyed.connect(lambda: deleted.append(True))

    _set_language(running, "zh_CN")
    running.wait(lambda: running.window is not old, "the new window")
    window = running.window
    running.wait(lambda: window.conversation_id == conversation.id, "the conversation")
    running.wait(lambda: bool(deleted), "the old window to be deleted")

    assert running.session.translations.language == "zh_CN"
    assert "新建会话" in _button_texts(window)
    assert window.isVisible()
    assert window.size().width() == 760
    assert window.size().height() == 520
    assert window.composer.text() == "an unsent draft"
    # Exactly the old window's connections went with it; nothing stale is left to fire.
    assert _receivers(running) == before
    services = running.session.services
    services.conversations.listChanged.emit()
    services.credentials.keyStateChanged.emit()
    services.settings.changed.emit([options.THEME.key])
    services.chat.streamingChanged.emit(conversation.id, False)
    QApplication.processEvents()

    _set_language(running, "en")
    running.wait(lambda: running.window is not window, "the English window")
    assert "New chat" in _button_texts(running.window)
    assert running.session.translations.language == "en"


def test_the_same_language_again_keeps_the_window(running: Running) -> None:
    window = running.window
    english_already = running.session.translations.language == "en"
    _set_language(running, "en" if english_already else "zh_CN")
    running.wait(lambda: not running.session._switch_pending, "the switch to run")
    assert running.window is window
    assert running.session.switch_language() is False


def test_apply_in_settings_switches_and_reopens_the_dialog(running: Running) -> None:
    old = running.window
    old.open_settings()
    dialog = old.findChild(SettingsDialog)
    assert dialog is not None
    dialog.nav.setCurrentRow(3)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()

    running.wait(lambda: running.window is not old, "the new window")
    window = running.window
    running.wait(lambda: window.findChild(SettingsDialog) is not None, "the settings again")
    reopened = window.findChild(SettingsDialog)
    assert reopened is not None
    running.wait(reopened.isVisible, "the dialog to show")
    assert reopened.windowTitle() == "设置"
    assert reopened.nav.currentRow() == 3
    assert reopened.language_combo.currentData() == "zh_CN"
    assert running.session.services.settings.get(options.LANGUAGE) == "zh_CN"
    reopened.reject()


def test_the_window_close_still_reaches_the_app_after_a_switch(running: Running) -> None:
    closed: list[bool] = []
    running.session.on_window_closed(lambda: closed.append(True))
    old = running.window
    _set_language(running, "zh_CN")
    running.wait(lambda: running.window is not old, "the new window")
    assert closed == []  # replacing the window is not closing the app
    running.window.close()
    assert closed == [True]
