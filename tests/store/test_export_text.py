"""Markdown and HTML exports: the branch shown, readable, and the HTML inert."""

from __future__ import annotations

import re

from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store
from tests.store.helpers import SETTINGS, add_exchange

HOSTILE = '<script>alert("x")</script> & <img src="https://evil.example/x.png"> **bold**'


def _conversation(store: Store) -> ConversationId:
    conversation = store.conversations.create(SETTINGS, title="Tags <b>&</b> more")
    q, a = add_exchange(store, conversation.id, None, HOSTILE, "Answer with `code`")
    add_exchange(store, conversation.id, None, "an abandoned start", "hidden branch")
    store.messages.select_branch(q)
    failed = store.messages.start_assistant_message(conversation.id, a, model="m", api_format=None)
    writer = store.writer(failed.id)
    writer.append_reasoning("let me think\n\nsecond paragraph")
    writer.append_text("partial")
    writer.finish(MessageStatus.ERROR, error=ErrorDetails("server overloaded", status=529))
    return conversation.id


def test_markdown_holds_the_branch_shown(store: Store) -> None:
    markdown = store.export_markdown(_conversation(store))
    assert markdown.startswith("# Tags <b>&</b> more\n")
    assert HOSTILE in markdown
    assert "Answer with `code`" in markdown
    assert "hidden branch" not in markdown
    assert "> let me think\n>\n> second paragraph" in markdown
    assert "(failed: server overloaded)" in markdown
    assert "System prompt" in markdown


def test_html_is_escaped_self_contained_and_inert(store: Store) -> None:
    html = store.export_html(_conversation(store))
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<title>Tags &lt;b&gt;&amp;&lt;/b&gt; more</title>" in html
    assert "hidden branch" not in html
    # Nothing to fetch: no element loads a resource, and the policy forbids it anyway.
    assert not re.search(r"<(img|link|script|iframe)\b", html)
    assert "default-src 'none'" in html
    assert "server overloaded" in html


def test_an_empty_conversation_exports(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    assert store.export_markdown(conversation.id).startswith("# Untitled conversation")
    assert "Untitled conversation" in store.export_html(conversation.id)
