"""Pygments colours as inline ``<span style>`` runs, the only form QTextDocument accepts."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from html import escape
from typing import Any

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.styles import get_style_by_name
from pygments.token import Error, _TokenType
from pygments.util import ClassNotFound

CHUNK_LINES = 4
CACHE_SIZE = 1024


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
        self, code: str, language: str, *, streaming: bool = False, last_line_complete: bool = True
    ) -> str:
        """Escaped, coloured HTML for code (no surrounding element).

        A block still streaming in is lexed in independent chunks: runs of CHUNK_LINES
        complete lines, and the unfinished last line alone. A refresh then lexes only that
        last line (plus one chunk when a line completes) and takes the rest from a cache. A
        string or comment crossing a chunk edge may be coloured wrongly until the fence
        closes and the block is lexed in one piece. Both ways depend on the text alone, so
        streaming and a one-go render of the same text still agree.
        """
        if not streaming:
            return self._cached(code, language)
        lines = code.split("\n")
        pieces = ["\n".join(lines[i : i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES)]
        if not last_line_complete and len(lines) % CHUNK_LINES != 1:
            last, _, partial = pieces.pop().rpartition("\n")
            pieces += [last, partial]
        return "\n".join(self._cached(piece, language) for piece in pieces)

    def _cached(self, code: str, language: str) -> str:
        key = (language, code)
        html = self._cache.get(key)
        if html is None:
            html = self._cache[key] = self._lex(code, language)
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return html

    def _lex(self, code: str, language: str) -> str:
        runs: list[tuple[str, list[str]]] = []
        for ttype, value in lexer_for(language).get_tokens(code):
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
