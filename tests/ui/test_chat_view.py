from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.ui.chat_view import ChatView, MessageItem
from longcat_desktop.ui.message_view import MessageView


def item(message_id: MessageId, lines: int = 6) -> MessageItem:
    body = QTextDocument()
    body.setPlainText("\n".join(f"message {message_id} line {n}" for n in range(lines)))
    role = Role.USER if message_id % 2 == 0 else Role.ASSISTANT
    return MessageView(id=message_id, role=role), body, None


def make(qtbot: QtBot, count: int = 12) -> ChatView:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_messages([item(MessageId(i)) for i in range(count)])
    return view


def bar_at_bottom(view: ChatView) -> bool:
    bar = view.verticalScrollBar()
    return bar.maximum() > 0 and bar.value() == bar.maximum()


def test_empty_state(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    assert not view.empty_state.isHidden()
    view.append_message(*item(MessageId(1)))
    assert view.empty_state.isHidden()
    view.remove_message(MessageId(1))
    assert not view.empty_state.isHidden()


def test_opens_at_the_newest_message(qtbot: QtBot) -> None:
    view = make(qtbot)
    qtbot.waitUntil(lambda: bar_at_bottom(view))
    assert view.is_following()
    assert view.jump_button.isHidden()


def test_follows_the_stream_while_at_bottom(qtbot: QtBot) -> None:
    view = make(qtbot)
    streaming_view, body, _ = item(MessageId(99), lines=1)
    view.append_message(streaming_view, body)
    qtbot.waitUntil(lambda: bar_at_bottom(view))
    before = view.verticalScrollBar().maximum()
    QTextCursor(body).insertText("\n".join(["token"] * 30))
    view.notify_content_grew()
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > before and bar_at_bottom(view))


def test_stops_following_when_scrolled_up_and_offers_jump(qtbot: QtBot) -> None:
    view = make(qtbot)
    qtbot.waitUntil(lambda: bar_at_bottom(view))
    streaming_view, body, _ = item(MessageId(99), lines=1)
    view.append_message(streaming_view, body)
    bar = view.verticalScrollBar()
    bar.triggerAction(bar.SliderAction.SliderPageStepSub)  # the user scrolls up
    assert not view.is_following()
    assert not view.jump_button.isHidden()
    position = bar.value()
    QTextCursor(body).insertText("\n".join(["token"] * 30))
    view.notify_content_grew()
    qtbot.waitUntil(lambda: bar.maximum() > position + 300)
    assert bar.value() == position
    view.jump_button.click()
    qtbot.waitUntil(lambda: bar_at_bottom(view))
    assert view.is_following()
    assert view.jump_button.isHidden()


def test_older_messages_wanted_near_the_top_once(qtbot: QtBot) -> None:
    view = make(qtbot)
    qtbot.waitUntil(lambda: bar_at_bottom(view))
    bar = view.verticalScrollBar()
    with qtbot.waitSignal(view.olderMessagesWanted):
        bar.triggerAction(bar.SliderAction.SliderToMinimum)
    with qtbot.assertNotEmitted(view.olderMessagesWanted):
        bar.triggerAction(bar.SliderAction.SliderSingleStepAdd)
        bar.triggerAction(bar.SliderAction.SliderToMinimum)


def test_no_request_when_nothing_older(qtbot: QtBot) -> None:
    view = make(qtbot)
    view.set_more_available(False)
    bar = view.verticalScrollBar()
    with qtbot.assertNotEmitted(view.olderMessagesWanted):
        bar.triggerAction(bar.SliderAction.SliderToMinimum)


def test_prepend_keeps_the_reading_position(qtbot: QtBot) -> None:
    view = make(qtbot)
    qtbot.waitUntil(lambda: bar_at_bottom(view))
    bar = view.verticalScrollBar()
    bar.triggerAction(bar.SliderAction.SliderToMinimum)
    first = view.message_widget(MessageId(0))
    assert first is not None
    on_screen = first.mapTo(view.viewport(), first.rect().topLeft()).y()
    view.prepend_messages([item(MessageId(i)) for i in range(-10, 0)])
    assert view.message_ids()[:2] == [-10, -9]
    qtbot.waitUntil(lambda: first.mapTo(view.viewport(), first.rect().topLeft()).y() == on_screen)
    assert bar.value() > 0


def test_update_and_remove(qtbot: QtBot) -> None:
    view = make(qtbot, count=3)
    view.update_message(
        MessageView(id=MessageId(1), role=Role.ASSISTANT, status=MessageStatus.STOPPED)
    )
    widget = view.message_widget(MessageId(1))
    assert widget is not None
    assert not widget.status_line.isHidden()
    view.remove_message(MessageId(1))
    assert view.message_ids() == [0, 2]


def test_scroll_to_message_highlights(qtbot: QtBot) -> None:
    view = make(qtbot, count=20)
    qtbot.waitUntil(lambda: bar_at_bottom(view))
    view.scroll_to_message(MessageId(2))
    widget = view.message_widget(MessageId(2))
    assert widget is not None
    assert widget.is_highlighted()
    assert view.viewport().rect().contains(widget.mapTo(view.viewport(), widget.rect().topLeft()))
    assert not view.is_following()
    assert widget._highlight_timer.isActive()  # the highlight is temporary


def test_signals_are_forwarded_with_ids(qtbot: QtBot) -> None:
    view = make(qtbot, count=3)
    widget = view.message_widget(MessageId(1))
    assert widget is not None
    with qtbot.waitSignal(view.regenerateRequested) as blocker:
        widget.regenerate_button.click()
    assert blocker.args == [1]
    with qtbot.waitSignal(view.branchRequested) as blocker:
        widget.branchRequested.emit(1, 1)
    assert blocker.args == [1, 1]
