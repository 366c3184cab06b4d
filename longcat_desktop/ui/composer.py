"""The message composer: a growing text field with a Send/Stop button."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.plain_text import plain_label
from longcat_desktop.ui.theme import current_theme

MAX_VISIBLE_LINES = 10
DRAFT_DEBOUNCE_MS = 300


class ComposerEdit(QTextEdit):
    """Plain-text editor that asks to be as tall as its text, up to MAX_VISIBLE_LINES."""

    submit = Signal()
    editLast = Signal()
    focusChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Enter sends, or with this set Ctrl+Enter does and Enter starts a new line (for input
        # methods that commit with Enter, and for people who write long messages).
        self.ctrl_enter_sends = False
        self.setAcceptRichText(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTabChangesFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(
            "QTextEdit { background: transparent; border: none; padding: 0; }"
            "QTextEdit:disabled { background: transparent; }"
        )
        self._preediting = False
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def is_composing(self) -> bool:
        """True while an input method (e.g. pinyin) has uncommitted pre-edit text."""
        return self._preediting

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        self._preediting = bool(event.preeditString())
        super().inputMethodEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        # The keypad's Enter carries KeypadModifier; it is the same key for sending.
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._preediting:
                # Enter belongs to the input method while it composes; never send or break.
                return
            if mods == Qt.KeyboardModifier.ControlModifier or (
                mods == Qt.KeyboardModifier.NoModifier and not self.ctrl_enter_sends
            ):
                self.submit.emit()
            elif mods in (Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.NoModifier):
                # Not QTextEdit's own handling: Shift+Enter would insert U+2028, and the model
                # should get "\n".
                self.textCursor().insertText("\n")
                self.ensureCursorVisible()
            return
        if key == Qt.Key.Key_Up and not mods and self.document().isEmpty():
            self.editLast.emit()
            return
        super().keyPressEvent(event)

    def line_height(self) -> int:
        return self.fontMetrics().lineSpacing()

    def _bounds(self) -> tuple[int, int]:
        chrome = 2 * int(self.document().documentMargin()) + 2 * self.frameWidth()
        lines = self.line_height()
        return lines + chrome, MAX_VISIBLE_LINES * lines + chrome

    def _fit(self) -> None:
        low, high = self._bounds()
        wanted = math.ceil(self.document().size().height()) + 2 * self.frameWidth()
        height = max(low, min(high, wanted))
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if wanted > high
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focusChanged.emit(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._preediting = False
        self.focusChanged.emit(False)


class Composer(QWidget):
    """Enter (or Ctrl+Enter, see `set_ctrl_enter_sends`) sends, Shift+Enter adds a line, Up in
    an empty field asks to edit the last message.

    `sendRequested` leaves the text in place: the owner calls `message_sent()` once the message
    is stored, so a message the store refused is still here to send again.
    `draftChanged` is debounced; `set_draft` (switching conversations) first flushes a pending
    draft of the text it replaces, so no keystroke is lost or credited to the wrong chat.
    """

    sendRequested = Signal(str)
    stopRequested = Signal()
    editLastRequested = Signal()
    draftChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._streaming = False
        self._disabled_reason: str | None = None
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._draft_timer.timeout.connect(self._emit_draft)
        self._silent = False

        self.frame = QFrame(self)
        self.frame.setObjectName("composerFrame")
        # The style sheet's starting state, set before the frame is first styled so that
        # nothing has to be restyled (through QStyle) before the window's first frame.
        self.frame.setProperty("focused", False)
        self.frame.setProperty("disabledReason", False)
        self.edit = ComposerEdit(self.frame)
        self._placeholder = self._send_hint()
        self.edit.setPlaceholderText(self._placeholder)
        self.edit.setAccessibleName(self.tr("Message"))
        self.send_button = QToolButton(self.frame)
        self.send_button.setObjectName("sendButton")
        self.send_button.setFixedSize(34, 34)
        self.send_button.setIconSize(QSize(18, 18))
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.reason_label = plain_label(self)
        self.reason_label.setProperty("role", "muted")
        self.reason_label.setWordWrap(True)
        self.reason_label.hide()

        row = QHBoxLayout(self.frame)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(8)
        row.addWidget(self.edit, 1, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.frame)

        self.edit.submit.connect(self._on_submit)
        self.edit.editLast.connect(self.editLastRequested)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.focusChanged.connect(self._restyle)
        self.send_button.clicked.connect(self._on_button)
        self._refresh()

    # -- public API -----------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_draft(self, text: str) -> None:
        """Show `text` without emitting draftChanged for it."""
        self.flush_draft()
        self._silent = True
        try:
            self.edit.setPlainText(text)
            self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        finally:
            self._silent = False
        self._refresh()

    def flush_draft(self) -> None:
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self._emit_draft()

    def _emit_draft(self) -> None:
        self.draftChanged.emit(self.text())

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self._refresh()

    def is_streaming(self) -> bool:
        return self._streaming

    def set_disabled_reason(self, reason: str | None) -> None:
        """Disable typing and sending, saying why (e.g. 'Add an API key in Settings'); None
        enables again."""
        self._disabled_reason = reason
        self.edit.setEnabled(reason is None)
        self.edit.setPlaceholderText(reason or self._placeholder)
        self.reason_label.setText(reason or "")
        self._refresh()

    def set_tools_note(self, note: str | None) -> None:
        """A line above the input about tools (the model cannot use them); None hides it."""
        label = getattr(self, "tools_label", None)
        if label is None:
            if note is None:
                return
            label = self.tools_label = plain_label(self)
            label.setProperty("role", "muted")
            label.setWordWrap(True)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(0, label)
        label.setText(note or "")
        label.setVisible(note is not None)

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        if self._disabled_reason is None:
            self.edit.setPlaceholderText(text)

    def set_ctrl_enter_sends(self, ctrl_enter: bool) -> None:
        """Ctrl+Enter sends and Enter adds a line (True), or Enter sends (False)."""
        if ctrl_enter == self.edit.ctrl_enter_sends:
            return
        self.edit.ctrl_enter_sends = ctrl_enter
        self.set_placeholder(self._send_hint())
        self._refresh()

    def ctrl_enter_sends(self) -> bool:
        return self.edit.ctrl_enter_sends

    def _send_hint(self) -> str:
        if self.edit.ctrl_enter_sends:
            return self.tr("Message LongCat…  (Ctrl+Enter to send, Enter for a new line)")
        return self.tr("Message LongCat…  (Enter to send, Shift+Enter for a new line)")

    def message_sent(self) -> None:
        """The text was stored as a message: empty the field and its draft."""
        self._draft_timer.stop()
        self._silent = True
        try:
            self.edit.clear()
        finally:
            self._silent = False
        self.draftChanged.emit("")
        self._refresh()

    def focus_input(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- behaviour ------------------------------------------------------------------------

    def _can_send(self) -> bool:
        return self._disabled_reason is None and not self._streaming and bool(self.text().strip())

    def _on_submit(self) -> None:
        if self._can_send():
            self.sendRequested.emit(self.text())

    def _on_button(self) -> None:
        if self._streaming:
            self.stopRequested.emit()
        else:
            self._on_submit()

    def _on_text_changed(self) -> None:
        self._refresh()
        if not self._silent:
            self._draft_timer.start()

    def _refresh(self) -> None:
        streaming = self._streaming
        button = self.send_button
        if streaming:
            button.setToolTip(self.tr("Stop (Esc)"))
        elif self.edit.ctrl_enter_sends:
            button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        else:
            button.setToolTip(self.tr("Send (Enter)"))
        button.setAccessibleName(self.tr("Stop") if streaming else self.tr("Send"))
        button.setEnabled(streaming or self._can_send())
        # The placeholder already gives the reason while the field is empty.
        self.reason_label.setVisible(bool(self._disabled_reason) and bool(self.text()))
        self._restyle()

    def _restyle(self, _focused: bool = False) -> None:
        theme = current_theme()
        active = self.send_button.isEnabled()
        fg = theme.accent_text if active else theme.muted
        self.send_button.setIcon(icon("stop" if self._streaming else "send", fg))
        frame = self.frame
        focused = self.edit.hasFocus()
        disabled = self._disabled_reason is not None
        if frame.property("focused") != focused or frame.property("disabledReason") != disabled:
            frame.setProperty("focused", focused)
            frame.setProperty("disabledReason", disabled)
            frame.style().unpolish(frame)
            frame.style().polish(frame)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
