"""The sidebar and the conversations: search, rename, pin, delete, drafts, restarts, switching
while an answer streams, long conversations."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store import Store
from longcat_desktop.ui.conversation_list import ConversationListModel, ConversationRow
from tests.fakes.longcat_server import Scenario
from tests.qt_async import emitted
from tests.store.helpers import add_exchange
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window import ANSWER, last_answer, shown_text, thread, widget

SETTINGS = ConversationSettings("LongCat-2.0-Preview", ApiFormat.OPENAI)


def seed(
    data_dir: Path, conversations: dict[str, list[tuple[str, str]]]
) -> dict[str, ConversationId]:
    """Conversations with finished exchanges, written before the app starts; ids by title."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(data_dir)
    ids: dict[str, ConversationId] = {}
    try:
        for title, exchanges in conversations.items():
            conversation = store.conversations.create(SETTINGS, title=title)
            parent: MessageId | None = None
            for question, answer in exchanges:
                _user, parent = add_exchange(store, conversation.id, parent, question, answer)
            ids[title] = conversation.id
    finally:
        store.close()
    return ids


def list_titles(app: RunningApp) -> list[str]:
    rows = app.window.sidebar.list_model.rows()
    return [row.title for row in rows if isinstance(row, ConversationRow)]


def row_index(app: RunningApp, conversation_id: ConversationId) -> QModelIndex:
    index = app.window.sidebar.list_model.index_of(conversation_id)
    assert index.isValid()
    return index


def menu_action(app: RunningApp, conversation_id: ConversationId, text: str) -> QAction:
    menu = app.window.sidebar.list_view.build_context_menu(row_index(app, conversation_id))
    for action in menu.actions():
        if action.text() == text:
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def open_in_sidebar(app: RunningApp, conversation_id: ConversationId) -> None:
    view = app.window.sidebar.list_view
    rect = view.visualRect(row_index(app, conversation_id))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    app.wait(lambda: app.window.conversation_id == conversation_id, "the conversation to open")


# -- search -----------------------------------------------------------------------------------


def test_search_finds_a_message_and_opens_it_scrolled_to_it_and_highlighted(
    app_factory: AppFactory,
) -> None:
    exchanges = [(f"question {i}", f"answer number {i}") for i in range(80)]
    exchanges[3] = ("What about the aardvark?", "The aardvark digs burrows at night.")
    ids = seed(app_factory.tmp_path / "data", {"Animals": exchanges, "Other": [("hi", "hello")]})
    app = app_factory()
    window = app.window
    open_in_sidebar(app, ids["Other"])

    window.activateWindow()
    app.key(Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    field = window.sidebar.search_field
    assert QApplication.focusWidget() is field
    QTest.keyClicks(field, "aardvark burrows")
    app.wait(
        lambda: window.sidebar.stack.currentWidget() is window.sidebar.results_view,
        "the search results",
    )
    hits = window.sidebar.results_model.hits()
    assert hits[0].conversation_id == ids["Animals"]
    assert hits[0].message_id is not None
    QTest.keyClick(field, Qt.Key.Key_Return)
    app.wait(lambda: window.conversation_id == ids["Animals"], "the conversation with the hit")
    target = hits[0].message_id
    assert target is not None
    # The hit is far up a long conversation: older pages were loaded to reach it.
    found = widget(app, target)
    assert "aardvark" in shown_text(app, target)
    assert found.is_highlighted()
    view = window.chat_view
    top = found.mapTo(view.canvas, found.rect().topLeft()).y()
    scrolled = view.verticalScrollBar().value()
    assert scrolled <= top < scrolled + view.viewport().height()


def test_search_filters_by_title_at_once(app_factory: AppFactory) -> None:
    seed(app_factory.tmp_path / "data", {"Holiday plans": [("a", "b")], "Tax": [("c", "d")]})
    app = app_factory()
    QTest.keyClicks(app.window.sidebar.search_field, "Holiday")
    sidebar = app.window.sidebar
    app.wait(lambda: sidebar.stack.currentWidget() is sidebar.results_view, "results")
    assert next(hit.title for hit in sidebar.results_model.hits()) == "Holiday plans"


# -- rename, pin, delete ----------------------------------------------------------------------


def test_rename_inline_with_f2(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Old title": [("a", "b")]})
    app = app_factory()
    view = app.window.sidebar.list_view
    view.setFocus()
    view.setCurrentIndex(row_index(app, ids["Old title"]))
    QTest.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    assert editor is not None
    assert editor.isVisible()
    assert editor.text() == "Old title"
    editor.selectAll()
    QTest.keyClicks(editor, "New title")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    app.wait(lambda: "New title" in list_titles(app), "the new title in the list")
    assert app.store.conversations.get(ids["Old title"]).title == "New title"
    assert app.window.title_label.text() == "New title"


def test_rename_through_the_model(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Old": [("a", "b")]})
    app = app_factory()
    model = app.window.sidebar.list_model
    assert model.setData(row_index(app, ids["Old"]), "  Renamed   here ")
    app.wait(lambda: list_titles(app) == ["Renamed here"], "the renamed row")
    assert app.store.conversations.get(ids["Old"]).title == "Renamed here"


def test_pin_moves_a_conversation_first_and_unpin_back(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Older": [("a", "b")], "Newer": [("c", "d")]})
    app = app_factory()
    assert list_titles(app) == ["Newer", "Older"]
    menu_action(app, ids["Older"], "Pin").trigger()
    app.wait(lambda: list_titles(app) == ["Older", "Newer"], "the pinned row first")
    index = row_index(app, ids["Older"])
    assert index.data(ConversationListModel.PinnedRole)
    assert app.store.conversations.get(ids["Older"]).pinned
    menu_action(app, ids["Older"], "Unpin").trigger()
    app.wait(lambda: list_titles(app) == ["Newer", "Older"], "the order by activity")


def _message_box(app: RunningApp) -> QMessageBox:
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    visible = [box for box in boxes if box.isVisible()]
    assert visible, "no confirmation shown"
    return visible[-1]


def _button(box: QMessageBox, text: str) -> QPushButton:
    for button in box.findChildren(QPushButton):
        if button.text().replace("&", "") == text:
            return button
    raise AssertionError(f"no {text!r} button")


def test_delete_asks_first_and_cancel_keeps_it(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Keep me": [("a", "b")]})
    app = app_factory()
    menu_action(app, ids["Keep me"], "Delete…").trigger()
    box = _message_box(app)
    assert "Keep me" in box.text()
    QTest.mouseClick(_button(box, "Cancel"), Qt.MouseButton.LeftButton)
    app.wait(lambda: not box.isVisible(), "the box to close")
    assert "Keep me" in list_titles(app)
    assert app.services.conversations.get(ids["Keep me"]) is not None


def test_delete_after_confirmation_removes_it_and_opens_another(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Stay": [("a", "b")], "Go away": [("c", "d")]})
    app = app_factory()
    open_in_sidebar(app, ids["Go away"])
    menu_action(app, ids["Go away"], "Delete…").trigger()
    QTest.mouseClick(_button(_message_box(app), "Delete"), Qt.MouseButton.LeftButton)
    app.wait(lambda: list_titles(app) == ["Stay"], "the row gone")
    assert app.services.conversations.get(ids["Go away"]) is None
    app.wait(lambda: app.window.conversation_id == ids["Stay"], "another conversation open")
    assert [m.text for m in thread(app)] == ["a", "b"]


def test_deleting_a_streaming_conversation_stops_its_answer(running_app: RunningApp) -> None:
    app = running_app
    app.server.push(Scenario(text=ANSWER, delay=0.01))
    app.type_and_send("Long one")
    cid = app.window.conversation_id
    assert cid is not None
    mid = last_answer(app).id
    app.wait(lambda: len(shown_text(app, mid)) > 5, "the answer to start")
    menu_action(app, cid, "Delete…").trigger()
    QTest.mouseClick(_button(_message_box(app), "Delete"), Qt.MouseButton.LeftButton)
    app.wait(lambda: not app.services.chat.is_streaming(cid), "the stream to stop")
    app.wait(lambda: app.services.conversations.get(cid) is None, "the conversation gone")
    assert app.server.wait_for_disconnect(5)
    assert not app.window.composer.is_streaming()


def test_deleting_a_streaming_answer_stops_it_first(running_app: RunningApp) -> None:
    app = running_app
    app.server.push(Scenario(text=ANSWER, delay=0.01))
    app.type_and_send("Long one")
    cid = app.window.conversation_id
    assert cid is not None
    mid = last_answer(app).id
    app.wait(lambda: len(shown_text(app, mid)) > 5, "the answer to start")
    app.window.chat_view.deleteRequested.emit(mid)
    app.wait(lambda: not app.services.chat.is_streaming(cid), "the stream to stop")
    assert app.services.conversations.message(mid) is None
    assert [m.text for m in thread(app)] == ["Long one"]
    assert app.window.chat_view.message_widget(mid) is None
    assert not app.window.composer.is_streaming()
    assert app.server.wait_for_disconnect(5)


# -- drafts and restarts ----------------------------------------------------------------------


def test_drafts_are_kept_per_conversation_and_survive_a_restart(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"One": [("a", "b")], "Two": [("c", "d")]})
    app = app_factory()
    open_in_sidebar(app, ids["One"])
    QTest.keyClicks(app.window.composer.edit, "draft for one")
    open_in_sidebar(app, ids["Two"])
    assert app.window.composer.text() == ""
    edit = app.window.composer.edit
    QTest.keyClicks(edit, "draft for two")
    QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(edit, "second line")
    open_in_sidebar(app, ids["One"])
    assert app.window.composer.text() == "draft for one"
    open_in_sidebar(app, ids["Two"])

    app = app_factory.restart(app)
    assert app.window.conversation_id == ids["Two"]
    assert app.window.composer.text() == "draft for two\nsecond line"
    open_in_sidebar(app, ids["One"])
    assert app.window.composer.text() == "draft for one"


def test_a_restart_restores_the_window_splitter_and_conversation(app_factory: AppFactory) -> None:
    ids = seed(app_factory.tmp_path / "data", {"First": [("a", "b")], "Second": [("c", "d")]})
    app = app_factory()
    # Within the offscreen screen (800 x 600), so the window manager does not shrink it.
    app.window.resize(760, 540)
    app.window.splitter.setSizes([300, 460])
    open_in_sidebar(app, ids["First"])
    sizes = app.window.splitter.sizes()

    app = app_factory.restart(app)
    assert app.window.conversation_id == ids["First"]
    assert (app.window.width(), app.window.height()) == (760, 540)
    assert app.window.splitter.sizes() == sizes
    assert [m.text for m in thread(app)] == ["a", "b"]


# -- several answers at once ------------------------------------------------------------------


def test_switching_away_keeps_streaming_and_switching_back_shows_all_so_far(
    app_factory: AppFactory,
) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Quiet": [("a", "b")]})
    app = app_factory()
    app.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    busy = app.window.conversation_id
    assert busy is not None
    assert busy != ids["Quiet"]
    app.server.push(Scenario(text=ANSWER, delay=0.01))
    app.type_and_send("Stream while I look elsewhere")
    mid = last_answer(app).id
    app.wait(lambda: len(shown_text(app, mid)) > 5, "the answer to start")

    open_in_sidebar(app, ids["Quiet"])
    chat = app.services.chat
    assert chat.is_streaming(busy)
    assert not app.window.composer.is_streaming()
    assert row_index(app, busy).data(ConversationListModel.StreamingRole)
    assert app.window.sidebar.list_view.spinner_running()
    # Streaming carries on out of sight.
    seen = chat.shown_text(mid)
    assert seen is not None
    app.run(emitted(chat.answerDelta, lambda _c, m, _t, _r: m == mid))

    open_in_sidebar(app, busy)
    assert app.window.composer.is_streaming()
    so_far = chat.shown_text(mid)
    assert so_far is not None
    assert shown_text(app, mid) == so_far[0]
    assert len(so_far[0]) > len(seen[0])
    app.run(emitted(chat.answerUpdated, lambda _c, m: m == mid))
    assert shown_text(app, mid) == ANSWER
    assert app.store.messages.get(mid).status is MessageStatus.COMPLETE
    app.wait(lambda: not app.window.sidebar.list_view.spinner_running(), "the spinner to stop")
    assert not row_index(app, busy).data(ConversationListModel.StreamingRole)


def test_two_conversations_stream_at_once(app_factory: AppFactory) -> None:
    app = app_factory()
    first = app.window.conversation_id
    app.server.push(Scenario(text=ANSWER, delay=0.005), Scenario(text="Short.", delay=0.005))
    app.type_and_send("First")
    first_answer = last_answer(app).id
    # The server hands out its answers in the order requests arrive: the first one first.
    app.wait(lambda: app.server.pending == 1, "the first request at the server")
    app.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    app.type_and_send("Second")
    second_answer = last_answer(app).id
    assert app.services.chat.streaming_conversations() == {first, app.window.conversation_id}
    app.wait(
        lambda: (
            app.store.messages.get(first_answer).status is MessageStatus.COMPLETE
            and app.store.messages.get(second_answer).status is MessageStatus.COMPLETE
        ),
        "both answers",
    )
    assert app.store.messages.get(first_answer).text == ANSWER
    assert app.store.messages.get(second_answer).text == "Short."


# -- long conversations -----------------------------------------------------------------------


@pytest.mark.parametrize("exchanges", [45, 150])
def test_a_long_conversation_opens_with_the_newest_and_loads_older_on_scroll(
    app_factory: AppFactory, exchanges: int
) -> None:
    pairs = [(f"question {i}", f"answer {i}") for i in range(exchanges)]
    seed(app_factory.tmp_path / "data", {"Long": pairs})
    app = app_factory()
    view = app.window.chat_view
    total = 2 * exchanges
    shown = view.message_ids()
    # About a window's worth of the newest (and, once painted, older ones while the view is
    # not yet full): never the whole thread.
    assert 0 < len(shown) < total
    assert shown_text(app, shown[-1]) == f"answer {exchanges - 1}"
    app.wait(lambda: view.is_at_bottom(), "the newest message in view")
    bar = view.verticalScrollBar()
    while len(view.message_ids()) < total:
        count = len(view.message_ids())
        first = widget(app, view.message_ids()[0])
        # The user scrolls to the top: the first message shown is where it was.
        before = first.mapTo(view.canvas, first.rect().topLeft()).y()
        bar.setValue(0)
        app.wait(lambda c=count: len(view.message_ids()) > c, "older messages")  # type: ignore[misc]
        # What the user was looking at did not jump.
        after = first.mapTo(view.canvas, first.rect().topLeft()).y() - bar.value()
        assert after == before
    assert shown_text(app, view.message_ids()[0]) == "question 0"
    assert not view.is_following()


def test_escape_cancels_a_rename_and_clears_a_search_without_stopping_an_answer(
    app_factory: AppFactory,
) -> None:
    ids = seed(app_factory.tmp_path / "data", {"Title": [("a", "b")]})
    app = app_factory()
    open_in_sidebar(app, ids["Title"])
    app.window.activateWindow()
    app.wait(app.window.isActiveWindow, "the window to be active")
    app.server.push(Scenario(text=ANSWER, delay=0.05))
    app.type_and_send("Keep streaming")
    mid = last_answer(app).id
    view = app.window.sidebar.list_view
    view.setFocus()
    view.setCurrentIndex(row_index(app, ids["Title"]))
    QTest.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    assert editor is not None
    QTest.keyClicks(editor, "Changed my mind")
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    field = app.window.sidebar.search_field
    QTest.keyClicks(field, "something")
    QTest.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == ""
    assert app.services.chat.is_streaming(ids["Title"])
    assert app.store.conversations.get(ids["Title"]).title == "Title"
    # With nothing to cancel, Escape stops the answer.
    QTest.keyClick(field, Qt.Key.Key_Escape)
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.STOPPED, "stopped")
