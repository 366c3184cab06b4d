"""The main window driven like a person would, against the local LongCat server.

Each test builds the whole app (every service and the window, as app.py wires them) on a fresh
data folder with the in-memory keyring, types into the composer, presses keys and clicks buttons,
and waits on signals and conditions, never on the clock.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import MessageStatus, StoredMessage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store.secrets import SERVICE_NAME, USERNAME
from longcat_desktop.ui.message_widget import MessageWidget
from tests.fakes.longcat_server import Scenario
from tests.fakes.memory_keyring import MemoryKeyring
from tests.qt_async import emitted
from tests.ui.app_fixture import AppFactory, RunningApp

SERVER_MODELS = ["LongCat-2.0", "LongCat-2.5-Preview"]
ANSWER = " ".join(f"word{i}" for i in range(80))


def thread(app: RunningApp) -> list[StoredMessage]:
    cid = app.window.conversation_id
    assert cid is not None
    return app.store.messages.visible_thread(cid)


def last_answer(app: RunningApp) -> StoredMessage:
    return [m for m in thread(app) if m.role.value == "assistant"][-1]


def widget(app: RunningApp, message_id: MessageId) -> MessageWidget:
    found = app.window.chat_view.message_widget(message_id)
    assert found is not None, f"message {message_id} is not shown"
    return found


def shown_text(app: RunningApp, message_id: MessageId) -> str:
    return widget(app, message_id).body_view.document().toPlainText()


def picker_items(app: RunningApp) -> list[str]:
    combo = app.window.model_picker.combo
    return [combo.itemText(i) for i in range(combo.count())]


def send_and_watch(app: RunningApp, text: str) -> tuple[MessageId, list[int]]:
    """Send `text` by typing it and pressing Enter; return the answer's id and the length of
    its shown text after each refresh, until it is finished."""
    lengths: list[int] = []
    answer: list[MessageId] = []

    def on_delta(_cid: ConversationId, mid: MessageId, _text: str, _reasoning: str) -> None:
        if not answer:
            answer.append(mid)
        lengths.append(len(shown_text(app, mid)))

    chat = app.services.chat
    chat.answerDelta.connect(on_delta)
    try:
        app.type_and_send(text)
        assert app.window.composer.text() == ""
        assert app.window.composer.is_streaming()
        mid = last_answer(app).id
        app.run(emitted(chat.answerUpdated, lambda _c, m: m == mid))
    finally:
        chat.answerDelta.disconnect(on_delta)
    return mid, lengths


# -- first run, the key, the models, a streamed answer ---------------------------------------


def test_first_run_takes_the_key_lists_models_and_streams_an_answer(
    app_factory: AppFactory, memory_keyring: MemoryKeyring
) -> None:
    server = app_factory.server
    server.models = list(SERVER_MODELS)
    server.default_scenario = Scenario(text=ANSWER, delay=0.004)
    app = app_factory(with_key=False)
    window = app.window
    assert "LongCat" in window.windowTitle()
    assert window.main_stack.currentWidget() is window.welcome
    assert not memory_keyring.passwords

    QTest.keyClicks(window.welcome.key_edit, server.api_key)
    QTest.keyClick(window.welcome.key_edit, Qt.Key.Key_Return)
    app.wait(
        lambda: memory_keyring.passwords.get((SERVICE_NAME, USERNAME)) == server.api_key,
        "the key in the keyring",
    )
    app.wait(lambda: window.main_stack.currentWidget() is window.chat_page, "the chat page")
    assert window.welcome.key_edit.text() == ""
    # The built-in list has the same models: the note about it going away tells them apart.
    app.wait(lambda: window.model_picker.note() == "", "the server's models in the picker")
    assert picker_items(app) == SERVER_MODELS
    assert window.model_picker.current_model() == "LongCat-2.0"
    app.wait(lambda: window.model_picker.info_label.text(), "the model's details")

    mid, lengths = send_and_watch(app, "Tell me something")
    assert shown_text(app, mid) == ANSWER
    # Shown as it arrived: several refreshes, each showing more, before the end.
    assert len(lengths) >= 3, lengths
    assert lengths == sorted(lengths)
    assert len(set(lengths)) >= 3
    assert lengths[0] < len(ANSWER)
    stored = last_answer(app)
    assert stored.status is MessageStatus.COMPLETE
    assert stored.text == ANSWER
    assert [m.text for m in thread(app)] == ["Tell me something", ANSWER]
    assert not window.composer.is_streaming()
    assert "tokens" in window.status_presenter.stats.text()


def test_the_same_in_the_anthropic_format(app_factory: AppFactory) -> None:
    server = app_factory.server
    server.default_scenario = Scenario(text=ANSWER, delay=0.004)
    app = app_factory(api_format="anthropic")
    assert app.window.format_label.text() == "Anthropic format"
    mid, lengths = send_and_watch(app, "Hello in Anthropic")
    assert len(set(lengths)) >= 3
    assert shown_text(app, mid) == ANSWER
    assert server.chat_requests[-1].path == "/anthropic/v1/messages"
    assert last_answer(app).status is MessageStatus.COMPLETE
    assert last_answer(app).api_format == ApiFormat.ANTHROPIC


def test_window_title_and_focus_at_start(running_app: RunningApp) -> None:
    window = running_app.window
    assert "LongCat" in window.windowTitle()
    window.activateWindow()
    running_app.wait(
        lambda: QApplication.focusWidget() is window.composer.edit, "the composer's focus"
    )


# -- stopping, failures and their actions ----------------------------------------------------


def start_paced_answer(app: RunningApp, text: str = ANSWER, delay: float = 0.01) -> MessageId:
    """Send a message whose answer streams slowly; return once some of it is shown."""
    app.server.push(Scenario(text=text, delay=delay))
    app.type_and_send("Go slowly")
    mid = last_answer(app).id
    app.wait(lambda: len(shown_text(app, mid)) > 10, "the start of the answer")
    return mid


def test_stop_button_keeps_the_partial_answer(running_app: RunningApp) -> None:
    app = running_app
    mid = start_paced_answer(app)
    button = app.window.composer.send_button
    assert button.accessibleName() == "Stop"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    app.run(emitted(app.services.chat.answerUpdated, lambda _c, m: m == mid))
    stored = last_answer(app)
    assert stored.status is MessageStatus.STOPPED
    assert stored.text
    assert ANSWER.startswith(stored.text)
    assert len(stored.text) < len(ANSWER)
    assert shown_text(app, mid) == stored.text
    assert not app.window.composer.is_streaming()
    assert button.accessibleName() == "Send"
    status = widget(app, mid).status_line
    assert status.isVisibleTo(app.window)
    assert status.continue_button.isVisibleTo(app.window)


def test_escape_stops_the_stream_and_keeps_the_partial_answer(running_app: RunningApp) -> None:
    app = running_app
    mid = start_paced_answer(app)
    app.key(Qt.Key.Key_Escape)
    app.run(emitted(app.services.chat.answerUpdated, lambda _c, m: m == mid))
    stored = last_answer(app)
    assert stored.status is MessageStatus.STOPPED
    assert stored.text
    assert ANSWER.startswith(stored.text)
    assert stored.text != ANSWER
    assert shown_text(app, mid) == stored.text


def test_a_dropped_stream_shows_retry_and_retry_completes_it(running_app: RunningApp) -> None:
    app = running_app
    app.server.push(Scenario(text=ANSWER, drop_after=5), Scenario(text=ANSWER))
    app.type_and_send("Please answer")
    first = last_answer(app).id
    app.wait(lambda: last_answer(app).status is MessageStatus.INTERRUPTED, "the drop")
    line = widget(app, first).status_line
    app.wait(lambda: line.retry_button.isVisibleTo(app.window), "the Retry button")
    partial = shown_text(app, first)
    assert partial
    assert ANSWER.startswith(partial)
    assert partial != ANSWER
    QTest.mouseClick(line.retry_button, Qt.MouseButton.LeftButton)
    app.wait(
        lambda: last_answer(app).id != first and last_answer(app).status is MessageStatus.COMPLETE,
        "the retried answer",
    )
    second = last_answer(app)
    assert second.text == ANSWER
    app.wait(lambda: shown_text(app, second.id) == ANSWER, "the retried answer shown")
    # The partial answer stays, one click away.
    assert widget(app, second.id).switcher_label.text() == "2/2"
    assert app.store.messages.get(first).text == partial


def test_401_offers_the_settings_and_the_button_opens_them(running_app: RunningApp) -> None:
    app = running_app
    app.server.push(Scenario.http_error(401))
    app.type_and_send("Hi")
    mid = last_answer(app).id
    app.wait(lambda: last_answer(app).status is MessageStatus.ERROR, "the error")
    line = widget(app, mid).status_line
    app.wait(lambda: line.settings_button.isVisibleTo(app.window), "Open settings")
    assert "Invalid API key provided" in line.text_label.text()
    assert not line.retry_button.isVisibleTo(app.window)
    QTest.mouseClick(line.settings_button, Qt.MouseButton.LeftButton)
    dialog = app.window.settings_flow.dialog
    assert dialog is not None
    app.wait(dialog.isVisible, "the settings dialog")
    dialog.reject()


def test_429_counts_down_then_retries(running_app: RunningApp) -> None:
    app = running_app
    app.server.push(Scenario.http_error(429, retry_after="1"), Scenario(text=ANSWER))
    countdowns: list[str] = []
    app.type_and_send("Hi")
    mid = last_answer(app).id
    line = widget(app, mid).status_line

    def seen() -> bool:
        if line.countdown_label.isVisibleTo(app.window):
            countdowns.append(line.countdown_label.text())
        return bool(countdowns)

    app.wait(seen, "a countdown under the answer")
    assert "Retrying in 1 s" in countdowns[0]
    assert "Rate limit" in line.text_label.text()
    assert "Retrying in" in app.window.statusBar().currentMessage()
    app.wait(lambda: last_answer(app).status is MessageStatus.COMPLETE, "the retried answer")
    assert last_answer(app).id == mid
    app.wait(lambda: shown_text(app, mid) == ANSWER, "the whole answer")
    app.wait(lambda: not line.isVisibleTo(app.window), "the countdown gone")
    assert len(app.server.chat_requests) == 2


# -- branches ---------------------------------------------------------------------------------


def test_edit_and_resend_makes_a_branch_and_the_switcher_moves_between_them(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.server.push(Scenario(text="First answer."), Scenario(text="Second answer."))
    app.type_and_send("Original question")
    app.wait(lambda: last_answer(app).status is MessageStatus.COMPLETE, "the first answer")
    user = thread(app)[0]
    QTest.mouseClick(widget(app, user.id).edit_button, Qt.MouseButton.LeftButton)
    editor = widget(app, user.id).editor
    assert widget(app, user.id).is_editing()
    assert editor.text() == "Original question"
    editor.text_edit.selectAll()
    QTest.keyClicks(editor.text_edit, "Edited question")
    QTest.keyClick(editor.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.wait(
        lambda: (
            thread(app)[0].text == "Edited question"
            and last_answer(app).status is MessageStatus.COMPLETE
        ),
        "the answer to the edited question",
    )
    new_user = thread(app)[0]
    assert new_user.id != user.id
    assert last_answer(app).text == "Second answer."
    app.wait(lambda: shown_text(app, last_answer(app).id) == "Second answer.", "shown")
    switcher = widget(app, new_user.id)
    assert switcher.switcher.isVisibleTo(app.window)
    assert switcher.switcher_label.text() == "2/2"

    QTest.mouseClick(switcher.previous_button, Qt.MouseButton.LeftButton)
    app.wait(lambda: thread(app)[0].id == user.id, "the first branch")
    assert [m.text for m in thread(app)] == ["Original question", "First answer."]
    assert widget(app, user.id).switcher_label.text() == "1/2"
    assert shown_text(app, thread(app)[1].id) == "First answer."
    QTest.mouseClick(widget(app, user.id).next_button, Qt.MouseButton.LeftButton)
    app.wait(lambda: thread(app)[0].id == new_user.id, "the second branch again")
    assert shown_text(app, thread(app)[1].id) == "Second answer."


def test_regenerate_adds_answers_and_the_switcher_shows_2_of_3(running_app: RunningApp) -> None:
    app = running_app
    app.server.push(Scenario(text="One."), Scenario(text="Two."), Scenario(text="Three."))
    app.type_and_send("Question")
    app.wait(lambda: last_answer(app).status is MessageStatus.COMPLETE, "the answer")
    for expected in ("Two.", "Three."):
        answer = last_answer(app)
        QTest.mouseClick(widget(app, answer.id).regenerate_button, Qt.MouseButton.LeftButton)
        app.wait(
            lambda e=expected: (
                last_answer(app).text == e  # type: ignore[misc]
                and last_answer(app).status is MessageStatus.COMPLETE
            ),
            f"the regenerated answer {expected}",
        )
    third = last_answer(app)
    assert widget(app, third.id).switcher_label.text() == "3/3"
    QTest.mouseClick(widget(app, third.id).previous_button, Qt.MouseButton.LeftButton)
    app.wait(lambda: last_answer(app).text == "Two.", "the second answer")
    second = last_answer(app)
    assert widget(app, second.id).switcher_label.text() == "2/3"
    assert shown_text(app, second.id) == "Two."
    assert [m.text for m in thread(app)] == ["Question", "Two."]


def test_429_after_the_clients_own_retries_counts_down_and_retries_by_itself(
    running_app: RunningApp,
) -> None:
    app = running_app
    refusal = Scenario.http_error(429, retry_after="0")
    app.server.push(refusal, refusal, refusal, Scenario(text=ANSWER))
    app.type_and_send("Hi")
    failed = last_answer(app).id
    app.wait(lambda: app.store.messages.get(failed).status is MessageStatus.ERROR, "the refusal")
    line = widget(app, failed).status_line
    assert line.countdown_label.isVisibleTo(app.window)
    assert line.retry_button.text() == "Retry now"
    assert "Rate limit" in line.text_label.text()
    app.wait(
        lambda: (
            len(app.server.chat_requests) == 4 and last_answer(app).status is MessageStatus.COMPLETE
        ),
        "the answer after the countdown",
    )
    assert last_answer(app).text == ANSWER
    app.wait(lambda: shown_text(app, last_answer(app).id) == ANSWER, "the answer shown")
    # The failed attempt had no text: it was replaced, not kept beside the answer.
    assert [m.role.value for m in thread(app)] == ["user", "assistant"]
