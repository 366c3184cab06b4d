"""Viewers for attachments: an image (fit, zoom, save as, copy) and a document's text.

Both are windows of their own, shown with show(), never exec(): the conversation stays usable
behind them. The full image is decoded only when its viewer opens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import (
    QFontDatabase,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain.attachments import NO_TEXT_NOTE, Attachment, AttachmentKind
from longcat_desktop.ui.attachment_chips import size_text
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.plain_text import plain_label

ZOOM_STEP = 1.25
MIN_ZOOM = 0.05
MAX_ZOOM = 8.0


def _tool(parent: QWidget, name: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setAutoRaise(True)
    button.setIcon(icon(name))
    button.setIconSize(QSize(18, 18))
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    return button


def _save_as(parent: QWidget, name: str, data: bytes, title: str) -> None:
    dialog = QFileDialog(parent, title, str(Path.home() / name))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)

    def chosen(path: str) -> None:
        try:
            Path(path).write_bytes(data)
        except OSError as error:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(
                QMessageBox.Icon.Warning, title, f"{path}: {error.strerror or error}", parent=parent
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


class ImageViewer(QDialog):
    """An image at its size or fitted to the window, zoomable, to save or copy."""

    def __init__(self, attachment: Attachment, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(attachment.name)
        self.attachment = attachment
        self._data = data
        self.image = QImage.fromData(data)
        self._pixmap = QPixmap.fromImage(self.image)
        self.zoom = 1.0
        self.fitted = True
        # Owned by the viewer, so it never fires once the viewer is gone.
        self._refit_timer = QTimer(self, singleShot=True, interval=0)
        self._refit_timer.timeout.connect(self._refit)

        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setWidget(self.picture)
        self.scroll_area.setWidgetResizable(False)
        bar = QHBoxLayout()
        self.fit_button = _tool(self, "fit", self.tr("Fit to window (0)"))
        self.zoom_out_button = _tool(self, "zoom-out", self.tr("Zoom out (-)"))
        self.zoom_in_button = _tool(self, "zoom-in", self.tr("Zoom in (+)"))
        self.save_button = _tool(self, "save", self.tr("Save as…"))
        self.copy_button = _tool(self, "copy", self.tr("Copy image"))
        self.info = plain_label(self)
        self.info.setProperty("role", "muted")
        self.info.setText(
            f"{attachment.width or self.image.width()} × {attachment.height or self.image.height()}"
            f" · {size_text(len(data))}"
        )
        for button in (self.fit_button, self.zoom_out_button, self.zoom_in_button):
            bar.addWidget(button)
        bar.addWidget(self.info, 1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)

        self.fit_button.clicked.connect(self.fit)
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom(self.zoom * ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom(self.zoom / ZOOM_STEP))
        self.save_button.clicked.connect(
            lambda: _save_as(self, attachment.name, self._data, self.tr("Save image"))
        )
        self.copy_button.clicked.connect(self.copy)
        for keys, slot in (
            ("0", self.fit),
            ("+", lambda: self.set_zoom(self.zoom * ZOOM_STEP)),
            ("=", lambda: self.set_zoom(self.zoom * ZOOM_STEP)),
            ("-", lambda: self.set_zoom(self.zoom / ZOOM_STEP)),
            (QKeySequence.StandardKey.Copy, self.copy),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        screen = self.screen().availableGeometry().size() if self.screen() else QSize(1280, 800)
        self.resize(
            min(self.image.width() + 40, screen.width() * 4 // 5),
            min(self.image.height() + 80, screen.height() * 4 // 5),
        )
        self.fit()

    def fit(self) -> None:
        self.fitted = True
        viewport = self.scroll_area.viewport().size()
        if self.image.isNull() or viewport.isEmpty():
            self._show(1.0)
            return
        scale = min(
            viewport.width() / self.image.width(), viewport.height() / self.image.height(), 1.0
        )
        self._show(scale)

    def set_zoom(self, zoom: float) -> None:
        self.fitted = False
        self._show(max(MIN_ZOOM, min(MAX_ZOOM, zoom)))

    def _show(self, zoom: float) -> None:
        self.zoom = zoom
        if self._pixmap.isNull():
            return
        size = self._pixmap.size() * zoom
        self.picture.setPixmap(
            self._pixmap.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )
        self.picture.resize(size)

    def copy(self) -> None:
        QGuiApplication.clipboard().setImage(self.image)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted:
            # After the layout has given the scroll area its new size.
            self._refit_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refit_timer.start()

    def _refit(self) -> None:
        if self.fitted:
            self.fit()


class TextPreview(QDialog):
    """A document's text as it is sent to the model."""

    def __init__(self, attachment: Attachment, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(attachment.name)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(attachment.text or NO_TEXT_NOTE)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        info = plain_label(self)
        info.setProperty("role", "muted")
        info.setText(f"{attachment.media_type} · {size_text(attachment.size)}")
        save = _tool(self, "save", self.tr("Save as…"))
        save.clicked.connect(lambda: _save_as(self, attachment.name, data, self.tr("Save file")))
        bar = QHBoxLayout()
        bar.addWidget(info, 1)
        bar.addWidget(save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)
        self.resize(720, 560)


def open_attachment(parent: QWidget, attachment: Attachment, data: bytes) -> QDialog:
    viewer: QDialog = (
        ImageViewer(attachment, data, parent)
        if attachment.is_image
        else TextPreview(attachment, data, parent)
    )
    viewer.show()
    return viewer


def open_image(parent: QWidget, name: str, media_type: str, data: bytes) -> QDialog:
    """The viewer for any image as bytes (one a tool returned, for instance)."""
    attachment = Attachment("", AttachmentKind.IMAGE, name, media_type, len(data))
    return open_attachment(parent, attachment, data)
