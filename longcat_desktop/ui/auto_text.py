"""A read-only, selectable text view as tall as its document, for use inside a scroll area."""

from __future__ import annotations

import math

from PySide6.QtCore import QMimeData, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QResizeEvent, QTextCursor, QTextDocument, QWheelEvent
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

COPY_CODE_SCHEME = "copy-code"


class AutoHeightBrowser(QTextBrowser):
    """Shows a document supplied (and streamed into) by the owner, never its own content.

    Links are not followed: http(s) and friends go out through `linkActivated` so the owner
    decides what may open, and `copy-code:N` anchors become `copyCodeRequested(N)`.
    """

    linkActivated = Signal(QUrl)
    copyCodeRequested = Signal(int)

    def __init__(
        self, document: QTextDocument | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        # The text sits on whatever background the message has (bubble or window).
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextBrowser { background: transparent; border: none; padding: 0; }")
        self.anchorClicked.connect(self._on_anchor)
        self._document = super().document()
        if document is not None:
            self.set_document(document)
        else:
            self._watch(self._document)

    def set_document(self, document: QTextDocument) -> None:
        owned_elsewhere = document.parent() is not None
        self.setDocument(document)
        self._document = document
        if not owned_elsewhere:
            # PySide counts a document given to setDocument (or returned by document()) as
            # owned by C++ from then on, so its Python wrapper, and the document, would never
            # be freed: the view does not delete a document it is not the parent of. The owner
            # keeps it alive instead, and calls release() before the view goes.
            document.setParent(None)
        self._watch(document)
        self._fit()

    def document(self) -> QTextDocument:
        # Not QTextEdit.document(): PySide would take the document's ownership again.
        return self._document

    def release(self) -> None:
        """Stop showing the owner's document (before this view is deleted, or the document)."""
        document = self._document
        if document.parent() is not self:
            document.documentLayout().documentSizeChanged.disconnect(self._fit)
            self._document = QTextDocument(self)
            self.setDocument(self._document)

    def _watch(self, document: QTextDocument) -> None:
        document.documentLayout().documentSizeChanged.connect(self._fit)

    def document_height(self) -> int:
        return math.ceil(self.document().size().height())

    def _fit(self) -> None:
        height = self.document_height() + 2 * self.frameWidth()
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A new width rewraps the text; the layout's size signal may come before the resize ends.
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.document_height() + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:
        return QSize(64, self.sizeHint().height())

    def createMimeDataFromSelection(self) -> QMimeData:
        """A selection with formulas copies their TeX, where Qt would copy nothing for them."""
        cursor = self.textCursor()
        text = cursor.selectedText()
        if _OBJECT not in text:
            return super().createMimeDataFromSelection()
        mime = QMimeData()
        mime.setText(_with_formula_sources(self.document(), cursor.selectionStart(), text))
        return mime

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Never scroll ourselves: the chat's scroll area must get the wheel.
        event.ignore()

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == COPY_CODE_SCHEME:
            index = url.path() or url.host()
            if index.isdigit():
                self.copyCodeRequested.emit(int(index))
            return
        self.linkActivated.emit(url)


# What QTextDocument puts in a selection's text for an image.
_OBJECT = "\ufffc"


def _with_formula_sources(document: QTextDocument, start: int, text: str) -> str:
    """The selected text as plain text, each formula image replaced by its TeX."""
    from longcat_desktop.render.math_syntax import formula_for

    parts: list[str] = []
    probe = QTextCursor(document)
    done = 0
    index = text.find(_OBJECT)
    while index >= 0:
        parts.append(text[done:index])
        probe.setPosition(start + index + 1)
        image = probe.charFormat().toImageFormat()
        formula = formula_for(image.name()) if image.isValid() else None
        if formula is not None:
            parts.append(formula.source)
        done = index + 1
        index = text.find(_OBJECT, done)
    parts.append(text[done:])
    plain = "".join(parts)
    return plain.replace("\u2029", "\n").replace("\u2028", "\n").replace("\u00a0", " ")
