"""Exports keep TeX: Markdown as written, HTML with MathML that carries the TeX."""

from __future__ import annotations

from pathlib import Path

from longcat_desktop.domain.conversation import ExportKind
from tests.services.conftest import ChatEnv
from tests.store.helpers import add_exchange

ANSWER = "The roots: $$x=\\frac{-b}{2a}$$ and $5 stays a price."


def test_markdown_export_keeps_tex_and_html_export_writes_mathml(
    chat_env: ChatEnv, tmp_path: Path
) -> None:
    conversation = chat_env.new_conversation()
    add_exchange(chat_env.store, conversation.id, None, "Solve $ax+b=0$", ANSWER)
    markdown, html = tmp_path / "out.md", tmp_path / "out.html"
    assert chat_env.conversations.export(conversation.id, ExportKind.MARKDOWN, markdown)
    assert chat_env.conversations.export(conversation.id, ExportKind.HTML, html)
    assert ANSWER in markdown.read_text(encoding="utf-8")
    page = html.read_text(encoding="utf-8")
    assert page.count("<math ") == 2
    assert '<annotation encoding="application/x-tex">x=\\frac{-b}{2a}</annotation>' in page
    assert "and $5 stays a price." in page
    assert "<script" not in page
