"""Three computers edit the same history offline in every way a person can, then sync in a
random order: whatever the order, they all end with the same conversations, folders and prompts.
Each seed is one fixed scenario, so a failure can be replayed."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.organising import Assistant
from longcat_desktop.store import Store
from longcat_desktop.store.attachments import content_hash
from tests.fakes.webdav_server import WebDavServer
from tests.sync.helpers import SETTINGS, Device, answered, later

Action = Callable[[Store, random.Random], None]


def _conversation(store: Store, rng: random.Random) -> ConversationId | None:
    listed = store.conversations.list()
    return rng.choice(listed).id if listed else None


def _new_chat(store: Store, rng: random.Random) -> None:
    conversation = store.conversations.create(_settings(), title=f"Chat {rng.randrange(10**6)}")
    asked = store.messages.add_user_message(conversation.id, None, f"Q{rng.randrange(10**6)}")
    answered(store, conversation.id, asked.id, f"A{rng.randrange(10**6)}")


def _reply_or_branch(store: Store, rng: random.Random) -> None:
    conversation_id = _conversation(store, rng)
    if conversation_id is None:
        return
    messages = store.messages.all_in_conversation(conversation_id)
    if not messages:
        return
    parent = rng.choice(messages)
    if parent.role == "user":
        answered(store, conversation_id, parent.id, f"Another answer {rng.randrange(10**6)}")
    else:
        asked = store.messages.add_user_message(conversation_id, parent.id, "Follow-up")
        answered(store, conversation_id, asked.id, f"Follow-up answer {rng.randrange(10**6)}")


def _delete_branch(store: Store, rng: random.Random) -> None:
    conversation_id = _conversation(store, rng)
    if conversation_id is None:
        return
    messages = store.messages.all_in_conversation(conversation_id)
    if len(messages) > 2:
        store.messages.delete_branch(rng.choice(messages[2:]).id)


def _edit_conversation(store: Store, rng: random.Random) -> None:
    conversation_id = _conversation(store, rng)
    if conversation_id is None:
        return
    if rng.random() < 0.5:
        store.conversations.rename(conversation_id, f"Renamed {rng.randrange(10**6)}")
    else:
        store.conversations.set_pinned(conversation_id, rng.random() < 0.5)
    store.conversations.set_draft(conversation_id, f"Draft {rng.randrange(10**6)}")


def _edit_settings(store: Store, rng: random.Random) -> None:
    conversation_id = _conversation(store, rng)
    if conversation_id is None:
        return
    if rng.random() < 0.5:
        temperature = rng.choice([None, 0.2, 0.7, 1.0])
        store.conversations.update_settings(
            conversation_id, replace(SETTINGS, temperature=temperature)
        )
    else:
        chosen = rng.choice([None, '{"servers": {"time": true}, "tools": {}}'])
        store.conversations.set_tool_selection(conversation_id, chosen)


def _delete_conversation(store: Store, rng: random.Random) -> None:
    conversation_id = _conversation(store, rng)
    if conversation_id is not None and rng.random() < 0.5:
        store.conversations.delete(conversation_id)


def _folders(store: Store, rng: random.Random) -> None:
    folders = store.folders.all()
    roll = rng.random()
    if not folders or roll < 0.3:
        store.folders.create(f"Folder {rng.randrange(10**6)}")
    elif roll < 0.5:
        store.folders.rename(rng.choice(folders).id, f"Folder {rng.randrange(10**6)}")
    elif roll < 0.65:
        store.folders.delete(rng.choice(folders).id)
    else:
        conversation_id = _conversation(store, rng)
        if conversation_id is not None:
            target = rng.choice([*folders, None])
            store.folders.move([conversation_id], None if target is None else target.id)


def _prompts(store: Store, rng: random.Random) -> None:
    prompts = store.prompts.all()
    roll = rng.random()
    if not prompts or roll < 0.4:
        store.prompts.add(f"Prompt {rng.randrange(10**6)}", "Body")
    elif roll < 0.8:
        chosen = rng.choice(prompts)
        store.prompts.update(chosen.id, chosen.name, f"Body {rng.randrange(10**6)}")
    else:
        store.prompts.delete(rng.choice(prompts).id)


def _draft_files(store: Store, rng: random.Random) -> None:
    conversation_id = _conversation(store, rng)
    if conversation_id is None:
        return
    attached = store.attachments.draft(conversation_id)
    if attached and rng.random() < 0.4:
        store.attachments.remove_from_draft(conversation_id, rng.randrange(len(attached)))
        return
    data = b"%PDF-" + bytes([rng.randrange(4)]) * 64  # a few contents, shared between drafts
    attachment = Attachment(
        content_hash(data), AttachmentKind.DOCUMENT, "notes.txt", "text/plain", len(data), text="n"
    )
    store.attachments.add_to_draft(conversation_id, PreparedAttachment(attachment, data))


def _assistants(store: Store, rng: random.Random) -> None:
    own = [a for a in store.assistants.all() if a.builtin is None]
    roll = rng.random()
    if not own or roll < 0.4:
        store.assistants.add(Assistant(0, "", f"Assistant {rng.randrange(10**6)}", "Be kind."))
    elif roll < 0.8:
        store.assistants.update(replace(rng.choice(own), system_prompt=f"Be {rng.randrange(99)}."))
    else:
        store.assistants.delete(rng.choice(own).id)


# Answers still streaming, per data folder: started by one action, finished by another.
STREAMS: dict[str, list[MessageId]] = {}


def _start_stream(store: Store, rng: random.Random) -> None:
    conversation_id = _conversation(store, rng)
    if conversation_id is None:
        return
    users = [m for m in store.messages.all_in_conversation(conversation_id) if m.role == "user"]
    if not users:
        return
    started = store.messages.start_assistant_message(
        conversation_id, rng.choice(users).id, model=SETTINGS.model, api_format=SETTINGS.api_format
    )
    store.writer(started.id).append_text("half of an answer")
    STREAMS.setdefault(str(store.db.path), []).append(started.id)


def _finish_stream(store: Store, rng: random.Random) -> None:
    pending = STREAMS.get(str(store.db.path), [])
    if not pending:
        return
    message_id = pending.pop(rng.randrange(len(pending)))
    if store.db.scalar("SELECT 1 FROM messages WHERE id = ?", (message_id,)):
        writer = store.writer(message_id)
        writer.append_text(" and the rest")
        writer.finish(MessageStatus.COMPLETE, finish_reason="stop")


ACTIONS: list[Action] = [
    _start_stream,
    _finish_stream,
    _finish_stream,
    _new_chat,
    _reply_or_branch,
    _delete_branch,
    _edit_conversation,
    _edit_settings,
    _delete_conversation,
    _folders,
    _folders,
    _prompts,
    _draft_files,
    _assistants,
]


def _settings() -> ConversationSettings:
    return SETTINGS


def _state(device: Device) -> tuple[object, ...]:
    with device.store() as store:
        folders = sorted(
            (
                store.folders.uuid_of(f.id),
                f.name,
                sorted(
                    store.conversations.get(c).uuid for c in store.folders.conversation_ids(f.id)
                ),
            )
            for f in store.folders.all()
        )
        prompts = sorted((p.uuid, p.name, p.body) for p in store.prompts.all())
        assistants = sorted((a.uuid, a.name, a.system_prompt) for a in store.assistants.all())
    return device.export(), folders, prompts, assistants


@pytest.mark.parametrize("seed", range(int(os.environ.get("LONGCAT_SYNC_SEEDS", "10"))))
def test_three_computers_converge_whatever_they_did_and_whatever_the_order(
    server: WebDavServer, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    devices = [Device(tmp_path / name, server) for name in ("laptop", "desktop", "tablet")]
    with devices[0].store() as store:
        for _ in range(3):
            _new_chat(store, rng)
    for device in devices:
        device.sync()

    for _round in range(6):
        for device in devices:
            with device.store() as store:
                for _ in range(rng.randrange(1, 5)):
                    rng.choice(ACTIONS)(store, rng)
            later()
        for device in rng.sample(devices, k=rng.randrange(1, 4)):
            assert not device.sync().damaged

    for device in devices:
        with device.store() as store:
            while STREAMS.get(str(store.db.path)):
                _finish_stream(store, rng)
    for _ in range(2):
        for device in devices:
            assert not device.sync().damaged
    first = _state(devices[0])
    assert _state(devices[1]) == first
    assert _state(devices[2]) == first
