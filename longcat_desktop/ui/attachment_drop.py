"""What a paste or a drop brings to attach: local files, or an image (a screenshot)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def local_files(mime: QMimeData) -> list[Path]:
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def pasted_image(mime: QMimeData) -> QImage | None:
    if not mime.hasImage():
        return None
    image = mime.imageData()
    return image if isinstance(image, QImage) and not image.isNull() else None


def has_attachments(mime: QMimeData) -> bool:
    """Files or an image: what becomes attachments rather than text."""
    return bool(local_files(mime)) or mime.hasImage()


class DropTarget(QObject):
    """Makes a widget (the conversation) accept dropped files and images."""

    filesDropped = Signal(list)  # list[Path]
    imageDropped = Signal(QImage)

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)
        if isinstance(widget, QAbstractScrollArea):
            # Drops land on the viewport, which hands them on without an event filter seeing.
            widget.viewport().setAcceptDrops(True)
            widget.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDropEvent
        ):
            mime = event.mimeData()
            if mime is not None and has_attachments(mime):
                event.acceptProposedAction()
                return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            mime = event.mimeData()
            if mime is not None and self.take(mime):
                event.acceptProposedAction()
                return True
        return super().eventFilter(watched, event)

    def take(self, mime: QMimeData) -> bool:
        """Announce what `mime` brings; False when it brings nothing to attach."""
        files = local_files(mime)
        if files:
            self.filesDropped.emit(files)
            return True
        image = pasted_image(mime)
        if image is not None:
            self.imageDropped.emit(image)
            return True
        return False
