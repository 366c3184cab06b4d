from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import Conversation, ConversationSettings
from longcat_desktop.services.chat_service import ChatService
from longcat_desktop.services.client_pool import ClientPool, ConnectionConfig
from longcat_desktop.services.conversation_service import ConversationService
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store.store import Store
from tests.fakes.longcat_server import LongCatServer


@dataclass
class ChatEnv:
    store: Store
    clients: ClientPool
    tasks: TaskOwner
    chat: ChatService
    conversations: ConversationService
    server: LongCatServer
    loop: asyncio.AbstractEventLoop
    errors: list[BaseException]

    def new_conversation(
        self, api_format: ApiFormat = ApiFormat.OPENAI, **settings: object
    ) -> Conversation:
        values = ConversationSettings(model="LongCat-2.0", api_format=api_format)
        if settings:
            from dataclasses import replace

            values = replace(values, **settings)  # type: ignore[arg-type]
        return self.store.conversations.create(values)


@pytest.fixture
def chat_env(
    tmp_path: Path, longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> Iterator[ChatEnv]:
    store = Store.open(tmp_path / "data")
    errors: list[BaseException] = []
    tasks = TaskOwner(qloop, errors.append)
    clients = ClientPool(ConnectionConfig(base_url=longcat_server.url, max_retries=2))
    clients.set_key(longcat_server.api_key)
    chat = ChatService(store, clients, tasks)
    conversations = ConversationService(
        store, lambda: ConversationSettings("LongCat-2.0", ApiFormat.OPENAI)
    )
    env = ChatEnv(store, clients, tasks, chat, conversations, longcat_server, qloop, errors)
    try:
        yield env
    finally:
        qloop.run_until_complete(chat.shutdown())
        qloop.run_until_complete(clients.aclose())
        store.close()
    assert not errors, errors
