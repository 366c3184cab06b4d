"""From another app's messages to a conversation of our export format.

Both importers reduce a source conversation to `Turn`s: one per source message, with its
source parent, or None where the message is not shown (hidden system and tool messages, empty
nodes). `conversation` skips those, linking their children to the nearest shown ancestor, and
folds a tool step (ChatGPT's code, its output, a browsing result) into the answer it belongs to,
so that the thread reads as it did in the source app.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.store.conversations import title_from_text
from longcat_desktop.store.errors import ImportFormatError

# uuid5 namespace of imported conversations: the same source conversation gets the same id in
# every database, so an export of ours taken after an import also recognises it.
_NAMESPACE = uuid.UUID("3f0d6c1e-8a4b-5c2d-9e7f-1a2b3c4d5e6f")
_SEPARATOR = "\n\n"


@dataclass(slots=True)
class Turn:
    id: str
    # The source's parent id; it may name a message that is not shown, or none at all.
    parent: str | None
    # "user" or "assistant"; None: not shown, its children go to the nearest shown ancestor.
    role: str | None
    text: str = ""
    reasoning: str = ""
    created_at: float | None = None
    model: str | None = None
    status: str = MessageStatus.COMPLETE
    finish_reason: str | None = None
    # A tool step: joined with the answer before or after it rather than shown on its own.
    tool_step: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """One conversation of a file to import, converted, or the reason it cannot be."""

    title: str
    # A conversation of our export format; None when `problem` says why there is none.
    document: dict[str, Any] | None
    source: str | None = None
    source_id: str | None = None
    problem: str | None = None


@dataclass(slots=True)
class _Group:
    """One message of ours: a source message, with the tool steps folded into it."""

    turn: Turn
    parent: str | None
    children: list[str] = field(default_factory=list)
    has_tool_step: bool = False
    finished_at: float | None = None


def stable_uuid(source: str, source_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{source}:{source_id}"))


def join(*pieces: str) -> str:
    return _SEPARATOR.join(piece for piece in pieces if piece.strip())


def conversation(
    *,
    source: str,
    source_id: str,
    title: str,
    created_at: float | None,
    updated_at: float | None,
    turns: Sequence[Turn],
    current: str | None,
    settings: ConversationSettings,
) -> dict[str, Any]:
    """Our export format's conversation of these turns, showing the branch ending at `current`.

    Raises ImportFormatError when the turns do not form a tree.
    """
    by_id: dict[str, Turn] = {}
    for turn in turns:
        if turn.id in by_id:
            raise ImportFormatError(f"the message id {turn.id!r} appears twice")
        by_id[turn.id] = turn
    shown = _shown_parents(by_id)
    groups = _groups(turns, shown)
    times = [t.created_at for t in turns if t.created_at is not None]
    start = created_at if created_at is not None else min(times, default=0.0)
    end = updated_at if updated_at is not None else max(times, default=start)
    leaf = _leaf(current, by_id, shown, groups)
    selected = _selected_path(leaf, groups)
    messages = []
    times_by_id: dict[str, float] = {}
    for group_id, group in groups.items():
        turn = group.turn
        # A message without a time of its own takes its parent's (or the conversation's).
        when = turn.created_at
        if when is None:
            when = start if group.parent is None else times_by_id[group.parent]
        times_by_id[group_id] = when
        children = group.children
        messages.append(
            {
                "id": group_id,
                "parent": group.parent,
                "selected_child": selected.get(group_id, children[-1] if children else None),
                "role": turn.role,
                "status": str(turn.status),
                "text": turn.text,
                "reasoning": turn.reasoning,
                "reasoning_signature": None,
                "model": turn.model,
                "api_format": None,
                "finish_reason": turn.finish_reason,
                "error": None,
                "input_tokens": None,
                "output_tokens": None,
                "created_at": when,
                "first_token_at": None,
                "finished_at": group.finished_at,
            }
        )
    first_question = next((g.turn.text for g in groups.values() if g.turn.role == "user"), "")
    return {
        "id": stable_uuid(source, source_id),
        "title": title or title_from_text(first_question),
        "title_is_custom": bool(title),
        "created_at": start,
        "updated_at": max(end, start),
        "pinned": False,
        "draft": "",
        "settings": {
            "model": settings.model,
            "api_format": str(settings.api_format),
            "system_prompt": settings.system_prompt,
            "temperature": settings.temperature,
            "top_p": settings.top_p,
            "max_tokens": settings.max_tokens,
            "thinking": settings.thinking,
        },
        "current_leaf": leaf,
        "messages": messages,
    }


def _shown_parents(by_id: dict[str, Turn]) -> dict[str, str | None]:
    """For each shown turn, its nearest shown ancestor (None at the top)."""
    # Memo: for each hidden turn met on the way up, the shown ancestor above it.
    nearest: dict[str, str | None] = {}

    def climb(parent: str | None) -> str | None:
        trail: list[str] = []
        node = parent
        while True:
            if node is None or node not in by_id:
                found = None
                break
            if by_id[node].role is not None:
                found = node
                break
            if node in nearest:
                found = nearest[node]
                break
            if node in trail:
                raise ImportFormatError("the messages' parents form a loop")
            trail.append(node)
            node = by_id[node].parent
        for hidden in trail:
            nearest[hidden] = found
        return found

    return {turn_id: climb(turn.parent) for turn_id, turn in by_id.items() if turn.role is not None}


def _groups(turns: Sequence[Turn], shown: dict[str, str | None]) -> dict[str, _Group]:
    """Our messages, parents before children, siblings oldest first; tool steps folded."""
    children: dict[str | None, list[Turn]] = {}
    for turn in turns:
        if turn.id in shown:
            children.setdefault(shown[turn.id], []).append(turn)
    for siblings in children.values():
        siblings.sort(key=lambda t: float("inf") if t.created_at is None else t.created_at)
    groups: dict[str, _Group] = {}
    # The group each shown turn ended up in (itself, or the answer it was folded into).
    home: dict[str, str] = {}
    queue = deque[tuple[Turn, str | None]]((t, None) for t in children.get(None, []))
    while queue:
        turn, parent = queue.popleft()
        parent_group = groups[home[parent]] if parent is not None else None
        below = children.get(turn.id, [])
        if (
            parent is not None
            and parent_group is not None
            and turn.role == "assistant"
            and parent_group.turn.role == "assistant"
            and (turn.tool_step or parent_group.has_tool_step)
            and len(children.get(parent, [])) == 1
        ):
            _fold(parent_group, turn)
            home[turn.id] = home[parent]
        else:
            group = _Group(
                replace(turn),
                None if parent is None else home[parent],
                has_tool_step=turn.tool_step,
            )
            groups[turn.id] = group
            home[turn.id] = turn.id
            if group.parent is not None:
                groups[group.parent].children.append(turn.id)
        queue.extend((child, turn.id) for child in below)
    if len(home) != len(shown):
        raise ImportFormatError("the messages' parents form a loop")
    return groups


def _fold(group: _Group, turn: Turn) -> None:
    group.turn.text = join(group.turn.text, turn.text)
    group.turn.reasoning = join(group.turn.reasoning, turn.reasoning)
    group.turn.model = turn.model or group.turn.model
    group.turn.status = turn.status
    group.turn.finish_reason = turn.finish_reason or group.turn.finish_reason
    group.has_tool_step = group.has_tool_step or turn.tool_step
    if turn.created_at is not None:
        group.finished_at = turn.created_at


def _leaf(
    current: str | None,
    by_id: dict[str, Turn],
    shown: dict[str, str | None],
    groups: dict[str, _Group],
) -> str | None:
    """Our message the source app showed last: `current`, or its nearest shown ancestor."""
    node = current
    seen: set[str] = set()
    while node is not None and node in by_id and node not in seen:
        seen.add(node)
        if node in shown:
            break
        node = by_id[node].parent
    if node is None or node not in shown:
        # No usable pointer: the newest branch, as a fresh import of ours would show.
        if not groups:
            return None
        node = next(iter(groups))
        while groups[node].children:
            node = groups[node].children[-1]
        return node
    # A folded tool step shows as part of the answer it belongs to.
    while node not in groups:
        above = shown[node]
        assert above is not None
        node = above
    return node


def _selected_path(leaf: str | None, groups: dict[str, _Group]) -> dict[str, str]:
    selected: dict[str, str] = {}
    node = leaf
    while node is not None:
        parent = groups[node].parent
        if parent is not None:
            selected[parent] = node
        node = parent
    return selected
