"""The ChatGPT data export's conversations.json, as conversations of ours.

The file is a list of conversations, each `title`, `create_time`, `update_time` (seconds since
1970), `conversation_id` (or `id`), `current_node` (the last message shown) and `mapping`: node
id -> {id, message, parent, children}. A node's message (null for the root) has `author.role`
(system, user, assistant, tool), `content` with a `content_type` (text, multimodal_text, code,
execution_output, tether_quote, thoughts, ...) and usually `parts`, a `create_time`, a
`recipient` ("all" for what is addressed to the user; a tool's name for a call to it) and
`metadata` (`is_visually_hidden_from_conversation`, `model_slug`, `finish_details`,
`attachments`).

Edits and regenerations are sibling nodes: the tree is imported whole, showing the branch of
`current_node`. System messages and hidden nodes are left out (their children move up to the
nearest message shown); text parts are joined; what is not text (images, files, code and its
output, quotes from the web) becomes a short readable note, so nothing vanishes unsaid.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.store.errors import ImportFormatError
from longcat_desktop.store.importers.tree import Candidate, Turn, conversation, join

SOURCE = "chatgpt"

_FINISH_REASONS = {"stop": "stop", "max_tokens": "length"}


def convert(raw: Any, settings: ConversationSettings) -> Candidate:
    if not isinstance(raw, dict):
        raise ImportFormatError("a conversation should be an object")
    title = _text(raw.get("title"))
    mapping = raw.get("mapping")
    if not isinstance(mapping, dict):
        raise ImportFormatError("the conversation has no message mapping")
    source_id = _text(raw.get("conversation_id")) or _text(raw.get("id")) or _fallback_id(raw)
    turns = [_turn(node_id, node) for node_id, node in mapping.items()]
    current = raw.get("current_node")
    document = conversation(
        source=SOURCE,
        source_id=source_id,
        title=title,
        created_at=_time(raw.get("create_time")),
        updated_at=_time(raw.get("update_time")),
        turns=turns,
        current=current if isinstance(current, str) else None,
        settings=settings,
    )
    return Candidate(title, document, SOURCE, source_id)


def title_of(raw: Any) -> str:
    return _text(raw.get("title")) if isinstance(raw, dict) else ""


def _fallback_id(raw: dict[str, Any]) -> str:
    """Without an id of its own, the conversation is known by its start and its message ids."""
    mapping = raw.get("mapping")
    keys = sorted(mapping) if isinstance(mapping, dict) else []
    seed = json.dumps([raw.get("create_time"), raw.get("title"), keys], default=str)
    return "sha256:" + hashlib.sha256(seed.encode("utf-8")).hexdigest()


def _turn(node_id: Any, node: Any) -> Turn:
    if not isinstance(node_id, str) or not isinstance(node, dict):
        raise ImportFormatError("a message node should be an object under a text id")
    parent = node.get("parent")
    turn = Turn(id=node_id, parent=parent if isinstance(parent, str) else None, role=None)
    message = node.get("message")
    if not isinstance(message, dict):
        return turn  # the root, or a node without a message: not shown
    author = message.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    metadata = message.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    turn.created_at = _time(message.get("create_time"))
    if role not in ("user", "assistant", "tool") or metadata.get(
        "is_visually_hidden_from_conversation"
    ):
        return turn  # system prompts, custom instructions, hidden context
    if role == "user" and metadata.get("is_user_system_message"):
        return turn
    content = message.get("content")
    content = content if isinstance(content, dict) else {}
    kind = _text(content.get("content_type"))
    recipient = message.get("recipient")
    addressed_to_user = recipient in (None, "all")
    if kind == "thoughts":
        turn.reasoning = _thoughts(content)
    elif kind != "reasoning_recap":  # "Thought for 5 s": the app's own caption
        turn.text = join(_content_text(kind, content), *_attachments(metadata))
    if not (turn.text.strip() or turn.reasoning.strip()):
        return turn  # an empty node: a placeholder, or an answer that never came
    turn.role = "user" if role == "user" else "assistant"
    turn.tool_step = role == "tool" or (role == "assistant" and not addressed_to_user)
    turn.tool_step = turn.tool_step or kind == "thoughts"
    if role == "assistant":
        slug = metadata.get("model_slug")
        turn.model = slug if isinstance(slug, str) else None
        finish = metadata.get("finish_details")
        finish_type = finish.get("type") if isinstance(finish, dict) else None
        if finish_type == "interrupted":
            turn.status = MessageStatus.STOPPED
        elif isinstance(finish_type, str):
            turn.finish_reason = _FINISH_REASONS.get(finish_type, finish_type)
    return turn


def _content_text(kind: str, content: dict[str, Any]) -> str:
    if kind in ("text", "multimodal_text"):
        # Parts are pieces of one message (text, then an image, then text): a line apart.
        return "\n".join(p for p in (_part(part) for part in _list(content.get("parts"))) if p)
    if kind == "code":
        language = _text(content.get("language"))
        language = "" if language == "unknown" else language
        return f"```{language}\n{_text(content.get('text'))}\n```"
    if kind == "execution_output":
        return f"[code output]\n```\n{_text(content.get('text'))}\n```"
    if kind == "tether_quote":
        source = _text(content.get("title")) or _text(content.get("url"))
        quoted = "\n".join("> " + line for line in _text(content.get("text")).splitlines())
        return join(f"[quote: {source}]" if source else "[quote]", quoted)
    if kind == "tether_browsing_display":
        return join("[web results]", _text(content.get("summary")), _text(content.get("result")))
    if kind == "system_error":
        return join(f"[error: {_text(content.get('name'))}]", _text(content.get("text")))
    if kind in ("user_editable_context", "model_editable_context"):
        return ""  # custom instructions and memory: context, never shown as a message
    # Anything newer: say what it was, with whatever text it carries.
    parts = [_part(part) for part in _list(content.get("parts"))]
    return join(f"[{kind or 'content'}]", _text(content.get("text")), *parts)


def _part(part: Any) -> str:
    if isinstance(part, str):
        return part
    if not isinstance(part, dict):
        return ""
    kind = _text(part.get("content_type"))
    if kind == "image_asset_pointer":
        return "[image]"
    if kind == "audio_transcription":
        return _text(part.get("text"))
    if kind == "audio_asset_pointer":
        return "[audio]"
    if kind == "real_time_user_audio_video_asset_pointer":
        return "[audio and video]"
    name = _text(part.get("name"))
    if name:
        return f"[file: {name}]"
    return f"[{kind}]" if kind else ""


def _attachments(metadata: dict[str, Any]) -> list[str]:
    attached = [a for a in _list(metadata.get("attachments")) if isinstance(a, dict)]
    names = [_text(a.get("name")) for a in attached]
    return [f"[file: {name}]" if name else "[file]" for name in names]


def _thoughts(content: dict[str, Any]) -> str:
    pieces = []
    for thought in _list(content.get("thoughts")):
        if isinstance(thought, dict):
            pieces.append(join(_text(thought.get("summary")), _text(thought.get("content"))))
    return join(*pieces)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _time(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    # NaN, infinities and times before 1970 or after 9999 are no times.
    return value if 0 <= value < 253402300800 else None
