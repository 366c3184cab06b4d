"""Inline editor that replaces a user message's bubble while it is being edited."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from longcat_desktop.ui.escape_key import claim_escape


class _EditorText(QPlainTextEdit):
    submit = Signal()
    cancel = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel.emit()
            return
        super().keyPressEvent(event)


class MessageEditor(QFrame):
    """Ctrl+Enter saves and sends, Escape cancels."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_edit = _EditorText(self)
        self.text_edit.setTabChangesFocus(True)
        claim_escape(self.text_edit)
        self.text_edit.setMinimumHeight(96)
        self.text_edit.setAccessibleName(self.tr("Edit message"))
        self.save_button = QPushButton(self.tr("Save && send"), self)
        self.save_button.setProperty("role", "primary")
        self.save_button.setToolTip(self.tr("Ctrl+Enter"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setToolTip(self.tr("Esc"))
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.text_edit)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.cancelled)
        self.text_edit.submit.connect(self._submit)
        self.text_edit.cancel.connect(self.cancelled)
        self.text_edit.textChanged.connect(self._update_enabled)

    def start(self, text: str) -> None:
        self.text_edit.setPlainText(text)
        self.text_edit.moveCursor(self.text_edit.textCursor().MoveOperation.End)
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_enabled()

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def _update_enabled(self) -> None:
        self.save_button.setEnabled(bool(self.text().strip()))

    def _submit(self) -> None:
        text = self.text()
        if text.strip():
            self.submitted.emit(text)
