"""Clients replaced by a key or settings change are closed once nothing streams on them."""

from __future__ import annotations

import asyncio

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.services.client_pool import ClientPool, ConnectionConfig
from longcat_desktop.store.settings import ProxyMode
from tests.fakes.longcat_server import LongCatServer, Scenario
from tests.qt_async import emitted, run, until
from tests.services.conftest import ChatEnv

LONG_TEXT = " ".join(f"word{i}" for i in range(150))


def test_an_idle_client_is_closed_as_soon_as_the_key_changes(
    longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> None:
    pool = ClientPool(ConnectionConfig(base_url=longcat_server.url))
    pool.set_key(longcat_server.api_key)
    old = pool.client(ApiFormat.OPENAI)

    async def body() -> None:
        pool.set_key("another-key-for-the-test")
        await until(lambda: old.is_closed, what="the old client closed")
        new = pool.client(ApiFormat.OPENAI)
        assert new is not old
        assert not new.is_closed
        await pool.aclose()
        assert new.is_closed

    run(qloop, body())


def test_a_settings_change_closes_the_idle_client_too(
    longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> None:
    pool = ClientPool(ConnectionConfig(base_url=longcat_server.url))
    pool.set_key(longcat_server.api_key)
    old = pool.client(ApiFormat.ANTHROPIC)

    async def body() -> None:
        pool.configure(ConnectionConfig(base_url=longcat_server.url, proxy_mode=ProxyMode.NONE))
        await until(lambda: old.is_closed, what="the old client closed")
        await pool.aclose()

    run(qloop, body())


def test_an_answer_streaming_on_a_replaced_client_ends_before_that_client_closes(
    chat_env: ChatEnv,
) -> None:
    conversation = chat_env.new_conversation()
    chat_env.server.push(Scenario(text=LONG_TEXT, delay=0.01))
    old = chat_env.clients.client(ApiFormat.OPENAI)

    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation.id, "Go")
        assert message_id is not None
        await emitted(chat_env.chat.answerDelta)
        chat_env.clients.set_key("another-key-for-the-test")
        assert chat_env.clients.retired == 1
        await emitted(chat_env.chat.answerDelta)
        assert not old.is_closed
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        await until(lambda: old.is_closed, what="the old client closed after its answer")
        assert chat_env.clients.retired == 0
        return message_id

    message_id = run(chat_env.loop, body())
    stored = chat_env.store.messages.get(message_id)
    assert stored.status is MessageStatus.COMPLETE
    assert stored.text == LONG_TEXT
