"""Message search results: title plus a snippet with the matches highlighted."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.ui.plain_text import tooltip
from longcat_desktop.ui.row_list_view import RowListView
from longcat_desktop.ui.theme import current_theme

MATCH_START = "\x02"
MATCH_END = "\x03"
SNIPPET_LINES = 2

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class SearchHit:
    conversation_id: ConversationId
    message_id: MessageId | None  # None: the title matched, not a message
    title: str
    snippet: str = ""  # matches wrapped in \x02 … \x03


def snippet_to_html(snippet: str, highlight: str) -> str:
    """Rich text for a snippet: everything escaped (model output is never markup), the marked
    matches bold on a `highlight` background."""
    out: list[str] = []
    inside = False
    buffer: list[str] = []

    def flush() -> None:
        text = html.escape("".join(buffer), quote=False)
        buffer.clear()
        if not text:
            return
        if inside:
            out.append(f'<b style="background-color:{highlight}">{text}</b>')
        else:
            out.append(text)

    for char in snippet:
        if char == MATCH_START and not inside:
            flush()
            inside = True
        elif char == MATCH_END and inside:
            flush()
            inside = False
        elif char not in (MATCH_START, MATCH_END):
            buffer.append(char)
    flush()
    return "".join(out).replace("\n", " ")


def plain_snippet(snippet: str) -> str:
    return snippet.replace(MATCH_START, "").replace(MATCH_END, "")


class SearchResultsModel(QAbstractListModel):
    HitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(plain_snippet(hit.snippet))
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return plain_snippet(hit.snippet)
        if role == self.HitRole:
            return hit
        return None

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        # Each keystroke brings a new ranked list; a reset is the honest change.
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list[SearchHit]:
        return list(self._hits)


class SearchResultDelegate(QStyledItemDelegate):
    def __init__(self, view: RowListView) -> None:
        super().__init__(view)
        self._view = view

    def _snippet_document(self, hit: SearchHit, font: QFont, width: int) -> QTextDocument:
        theme = current_theme()
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        doc.setTextWidth(width)
        body = snippet_to_html(hit.snippet, theme.match_highlight)
        doc.setHtml(f'<span style="color:{theme.muted}">{body}</span>')
        return doc

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, small.pointSizeF() - 1))
        return title, small

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        title, small = self._fonts(option)
        height = QFontMetrics(title).height() + SNIPPET_LINES * QFontMetrics(small).lineSpacing()
        return QSize(200, height + 20)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        hit = index.data(SearchResultsModel.HitRole)
        if not isinstance(hit, SearchHit):
            return
        theme = current_theme()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(option.rect).adjusted(6, 1, -6, -1)
        selected = self._view.is_selected(index)
        if selected or self._view.is_hovered(index):
            path = QPainterPath()
            path.addRoundedRect(QRectF(rect), 8, 8)
            painter.fillPath(path, QColor(theme.selection if selected else theme.hover))
        inner = rect.adjusted(10, 8, -10, -8)
        title_font, small = self._fonts(option)
        metrics = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(QColor(theme.text))
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(hit.title, Qt.TextElideMode.ElideRight, inner.width()),
        )
        if hit.snippet:
            doc = self._snippet_document(hit, small, inner.width())
            top = inner.top() + metrics.height() + 2
            clip = QRectF(0, 0, inner.width(), inner.bottom() - top)
            painter.translate(inner.left(), top)
            doc.drawContents(painter, clip)
        painter.restore()


class SearchResultsView(RowListView):
    resultActivated = Signal(object, object)  # conversation id, message id or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAccessibleName(self.tr("Search results"))
        self.setItemDelegate(SearchResultDelegate(self))
        self.activated.connect(self._on_activated)
        self.clicked.connect(self._on_activated)

    def _on_activated(self, index: QModelIndex) -> None:
        hit = index.data(SearchResultsModel.HitRole)
        if isinstance(hit, SearchHit):
            self.resultActivated.emit(hit.conversation_id, hit.message_id)
