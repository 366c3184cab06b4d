"""Markdown to Qt rich text, incrementally: finished blocks cached, only the open tail redone.

The pure-Python half (`IncrementalRenderer`, `render_markdown`) needs no Qt;
`StreamingDocument` applies its updates to a QTextDocument. QtWidgets is never imported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from longcat_desktop.render.document import StreamingDocument
    from longcat_desktop.render.incremental import (
        IncrementalRenderer,
        RenderUpdate,
        render_markdown,
    )
    from longcat_desktop.render.links import COPY_SCHEME, copy_href, parse_copy_href, safe_href
    from longcat_desktop.render.markup import CodeBlock, RenderedBlock
    from longcat_desktop.render.theme import DARK_THEME, LIGHT_THEME, RenderTheme

# Loaded on first use (PEP 562): importing one light submodule, say the theme, must not pull
# in markdown-it and Pygments before the window's first frame.
_HOMES = {
    "StreamingDocument": "document",
    "IncrementalRenderer": "incremental",
    "RenderUpdate": "incremental",
    "render_markdown": "incremental",
    "COPY_SCHEME": "links",
    "copy_href": "links",
    "parse_copy_href": "links",
    "safe_href": "links",
    "CodeBlock": "markup",
    "RenderedBlock": "markup",
    "DARK_THEME": "theme",
    "LIGHT_THEME": "theme",
    "RenderTheme": "theme",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


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
