from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from longcat_desktop.ui.composer import Composer


def make(qtbot: QtBot) -> Composer:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.resize(600, 100)
    composer.show()
    return composer


def test_enter_asks_to_send_and_the_text_stays_until_it_was_stored(qtbot: QtBot) -> None:
    composer = make(qtbot)
    drafts: list[str] = []
    composer.draftChanged.connect(drafts.append)
    QTest.keyClicks(composer.edit, "hello")
    with qtbot.waitSignal(composer.sendRequested) as blocker:
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    assert blocker.args == ["hello"]
    # Nobody said the message was stored: it stays, and so does its draft.
    assert composer.text() == "hello"
    assert "" not in drafts
    composer.message_sent()
    assert composer.text() == ""
    assert drafts[-1] == ""
    assert not composer.send_button.isEnabled()


def test_blank_text_is_not_sent(qtbot: QtBot) -> None:
    composer = make(qtbot)
    QTest.keyClicks(composer.edit, "   ")
    with qtbot.assertNotEmitted(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)


def test_shift_enter_adds_a_real_newline(qtbot: QtBot) -> None:
    composer = make(qtbot)
    QTest.keyClicks(composer.edit, "a")
    with qtbot.assertNotEmitted(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(composer.edit, "b")
    assert composer.text() == "a\nb"


def test_enter_during_ime_preedit_does_not_send(qtbot: QtBot) -> None:
    from PySide6.QtGui import QInputMethodEvent

    composer = make(qtbot)
    composer.edit.inputMethodEvent(QInputMethodEvent("ni", []))
    assert composer.edit.is_composing()
    with qtbot.assertNotEmitted(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    commit = QInputMethodEvent("", [])
    commit.setCommitString("你")
    composer.edit.inputMethodEvent(commit)
    assert not composer.edit.is_composing()
    with qtbot.waitSignal(composer.sendRequested) as blocker:
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    assert blocker.args == ["你"]


def test_up_in_empty_composer_asks_to_edit_last(qtbot: QtBot) -> None:
    composer = make(qtbot)
    with qtbot.waitSignal(composer.editLastRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Up)
    QTest.keyClicks(composer.edit, "x")
    with qtbot.assertNotEmitted(composer.editLastRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Up)


def test_send_becomes_stop_while_streaming(qtbot: QtBot) -> None:
    composer = make(qtbot)
    QTest.keyClicks(composer.edit, "next question")
    composer.set_streaming(True)
    assert composer.send_button.isEnabled()
    assert composer.send_button.accessibleName() == "Stop"
    with qtbot.assertNotEmitted(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(composer.stopRequested):
        QTest.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    composer.set_streaming(False)
    assert composer.send_button.accessibleName() == "Send"
    with qtbot.waitSignal(composer.sendRequested):
        QTest.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)


def test_draft_changes_are_debounced(qtbot: QtBot) -> None:
    composer = make(qtbot)
    seen: list[str] = []
    composer.draftChanged.connect(seen.append)
    QTest.keyClicks(composer.edit, "abc")
    assert seen == []  # not once per keystroke
    with qtbot.waitSignal(composer.draftChanged) as blocker:
        pass
    assert blocker.args == ["abc"]
    assert seen == ["abc"]


def test_set_draft_is_silent_and_flushes_the_pending_draft(qtbot: QtBot) -> None:
    composer = make(qtbot)
    seen: list[str] = []
    composer.draftChanged.connect(seen.append)
    QTest.keyClicks(composer.edit, "old chat")
    composer.set_draft("other chat's draft")
    assert seen == ["old chat"]
    assert composer.text() == "other chat's draft"
    assert not composer._draft_timer.isActive()  # nothing pending for the new text


def test_disabled_with_reason(qtbot: QtBot) -> None:
    composer = make(qtbot)
    composer.set_disabled_reason("Add an API key first")
    assert not composer.edit.isEnabled()
    assert composer.edit.placeholderText() == "Add an API key first"
    assert not composer.send_button.isEnabled()
    composer.set_disabled_reason(None)
    assert composer.edit.isEnabled()


def test_grows_with_text_up_to_a_limit(qtbot: QtBot) -> None:
    composer = make(qtbot)
    one_line = composer.edit.height()
    composer.set_draft("\n".join("line" for _ in range(4)))
    qtbot.waitUntil(lambda: composer.edit.height() > one_line)
    four_lines = composer.edit.height()
    composer.set_draft("\n".join("line" for _ in range(40)))
    qtbot.waitUntil(lambda: composer.edit.height() > four_lines)
    tall = composer.edit.height()
    assert tall <= 11 * composer.edit.line_height() + 20
    composer.set_draft("")
    qtbot.waitUntil(lambda: composer.edit.height() == one_line)


# -- the send key -------------------------------------------------------------------------------


def test_with_ctrl_enter_chosen_enter_adds_a_line_and_ctrl_enter_sends(qtbot: QtBot) -> None:
    composer = make(qtbot)
    composer.set_ctrl_enter_sends(True)
    QTest.keyClicks(composer.edit, "    def f():")
    with qtbot.assertNotEmitted(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
        QTest.keyClick(composer.edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    QTest.keyClicks(composer.edit, "return 1")
    assert composer.text() == "    def f():\n\nreturn 1"
    with qtbot.waitSignal(composer.sendRequested) as blocker:
        QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["    def f():\n\nreturn 1"]


def test_the_hints_say_which_key_sends_and_follow_a_change(qtbot: QtBot) -> None:
    composer = make(qtbot)
    QTest.keyClicks(composer.edit, "x")
    assert "Enter to send" in composer.edit.placeholderText()
    assert "Ctrl" not in composer.edit.placeholderText()
    assert composer.send_button.toolTip() == "Send (Enter)"
    composer.set_ctrl_enter_sends(True)
    assert "Ctrl+Enter to send" in composer.edit.placeholderText()
    assert composer.send_button.toolTip() == "Send (Ctrl+Enter)"
    composer.set_ctrl_enter_sends(False)
    assert "Ctrl" not in composer.edit.placeholderText()
    with qtbot.waitSignal(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)


def test_a_disabled_reason_keeps_its_place_when_the_send_key_changes(qtbot: QtBot) -> None:
    composer = make(qtbot)
    composer.set_disabled_reason("Add an API key in Settings")
    composer.set_ctrl_enter_sends(True)
    assert composer.edit.placeholderText() == "Add an API key in Settings"
    composer.set_disabled_reason(None)
    assert "Ctrl+Enter to send" in composer.edit.placeholderText()


def test_enter_sends_with_either_enter_key_and_ctrl_enter_too(qtbot: QtBot) -> None:
    composer = make(qtbot)
    QTest.keyClicks(composer.edit, "a")
    with qtbot.waitSignal(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    with qtbot.waitSignal(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with qtbot.assertNotEmitted(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    assert composer.text() == "a"


def test_no_enter_sends_during_ime_composition_whichever_key_sends(qtbot: QtBot) -> None:
    from PySide6.QtGui import QInputMethodEvent

    composer = make(qtbot)
    composer.set_ctrl_enter_sends(True)
    QTest.keyClicks(composer.edit, "hi ")
    composer.edit.inputMethodEvent(QInputMethodEvent("ni", []))
    with qtbot.assertNotEmitted(composer.sendRequested):
        QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    commit = QInputMethodEvent("", [])
    commit.setCommitString("你")
    composer.edit.inputMethodEvent(commit)
    # The input method's Enter neither sent nor broke the line.
    assert composer.text() == "hi 你"
    with qtbot.waitSignal(composer.sendRequested) as blocker:
        QTest.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["hi 你"]
