from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId as MID
from longcat_desktop.ui.message_view import MessageView, Usage
from longcat_desktop.ui.message_widget import MessageWidget


def doc(text: str = "") -> QTextDocument:
    document = QTextDocument()
    document.setPlainText(text)
    return document


def make(
    qtbot: QtBot,
    view: MessageView,
    body: QTextDocument | None = None,
    reasoning: QTextDocument | None = None,
) -> MessageWidget:
    widget = MessageWidget(view, body if body is not None else doc("Hello"), reasoning)
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    return widget


ASSISTANT = MessageView(id=MID(7), role=Role.ASSISTANT, model="LongCat-Flash-Chat")
USER = MessageView(id=MID(6), role=Role.USER)


def test_actions_emit_with_the_message_id(qtbot: QtBot) -> None:
    widget = make(qtbot, ASSISTANT)
    for button, signal in (
        (widget.copy_button, widget.copyRequested),
        (widget.regenerate_button, widget.regenerateRequested),
        (widget.delete_button, widget.deleteRequested),
    ):
        with qtbot.waitSignal(signal) as blocker:
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        assert blocker.args == [7]


def test_user_messages_offer_edit_not_regenerate(qtbot: QtBot) -> None:
    widget = make(qtbot, USER)
    assert not widget.edit_button.isHidden()
    assert widget.regenerate_button.isHidden()
    with qtbot.waitSignal(widget.editRequested) as blocker:
        QTest.mouseClick(widget.edit_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [6]


def test_branch_switcher(qtbot: QtBot) -> None:
    widget = make(qtbot, replace(ASSISTANT, sibling_index=1, sibling_count=3))
    assert not widget.switcher.isHidden()
    assert widget.switcher_label.text() == "2/3"
    with qtbot.waitSignal(widget.branchRequested) as blocker:
        QTest.mouseClick(widget.previous_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [7, -1]
    with qtbot.waitSignal(widget.branchRequested) as blocker:
        QTest.mouseClick(widget.next_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [7, 1]
    widget.update_view(replace(ASSISTANT, sibling_index=2, sibling_count=3))
    assert widget.switcher_label.text() == "3/3"
    assert not widget.next_button.isEnabled()
    widget.update_view(ASSISTANT)
    assert widget.switcher.isHidden()


def _visible_actions(widget: MessageWidget) -> set[str]:
    line = widget.status_line
    buttons = {
        "retry": line.retry_button,
        "continue": line.continue_button,
        "settings": line.settings_button,
    }
    return {name for name, button in buttons.items() if not button.isHidden()}


@pytest.mark.parametrize(
    ("view", "actions"),
    [
        (
            replace(
                ASSISTANT, status=MessageStatus.ERROR, error_kind="auth", error_message="bad key"
            ),
            {"settings"},
        ),
        (
            replace(
                ASSISTANT, status=MessageStatus.ERROR, error_kind="rate_limit", error_message="slow"
            ),
            {"retry"},
        ),
        (
            replace(
                ASSISTANT, status=MessageStatus.ERROR, error_kind="server", error_message="boom"
            ),
            {"retry"},
        ),
        (replace(ASSISTANT, status=MessageStatus.INTERRUPTED), {"retry", "continue"}),
        (replace(ASSISTANT, status=MessageStatus.STOPPED), {"continue"}),
        (replace(ASSISTANT, finish_reason="length"), {"continue"}),
        (replace(ASSISTANT, finish_reason="max_tokens"), {"continue"}),
        (replace(ASSISTANT, finish_reason="content_filter"), {"retry"}),
        (replace(ASSISTANT, finish_reason="refusal"), {"retry"}),
        (replace(ASSISTANT, finish_reason="model_context_window_exceeded"), set()),
        (replace(ASSISTANT, finish_reason="pause_turn"), {"continue"}),
    ],
)
def test_status_line_offers_the_right_actions(
    qtbot: QtBot, view: MessageView, actions: set[str]
) -> None:
    widget = make(qtbot, view)
    assert not widget.status_line.isHidden()
    assert _visible_actions(widget) == actions
    if view.error_message:
        assert view.error_message in widget.status_line.text_label.text()


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("content_filter", "content filter"),
        ("refusal", "declined"),
        ("model_context_window_exceeded", "context window"),
    ],
)
def test_an_answer_ended_by_the_platform_says_why(qtbot: QtBot, reason: str, words: str) -> None:
    """A filtered, refused or overflowing answer may be empty: it never ends in silence."""
    widget = make(qtbot, replace(ASSISTANT, finish_reason=reason))
    assert not widget.status_line.isHidden()
    assert words in widget.status_line.text_label.text()


def test_complete_answer_has_no_status_line(qtbot: QtBot) -> None:
    widget = make(qtbot, replace(ASSISTANT, finish_reason="stop"))
    assert widget.status_line.isHidden()


def test_status_actions_emit(qtbot: QtBot) -> None:
    widget = make(qtbot, replace(ASSISTANT, status=MessageStatus.INTERRUPTED))
    with qtbot.waitSignal(widget.retryRequested) as blocker:
        QTest.mouseClick(widget.status_line.retry_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [7]
    with qtbot.waitSignal(widget.continueRequested) as blocker:
        QTest.mouseClick(widget.status_line.continue_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [7]
    widget.update_view(replace(ASSISTANT, status=MessageStatus.ERROR, error_kind="auth"))
    with qtbot.waitSignal(widget.openSettingsRequested):
        QTest.mouseClick(widget.status_line.settings_button, Qt.MouseButton.LeftButton)


def test_rate_limit_countdown(qtbot: QtBot) -> None:
    widget = make(qtbot, replace(ASSISTANT, status=MessageStatus.ERROR, error_kind="rate_limit"))
    label = widget.status_line.countdown_label
    assert label.isHidden()
    widget.set_countdown(12)
    assert not label.isHidden()
    assert "12" in label.text()
    widget.set_countdown(0)
    assert label.isHidden()


def test_stats_small_print_and_tooltip(qtbot: QtBot) -> None:
    view = replace(ASSISTANT, usage=Usage(10, 1234), duration_seconds=6.25, tokens_per_second=197.4)
    widget = make(qtbot, view)
    assert widget.stats_label.text() == "1,234 tokens · 6.2 s · 197 tok/s"
    assert "Input tokens: 10" in widget.stats_label.toolTip()
    widget.update_view(replace(view, status=MessageStatus.STREAMING))
    assert widget.stats_label.isHidden()


def test_reasoning_open_while_thinking_and_folds_when_answer_begins(qtbot: QtBot) -> None:
    body, reasoning = doc(), doc("Let me think")
    view = replace(ASSISTANT, status=MessageStatus.STREAMING, has_reasoning=True)
    widget = make(qtbot, view, body, reasoning)
    section = widget.reasoning
    assert section is not None
    assert section.is_expanded()
    assert section.toggle_button.text() == "Thinking…"
    QTextCursor(body).insertText("The answer")
    assert not section.is_expanded()
    widget.update_view(replace(view, status=MessageStatus.COMPLETE, reasoning_seconds=4.4))
    assert section.toggle_button.text() == "Thought for 4 s"
    QTest.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)
    assert section.is_expanded()


def test_user_choice_beats_auto_fold(qtbot: QtBot) -> None:
    body, reasoning = doc(), doc("thinking")
    view = replace(ASSISTANT, status=MessageStatus.STREAMING, has_reasoning=True)
    widget = make(qtbot, view, body, reasoning)
    section = widget.reasoning
    assert section is not None
    QTest.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)  # fold
    QTest.mouseClick(section.toggle_button, Qt.MouseButton.LeftButton)  # open again
    QTextCursor(body).insertText("answer")
    assert section.is_expanded()


def test_finished_answer_starts_with_reasoning_folded(qtbot: QtBot) -> None:
    widget = make(qtbot, replace(ASSISTANT, has_reasoning=True), doc("answer"), doc("why"))
    assert widget.reasoning is not None
    assert not widget.reasoning.is_expanded()


def test_body_height_follows_the_document(qtbot: QtBot) -> None:
    body = doc("one line")
    widget = make(qtbot, ASSISTANT, body)
    qtbot.waitUntil(lambda: widget.body_view.height() > 0)
    before = widget.body_view.height()
    QTextCursor(body).insertText("\n".join(["more"] * 20))
    qtbot.waitUntil(lambda: widget.body_view.height() > before * 5)
    assert widget.body_view.height() >= widget.body_view.document_height()


def test_links_and_copy_code_anchors_go_to_the_owner(qtbot: QtBot) -> None:
    widget = make(qtbot, ASSISTANT)
    with qtbot.waitSignal(widget.linkActivated) as blocker:
        widget.body_view.anchorClicked.emit(QUrl("https://example.com"))
    assert blocker.args == [QUrl("https://example.com")]
    with qtbot.waitSignal(widget.copyCodeRequested) as blocker:
        widget.body_view.anchorClicked.emit(QUrl("copy-code:2"))
    assert blocker.args == [7, 2]


def test_inline_edit_submits_and_restores(qtbot: QtBot) -> None:
    widget = make(qtbot, USER, doc("original"))
    widget.begin_edit()
    assert widget.is_editing()
    assert widget.editor.text() == "original"
    widget.editor.text_edit.setPlainText("changed")
    with qtbot.waitSignal(widget.editSubmitted) as blocker:
        QTest.mouseClick(widget.editor.save_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [6, "changed"]
    assert not widget.is_editing()
    assert not widget.bubble.isHidden()


def test_inline_edit_cancel_with_escape(qtbot: QtBot) -> None:
    widget = make(qtbot, USER, doc("original"))
    widget.begin_edit("draft")
    with qtbot.assertNotEmitted(widget.editSubmitted):
        QTest.keyClick(widget.editor.text_edit, Qt.Key.Key_Escape)
    assert not widget.is_editing()


def test_actions_show_on_keyboard_focus(qtbot: QtBot) -> None:
    widget = make(qtbot, ASSISTANT)
    widget.activateWindow()
    assert not widget.actions_visible()
    widget.copy_button.setFocus()
    qtbot.waitUntil(widget.actions_visible)


def test_streaming_indicator(qtbot: QtBot) -> None:
    widget = make(qtbot, replace(ASSISTANT, status=MessageStatus.STREAMING))
    assert not widget.dots.isHidden()
    widget.update_view(ASSISTANT)
    assert widget.dots.isHidden()
