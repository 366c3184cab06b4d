"""A conversation as one standalone HTML file: no scripts, no remote resources, all escaped.

Message text is shown as written (Markdown source, wrapped), never interpreted as HTML. The
caller may pass what makes text HTML: the app's turns formulas into MathML, which browsers
typeset without any script.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from html import escape

from longcat_desktop.domain.attachments import Attachment
from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import Conversation, StoredMessage
from longcat_desktop.store.export_markdown import (
    UNTITLED,
    call_label,
    format_time,
    speaker,
    status_note,
)

_STYLE = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d1d1f; --muted: #6e6e73;
  --user: #eef3ff; --assistant: #f5f5f7; --border: #d2d2d7; }
@media (prefers-color-scheme: dark) { :root { --bg: #1c1c1e; --fg: #f2f2f7;
  --muted: #a1a1a6; --user: #1f2a44; --assistant: #2c2c2e; --border: #3a3a3c; } }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
  sans-serif; }
main { max-width: 48rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 2rem; }
article { border: 1px solid var(--border); border-radius: 12px; padding: .75rem 1rem;
  margin: 0 0 1rem; }
article.user { background: var(--user); }
article.assistant { background: var(--assistant); }
article h2 { font-size: .85rem; color: var(--muted); margin: 0 0 .5rem; font-weight: 600; }
.text, .reasoning, .system { white-space: pre-wrap; overflow-wrap: anywhere; }
details { color: var(--muted); margin: 0 0 .5rem; }
.note { color: var(--muted); font-style: italic; margin: .5rem 0 0; }
figure { margin: .25rem 0 .5rem; }
figure img { max-width: 100%; height: auto; border-radius: 8px; border: 1px solid var(--border); }
figcaption { color: var(--muted); font-size: .8rem; }
pre.document { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; }
article.tool { background: var(--bg); font-size: .9rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0; }
.call { color: var(--muted); margin: .5rem 0 0; }
"""

Attached = Mapping[int, Sequence[tuple[Attachment, bytes]]]


def escaped(text: str) -> str:
    return escape(text)


def _attachment(attachment: Attachment, data: bytes) -> str:
    name = escape(attachment.name)
    if attachment.is_image:
        # Inline, so the page stays one file that loads nothing.
        source = f"data:{escape(attachment.media_type)};base64,{base64.b64encode(data).decode()}"
        return f'<figure><img src="{source}" alt="{name}"><figcaption>{name}</figcaption></figure>'
    text = escape(attachment.text) if attachment.text.strip() else "(no text)"
    return f'<details><summary>{name}</summary><pre class="document">{text}</pre></details>'


def _message(
    message: StoredMessage,
    text_html: Callable[[str], str],
    attached: Sequence[tuple[Attachment, bytes]] = (),
) -> str:
    role = {Role.USER: "user", Role.TOOL: "tool"}.get(message.role, "assistant")
    parts = [f'<article class="{role}">', f"<h2>{escape(speaker(message))}</h2>"]
    parts.extend(_attachment(attachment, data) for attachment, data in attached)
    if message.reasoning:
        parts.append(
            "<details><summary>Thinking</summary>"
            f'<div class="reasoning">{escape(message.reasoning)}</div></details>'
        )
    if message.text and message.role != Role.TOOL:
        parts.append(f'<div class="text">{text_html(message.text)}</div>')
    for call in message.tool_calls:
        parts.append(
            f'<p class="call">Tool call: {escape(call_label(call))}</p>'
            f"<pre>{escape(call.arguments or '{}')}</pre>"
        )
    if message.role == Role.TOOL and message.text:
        parts.append(f"<pre>{escape(message.text)}</pre>")
    note = status_note(message) if message.role != Role.TOOL else None
    if note:
        parts.append(f'<p class="note">({escape(note)})</p>')
    parts.append("</article>")
    return "\n".join(parts)


def to_html(
    conversation: Conversation,
    thread: Sequence[StoredMessage],
    attachments: Attached | None = None,
    text_html: Callable[[str], str] = escaped,
) -> str:
    settings = conversation.settings
    title = escape(conversation.title or UNTITLED)
    meta = escape(
        f"{format_time(conversation.created_at)} · {settings.model} · {settings.api_format}"
    )
    body = [f"<h1>{title}</h1>", f'<p class="meta">{meta}</p>']
    if settings.system_prompt:
        body.append(
            "<details><summary>System prompt</summary>"
            f'<div class="system">{escape(settings.system_prompt)}</div></details>'
        )
    body.extend(
        _message(message, text_html, (attachments or {}).get(message.id, ())) for message in thread
    )
    content = "\n".join(body)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        # Inert by construction: nothing may load or run, whatever the text contained.
        '<meta http-equiv="Content-Security-Policy"'
        " content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{content}\n</main>\n</body>\n</html>\n"
    )
