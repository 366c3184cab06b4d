"""Message text for the HTML export: the Markdown as written, each formula as MathML.

Browsers render MathML natively, so the exported file needs no script. Each formula keeps its
TeX as an annotation; one latex2mathml cannot convert stays as its escaped source.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it.token import Token

from longcat_desktop.render.math_syntax import BLOCK_KINDS, DISPLAY_INLINE_KINDS, INLINE_KINDS
from longcat_desktop.render.parser import normalize_newlines, shared_parser

_CLOSING = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}


def mathml(tex: str, *, display: bool) -> str | None:
    """TeX as a MathML element with the TeX annotated, or None if it cannot be converted."""
    from latex2mathml.converter import convert

    try:
        converted = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds for TeX it does not know
        return None
    opening_end = converted.index(">") + 1
    closing = converted.rindex("</math>")
    annotation = f'<annotation encoding="application/x-tex">{escape(tex.strip())}</annotation>'
    return (
        f"{converted[:opening_end]}<semantics>{converted[opening_end:closing]}"
        f"{annotation}</semantics></math>"
    )


def text_with_mathml(text: str) -> str:
    """text HTML-escaped (for a pre-wrap block), its formulas replaced by MathML."""
    source = normalize_newlines(text)
    replacements = sorted(_formula_spans(source, shared_parser().parse(source)))
    out: list[str] = []
    done = 0
    for start, end, element in replacements:
        if start < done:
            continue
        out.append(escape(source[done:start]))
        out.append(element)
        done = end
    out.append(escape(source[done:]))
    return "".join(out)


def _formula_spans(source: str, tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
    line_starts = [0]
    for index, character in enumerate(source):
        if character == "\n":
            line_starts.append(index + 1)
    line_starts.append(len(source) + 1)

    def offset(line: int) -> int:
        return line_starts[min(line, len(line_starts) - 1)]

    spans: list[tuple[int, int, str]] = []
    for token in tokens:
        if token.map is None:
            continue
        start, end = offset(token.map[0]), min(len(source), offset(token.map[1]))
        if token.type in BLOCK_KINDS:
            element = mathml(token.content, display=True)
            if element is not None:
                # The block's lines, without the line break that ends the last one.
                stop = end - 1 if source[start:end].endswith("\n") else end
                spans.append((start, stop, element))
        elif token.type == "inline" and token.children:
            spans.extend(_inline_spans(source, start, end, token.children))
    return spans


def _inline_spans(
    source: str, start: int, end: int, children: Sequence[Token]
) -> list[tuple[int, int, str]]:
    """Formulas of one paragraph, found in its source in order; code spans are stepped over
    so that TeX-looking code is never taken for a formula."""
    spans = []
    cursor = start
    for child in children:
        if child.type == "code_inline":
            opening = source.find(child.markup, cursor, end)
            if opening >= 0:
                closing = source.find(child.markup, opening + len(child.markup), end)
                cursor = closing + len(child.markup) if closing >= 0 else cursor
        elif child.type in INLINE_KINDS or child.type in DISPLAY_INLINE_KINDS:
            written = f"{child.markup}{child.content}{_CLOSING.get(child.markup, child.markup)}"
            found = source.find(written, cursor, end)
            if found < 0:
                continue
            cursor = found + len(written)
            element = mathml(child.content, display=child.type in DISPLAY_INLINE_KINDS)
            if element is not None:
                spans.append((found, cursor, element))
    return spans
