"""The sidebar's conversation list: a Qt item model, its painter and its view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from longcat_desktop.domain.conversation import ExportKind
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.ui.busy_indicator import paint_spinner
from longcat_desktop.ui.escape_key import claim_escape
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.plain_text import tooltip
from longcat_desktop.ui.relative_time import relative_time
from longcat_desktop.ui.row_list_view import RowListView
from longcat_desktop.ui.theme import current_theme

ROW_HEIGHT = 36
# Beyond this many rows a changed order is cheaper to reset than to replay as moves.
_MAX_INCREMENTAL = 2000

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: ConversationId
    title: str
    pinned: bool = False
    # A datetime, or a Unix timestamp (cheaper to make for thousands of rows; only the rows
    # painted are converted).
    updated_at: datetime | float | None = None
    streaming: bool = False

    @property
    def updated(self) -> datetime | None:
        moment = self.updated_at
        if moment is None or isinstance(moment, datetime):
            return moment
        return datetime.fromtimestamp(moment).astimezone()


# Given the last row loaded, the rows after it (none when there are no more).
MoreRows = Callable[[ConversationRow], Sequence[ConversationRow]]


class ConversationListModel(QAbstractListModel):
    """Rows arrive already ordered (pinned first, then by activity) from the owner.

    Editing a title does not store it: `setData` emits `renameRequested(id, title)` and the
    owner answers with `update_row` once the rename is saved.
    """

    IdRole = Qt.ItemDataRole.UserRole + 1
    PinnedRole = Qt.ItemDataRole.UserRole + 2
    StreamingRole = Qt.ItemDataRole.UserRole + 3
    TimeRole = Qt.ItemDataRole.UserRole + 4
    RowRole = Qt.ItemDataRole.UserRole + 5

    renameRequested = Signal(object, str)
    streamingChanged = Signal(bool)  # whether any row streams

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ConversationRow] = []
        self._any_streaming = False
        self._more: MoreRows | None = None

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row.title)
        if role == self.IdRole:
            return row.id
        if role == self.PinnedRole:
            return row.pinned
        if role == self.StreamingRole:
            return row.streaming
        if role == self.TimeRole:
            return row.updated
        if role == self.RowRole:
            return row
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        title = str(value).strip()
        row = self._rows[index.row()]
        if not title or title == row.title:
            return False
        self.renameRequested.emit(row.id, title)
        return True

    # -- feeding --------------------------------------------------------------------------

    def rows(self) -> list[ConversationRow]:
        return list(self._rows)

    def row_of(self, conversation_id: ConversationId | None) -> int:
        for position, row in enumerate(self._rows):
            if row.id == conversation_id:
                return position
        return -1

    def index_of(self, conversation_id: ConversationId | None, fetch: bool = False) -> QModelIndex:
        """The row of a conversation; with `fetch`, further pages load until it is found."""
        position = self.row_of(conversation_id)
        while position < 0 and fetch and self.canFetchMore(QModelIndex()):
            loaded = len(self._rows)
            self.fetchMore(QModelIndex())
            position = next(
                (i for i in range(loaded, len(self._rows)) if self._rows[i].id == conversation_id),
                -1,
            )
        return self.index(position) if position >= 0 else QModelIndex()

    # -- paging: the first rows come with set_rows, the rest as the view scrolls to them ----

    def canFetchMore(self, parent: _Index) -> bool:
        return self._more is not None and bool(self._rows) and not parent.isValid()

    def fetchMore(self, parent: _Index) -> None:
        if self._more is None or not self._rows or parent.isValid():
            return
        known = {row.id for row in self._rows}
        rows = [row for row in self._more(self._rows[-1]) if row.id not in known]
        if not rows:
            self._more = None
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        self._check_streaming()

    def update_row(self, row: ConversationRow) -> None:
        position = self.row_of(row.id)
        if position < 0:
            return
        self._rows[position] = row
        index = self.index(position)
        self.dataChanged.emit(index, index)
        self._check_streaming()

    def set_rows(self, rows: Sequence[ConversationRow], more: MoreRows | None = None) -> None:
        """Show `rows`, changing as little as possible so selection and scroll survive.

        `more`, when given, supplies the rows after them, a page at a time, as the view
        scrolls down (Qt's canFetchMore/fetchMore).
        """
        new = list(rows)
        self._more = more
        if [r.id for r in new] == [r.id for r in self._rows]:
            self._refresh_changed(new)
        elif not self._rows or len(new) + len(self._rows) > _MAX_INCREMENTAL:
            # From empty (the first fill) one reset beats a row-by-row insert.
            self.beginResetModel()
            self._rows = new
            self.endResetModel()
        else:
            self._sync(new)
        self._check_streaming()

    def _refresh_changed(self, new: list[ConversationRow]) -> None:
        for position, (old, row) in enumerate(zip(self._rows, new, strict=True)):
            if old != row:
                self._rows[position] = row
                index = self.index(position)
                self.dataChanged.emit(index, index)

    def _sync(self, new: list[ConversationRow]) -> None:
        wanted = {row.id for row in new}
        for position in range(len(self._rows) - 1, -1, -1):
            if self._rows[position].id not in wanted:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self.endRemoveRows()
        for target, row in enumerate(new):
            current = self._rows[target].id if target < len(self._rows) else None
            if current == row.id:
                if self._rows[target] != row:
                    self._rows[target] = row
                    index = self.index(target)
                    self.dataChanged.emit(index, index)
                continue
            source = self.row_of(row.id)
            if source >= 0:
                # A conversation that gained activity moves up: a move keeps its selection.
                self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), target)
                self._rows.insert(target, self._rows.pop(source))
                self.endMoveRows()
                if self._rows[target] != row:
                    self._rows[target] = row
                    index = self.index(target)
                    self.dataChanged.emit(index, index)
            else:
                self.beginInsertRows(QModelIndex(), target, target)
                self._rows.insert(target, row)
                self.endInsertRows()

    def _check_streaming(self) -> None:
        streaming = any(row.streaming for row in self._rows)
        if streaming != self._any_streaming:
            self._any_streaming = streaming
            self.streamingChanged.emit(streaming)

    def any_streaming(self) -> bool:
        return self._any_streaming


class ConversationDelegate(QStyledItemDelegate):
    """Title, relative time, a pin glyph and a spinner for rows whose answer still streams."""

    def __init__(self, view: RowListView) -> None:
        super().__init__(view)
        self._view = view
        self.spinner_angle = 0
        self.now: datetime | None = None  # tests pin the clock; None means the real time

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, max(ROW_HEIGHT, option.fontMetrics.height() + 16))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        theme = current_theme()
        row = index.data(ConversationListModel.RowRole)
        if not isinstance(row, ConversationRow):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(option.rect).adjusted(6, 1, -6, -1)
        selected = self._view.is_selected(index)
        hovered = self._view.is_hovered(index)
        if selected or hovered:
            path = QPainterPath()
            path.addRoundedRect(QRectF(rect), 8, 8)
            painter.fillPath(path, QColor(theme.selection if selected else theme.hover))

        inner = rect.adjusted(10, 0, -10, 0)
        font = QFont(option.font)
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() - 1.5))
        right = inner.right()
        if row.streaming:
            size = 14
            spin_rect = QRectF(right - size + 1, inner.center().y() - size / 2 + 1, size, size)
            paint_spinner(painter, spin_rect, self.spinner_angle, QColor(theme.accent))
            right -= size + 8
        else:
            moment = row.updated
            stamp = relative_time(moment, self.now) if moment is not None else ""
            if stamp:
                painter.setFont(small)
                metrics = QFontMetrics(small)
                width = metrics.horizontalAdvance(stamp)
                painter.setPen(QColor(theme.muted))
                painter.drawText(
                    QRect(right - width, inner.top(), width, inner.height()),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    stamp,
                )
                right -= width + 8
        if row.pinned:
            pin = icon("pin", theme.muted).pixmap(14, 14)
            painter.drawPixmap(right - 14, inner.center().y() - 6, pin)
            right -= 14 + 6

        painter.setFont(font)
        painter.setPen(QColor(theme.text))
        title_rect = QRect(inner.left(), inner.top(), max(0, right - inner.left()), inner.height())
        title = QFontMetrics(font).elidedText(
            row.title or self.tr("New chat"), Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(
            title_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title
        )
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName(self.tr("Conversation title"))
        # Escape cancels the rename rather than stopping an answer.
        claim_escape(editor)
        return editor

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        editor.setGeometry(QRect(option.rect).adjusted(6, 1, -6, -1))


class ConversationListView(RowListView):
    """Emits the owner's commands with conversation ids; renaming is inline (F2, double-click,
    or the context menu)."""

    conversationActivated = Signal(object)
    renameRequested = Signal(object, str)
    pinRequested = Signal(object, bool)  # id, pinned after the change
    duplicateRequested = Signal(object)
    exportRequested = Signal(object, object)  # id, ExportKind
    deleteRequested = Signal(object)

    SPIN_INTERVAL_MS = 50

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAccessibleName(self.tr("Conversations"))
        self.delegate = ConversationDelegate(self)
        self.setItemDelegate(self.delegate)
        # One timer animates every streaming row, and runs only while some row streams.
        self._spin_timer = QTimer(self)
        self._spin_timer.setInterval(self.SPIN_INTERVAL_MS)
        self._spin_timer.timeout.connect(self._spin)
        self.activated.connect(self._on_activated)
        self.clicked.connect(self._on_activated)
        self._model: ConversationListModel | None = None

    def setModel(self, model: QAbstractItemModel | None) -> None:
        if self._model is not None:
            self._model.streamingChanged.disconnect(self._on_streaming_changed)
            self._model.renameRequested.disconnect(self.renameRequested)
        super().setModel(model)
        self._model = model if isinstance(model, ConversationListModel) else None
        if self._model is not None:
            self._model.streamingChanged.connect(self._on_streaming_changed)
            self._model.renameRequested.connect(self.renameRequested)
            if self._model.any_streaming():
                self._spin_timer.start()

    def spinner_running(self) -> bool:
        return self._spin_timer.isActive()

    def _on_streaming_changed(self, streaming: bool) -> None:
        if streaming:
            self._spin_timer.start()
        else:
            self._spin_timer.stop()
            self.viewport().update()

    def _spin(self) -> None:
        self.delegate.spinner_angle = (self.delegate.spinner_angle + 30) % 360
        model = self._model
        if model is None:
            return
        # Repaint only the visible streaming rows, not the whole list.
        top = self.indexAt(QPoint(0, 0)).row()
        bottom = self.indexAt(QPoint(0, self.viewport().height() - 1)).row()
        if top < 0:
            return
        if bottom < 0:
            bottom = model.rowCount() - 1
        for position in range(top, bottom + 1):
            index = model.index(position)
            if index.data(ConversationListModel.StreamingRole):
                self.viewport().update(self.visualRect(index))

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.conversationActivated.emit(index.data(ConversationListModel.IdRole))

    def select_conversation(self, conversation_id: ConversationId | None) -> None:
        if self._model is None:
            return
        index = self._model.index_of(conversation_id, fetch=True)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def build_context_menu(self, index: QModelIndex) -> QMenu:
        """The menu for one row; separate from the event so it can be tested without popping."""
        row = index.data(ConversationListModel.RowRole)
        menu = QMenu(self)
        if not isinstance(row, ConversationRow):
            return menu
        conversation = row.id
        persistent = QPersistentModelIndex(index)
        rename = menu.addAction(icon("edit"), self.tr("Rename"))
        rename.setShortcut("F2")
        rename.triggered.connect(lambda: self._rename(persistent))
        pin = menu.addAction(icon("pin"), self.tr("Unpin") if row.pinned else self.tr("Pin"))
        pin.triggered.connect(lambda: self.pinRequested.emit(conversation, not row.pinned))
        duplicate = menu.addAction(icon("copy"), self.tr("Duplicate"))
        duplicate.triggered.connect(lambda: self.duplicateRequested.emit(conversation))
        export = menu.addMenu(self.tr("Export"))
        labels = {
            ExportKind.MARKDOWN: self.tr("Markdown…"),
            ExportKind.HTML: self.tr("HTML…"),
            ExportKind.JSON: self.tr("JSON…"),
        }
        for fmt in ExportKind:
            action = export.addAction(labels[fmt])
            action.setData(fmt)
            action.triggered.connect(
                lambda _checked=False, f=fmt: self.exportRequested.emit(conversation, f)
            )
        menu.addSeparator()
        delete = menu.addAction(icon("delete"), self.tr("Delete…"))
        delete.triggered.connect(lambda: self.deleteRequested.emit(conversation))
        return menu

    def _rename(self, persistent: QPersistentModelIndex) -> None:
        model = self.model()
        if persistent.isValid() and model is not None:
            index = model.index(persistent.row(), 0)
            self.setCurrentIndex(index)
            self.edit(index)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        menu = self.build_context_menu(index)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(event.globalPos())
