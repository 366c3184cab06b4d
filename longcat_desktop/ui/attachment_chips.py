"""Attachments as chips: a thumbnail or an icon, the name and the size.

The composer shows the draft's chips (removable, one still being processed shows as busy);
a user message shows its images as thumbnails and its documents as chips, each opening a
viewer when clicked.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.plain_text import plain_label
from longcat_desktop.ui.theme import current_theme

CHIP_THUMB = 36
# Decoded thumbnails kept (about 45 KB each at 120 px): a long conversation's worth.
PIXMAP_CACHE_SIZE = 300
_PIXMAPS: OrderedDict[tuple[str, int, float], QPixmap] = OrderedDict()
MESSAGE_THUMB = 120
# Per row in a message, which keeps within the narrowest chat column.
THUMBS_PER_ROW = 4
CHIPS_PER_ROW = 3
_NAME_WIDTH = 150


@dataclass(frozen=True, slots=True)
class ChipData:
    """What a chip shows. `key` is the content's hash, or a token while it is processed."""

    key: str
    name: str
    size: int
    is_image: bool = False
    thumbnail: bytes | None = None
    pending: bool = False
    # A word under the name: a scanned PDF has no text, for instance.
    note: str = ""


def size_text(size: int) -> str:
    if size < 0:
        return ""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def thumbnail_pixmap(data: bytes | None, edge: int, ratio: float, key: str = "") -> QPixmap | None:
    """The thumbnail at most `edge` logical pixels long. With a `key` (the content's hash) it
    is kept for the next time: reopening a conversation then decodes nothing."""
    if not data:
        return None
    cache_key = (key, edge, ratio)
    if key and cache_key in _PIXMAPS:
        _PIXMAPS.move_to_end(cache_key)
        return _PIXMAPS[cache_key]
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    target = round(edge * ratio)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > target:
        # Decoded straight at the size shown (JPEG scales while decoding), not scaled after.
        reader.setScaledSize(size.scaled(target, target, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    if key:
        _PIXMAPS[cache_key] = pixmap
        if len(_PIXMAPS) > PIXMAP_CACHE_SIZE:
            _PIXMAPS.popitem(last=False)
    return pixmap


class AttachmentChip(QFrame):
    clicked = Signal(str)
    removeRequested = Signal(str)

    def __init__(self, data: ChipData, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setObjectName("attachmentChip")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.picture = QLabel(self)
        self.picture.setFixedSize(CHIP_THUMB, CHIP_THUMB)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = plain_label(self)
        self.name_label.setObjectName("attachmentName")
        metrics = self.name_label.fontMetrics()
        self.name_label.setText(
            metrics.elidedText(data.name, Qt.TextElideMode.ElideMiddle, _NAME_WIDTH)
        )
        self.name_label.setToolTip(data.name)
        self.size_label = plain_label(self)
        self.size_label.setProperty("role", "muted")
        self.size_label.setText(self._detail())
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(0)
        text.addWidget(self.name_label)
        text.addWidget(self.size_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4 if removable else 10, 4)
        row.setSpacing(8)
        row.addWidget(self.picture)
        row.addLayout(text)
        self.remove_button: QToolButton | None = None
        if removable:
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setIconSize(QSize(12, 12))
            button.setToolTip(self.tr("Remove %1").replace("%1", data.name))
            button.setAccessibleName(self.tr("Remove attachment"))
            button.clicked.connect(lambda: self.removeRequested.emit(self.data.key))
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.remove_button = button
        self.setAccessibleName(data.name)
        self._refresh()

    def _detail(self) -> str:
        if self.data.pending:
            return self.tr("Preparing…")
        parts = [size_text(self.data.size)]
        if self.data.note:
            parts.append(self.data.note)
        return " · ".join(p for p in parts if p)

    def _refresh(self) -> None:
        theme = current_theme()
        pixmap = thumbnail_pixmap(
            self.data.thumbnail, CHIP_THUMB, self.devicePixelRatioF(), self.data.key
        )
        if pixmap is not None:
            self.picture.setPixmap(pixmap)
        else:
            name = "image" if self.data.is_image or self.data.pending else "file-text"
            self.picture.setPixmap(icon(name, theme.muted).pixmap(22, 22))
        if self.remove_button is not None:
            self.remove_button.setIcon(icon("close"))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.data.pending:
            self.clicked.emit(self.data.key)
        super().mouseReleaseEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh()


class ChipStrip(QScrollArea):
    """A row of chips that scrolls sideways when there are more than fit."""

    clicked = Signal(str)
    removeRequested = Signal(str)

    def __init__(self, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._removable = removable
        self.setObjectName("attachmentStrip")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        inner = QWidget(self)
        inner.setObjectName("attachmentStripInner")
        self._row = QHBoxLayout(inner)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        self.setWidget(inner)
        self.chips: list[AttachmentChip] = []
        self.setFixedHeight(CHIP_THUMB + 8 + 12)
        self.hide()

    def set_chips(self, chips: list[ChipData]) -> None:
        if [c.data for c in self.chips] == chips:
            return
        for chip in self.chips:
            self._row.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for data in chips:
            chip = AttachmentChip(data, self._removable, self.widget())
            chip.clicked.connect(self.clicked)
            chip.removeRequested.connect(self.removeRequested)
            self._row.insertWidget(self._row.count() - 1, chip)
            self.chips.append(chip)
        self.setVisible(bool(chips))


class ImageThumb(QToolButton):
    """An image of a message, as a thumbnail that opens the viewer."""

    def __init__(self, data: ChipData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setObjectName("imageThumb")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(data.name)
        self.setAccessibleName(data.name)
        pixmap = thumbnail_pixmap(data.thumbnail, MESSAGE_THUMB, self.devicePixelRatioF(), data.key)
        if pixmap is None:
            self.setIcon(icon("image", current_theme().muted))
            self.setIconSize(QSize(32, 32))
            self.setFixedSize(MESSAGE_THUMB, MESSAGE_THUMB * 3 // 4)
        else:
            logical = pixmap.deviceIndependentSize().toSize()
            self.setIcon(pixmap)
            self.setIconSize(logical)
            self.setFixedSize(logical + QSize(4, 4))


class MessageAttachments(QWidget):
    """A user message's attachments, right-aligned: image thumbnails in rows of
    THUMBS_PER_ROW, then document chips in rows of CHIPS_PER_ROW, so many never widen the
    column."""

    opened = Signal(str)

    def __init__(self, chips: list[ChipData], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageAttachments")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.thumbs: list[ImageThumb] = []
        self.chips: list[AttachmentChip] = []
        images = [chip for chip in chips if chip.is_image]
        documents = [chip for chip in chips if not chip.is_image]
        # Pictures first, then documents: the pictures are what the eye looks for.
        for start in range(0, len(images), THUMBS_PER_ROW):
            row = self._row(layout)
            for data in images[start : start + THUMBS_PER_ROW]:
                thumb = ImageThumb(data, self)
                thumb.clicked.connect(lambda _=False, key=data.key: self.opened.emit(key))
                row.addWidget(thumb, 0, Qt.AlignmentFlag.AlignBottom)
                self.thumbs.append(thumb)
        for start in range(0, len(documents), CHIPS_PER_ROW):
            row = self._row(layout)
            for data in documents[start : start + CHIPS_PER_ROW]:
                chip = AttachmentChip(data, False, self)
                chip.clicked.connect(self.opened)
                row.addWidget(chip)
                self.chips.append(chip)

    @staticmethod
    def _row(layout: QVBoxLayout) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addStretch(1)
        layout.addLayout(row)
        return row
