"""The reasoning section says how long the model thought; older answers keep "Thoughts"."""

from __future__ import annotations

from longcat_desktop.domain.conversation import MessageStatus
from tests.fakes.longcat_server import Scenario
from tests.ui.app_fixture import AppFactory
from tests.ui.test_main_window import last_answer, shown_text, widget


def test_a_streamed_answer_says_how_long_the_model_thought(app_factory: AppFactory) -> None:
    app = app_factory()
    app.server.push(
        Scenario(
            reasoning="Let me think about it carefully",
            reasoning_mode="always",
            text="The answer",
            delay=0.1,
        )
    )
    app.type_and_send("A question")
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "the answer")
    stored = app.store.messages.get(mid).reasoning_seconds
    assert stored is not None
    # Six reasoning deltas 0.1 s apart, then the first text delta.
    assert 0.4 <= stored < 5
    app.wait(lambda: not widget(app, mid).view.is_streaming, "the answer shown finished")
    section = widget(app, mid).reasoning
    assert section is not None
    assert section.toggle_button.text() == f"Thought for {max(1, round(stored))} s"


def test_an_answer_stored_before_durations_says_thoughts(app_factory: AppFactory) -> None:
    app = app_factory()
    app.server.push(Scenario(reasoning="Thinking", reasoning_mode="always", text="Answer"))
    app.type_and_send("A question")
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "the answer")
    # As a database from before the measurement left it.
    with app.store.db.transaction():
        app.store.db.execute("UPDATE messages SET reasoning_seconds = NULL WHERE id = ?", (mid,))
    cid = app.window.conversation_id
    restarted = app_factory.restart(app)
    restarted.window.open_conversation(cid)
    restarted.wait(lambda: restarted.window.chat_view.message_widget(mid) is not None, "shown")
    section = widget(restarted, mid).reasoning
    assert section is not None
    assert section.toggle_button.text() == "Thoughts"


def test_the_duration_shows_as_soon_as_the_answer_text_begins(app_factory: AppFactory) -> None:
    app = app_factory()
    app.server.push(
        Scenario(
            reasoning="Let me think",
            reasoning_mode="always",
            text="one two three four five six seven eight nine ten",
            delay=0.08,
        )
    )
    app.type_and_send("A question")
    mid = last_answer(app).id
    app.wait(lambda: shown_text(app, mid), "the answer text begins")
    assert app.store.messages.get(mid).status is MessageStatus.STREAMING
    section = widget(app, mid).reasoning
    assert section is not None
    app.wait(lambda: section.toggle_button.text().startswith("Thought for "), "the duration")
    assert app.store.messages.get(mid).status is MessageStatus.STREAMING
