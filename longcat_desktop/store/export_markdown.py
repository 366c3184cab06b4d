"""A conversation as Markdown: the branch shown, for reading or pasting elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from longcat_desktop.domain.attachments import Attachment, document_block
from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import Conversation, MessageStatus, StoredMessage

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
    return f"LongCat ({message.model})" if message.model else "LongCat"


def status_note(message: StoredMessage) -> str | None:
    note = _STATUS_NOTES.get(message.status)
    if note is None:
        return None
    if message.error is not None:
        note += f": {message.error.message}"
    return note


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
        if message.text:
            section.append(message.text)
        if attachments and attachments.get(message.id):
            section.append(_attachments(attachments[message.id]))
        note = status_note(message)
        if note:
            section.append(f"*({note})*")
        parts.append("\n\n".join(section))
    return "\n\n".join(parts) + "\n"
