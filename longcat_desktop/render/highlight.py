"""Pygments colours as inline ``<span style>`` runs, the only form QTextDocument accepts."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from typing import Any

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.styles import get_style_by_name
from pygments.token import Error, _TokenType
from pygments.util import ClassNotFound

# The cache holds whole code blocks, rendered once each; streaming fences keep their own
# settled lines (see growing_code), so the cache is sized by the HTML it holds: a few
# thousand-line blocks fit, and they cannot push out every other block or grow without bound.
CACHE_CHARS = 4_000_000


@lru_cache(maxsize=64)
def lexer_for(language: str) -> Lexer:
    """A lexer for a fence's language label; plain text when the label is unknown or empty."""
    options: dict[str, Any] = {"stripnl": False, "stripall": False, "ensurenl": False}
    if not language:
        return TextLexer(**options)
    try:
        return get_lexer_by_name(language.lower(), **options)
    except ClassNotFound:
        return TextLexer(**options)


class CodeHighlighter:
    """Turns code into escaped HTML with one colour style per Pygments token type."""

    def __init__(self, style_name: str) -> None:
        try:
            self._style = get_style_by_name(style_name)
        except ClassNotFound:
            self._style = get_style_by_name("default")
        self._css: dict[_TokenType, str] = {}
        self._cache: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._cached_chars = 0

    def _css_for(self, ttype: _TokenType) -> str:
        css = self._css.get(ttype)
        if css is None:
            css = self._css[ttype] = self._build_css(ttype)
        return css

    def _build_css(self, ttype: _TokenType) -> str:
        info = self._style.style_for_token(ttype)
        parts: list[str] = []
        if info["color"]:
            parts.append(f"color:#{info['color']}")
        # Half-typed code is full of error tokens while it streams; painting them red or boxed
        # would make every answer flicker, so errors keep only their text colour.
        if info["bgcolor"] and ttype not in Error:
            parts.append(f"background-color:#{info['bgcolor']}")
        if info["bold"]:
            parts.append("font-weight:bold")
        if info["italic"]:
            parts.append("font-style:italic")
        if info["underline"]:
            parts.append("text-decoration:underline")
        return ";".join(parts)

    def highlight(
        self, code: str, language: str, known: Callable[[str, str], str | None] | None = None
    ) -> str:
        """Escaped, coloured HTML for code (no surrounding element), from a cache.

        `known` may give the same HTML at less cost (from the lines of a fence that streamed).
        """
        key = (language, code)
        html = self._cache.get(key)
        if html is None:
            html = (known(code, language) if known else None) or self._lex(code, language)
            self._cache[key] = html
            self._cached_chars += len(html)
            while self._cached_chars > CACHE_CHARS and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._cached_chars -= len(dropped)
        else:
            self._cache.move_to_end(key)
        return html

    def _lex(self, code: str, language: str) -> str:
        return self.html(lexer_for(language).get_tokens(code))

    def html(self, tokens: Iterable[tuple[_TokenType, str]]) -> str:
        """Escaped HTML of (token type, text) pairs, one span per run of one colour."""
        runs: list[tuple[str, list[str]]] = []
        for ttype, value in tokens:
            if not value:
                continue
            css = self._css_for(ttype)
            # Neighbouring tokens of the same colour share one span: less HTML for Qt to parse.
            if runs and runs[-1][0] == css:
                runs[-1][1].append(value)
            else:
                runs.append((css, [value]))
        out: list[str] = []
        for css, values in runs:
            text = escape("".join(values), quote=False)
            out.append(f'<span style="{css}">{text}</span>' if css else text)
        return "".join(out)


@lru_cache(maxsize=4)
def shared_highlighter(style_name: str) -> CodeHighlighter:
    """One highlighter, and so one cache of lexed code, per style for every message."""
    return CodeHighlighter(style_name)
