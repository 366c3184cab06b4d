"""Folder headers in the sidebar's list, and conversations dragged between folders."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath

from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.theme import current_theme

# What a drag of conversations carries: their ids, as a JSON array.
CONVERSATIONS_MIME = "application/x-longcat-conversations"


@dataclass(frozen=True, slots=True)
class FolderKey:
    """A folder header's row id, never equal to a conversation's."""

    folder_id: int


@dataclass(frozen=True, slots=True)
class FolderRow:
    id: FolderKey
    name: str
    total: int
    collapsed: bool = False

    @property
    def folder_id(self) -> int:
        return self.id.folder_id


def conversations_mime(ids: Sequence[object]) -> QMimeData:
    data = QMimeData()
    data.setData(CONVERSATIONS_MIME, json.dumps([int(i) for i in ids]).encode())  # type: ignore[call-overload]
    return data


def conversation_ids(data: QMimeData | None) -> list[int]:
    """The conversations a drag carries; none for anything else or malformed data."""
    if data is None or not data.hasFormat(CONVERSATIONS_MIME):
        return []
    try:
        value = json.loads(bytes(data.data(CONVERSATIONS_MIME).data()))
    except ValueError:
        return []
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, int) and not isinstance(item, bool)]


def paint_folder(
    painter: QPainter,
    rect: QRect,
    row: FolderRow,
    font: QFont,
    *,
    selected: bool,
    hovered: bool,
    drop_target: bool,
) -> None:
    """A header: chevron, folder glyph, the name, and how many conversations it holds."""
    theme = current_theme()
    if selected or hovered or drop_target:
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect), 8, 8)
        painter.fillPath(path, QColor(theme.selection if selected or drop_target else theme.hover))
    if drop_target:
        painter.setPen(QColor(theme.accent))
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
    inner = rect.adjusted(6, 0, -10, 0)
    middle = inner.center().y()
    chevron = icon("chevron-right" if row.collapsed else "chevron-down", theme.muted)
    painter.drawPixmap(inner.left(), middle - 7, chevron.pixmap(14, 14))
    folder = icon("folder", theme.muted).pixmap(16, 16)
    painter.drawPixmap(inner.left() + 18, middle - 8, folder)
    left = inner.left() + 40

    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() - 1.5))
    count = str(row.total)
    width = QFontMetrics(small).horizontalAdvance(count)
    painter.setFont(small)
    painter.setPen(QColor(theme.muted))
    painter.drawText(
        QRect(inner.right() - width, inner.top(), width, inner.height()),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        count,
    )
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    painter.setFont(bold)
    painter.setPen(QColor(theme.text))
    name_rect = QRect(left, inner.top(), max(0, inner.right() - width - 8 - left), inner.height())
    name = QFontMetrics(bold).elidedText(row.name, Qt.TextElideMode.ElideRight, name_rect.width())
    painter.drawText(
        name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name
    )
