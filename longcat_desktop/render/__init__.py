"""Markdown to Qt rich text, incrementally: finished blocks cached, only the open tail redone.

The pure-Python half (`IncrementalRenderer`, `render_markdown`) needs no Qt;
`StreamingDocument` applies its updates to a QTextDocument. QtWidgets is never imported here.
"""

from longcat_desktop.render.document import StreamingDocument
from longcat_desktop.render.incremental import IncrementalRenderer, RenderUpdate, render_markdown
from longcat_desktop.render.links import COPY_SCHEME, copy_href, parse_copy_href, safe_href
from longcat_desktop.render.markup import CodeBlock, RenderedBlock
from longcat_desktop.render.theme import DARK_THEME, LIGHT_THEME, RenderTheme

__all__ = [
    "COPY_SCHEME",
    "DARK_THEME",
    "LIGHT_THEME",
    "CodeBlock",
    "IncrementalRenderer",
    "RenderTheme",
    "RenderUpdate",
    "RenderedBlock",
    "StreamingDocument",
    "copy_href",
    "parse_copy_href",
    "render_markdown",
    "safe_href",
]
