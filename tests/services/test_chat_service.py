"""Answers streamed through the service into the store, against the local LongCat server."""

from __future__ import annotations

from dataclasses import replace

import pytest

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import MessageStatus, StoredMessage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.services.error_actions import ErrorAction, action_for
from longcat_desktop.store.settings import ProxyMode
from tests.fakes.longcat_server import DEFAULT_TEXT, Scenario
from tests.qt_async import emitted, run, until
from tests.services.conftest import ChatEnv


def _answer(chat_env: ChatEnv, conversation_id: ConversationId, text: str) -> StoredMessage:
    """Send `text` and wait until its answer has finished, however it finished."""

    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation_id, text)
        assert message_id is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    return chat_env.store.messages.get(run(chat_env.loop, body()))


LONG_TEXT = " ".join(f"word{i}" for i in range(300))


@pytest.mark.parametrize("api_format", list(ApiFormat))
def test_an_answer_streams_in_pieces_and_is_stored(
    chat_env: ChatEnv, api_format: ApiFormat
) -> None:
    conversation = chat_env.new_conversation(api_format)
    chat_env.server.push(Scenario(text=LONG_TEXT, delay=0.002))
    deltas: list[str] = []
    chat_env.chat.answerDelta.connect(lambda _c, _m, text, _r: deltas.append(text))

    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation.id, "Hello there")
        assert message_id is not None
        assert chat_env.chat.is_streaming(conversation.id)
        # Persisted while streaming, before the answer is over.
        await until(lambda: chat_env.store.messages.get(message_id).text, what="a flush")
        assert chat_env.store.messages.get(message_id).status is MessageStatus.STREAMING
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    message_id = run(chat_env.loop, body())
    stored = chat_env.store.messages.get(message_id)
    assert stored.status is MessageStatus.COMPLETE
    assert stored.text == LONG_TEXT
    assert "".join(deltas) == LONG_TEXT
    assert len(deltas) > 3, "the answer should arrive in several refreshes"
    assert stored.usage is not None
    assert stored.usage.output_tokens
    assert stored.first_token_at is not None
    assert stored.finished_at is not None
    assert not chat_env.chat.is_streaming(conversation.id)
    thread = chat_env.store.messages.visible_thread(conversation.id)
    assert [m.role.value for m in thread] == ["user", "assistant"]
    assert chat_env.store.conversations.get(conversation.id).title == "Hello there"


def test_the_history_and_settings_are_sent(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation(
        ApiFormat.ANTHROPIC, system_prompt="Be brief.", temperature=0.3, thinking=False
    )

    async def body() -> None:
        first = chat_env.chat.send(conversation.id, "One")
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == first)
        second = chat_env.chat.send(conversation.id, "Two")
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == second)

    run(chat_env.loop, body())
    body_sent = chat_env.server.last_request.json
    assert body_sent["system"] == "Be brief."
    assert body_sent["temperature"] == 0.3
    assert body_sent["thinking"] == {"type": "disabled"}
    assert [m["role"] for m in body_sent["messages"]] == ["user", "assistant", "user"]
    assert body_sent["messages"][1]["content"] == DEFAULT_TEXT


def test_stop_keeps_the_partial_answer(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(text=LONG_TEXT, delay=0.01))

    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation.id, "Go")
        assert message_id is not None
        await emitted(chat_env.chat.answerDelta)
        chat_env.chat.stop(conversation.id)
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    message_id = run(chat_env.loop, body())
    stored = chat_env.store.messages.get(message_id)
    assert stored.status is MessageStatus.STOPPED
    assert stored.text
    assert LONG_TEXT.startswith(stored.text)
    assert len(stored.text) < len(LONG_TEXT)
    assert chat_env.server.wait_for_disconnect(5)


def test_a_dropped_stream_is_interrupted_and_retry_completes_it(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(drop_after=3), Scenario())

    async def body() -> tuple[MessageId, MessageId]:
        first = chat_env.chat.send(conversation.id, "Go")
        assert first is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == first)
        second = chat_env.chat.retry(first)
        assert second is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == second)
        return first, second

    first, second = run(chat_env.loop, body())
    dropped = chat_env.store.messages.get(first)
    assert dropped.status is MessageStatus.INTERRUPTED
    assert dropped.text
    assert DEFAULT_TEXT.startswith(dropped.text)
    assert dropped.error is not None
    retried = chat_env.store.messages.get(second)
    assert retried.status is MessageStatus.COMPLETE
    assert retried.text == DEFAULT_TEXT
    # The partial answer is kept as a sibling, not destroyed.
    assert chat_env.store.messages.siblings(second).count == 2


def test_a_wrong_key_fails_with_the_settings_action(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.clients.set_key("not-the-key")

    stored = _answer(chat_env, conversation.id, "Hi")
    assert stored.status is MessageStatus.ERROR
    assert stored.error is not None
    assert stored.error.message == "Invalid API key provided"
    assert stored.error.status == 401
    assert action_for(stored.error) is ErrorAction.OPEN_SETTINGS


def test_no_key_at_all_fails_with_the_settings_action(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.clients.set_key(None)

    stored = _answer(chat_env, conversation.id, "Hi")
    assert stored.status is MessageStatus.ERROR
    assert stored.error is not None
    assert action_for(stored.error) is ErrorAction.OPEN_SETTINGS


def test_a_proxy_that_cannot_be_used_fails_the_answer_with_a_message(
    chat_env: ChatEnv,
) -> None:
    conversation = chat_env.new_conversation()
    chat_env.clients.configure(
        replace(chat_env.clients.config, proxy_mode=ProxyMode.URL, proxy_url="socks4://127.0.0.1:1")
    )

    stored = _answer(chat_env, conversation.id, "Hi")
    assert stored.status is MessageStatus.ERROR
    assert stored.error is not None
    assert stored.error.message.startswith("The proxy in the settings cannot be used: ")
    assert stored.error.type == "connection_error"
    assert chat_env.server.requests == []


def test_an_unexpected_failure_still_ends_the_answer_with_a_message(
    chat_env: ChatEnv, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = chat_env.new_conversation()

    def broken(api_format: ApiFormat) -> object:
        raise KeyError("a bug")

    monkeypatch.setattr(chat_env.clients, "client", broken)

    stored = _answer(chat_env, conversation.id, "Hi")
    assert stored.status is MessageStatus.ERROR
    assert stored.error is not None
    assert "(KeyError)" in stored.error.message
    assert not chat_env.chat.is_streaming(conversation.id)
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is KeyError]
    assert logged, "the traceback is logged"


def test_a_rate_limit_is_announced_then_retried(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(
        Scenario.http_error(429, "Slow down", retry_after="0"), Scenario(text="Fine.")
    )
    retries: list[tuple[float, str]] = []
    chat_env.chat.answerRetrying.connect(lambda _c, _m, delay, why: retries.append((delay, why)))

    stored = _answer(chat_env, conversation.id, "Hi")
    assert retries == [(0.0, "Slow down")]
    assert stored.text == "Fine."
    assert stored.status is MessageStatus.COMPLETE


def test_an_error_after_text_keeps_the_text(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(error_after=4))

    stored = _answer(chat_env, conversation.id, "Hi")
    assert stored.status is MessageStatus.ERROR
    assert stored.text
    assert DEFAULT_TEXT.startswith(stored.text)
    assert stored.error is not None
    assert "overloaded" in stored.error.message
    assert stored.error is not None
    assert action_for(stored.error) is ErrorAction.RETRY


def test_edit_and_regenerate_make_branches(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(text="A1"), Scenario(text="A2"), Scenario(text="B1"))

    async def body() -> tuple[MessageId, MessageId, MessageId]:
        first = chat_env.chat.send(conversation.id, "Question")
        assert first is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == first)
        regenerated = chat_env.chat.regenerate(first)
        assert regenerated is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == regenerated)
        user_id = chat_env.store.messages.get(first).parent_id
        assert user_id is not None
        edited = chat_env.chat.edit_and_resend(user_id, "Better question")
        assert edited is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == edited)
        return first, regenerated, edited

    first, regenerated, _ = run(chat_env.loop, body())
    messages = chat_env.store.messages
    assert messages.siblings(regenerated).count == 2
    assert [messages.get(i).text for i in messages.siblings(first).ids] == ["A1", "A2"]
    thread = messages.visible_thread(conversation.id)
    assert [m.text for m in thread] == ["Better question", "B1"]
    user_siblings = messages.siblings(thread[0].id)
    assert user_siblings.count == 2
    assert user_siblings.index == 1


def test_continue_extends_the_same_answer(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation(ApiFormat.ANTHROPIC)
    chat_env.server.push(Scenario(text="The first half", stop_reason="max_tokens"))
    chat_env.server.push(Scenario(text=" and the second half."))

    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation.id, "Tell me")
        assert message_id is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        assert chat_env.store.messages.get(message_id).finish_reason == "max_tokens"
        assert chat_env.chat.continue_answer(message_id) == message_id
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    stored = chat_env.store.messages.get(run(chat_env.loop, body()))
    assert stored.text == "The first half and the second half."
    assert stored.status is MessageStatus.COMPLETE
    sent = chat_env.server.last_request.json["messages"]
    assert sent[-1] == {"role": "assistant", "content": "The first half"}


def test_two_conversations_stream_at_once(chat_env: ChatEnv) -> None:
    one, two = chat_env.new_conversation(), chat_env.new_conversation(ApiFormat.ANTHROPIC)
    chat_env.server.push(
        Scenario(text=LONG_TEXT, delay=0.002), Scenario(text=LONG_TEXT, delay=0.002)
    )

    async def body() -> tuple[MessageId, MessageId]:
        first = chat_env.chat.send(one.id, "One")
        second = chat_env.chat.send(two.id, "Two")
        assert first is not None
        assert second is not None
        assert chat_env.chat.streaming_conversations() == {one.id, two.id}
        await until(lambda: not chat_env.chat.streaming_conversations(), what="both answers")
        return first, second

    for message_id in run(chat_env.loop, body()):
        assert chat_env.store.messages.get(message_id).text == LONG_TEXT


def test_shutdown_keeps_a_streaming_answer_as_interrupted(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(text=LONG_TEXT, delay=0.01))

    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation.id, "Go")
        assert message_id is not None
        await emitted(chat_env.chat.answerDelta)
        await chat_env.chat.shutdown()
        return message_id

    stored = chat_env.store.messages.get(run(chat_env.loop, body()))
    assert stored.status is MessageStatus.INTERRUPTED
    assert stored.text


def test_stop_in_the_same_loop_turn_as_send_still_ends_the_answer(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()

    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation.id, "Never mind")
        assert message_id is not None
        # The answer's task has not taken a step yet: cancelled now, its body never runs.
        chat_env.chat.stop(conversation.id)
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    message_id = run(chat_env.loop, body())
    assert chat_env.store.messages.get(message_id).status is MessageStatus.STOPPED
    assert not chat_env.chat.is_streaming(conversation.id)


def test_retry_of_an_answer_with_later_messages_keeps_them(chat_env: ChatEnv) -> None:
    """A failed answer that the user already replied to: retrying it adds a version beside
    it and deletes nothing, neither the answer nor what followed."""
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario.http_error(400, "Boom"), Scenario(text="Later."))
    failed = _answer(chat_env, conversation.id, "First")
    assert failed.status is MessageStatus.ERROR
    assert not failed.text
    follow_up = _answer(chat_env, conversation.id, "Anyway, second")
    assert follow_up.text == "Later."
    assert chat_env.store.messages.get(follow_up.parent_id or MessageId(0)).parent_id == failed.id

    async def body() -> MessageId:
        retried = chat_env.chat.retry(failed.id)
        assert retried is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == retried)
        return retried

    retried = run(chat_env.loop, body())
    assert chat_env.store.messages.get(failed.id).status is MessageStatus.ERROR
    assert chat_env.store.messages.get(follow_up.id).text == "Later."
    assert chat_env.store.messages.siblings(retried).count == 2
    assert not chat_env.chat.may_retry_by_itself(failed.id)


def test_an_empty_failed_answer_at_the_end_is_replaced_on_retry(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario.http_error(400, "Bad"), Scenario(text="Good."))
    failed = _answer(chat_env, conversation.id, "Hi")
    assert chat_env.chat.may_retry_by_itself(failed.id)

    async def body() -> MessageId:
        retried = chat_env.chat.retry(failed.id)
        assert retried is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == retried)
        return retried

    retried = run(chat_env.loop, body())
    assert chat_env.store.messages.siblings(retried).count == 1
    assert [m.text for m in chat_env.store.messages.visible_thread(conversation.id)] == [
        "Hi",
        "Good.",
    ]


PASTED_CODE = "\n  \n    def f():\n        return 1\n\n   "


def test_pasted_code_keeps_its_indentation(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    answer = _answer(chat_env, conversation.id, PASTED_CODE)
    assert answer.parent_id is not None
    stored = chat_env.store.messages.get(answer.parent_id).text
    assert stored == "    def f():\n        return 1"
    sent = chat_env.server.last_request.json["messages"][-1]["content"]
    assert sent == stored


def test_an_edited_message_keeps_its_indentation(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    first = _answer(chat_env, conversation.id, "Question")
    assert first.parent_id is not None

    async def body() -> MessageId:
        edited = chat_env.chat.edit_and_resend(first.parent_id, "\n\tindented\n")  # type: ignore[arg-type]
        assert edited is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == edited)
        return edited

    edited = chat_env.store.messages.get(run(chat_env.loop, body()))
    assert edited.parent_id is not None
    assert chat_env.store.messages.get(edited.parent_id).text == "\tindented"


def test_a_message_of_white_space_only_is_not_sent(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation()
    assert chat_env.chat.send(conversation.id, " \n\t\n  ") is None
    assert chat_env.store.messages.visible_thread(conversation.id) == []
