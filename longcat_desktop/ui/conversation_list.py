"""The sidebar's conversation list: a Qt item model, its painter and its view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QMimeData,
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
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPainterPath,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
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
from longcat_desktop.ui.folder_rows import (
    CONVERSATIONS_MIME,
    FolderKey,
    FolderRow,
    conversation_ids,
    conversations_mime,
    paint_folder,
)
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
    # Where the row is listed: "pinned", a folder's id, or "loose" (in no folder); None when
    # the list has no folders.
    section: object = None

    @property
    def updated(self) -> datetime | None:
        moment = self.updated_at
        if moment is None or isinstance(moment, datetime):
            return moment
        return datetime.fromtimestamp(moment).astimezone()


ListRow = ConversationRow | FolderRow
# A row's id: a conversation's, or a folder header's.
RowId = ConversationId | FolderKey
# Given the last row loaded, the rows after it (none when there are no more).
MoreRows = Callable[[ListRow], Sequence[ListRow]]
# Where a drop puts conversations: a folder's id, None for no folder.
_NO_TARGET = object()


class ConversationListModel(QAbstractListModel):
    """Rows arrive already ordered (pinned first, then by activity) from the owner.

    Editing a title does not store it: `setData` emits `renameRequested(id, title)` and the
    owner answers with `update_row` once the rename is saved. Folder headers are rows too
    (FolderRow); conversations dropped on a folder, or on a conversation in one, emit
    `moveRequested(ids, folder_id)` (folder None: out of any folder).
    """

    IdRole = Qt.ItemDataRole.UserRole + 1
    PinnedRole = Qt.ItemDataRole.UserRole + 2
    StreamingRole = Qt.ItemDataRole.UserRole + 3
    TimeRole = Qt.ItemDataRole.UserRole + 4
    RowRole = Qt.ItemDataRole.UserRole + 5

    renameRequested = Signal(object, str)
    folderRenameRequested = Signal(int, str)
    moveRequested = Signal(list, object)  # conversation ids, folder id or None
    streamingChanged = Signal(bool)  # whether any row streams

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ListRow] = []
        self._any_streaming = False
        self._more: MoreRows | None = None

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, FolderRow):
            return self._folder_data(row, role)
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

    def _folder_data(self, row: FolderRow, role: int) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self.tr("Folder %1, %2 conversations").replace("%2", str(row.total))
            return text.replace("%1", row.name)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row.name)
        if role == self.IdRole:
            return row.id
        if role == self.RowRole:
            return row
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsEditable
            row = self._rows[index.row()]
            if isinstance(row, FolderRow):
                base |= Qt.ItemFlag.ItemIsDropEnabled
            else:
                base |= Qt.ItemFlag.ItemIsDragEnabled
                if row.section != "pinned":
                    base |= Qt.ItemFlag.ItemIsDropEnabled
        return base

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        title = str(value).strip()
        row = self._rows[index.row()]
        if isinstance(row, FolderRow):
            if not title or title == row.name:
                return False
            self.folderRenameRequested.emit(row.folder_id, title)
            return True
        if not title or title == row.title:
            return False
        self.renameRequested.emit(row.id, title)
        return True

    # -- drag and drop: conversations onto folders ----------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [CONVERSATIONS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        return conversations_mime(
            [self._rows[r].id for r in rows if isinstance(self._rows[r], ConversationRow)]
        )

    def drop_target(self, index: _Index) -> object:
        """The folder (None: no folder) that a drop on this row files conversations into; a drop
        below the rows takes them out of their folders."""
        if not index.isValid():
            return None
        if not 0 <= index.row() < len(self._rows):
            return _NO_TARGET
        row = self._rows[index.row()]
        if isinstance(row, FolderRow):
            return row.folder_id
        if isinstance(row.section, int):
            return row.section
        if row.section == "loose":
            return None
        return _NO_TARGET

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        return bool(conversation_ids(data)) and self.drop_target(parent) is not _NO_TARGET

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        ids = conversation_ids(data)
        target = self.drop_target(parent)
        if not ids or target is _NO_TARGET:
            return False
        self.moveRequested.emit(ids, target)
        # The rows stay where they are until the owner lists them again from the store.
        return False

    # -- feeding --------------------------------------------------------------------------

    def rows(self) -> list[ListRow]:
        return list(self._rows)

    def row_of(self, conversation_id: RowId | None) -> int:
        for position, row in enumerate(self._rows):
            if row.id == conversation_id:
                return position
        return -1

    def index_of(self, conversation_id: RowId | None, fetch: bool = False) -> QModelIndex:
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

    def update_row(self, row: ListRow) -> None:
        position = self.row_of(row.id)
        if position < 0:
            return
        self._rows[position] = row
        index = self.index(position)
        self.dataChanged.emit(index, index)
        self._check_streaming()

    def set_rows(self, rows: Sequence[ListRow], more: MoreRows | None = None) -> None:
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

    def _refresh_changed(self, new: list[ListRow]) -> None:
        for position, (old, row) in enumerate(zip(self._rows, new, strict=True)):
            if old != row:
                self._rows[position] = row
                index = self.index(position)
                self.dataChanged.emit(index, index)

    def _sync(self, new: list[ListRow]) -> None:
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
        streaming = any(isinstance(row, ConversationRow) and row.streaming for row in self._rows)
        if streaming != self._any_streaming:
            self._any_streaming = streaming
            self.streamingChanged.emit(streaming)

    def any_streaming(self) -> bool:
        return self._any_streaming


class ConversationDelegate(QStyledItemDelegate):
    """Title, relative time, a pin glyph and a spinner for rows whose answer still streams."""

    def __init__(self, view: ConversationListView) -> None:
        super().__init__(view)
        self._view = view
        self.spinner_angle = 0
        self.now: datetime | None = None  # tests pin the clock; None means the real time

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, max(ROW_HEIGHT, option.fontMetrics.height() + 16))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        theme = current_theme()
        row = index.data(ConversationListModel.RowRole)
        if isinstance(row, FolderRow):
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            paint_folder(
                painter,
                QRect(option.rect).adjusted(6, 1, -6, -1),
                row,
                QFont(option.font),
                selected=self._view.is_selected(index),
                hovered=self._view.is_hovered(index),
                drop_target=self._view.is_drop_target(index),
            )
            painter.restore()
            return
        if not isinstance(row, ConversationRow):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Conversations in a folder are indented under its header.
        indent = 18 if isinstance(row.section, int) else 0
        rect = QRect(option.rect).adjusted(6 + indent, 1, -6, -1)
        selected = self._view.is_selected(index)
        hovered = self._view.is_hovered(index) or self._view.is_drop_target(index)
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
    or the context menu).

    Several conversations can be selected (Shift, Ctrl) and dragged onto a folder; a folder's
    header opens and closes with a click, Enter or Space, Left and Right."""

    conversationActivated = Signal(object)
    renameRequested = Signal(object, str)
    folderToggled = Signal(int, bool)  # folder id, collapsed after the change
    folderRenameRequested = Signal(int, str)
    folderDeleteRequested = Signal(int)
    folderSearchRequested = Signal(int)
    newFolderRequested = Signal(list)  # conversations to put into it (may be none)
    moveRequested = Signal(list, object)  # conversation ids, folder id or None
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
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        # A drop lands on a row (a folder, or a conversation in one), never between rows.
        self.setDragDropOverwriteMode(True)
        self.setDropIndicatorShown(False)
        self._drop_index = QPersistentModelIndex()
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
        self.clicked.connect(self._on_clicked)
        self._model: ConversationListModel | None = None

    def setModel(self, model: QAbstractItemModel | None) -> None:
        if self._model is not None:
            self._model.streamingChanged.disconnect(self._on_streaming_changed)
            self._model.renameRequested.disconnect(self.renameRequested)
            self._model.folderRenameRequested.disconnect(self.folderRenameRequested)
            self._model.moveRequested.disconnect(self.moveRequested)
        super().setModel(model)
        self._model = model if isinstance(model, ConversationListModel) else None
        if self._model is not None:
            self._model.streamingChanged.connect(self._on_streaming_changed)
            self._model.renameRequested.connect(self.renameRequested)
            self._model.folderRenameRequested.connect(self.folderRenameRequested)
            self._model.moveRequested.connect(self.moveRequested)
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
        if index.isValid() and isinstance(
            index.data(ConversationListModel.RowRole), ConversationRow
        ):
            self.conversationActivated.emit(index.data(ConversationListModel.IdRole))

    def _on_clicked(self, index: QModelIndex) -> None:
        row = index.data(ConversationListModel.RowRole) if index.isValid() else None
        if isinstance(row, FolderRow):
            self.folderToggled.emit(row.folder_id, not row.collapsed)
            return
        # Shift and Ctrl clicks choose rows (to drag or move several), they open nothing.
        modifiers = QApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier):
            return
        self._on_activated(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().data(ConversationListModel.RowRole)
        if isinstance(row, FolderRow) and self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            wanted = {
                Qt.Key.Key_Return: not row.collapsed,
                Qt.Key.Key_Enter: not row.collapsed,
                Qt.Key.Key_Space: not row.collapsed,
                Qt.Key.Key_Left: True,
                Qt.Key.Key_Right: False,
            }.get(Qt.Key(key))
            if wanted is not None:
                if wanted != row.collapsed:
                    self.folderToggled.emit(row.folder_id, wanted)
                event.accept()
                return
        super().keyPressEvent(event)

    def selected_conversations(self) -> list[object]:
        """The selected conversations' ids, in list order."""
        indexes = sorted(self.selectionModel().selectedIndexes(), key=lambda index: index.row())
        rows = [index.data(ConversationListModel.RowRole) for index in indexes]
        return [row.id for row in rows if isinstance(row, ConversationRow)]

    def folder_choices(self) -> list[tuple[int, str]]:
        """The folders a conversation can be moved to (the headers the list holds)."""
        if self._model is None:
            return []
        rows = self._model.rows()
        return [(row.folder_id, row.name) for row in rows if isinstance(row, FolderRow)]

    # -- drops: the row under the pointer is highlighted as the target ----------------------

    def is_drop_target(self, index: _Index) -> bool:
        return self._drop_index.isValid() and self._drop_index == index

    def _set_drop_index(self, index: QModelIndex) -> None:
        if self._drop_index == index:
            return
        old, self._drop_index = self._drop_index, QPersistentModelIndex(index)
        for changed in (old, self._drop_index):
            if changed.isValid() and self._model is not None:
                self.viewport().update(self.visualRect(self._model.index(changed.row())))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CONVERSATIONS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        model = self._model
        if model is not None and model.canDropMimeData(
            event.mimeData(), Qt.DropAction.MoveAction, -1, -1, index
        ):
            self._set_drop_index(index)
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            self._set_drop_index(QModelIndex())
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_index(QModelIndex())
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drop_index(QModelIndex())
        index = self.indexAt(event.position().toPoint())
        model = self._model
        if model is None or not model.canDropMimeData(
            event.mimeData(), Qt.DropAction.MoveAction, -1, -1, index
        ):
            event.ignore()
            return
        model.dropMimeData(event.mimeData(), Qt.DropAction.MoveAction, -1, -1, index)
        # Copy, not move: the view must not remove the dragged rows; the owner lists them again.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def select_conversation(self, conversation_id: ConversationId | None) -> None:
        if self._model is None:
            return
        index = self._model.index_of(conversation_id, fetch=True)
        if index.isValid():
            if self.is_selected(index):
                # Already so: a refresh keeps the rows chosen with Shift or Ctrl around it.
                return
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def build_context_menu(self, index: QModelIndex) -> QMenu:
        """The menu for one row; separate from the event so it can be tested without popping."""
        row = index.data(ConversationListModel.RowRole)
        menu = QMenu(self)
        if isinstance(row, FolderRow):
            self._folder_menu(menu, row, QPersistentModelIndex(index))
            return menu
        if not isinstance(row, ConversationRow):
            return menu
        conversation = row.id
        # The menu acts on every selected conversation when the row is one of them.
        selected = self.selected_conversations()
        chosen = selected if conversation in selected else [conversation]
        persistent = QPersistentModelIndex(index)
        rename = menu.addAction(icon("edit"), self.tr("Rename"))
        rename.setShortcut("F2")
        rename.triggered.connect(lambda: self._rename(persistent))
        pin = menu.addAction(icon("pin"), self.tr("Unpin") if row.pinned else self.tr("Pin"))
        pin.triggered.connect(lambda: self.pinRequested.emit(conversation, not row.pinned))
        self._move_menu(menu, chosen, row)
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

    def _move_menu(self, menu: QMenu, chosen: Sequence[object], row: ConversationRow) -> None:
        move = menu.addMenu(icon("folder-move"), self.tr("Move to folder"))
        ids = [int(i) for i in chosen]  # type: ignore[call-overload]
        current = row.section if len(ids) == 1 else None
        for folder_id, name in self.folder_choices():
            action = move.addAction(icon("folder"), name.replace("&", "&&"))
            action.setEnabled(folder_id != current)
            action.triggered.connect(
                lambda _checked=False, f=folder_id: self.moveRequested.emit(ids, f)
            )
        if move.actions():
            out = move.addAction(self.tr("No folder"))
            out.setEnabled(current != "loose" or len(ids) > 1)
            out.triggered.connect(lambda: self.moveRequested.emit(ids, None))
            move.addSeparator()
        new = move.addAction(icon("folder-plus"), self.tr("New folder…"))
        new.triggered.connect(lambda: self.newFolderRequested.emit(ids))

    def _folder_menu(self, menu: QMenu, row: FolderRow, persistent: QPersistentModelIndex) -> None:
        rename = menu.addAction(icon("edit"), self.tr("Rename folder"))
        rename.setShortcut("F2")
        rename.triggered.connect(lambda: self._rename(persistent))
        search = menu.addAction(icon("search"), self.tr("Search in this folder"))
        search.triggered.connect(lambda: self.folderSearchRequested.emit(row.folder_id))
        new = menu.addAction(icon("folder-plus"), self.tr("New folder"))
        new.triggered.connect(lambda: self.newFolderRequested.emit([]))
        menu.addSeparator()
        delete = menu.addAction(icon("delete"), self.tr("Delete folder…"))
        delete.triggered.connect(lambda: self.folderDeleteRequested.emit(row.folder_id))

    def edit_folder(self, folder_id: int) -> None:
        """Start renaming a folder's header inline (a new folder is named right away)."""
        if self._model is None:
            return
        index = self._model.index_of(FolderKey(folder_id), fetch=True)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)
            self.edit(index)

    def _rename(self, persistent: QPersistentModelIndex) -> None:
        model = self.model()
        if persistent.isValid() and model is not None:
            index = model.index(persistent.row(), 0)
            self.setCurrentIndex(index)
            self.edit(index)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        # From the Menu key or Shift+F10 the menu is for the current row, shown beside it.
        index = self.currentIndex() if keyboard else self.indexAt(event.pos())
        if not index.isValid():
            return
        menu = self.build_context_menu(index)
        menu.aboutToHide.connect(menu.deleteLater)
        where = self.visualRect(index).center() if keyboard else event.pos()
        menu.popup(self.viewport().mapToGlobal(where) if keyboard else event.globalPos())
