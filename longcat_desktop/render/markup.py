"""markdown-it tokens of one top-level block to the HTML subset QTextDocument understands.

Everything is inline-styled (QTextDocument has no classes) and every piece of model text is
escaped, so nothing the model writes can become markup, a script, or a fetched image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from longcat_desktop.render.code_html import attr as _attr
from longcat_desktop.render.code_html import code_header, fence_language, open_code, pre
from longcat_desktop.render.code_html import pt as _pt
from longcat_desktop.render.code_html import text as _text
from longcat_desktop.render.growing_code import shared_recent_code
from longcat_desktop.render.highlight import shared_highlighter
from longcat_desktop.render.links import safe_href
from longcat_desktop.render.math_syntax import (
    BLOCK_KINDS,
    DISPLAY_INLINE_KINDS,
    INLINE_KINDS,
    block_html,
    inline_html,
)
from longcat_desktop.render.theme import RenderTheme

_HEADING_SCALE = {"h1": 1.6, "h2": 1.4, "h3": 1.2, "h4": 1.1, "h5": 1.0, "h6": 0.95}
_CELL_ALIGN = {
    "text-align:left": "left",
    "text-align:center": "center",
    "text-align:right": "right",
}


@dataclass(frozen=True, slots=True)
class CodeBlock:
    language: str
    code: str


@dataclass(frozen=True, slots=True)
class RenderedBlock:
    """HTML for one or more top-level blocks and the code blocks inside, in order."""

    html: str
    code_blocks: tuple[CodeBlock, ...] = ()


class HtmlRenderer:
    def __init__(self, theme: RenderTheme) -> None:
        self.theme = theme
        self._highlighter = shared_highlighter(theme.pygments_style)
        self._growing = shared_recent_code(theme.pygments_style)
        self._gap = theme.block_gap_px

    def render(self, tokens: Sequence[Token], first_code_index: int) -> RenderedBlock:
        """Render the tokens of whole blocks; copy links are numbered from first_code_index."""
        return _BlockWriter(self, first_code_index).write(tokens)

    def highlight(self, code: str, language: str) -> str:
        return self._highlighter.highlight(code, language, self._growing.whole)

    def open_code(self, code: str, language: str, label: str, index: int) -> str:
        """A fence still streaming, its settled lines taken from the last render of it."""
        growing = self._growing.grown(code, language)
        return open_code(self.theme, label, index, growing.chunks, growing.live)


class _BlockWriter:
    """The state of rendering one run of tokens: open containers, colours, code blocks seen."""

    def __init__(self, renderer: HtmlRenderer, first_code_index: int) -> None:
        self._r = renderer
        self._t = renderer.theme
        self._out: list[str] = []
        self._codes: list[CodeBlock] = []
        self._first_code = first_code_index
        self._colours = [self._t.text]
        self._list_depth = 0
        self._cell_tag: list[str] = []

    def write(self, tokens: Sequence[Token]) -> RenderedBlock:
        skip = 0
        for index, token in enumerate(tokens):
            if skip:
                skip -= 1
            elif token.type == "heading_open" and not tokens[index + 1].content.strip():
                # "#" alone, seen for a moment while "# Title" streams in. Qt imports an
                # empty heading differently at the start of a document and elsewhere; it
                # shows nothing anyway.
                skip = 2
            elif (
                token.type == "inline"
                and not token.content
                and index
                and tokens[index - 1].type in ("th_open", "td_open")
            ):
                # Qt imports a table whose last cell is empty differently at the start of a
                # document and elsewhere (the next paragraph moves into the table's trailing
                # block); a no-break space keeps every import the same and looks the same.
                self._out.append("&nbsp;")
            else:
                self._block(token)
                if token.type in ("list_item_open", "blockquote_open") and (
                    tokens[index + 1].nesting == -1
                ):
                    self._out.append("&nbsp;")  # empty: the same Qt import quirk as cells
        return RenderedBlock("".join(self._out), tuple(self._codes))

    def _text_css(self, size: float | None = None) -> str:
        return f"color:{self._colours[-1]}; font-size:{_pt(size or self._t.base_font_size)}"

    def _block(self, token: Token) -> None:
        out = self._out
        gap = self._r._gap
        kind = token.type
        if kind == "paragraph_open":
            if not token.hidden:
                bottom = gap // 2 if self._list_depth else gap
                out.append(
                    f'<p style="margin-top:0px; margin-bottom:{bottom}px; {self._text_css()}">'
                )
        elif kind == "paragraph_close":
            if not token.hidden:
                out.append("</p>")
        elif kind == "inline":
            out.append(_InlineWriter(self._t, self._colours[-1]).write(token.children or []))
        elif kind == "heading_open":
            size = self._t.base_font_size * _HEADING_SCALE.get(token.tag, 1.0)
            out.append(
                f'<{token.tag} style="margin-top:{round(gap * 1.4)}px; '
                f'margin-bottom:{gap // 2}px; font-weight:600; {self._text_css(size)}">'
            )
        elif kind == "heading_close":
            out.append(f"</{token.tag}>")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            start_attr = f' start="{int(start)}"' if start is not None else ""
            # Items inherit colour and size from the list: less HTML for Qt to parse.
            style = f"margin-top:0px; margin-bottom:{0 if self._list_depth else gap}px"
            if not self._list_depth:
                style += f"; {self._text_css()}"
            self._list_depth += 1
            out.append(f'<{token.tag}{start_attr} style="{style}">')
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._list_depth -= 1
            out.append(f"</{token.tag}>")
        elif kind == "list_item_open":
            out.append("<li>")
        elif kind == "list_item_close":
            out.append("</li>")
        elif kind == "blockquote_open":
            # QTextDocument draws no left border on blocks; a two-cell table gives the bar.
            out.append(
                f'<table cellspacing="0" cellpadding="0" style="margin-top:{gap // 2}px; '
                f'margin-bottom:{gap}px"><tr><td width="3" '
                f'style="background-color:{self._t.border}"></td>'
                f'<td style="padding-left:12px; padding-top:2px; padding-bottom:2px">'
            )
            self._colours.append(self._t.muted)
        elif kind == "blockquote_close":
            self._colours.pop()
            out.append("</td></tr></table>")
        elif kind == "table_open":
            # Cells inherit colour and size from the table; border-collapse gives 1px lines.
            out.append(
                f'<table cellspacing="0" cellpadding="6" border="1" style="border-collapse:'
                f"collapse; border-style:solid; border-color:{self._t.border}; "
                f'margin-top:{gap // 2}px; margin-bottom:{gap}px; {self._text_css()}">'
            )
        elif kind == "table_close":
            out.append("</table>")
        elif kind in ("thead_open", "thead_close", "tbody_open", "tbody_close"):
            pass
        elif kind == "tr_open":
            out.append("<tr>")
        elif kind == "tr_close":
            out.append("</tr>")
        elif kind in ("th_open", "td_open"):
            self._cell(token)
        elif kind in ("th_close", "td_close"):
            out.append(f"</{token.tag}>")
        elif kind in ("fence", "code_block"):
            self._code(token)
        elif kind in BLOCK_KINDS:
            out.append(
                block_html(
                    token.content,
                    size_pt=self._t.base_font_size,
                    colour=self._colours[-1],
                    margin_px=gap,
                )
            )
        elif kind == "hr":
            out.append(
                f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:'
                f'{gap // 2}px; margin-bottom:{gap}px"><tr><td style="background-color:'
                f'{self._t.border}; font-size:1pt">&nbsp;</td></tr></table>'
            )
        else:
            # html_block cannot occur with html=False; anything unknown still shows as text.
            if token.content:
                out.append(f'<p style="{self._text_css()}">{_text(token.content)}</p>')

    def _cell(self, token: Token) -> None:
        align = _CELL_ALIGN.get(str(token.attrGet("style") or ""))
        if token.type == "th_open":
            # Qt centres header cells by default; Markdown tables read better left-aligned.
            self._out.append(
                f'<th align="{align or "left"}" '
                f'style="background-color:{self._t.code_header_background}">'
            )
        else:
            self._out.append(f'<td align="{align}">' if align else "<td>")

    def _code(self, token: Token) -> None:
        language = fence_language(token.info)
        code = token.content[:-1] if token.content.endswith("\n") else token.content
        index = self._first_code + len(self._codes)
        self._codes.append(CodeBlock(language, code))
        label = _text(language or "code")
        if token.type == "fence" and not token.meta.get("closed", True):
            self._out.append(self._r.open_code(code, language, label, index))
        else:
            self._boxed_code(self._r.highlight(code, language) or "&nbsp;", label, index)

    def _boxed_code(self, body: str, label: str, index: int) -> None:
        t = self._t
        gap = self._r._gap
        name, link = code_header(t, label, index)
        self._out.append(
            f'<table width="100%" cellspacing="0" cellpadding="0" border="1" '
            f'style="border-collapse:collapse; border-style:solid; border-color:{t.border}; '
            f'margin-top:{gap // 2}px; margin-bottom:{gap}px">'
            f'<tr><td style="background-color:{t.code_header_background}; padding:3px 10px">'
            f'<table width="100%" cellspacing="0" cellpadding="0" '
            f'style="font-size:{_pt(t.base_font_size * 0.85)}">'
            f'<tr><td>{name}</td><td align="right">{link}</td></tr></table></td></tr>'
            f'<tr><td style="background-color:{t.code_background}; padding:8px 10px">'
            f"{pre(t, body, 'margin-top:0px; margin-bottom:0px; ')}</td></tr></table>"
        )


class _InlineWriter:
    def __init__(self, theme: RenderTheme, colour: str) -> None:
        self._t = theme
        self._colour = colour
        self._out: list[str] = []
        # Per open link: whether it became an anchor (unsafe targets render as plain text).
        self._links: list[bool] = []

    def write(self, children: Sequence[Token]) -> str:
        for token in children:
            self._inline(token)
        return "".join(self._out)

    def _inline(self, token: Token) -> None:
        out = self._out
        kind = token.type
        if kind == "text":
            out.append(_text(token.content))
        elif kind in ("softbreak", "hardbreak"):
            # A single newline is a line break, as in every chat: joining the lines with a
            # space (CommonMark's soft break) runs chat lines and Chinese sentences together.
            out.append("<br />")
        elif kind in INLINE_KINDS or kind in DISPLAY_INLINE_KINDS:
            out.append(
                inline_html(
                    token.content,
                    display=kind in DISPLAY_INLINE_KINDS,
                    size_pt=self._t.base_font_size,
                    colour=self._colour,
                )
            )
        elif kind in ("em_open", "strong_open", "s_open"):
            out.append(f"<{token.tag}>")
        elif kind in ("em_close", "strong_close", "s_close"):
            out.append(f"</{token.tag}>")
        elif kind == "code_inline":
            t = self._t
            out.append(
                f'<span style="font-family:{_attr(t.code_font_family)}; '
                f"background-color:{t.code_background}; white-space:pre-wrap; "
                f'font-size:{_pt(t.base_font_size * 0.92)}">{_text(token.content)}</span>'
            )
        elif kind == "link_open":
            href = safe_href(str(token.attrGet("href") or ""))
            # A link inside a link is not possible in Markdown, but an image inside one is.
            self._links.append(href is not None)
            if href is not None:
                out.append(self._anchor_open(href))
        elif kind == "link_close":
            if self._links and self._links.pop():
                out.append("</a>")
        elif kind == "image":
            self._image(token)
        else:
            # html_inline cannot occur with html=False; show anything else as its source text.
            out.append(_text(token.content))

    def _anchor_open(self, href: str) -> str:
        return f'<a href="{_attr(href)}" style="color:{self._t.link}; text-decoration:underline">'

    def _image(self, token: Token) -> None:
        """Images are never fetched: the alt text stands in, as a link to the image if safe."""
        alt = _plain_text(token.children or []) or str(token.attrGet("src") or "") or "image"
        inside_link = any(self._links)
        href = None if inside_link else safe_href(str(token.attrGet("src") or ""))
        if href is None:
            self._out.append(_text(alt))
        else:
            self._out.append(f"{self._anchor_open(href)}{_text(alt)}</a>")


def _plain_text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)
