"""Our SVG icons, recoloured for the current theme and cached per colour."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from longcat_desktop.ui.theme import current_theme

ICON_DIR = Path(__file__).resolve().parent / "icons"
ICON_NAMES = tuple(sorted(p.stem for p in ICON_DIR.glob("*.svg")))
# The sizes our buttons use, and 32 for HiDPI: QIcon scales down well, never up. Few sizes,
# because every icon is drawn before the window's first frame.
_SIZES = (16, 24, 32)


@cache
def _svg_text(name: str) -> str:
    path = ICON_DIR / f"{name}.svg"
    if not path.is_file():
        raise KeyError(f"no icon named {name!r}")
    return path.read_text(encoding="utf-8")


@cache
def _renderer(name: str, color: str) -> QSvgRenderer:
    svg = _svg_text(name).replace("currentColor", QColor(color).name())
    return QSvgRenderer(QByteArray(svg.encode("utf-8")))


def render_pixmap(name: str, size: int, color: str, ratio: float = 1.0) -> QPixmap:
    """The icon drawn at `size` logical pixels in `color`."""
    renderer = _renderer(name, color)
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@cache
def _icon(name: str, color: str, disabled_color: str) -> QIcon:
    result = QIcon()
    for size in _SIZES:
        # Active (hovered) falls back to the Normal pixmap, which is what we would draw anyway.
        result.addPixmap(render_pixmap(name, size, color), QIcon.Mode.Normal)
        result.addPixmap(render_pixmap(name, size, disabled_color), QIcon.Mode.Disabled)
    return result


def icon(name: str, color: str | None = None) -> QIcon:
    """A themed icon; `color` overrides the theme's icon colour (e.g. accent on a primary button).

    Widgets call this again when their palette changes, which is how a theme switch recolours
    them; icons for a theme already seen come from the cache.
    """
    theme = current_theme()
    if color is not None:
        # The caller chose a colour for a specific background; keep it when disabled too.
        return _icon(name, color, color)
    return _icon(name, theme.icon, theme.muted if theme.is_dark else theme.border)
