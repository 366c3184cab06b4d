"""The one Markdown dialect every part of the renderer agrees on, and its top-level blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from longcat_desktop.render.math_syntax import add_math_rules


def create_parser() -> MarkdownIt:
    """CommonMark plus GFM tables, strikethrough and TeX math, with raw HTML shown as text.

    Link reference definitions are switched off: a definition at the end of an answer would
    change links in blocks that were rendered long before, so streaming could never cache a
    block. Language models rarely write them; they show as plain text.
    """
    md = (
        MarkdownIt("commonmark", {"html": False})
        .enable(["table", "strikethrough"])
        .disable("reference")
    )
    add_math_rules(md)
    md.core.ruler.after("block", "fence_closed", _mark_closed_fences)
    return md


@cache
def shared_parser() -> MarkdownIt:
    """One parser for every message: building one costs more than parsing a short answer,
    and parsing keeps no state between calls."""
    return create_parser()


def _mark_closed_fences(state: StateCore) -> None:
    """Set ``meta["closed"]`` on fences: an open fence is still streaming in.

    A pure function of the source, so whole and incremental rendering agree on it. A content
    line that happens to end in the fence's backticks counts as closed; that only costs speed.
    """
    lines: list[str] | None = None
    for token in state.tokens:
        if token.type != "fence" or not token.map:
            continue
        if lines is None:
            lines = state.src.split("\n")
        first, end = token.map
        last = lines[end - 1] if end - 1 < len(lines) else ""
        token.meta["closed"] = end - first >= 2 and last.strip().endswith(token.markup)


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block: its tokens and the line of the parsed source it starts on."""

    start_line: int
    tokens: Sequence[Token]


def top_level_blocks(tokens: Sequence[Token]) -> list[Block]:
    blocks: list[Block] = []
    start = 0
    depth = 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            first = tokens[start]
            line = first.map[0] if first.map else 0
            blocks.append(Block(line, tokens[start : index + 1]))
            start = index + 1
    return blocks


def normalize_newlines(text: str) -> str:
    """What markdown-it's own normalisation does, so our line counting matches its lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
