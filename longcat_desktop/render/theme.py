"""Colours and sizes the renderer bakes into its HTML, one set per application theme."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RenderTheme:
    """Everything the HTML depends on besides the Markdown itself.

    Colours are CSS colour strings (``#rrggbb``). They are written into the HTML as inline
    styles because QTextDocument knows no classes; a theme change therefore means re-rendering.
    """

    text: str
    muted: str
    background: str
    code_background: str
    code_header_background: str
    border: str
    link: str
    pygments_style: str
    base_font_size: float = 10.5
    """In points; headings and code are sized relative to it."""
    code_font_family: str = "'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace"
    copy_label: str = "Copy"
    """Text of each code block's copy link; the view passes its translated string."""

    @property
    def block_gap_px(self) -> int:
        """Vertical space between blocks: about three quarters of a line."""
        return round(self.base_font_size * 96 / 72 * 0.75)


LIGHT_THEME = RenderTheme(
    text="#1f2328",
    muted="#59636e",
    background="#ffffff",
    code_background="#f6f8fa",
    code_header_background="#eaeef2",
    border="#d1d9e0",
    link="#0969da",
    pygments_style="default",
)

DARK_THEME = RenderTheme(
    text="#e6edf3",
    muted="#9198a1",
    background="#1b1d21",
    code_background="#0d1117",
    code_header_background="#21262d",
    border="#3d444d",
    link="#4493f8",
    pygments_style="github-dark",
)
