"""A list view that knows which of its rows is under the pointer, for delegates that paint rows.

Qt tracks the hovered row of an item view only when its viewport asks for hover events
(WA_Hover), and hands it to delegates inside QStyle state flags. Tracking it here works with
plain mouse tracking, and keeps QStyle out of the window's first frame: the first use of QStyle
from Python makes PySide build its enum types, about 17 ms.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QListView, QWidget

_Index = QModelIndex | QPersistentModelIndex


class RowListView(QListView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self._hovered = QPersistentModelIndex()

    def is_hovered(self, index: _Index) -> bool:
        return self._hovered.isValid() and self._hovered == index

    def is_selected(self, index: _Index) -> bool:
        selection = self.selectionModel()
        return selection is not None and selection.isSelected(index)

    def hovered_index(self) -> QPersistentModelIndex:
        return QPersistentModelIndex(self._hovered)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover(self.indexAt(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self._hover(QModelIndex())
        return super().viewportEvent(event)

    def _hover(self, index: QModelIndex) -> None:
        if self._hovered == index:
            return
        previous, self._hovered = self._hovered, QPersistentModelIndex(index)
        viewport = self.viewport()
        for changed in (previous, self._hovered):
            if changed.isValid():
                viewport.update(self.visualRect(changed))
