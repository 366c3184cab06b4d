"""A conversation as Markdown: the branch shown, for reading or pasting elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from longcat_desktop.domain.attachments import Attachment, document_block
from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import Conversation, MessageStatus, StoredMessage
from longcat_desktop.domain.tool_turns import StoredToolCall

UNTITLED = "Untitled conversation"

_STATUS_NOTES = {
    MessageStatus.STREAMING: "still being written",
    MessageStatus.STOPPED: "stopped",
    MessageStatus.INTERRUPTED: "interrupted",
    MessageStatus.ERROR: "failed",
}


def format_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M")


def speaker(message: StoredMessage) -> str:
    if message.role == Role.USER:
        return "You"
    if message.role == Role.TOOL:
        return f"Tool result: {tool_label(message)}"
    return f"LongCat ({message.model})" if message.model else "LongCat"


def status_note(message: StoredMessage) -> str | None:
    note = _STATUS_NOTES.get(message.status)
    if note is None:
        return None
    if message.error is not None:
        note += f": {message.error.message}"
    return note


def tool_label(message: StoredMessage) -> str:
    """`tool (server), state` for a tool message."""
    result = message.tool_result
    if result is None:
        return "tool"
    name = result.tool or result.name
    where = f" ({result.server})" if result.server else ""
    seconds = f", {result.seconds:.1f} s" if result.seconds is not None else ""
    return f"{name}{where}, {result.state}{seconds}"


def call_label(call: StoredToolCall) -> str:
    return f"{call.tool or call.name} ({call.server})" if call.server else call.name


def _fenced(text: str, language: str = "") -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{language}\n{text}\n{fence}"


def _tool_parts(message: StoredMessage) -> list[str]:
    parts = [
        f"**Tool call:** {call_label(call)}\n\n{_fenced(call.arguments or '{}', 'json')}"
        for call in message.tool_calls
    ]
    result = message.tool_result
    if result is not None:
        if message.text:
            parts.append(_fenced(message.text))
        if result.images:
            parts.append(f"*({len(result.images)} image(s))*")
        parts.extend(f"[{link.title or link.uri}]({link.uri})" for link in result.links)
    return parts


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _attachments(attached: Sequence[tuple[Attachment, str]]) -> str:
    """Images as links to the files written beside the Markdown; documents as their text."""
    lines = []
    for attachment, path in attached:
        if attachment.is_image:
            lines.append(f"![{attachment.name}](<{path}>)")
        else:
            lines.append(document_block(attachment.name, attachment.text))
    return "\n\n".join(lines)


def to_markdown(
    conversation: Conversation,
    thread: Sequence[StoredMessage],
    attachments: Mapping[int, Sequence[tuple[Attachment, str]]] | None = None,
) -> str:
    """`attachments`: per message, each attachment and the relative path of its file."""
    settings = conversation.settings
    parts = [
        f"# {conversation.title or UNTITLED}",
        f"*{format_time(conversation.created_at)} · {settings.model} · {settings.api_format}*",
    ]
    if settings.system_prompt:
        parts.append("**System prompt**\n\n" + _quoted(settings.system_prompt))
    for message in thread:
        section = [f"## {speaker(message)}"]
        if message.reasoning:
            section.append("> **Thinking**\n>\n" + _quoted(message.reasoning))
        if message.text and message.role != Role.TOOL:
            section.append(message.text)
        if attachments and attachments.get(message.id):
            section.append(_attachments(attachments[message.id]))
        section.extend(_tool_parts(message))
        note = status_note(message) if message.role != Role.TOOL else None
        if note:
            section.append(f"*({note})*")
        parts.append("\n\n".join(section))
    return "\n\n".join(parts) + "\n"
