from __future__ import annotations

import re

from longcat_desktop.render.highlight import CodeHighlighter, lexer_for


def _text(html: str) -> str:
    return (
        re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def test_unknown_and_empty_languages_fall_back_to_plain_text() -> None:
    assert lexer_for("no-such-language").name == "Text only"
    assert lexer_for("").name == "Text only"


def test_highlight_keeps_the_text_exactly() -> None:
    code = 'def f(x):\n    return x < 1 and "&"\n\n\n# end'
    html = CodeHighlighter("default").highlight(code, "python")
    assert _text(html) == code
    assert "<span style=" in html


def test_unknown_style_falls_back() -> None:
    assert "<span" in CodeHighlighter("no-such-style").highlight("def f(): pass", "python")


def test_error_tokens_get_no_background() -> None:
    html = CodeHighlighter("monokai").highlight("x = $ ` ?", "python")
    assert "background-color" not in html
