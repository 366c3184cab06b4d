"""The rows of the model list: the model's name, and a small badge for each thing it reads
(Text, Image, ...), so a model that takes images stands out before it is chosen."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from longcat_desktop.ui.model_info_format import modality_name
from longcat_desktop.ui.theme import current_theme

# Item data: the modalities the model reads, as the platform names them ("text", "image").
MODALITIES_ROLE = Qt.ItemDataRole.UserRole + 1

_PAD = 10  # row text from the row's edges
_BADGE_PAD = 6  # badge text from the badge's edges
_BADGE_GAP = 4
_NAME_GAP = 16  # at least this between the name and the first badge

_Index = QModelIndex | QPersistentModelIndex


def modalities_of(index: _Index) -> tuple[str, ...]:
    value = index.data(MODALITIES_ROLE)
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return ()


def badge_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() - 2))
    return small


def row_width(font: QFont, name: str, modalities: tuple[str, ...]) -> int:
    """The width a row needs to show its name and every badge in full."""
    width = 2 * _PAD + QFontMetrics(font).horizontalAdvance(name)
    if modalities:
        metrics = QFontMetrics(badge_font(font))
        badges = [metrics.horizontalAdvance(modality_name(m)) + 2 * _BADGE_PAD for m in modalities]
        width += _NAME_GAP + sum(badges) + _BADGE_GAP * (len(badges) - 1)
    return width


class ModelItemDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        height = max(28, option.fontMetrics.height() + 12)
        return QSize(row_width(option.font, name, modalities_of(index)), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        theme = current_theme()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(option.rect)
        state = option.state
        if state & QStyle.StateFlag.State_Selected or state & QStyle.StateFlag.State_MouseOver:
            path = QPainterPath()
            path.addRoundedRect(QRectF(rect.adjusted(0, 1, 0, -1)), 6, 6)
            painter.fillPath(path, QColor(theme.selection))
        inner = rect.adjusted(_PAD, 0, -_PAD, 0)
        right = inner.right()
        small = badge_font(option.font)
        metrics = QFontMetrics(small)
        painter.setFont(small)
        for modality in reversed(modalities_of(index)):
            label = modality_name(modality)
            width = metrics.horizontalAdvance(label) + 2 * _BADGE_PAD
            height = metrics.height() + 4
            badge = QRectF(right - width + 1, inner.center().y() - height / 2 + 1, width, height)
            # Text is what every model reads: quiet. Anything more is the news: accented.
            colour = QColor(theme.muted if modality.lower() == "text" else theme.accent)
            fill = QColor(colour)
            fill.setAlphaF(0.14)
            path = QPainterPath()
            path.addRoundedRect(badge, height / 2, height / 2)
            painter.fillPath(path, fill)
            painter.setPen(colour)
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), label)
            right -= width + _BADGE_GAP
        if right != inner.right():
            right -= _NAME_GAP - _BADGE_GAP
        painter.setFont(option.font)
        painter.setPen(QColor(theme.text))
        name_rect = QRect(inner.left(), inner.top(), max(0, right - inner.left()), inner.height())
        name = QFontMetrics(option.font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            name_rect.width(),
        )
        painter.drawText(
            name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name
        )
        painter.restore()
