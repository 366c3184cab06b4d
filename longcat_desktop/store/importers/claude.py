"""The Claude.ai data export's conversations.json, as conversations of ours.

The file is a list of conversations, each `uuid`, `name`, `created_at`, `updated_at` (ISO 8601
times) and `chat_messages`: each `uuid`, `sender` ("human" or "assistant"), `text`, `content`
(blocks of type text, thinking, tool_use, tool_result, ...), `created_at`, `attachments`
(`file_name`, `extracted_content`) and `files` (`file_name`). Newer exports give each message a
`parent_message_uuid` (edits and retries are siblings) and the conversation a
`current_leaf_message_uuid`; older ones are one list in order. Both are read: a message without
a parent field follows the one before it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.store.errors import ImportFormatError
from longcat_desktop.store.importers.tree import Candidate, Turn, conversation, join

SOURCE = "claude"

_ROLES = {"human": "user", "user": "user", "assistant": "assistant"}


def convert(raw: Any, settings: ConversationSettings) -> Candidate:
    if not isinstance(raw, dict):
        raise ImportFormatError("a conversation should be an object")
    title = _text(raw.get("name"))
    source_id = _text(raw.get("uuid"))
    if not source_id:
        raise ImportFormatError("the conversation has no uuid")
    messages = raw.get("chat_messages")
    if not isinstance(messages, list):
        raise ImportFormatError("the conversation has no list of messages")
    turns: list[Turn] = []
    previous: str | None = None
    for index, message in enumerate(messages):
        turn = _turn(index, message, previous)
        turns.append(turn)
        previous = turn.id
    current = raw.get("current_leaf_message_uuid")
    if not isinstance(current, str):
        # The newest message is the one the app showed last.
        current = previous
    document = conversation(
        source=SOURCE,
        source_id=source_id,
        title=title,
        created_at=_time(raw.get("created_at")),
        updated_at=_time(raw.get("updated_at")),
        turns=turns,
        current=current,
        settings=settings,
    )
    return Candidate(title, document, SOURCE, source_id)


def title_of(raw: Any) -> str:
    return _text(raw.get("name")) if isinstance(raw, dict) else ""


def _turn(index: int, message: Any, previous: str | None) -> Turn:
    if not isinstance(message, dict):
        raise ImportFormatError(f"message {index + 1} should be an object")
    message_id = _text(message.get("uuid")) or f"message-{index}"
    # A parent that names no message here (the export's all-zero root id) means the top.
    parent = message.get("parent_message_uuid", previous)
    turn = Turn(id=message_id, parent=parent if isinstance(parent, str) else None, role=None)
    turn.created_at = _time(message.get("created_at"))
    role = _ROLES.get(_text(message.get("sender")))
    if role is None:
        return turn
    blocks = message.get("content")
    if isinstance(blocks, list) and blocks:
        texts, thinking = _blocks(blocks)
        text = join(*texts)
        turn.reasoning = join(*thinking)
    else:
        text = _text(message.get("text"))
    turn.text = join(text, *_files(message))
    if turn.text.strip() or turn.reasoning.strip():
        turn.role = role
    return turn


def _blocks(blocks: list[Any]) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    thinking: list[str] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = _text(block.get("type"))
        if kind == "text":
            texts.append(_text(block.get("text")))
        elif kind == "thinking":
            thinking.append(_text(block.get("thinking")))
        elif kind == "tool_use":
            arguments = json.dumps(block.get("input"), ensure_ascii=False, indent=2)
            texts.append(f"[tool: {_text(block.get('name'))}]\n```json\n{arguments}\n```")
        elif kind == "tool_result":
            result = join(*_result_texts(block.get("content")))
            texts.append(join(f"[tool result: {_text(block.get('name'))}]", result))
        elif kind == "image":
            texts.append("[image]")
        elif kind in ("token_budget", "redacted_thinking"):
            continue  # bookkeeping, and thinking the export does not reveal
        else:
            texts.append(join(f"[{kind or 'content'}]", _text(block.get("text"))))
    return texts, thinking


def _result_texts(content: Any) -> list[str]:
    if isinstance(content, str):
        return [content]
    if not isinstance(content, list):
        return []
    found = []
    for item in content:
        if isinstance(item, dict):
            image = "[image]" if item.get("type") == "image" else ""
            found.append(_text(item.get("text")) or image)
        elif isinstance(item, str):
            found.append(item)
    return found


def _files(message: dict[str, Any]) -> list[str]:
    """Attachments with their text (what the model saw), then files named only."""
    notes = []
    named: set[str] = set()
    for attachment in _list(message.get("attachments")):
        if isinstance(attachment, dict):
            name = _text(attachment.get("file_name"))
            named.add(name)
            notes.append(join(f"[file: {name}]", _text(attachment.get("extracted_content"))))
    for file in _list(message.get("files")):
        if isinstance(file, dict):
            name = _text(file.get("file_name"))
            if name not in named:
                notes.append(f"[file: {name}]" if name else "[file]")
    return notes


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _time(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
