"""An assistant's choice of tools: a conversation started from it takes a copy of it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.domain.organising import Assistant
from longcat_desktop.services.conversation_service import ConversationService
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.tool_loop import ToolLoop, ToolSelection
from longcat_desktop.services.tool_servers import ToolServers
from longcat_desktop.store.store import Store

CHOICE = ToolSelection(servers={"files": True, "web": False}, tools={"files/delete": False})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def service(store: Store) -> ConversationService:
    return ConversationService(store, lambda: ConversationSettings("LongCat-2.0", ApiFormat.OPENAI))


@pytest.fixture
def loop(tmp_path: Path, store: Store, qloop: asyncio.AbstractEventLoop) -> Iterator[ToolLoop]:
    tasks = TaskOwner(qloop, lambda error: None)
    servers = ToolServers(tmp_path / "data", tasks)
    # Settings say: every server's tools on; the assistant's choice must win over that.
    yield ToolLoop(servers, store, default_on=lambda: True)
    qloop.run_until_complete(servers.aclose())


def add(service: ConversationService, tools: str | None) -> Assistant:
    added = service.assistants.add(Assistant(id=0, uuid="", name="Researcher", tools=tools))
    assert added is not None
    return added


def test_a_conversation_from_an_assistant_uses_its_tools(
    service: ConversationService, loop: ToolLoop
) -> None:
    assistant = add(service, CHOICE.to_json())
    conversation = service.create(assistant.id)
    assert conversation is not None
    selection = loop.selection(conversation.id)
    assert selection == CHOICE
    assert selection.allows("files", "read")
    assert not selection.allows("files", "delete")
    assert not selection.uses_server("web")


def test_editing_the_assistant_leaves_old_conversations_their_tools(
    service: ConversationService, loop: ToolLoop, store: Store
) -> None:
    assistant = add(service, CHOICE.to_json())
    old = service.create(assistant.id)
    assert old is not None
    service.assistants.update(replace(assistant, tools=CHOICE.with_server("web", True).to_json()))
    assert loop.selection(old.id) == CHOICE
    new = service.create(assistant.id)
    assert new is not None
    assert loop.selection(new.id).uses_server("web")
    # Back to "as in Settings": new conversations follow Settings, the old keep their copy.
    service.assistants.update(replace(assistant, tools=None))
    newest = service.create(assistant.id)
    assert newest is not None
    assert store.conversations.tool_selection(newest.id) is None
    assert loop.selection(old.id) == CHOICE


def test_an_assistant_without_a_choice_leaves_the_conversation_on_settings(
    service: ConversationService, store: Store
) -> None:
    conversation = service.create(add(service, None).id)
    assert conversation is not None
    assert store.conversations.tool_selection(conversation.id) is None


def test_starting_over_from_an_assistant_takes_its_tools_and_back(
    service: ConversationService, store: Store
) -> None:
    conversation = service.create()
    assert conversation is not None
    assistant = add(service, CHOICE.to_json())
    service.start_over(conversation.id, assistant.id)
    assert store.conversations.tool_selection(conversation.id) == CHOICE.to_json()
    service.start_over(conversation.id, None)
    assert store.conversations.tool_selection(conversation.id) is None
