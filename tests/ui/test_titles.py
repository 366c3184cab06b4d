"""Model-written titles: one small request after the first answer, never over the user's title."""

from __future__ import annotations

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.services.title_service import TITLE_MAX_TOKENS
from tests.fakes.longcat_server import Scenario
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window import last_answer
from tests.ui.test_main_window_conversations import list_titles


def first_exchange(app: RunningApp, question: str, answer: str, title: str) -> ConversationId:
    """Send question; the server answers, then suggests title. Returns the conversation id."""
    app.server.push(Scenario(text=answer), Scenario(text=title))
    app.type_and_send(question)
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "the answer")
    cid = app.window.conversation_id
    assert cid is not None
    return cid


def title_of(app: RunningApp, cid: ConversationId) -> str:
    return app.store.conversations.get(cid).title


def test_after_the_first_answer_the_model_names_the_conversation(
    app_factory: AppFactory,
) -> None:
    app = app_factory(model_titles=True)
    cid = first_exchange(
        app, "Explain **SSE** in one line", "SSE streams events.", '"SSE in brief."'
    )
    app.wait(lambda: title_of(app, cid) == "SSE in brief", "the model's title")
    request = app.server.chat_requests[-1].json
    assert request["max_tokens"] == TITLE_MAX_TOKENS
    assert request.get("stream") is not True
    assert request["messages"][0]["content"] == "Explain **SSE** in one line"
    assert "title" in request["messages"][-1]["content"]
    assert len(app.server.chat_requests) == 2
    # The list shows it.
    app.wait(
        lambda: "SSE in brief" in list_titles(app),
        "the title in the list",
    )


def test_only_the_first_answer_asks(app_factory: AppFactory) -> None:
    app = app_factory(model_titles=True)
    cid = first_exchange(app, "Question one", "Answer one", "Named")
    app.wait(lambda: title_of(app, cid) == "Named", "the model's title")
    app.server.push(Scenario(text="Answer two"))
    app.type_and_send("Question two")
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "answer two")
    app.wait(lambda: not app.services.titles.is_running(cid), "no title request")
    assert len(app.server.chat_requests) == 3
    assert title_of(app, cid) == "Named"


def test_a_title_the_user_set_is_never_replaced(app_factory: AppFactory) -> None:
    app = app_factory(model_titles=True)
    app.server.push(Scenario(text="An answer", delay=0.05), Scenario(text="Model title"))
    app.type_and_send("A question")
    cid = app.window.conversation_id
    assert cid is not None
    app.services.conversations.rename(cid, "Mine")
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "the answer")
    app.wait(lambda: not app.services.titles.is_running(cid), "no title request")
    assert title_of(app, cid) == "Mine"
    # Asked for nothing: the user's title stands.
    assert len(app.server.chat_requests) == 1


def test_a_rename_while_the_title_is_on_its_way_wins(app_factory: AppFactory) -> None:
    app = app_factory(model_titles=True)
    app.server.push(Scenario(text="An answer"), Scenario(text="Model title", headers_delay=0.3))
    app.type_and_send("A question")
    cid = app.window.conversation_id
    assert cid is not None
    app.wait(lambda: app.services.titles.is_running(cid), "the title request")
    app.services.conversations.rename(cid, "Mine")
    app.wait(lambda: not app.services.titles.is_running(cid), "the title request ended")
    assert title_of(app, cid) == "Mine"


def test_a_failed_title_request_keeps_the_first_message_title(app_factory: AppFactory) -> None:
    app = app_factory(model_titles=True)
    app.server.push(Scenario(text="An answer"), Scenario.http_error(400))
    app.type_and_send("# Why is the *sky* blue?")
    cid = app.window.conversation_id
    assert cid is not None
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "the answer")
    app.wait(lambda: len(app.server.chat_requests) >= 2, "the title request")
    app.wait(lambda: not app.services.titles.is_running(cid), "the title request ended")
    assert title_of(app, cid) == "Why is the sky blue?"
    assert app.errors == []


def test_the_setting_turns_it_off(app_factory: AppFactory) -> None:
    app = app_factory(model_titles=False)
    app.server.push(Scenario(text="An answer"))
    app.type_and_send("A question")
    mid = last_answer(app).id
    app.wait(lambda: app.store.messages.get(mid).status is MessageStatus.COMPLETE, "the answer")
    cid = app.window.conversation_id
    assert cid is not None
    assert not app.services.titles.is_running(cid)
    assert len(app.server.chat_requests) == 1
