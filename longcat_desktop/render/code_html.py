"""The HTML around a code block: its header (language, copy link) and its lines."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from longcat_desktop.render.links import copy_href
from longcat_desktop.render.theme import RenderTheme


def text(value: str) -> str:
    return escape(value, quote=False)


def attr(value: str) -> str:
    # Single quotes stay: font family lists use them inside our double-quoted attributes.
    return escape(value, quote=False).replace('"', "&quot;")


def pt(size: float) -> str:
    return f"{size:.4g}pt"


def fence_language(info: str) -> str:
    """The language of a fence: the first word of its info string."""
    return info.strip().split(maxsplit=1)[0] if info.strip() else ""


def code_header(theme: RenderTheme, label: str, index: int) -> tuple[str, str]:
    """The language label and the copy link of the index-th code block (label is HTML)."""
    link = (
        f'<a href="{attr(copy_href(index))}" style="color:{theme.link}; '
        f'text-decoration:none">{text(theme.copy_label)}</a>'
    )
    return f'<span style="color:{theme.muted}">{label}</span>', link


def pre(theme: RenderTheme, body: str, margins: str, background: str = "") -> str:
    return (
        f'<pre style="{margins}{background}white-space:pre-wrap; '
        f"font-family:{attr(theme.code_font_family)}; "
        f'font-size:{pt(theme.base_font_size * 0.92)}; color:{theme.text}">{body}</pre>'
    )


def open_code_head(theme: RenderTheme, label: str, index: int) -> str:
    """The header of a fence still streaming: the boxed look without tables.

    Qt rescans every frame of the document whenever one is inserted or removed, so a table in
    the tail would make each refresh cost grow with the message. Open fences are the tails
    that stream longest; they get plain blocks with backgrounds and the boxed look once their
    closing fence arrives.
    """
    gap = theme.block_gap_px
    name, link = code_header(theme, label, index)
    return (
        f'<p style="margin-top:{gap // 2}px; margin-bottom:0px; '
        f"background-color:{theme.code_header_background}; "
        f'font-size:{pt(theme.base_font_size * 0.85)}">&nbsp;&nbsp;{name}&nbsp;&nbsp;{link}</p>'
    )


def open_code_lines(theme: RenderTheme, body: str, *, first: bool, last: bool) -> str:
    """One run of an open fence's lines; runs follow each other and look like one block.

    Qt drops one line break right after ``<pre>`` and one right before ``</pre>``: runs after
    the first and before the last get one more of each, so the lines come out as one
    ``<pre>`` of all of them would show them (an empty line at a run's edge included).
    """
    if not first:
        body = "\n" + body
    if not last:
        body += "\n"
    elif not _drop_edge_breaks(body):
        body = ("" if first else "\n") + "&nbsp;"  # keeps the block, and its bottom margin
    bottom = theme.block_gap_px if last else 0
    return pre(
        theme,
        body,
        f"margin-top:0px; margin-bottom:{bottom}px; ",
        f"background-color:{theme.code_background}; ",
    )


def _drop_edge_breaks(body: str) -> str:
    body = body.removeprefix("\n")
    return body.removesuffix("\n")


def open_code(theme: RenderTheme, label: str, index: int, chunks: Sequence[str], live: str) -> str:
    """A whole open fence: header, settled runs of lines, and the lines still changing."""
    runs = [*chunks, live]
    return open_code_head(theme, label, index) + "".join(
        open_code_lines(theme, run, first=not number, last=number == len(chunks))
        for number, run in enumerate(runs)
    )
