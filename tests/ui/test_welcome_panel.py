from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from longcat_desktop.ui.welcome_panel import PLATFORM_URL, WelcomePanel


def make(qtbot: QtBot) -> WelcomePanel:
    panel = WelcomePanel()
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_explains_where_to_get_a_key(qtbot: QtBot) -> None:
    panel = make(qtbot)
    assert PLATFORM_URL in panel.intro.text()
    assert panel.intro.openExternalLinks()


def test_key_is_masked_and_can_be_shown(qtbot: QtBot) -> None:
    panel = make(qtbot)
    assert not panel.key_edit.is_revealed()
    panel.key_edit.toggle_action.trigger()
    assert panel.key_edit.is_revealed()


def test_submit_emits_and_forgets_the_key(qtbot: QtBot) -> None:
    panel = make(qtbot)
    assert not panel.save_button.isEnabled()
    QTest.keyClicks(panel.key_edit, "  ak-secret ")
    assert panel.save_button.isEnabled()
    with qtbot.waitSignal(panel.keySubmitted) as blocker:
        QTest.keyClick(panel.key_edit, Qt.Key.Key_Return)
    assert blocker.args == ["ak-secret"]
    assert panel.key_edit.text() == ""


def test_busy_and_error(qtbot: QtBot) -> None:
    panel = make(qtbot)
    panel.set_busy(True)
    assert not panel.key_edit.isEnabled()
    assert not panel.save_button.isEnabled()
    panel.set_busy(False)
    panel.set_error("Invalid API key (HTTP 401)")
    assert not panel.error_label.isHidden()
    assert panel.error_label.text() == "Invalid API key (HTTP 401)"
    panel.set_error("")
    assert panel.error_label.isHidden()
