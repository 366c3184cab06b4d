"""The message composer: a growing text field with a Send/Stop button, the draft's
attachments above it and a paperclip to add more."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QImage, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.ui.attachment_chips import ChipData, ChipStrip
from longcat_desktop.ui.attachment_drop import has_attachments, local_files, pasted_image
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.plain_text import plain_label
from longcat_desktop.ui.theme import current_theme

MAX_VISIBLE_LINES = 10
DRAFT_DEBOUNCE_MS = 300
ATTACH_PATTERNS = (
    "*.png *.jpg *.jpeg *.webp *.gif *.heic *.pdf *.txt *.md *.csv *.json *.log *.py *.js *.ts"
    " *.java *.c *.cpp *.h *.go *.rs *.html *.css *.xml *.yaml *.yml *.toml *.sql *.sh"
)


class ComposerEdit(QTextEdit):
    """Plain-text editor that asks to be as tall as its text, up to MAX_VISIBLE_LINES."""

    submit = Signal()
    editLast = Signal()
    focusChanged = Signal(bool)
    # Pasted or dropped: local files, or an image (a screenshot), to attach rather than type.
    filesPasted = Signal(list)
    imagePasted = Signal(QImage)

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

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return has_attachments(source) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.filesPasted.emit(files)
            return
        image = pasted_image(source)
        # Text wins over its rendering (a spreadsheet copies both); a screenshot is image only.
        if image is not None and not source.hasText():
            self.imagePasted.emit(image)
            return
        super().insertFromMimeData(source)

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
    # Files chosen with the paperclip, pasted or dropped (list[Path]); a pasted image.
    filesAttached = Signal(list)
    imageAttached = Signal(QImage)
    attachmentRemoved = Signal(str)  # the chip's key
    attachmentOpened = Signal(str)
    # The one-click switch to a model that reads images.
    switchModelRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._streaming = False
        self._disabled_reason: str | None = None
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._draft_timer.timeout.connect(self._emit_draft)
        self._silent = False
        self._chips: list[ChipData] = []
        self._blocking_notice = False
        self._over_context = False
        self._switch_model = ""
        # Send was asked for while attachments were still being prepared: send once they are.
        self._send_queued = False

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
        self.attach_button = QToolButton(self.frame)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setAutoRaise(True)
        self.attach_button.setFixedSize(34, 34)
        self.attach_button.setIconSize(QSize(18, 18))
        self.attach_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.attach_button.setToolTip(self.tr("Attach images or files"))
        self.attach_button.setAccessibleName(self.tr("Attach"))
        self.chips = ChipStrip(removable=True, parent=self.frame)
        self.notice_label = plain_label(self)
        self.notice_label.setObjectName("composerNotice")
        self.notice_label.setWordWrap(True)
        self.switch_button = QPushButton(self)
        self.switch_button.setObjectName("switchModelButton")
        self.switch_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.context_label = plain_label(self)
        self.context_label.setObjectName("contextMeter")
        self.context_label.setProperty("role", "muted")
        self.context_label.setProperty("over", False)
        self.context_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.edit, 1, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        inside = QVBoxLayout(self.frame)
        inside.setContentsMargins(6, 8, 8, 8)
        inside.setSpacing(6)
        inside.addWidget(self.chips)
        inside.addLayout(row)
        notes = QHBoxLayout()
        notes.setContentsMargins(4, 0, 4, 0)
        notes.setSpacing(8)
        notes.addWidget(self.notice_label, 1)
        notes.addWidget(self.switch_button, 0)
        notes.addWidget(self.context_label, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.frame)
        layout.addLayout(notes)
        self.notice_label.hide()
        self.switch_button.hide()
        self.context_label.hide()

        self.edit.submit.connect(self._on_submit)
        self.edit.editLast.connect(self.editLastRequested)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.focusChanged.connect(self._restyle)
        self.send_button.clicked.connect(self._on_button)
        self.attach_button.clicked.connect(self.choose_files)
        self.edit.filesPasted.connect(self.filesAttached)
        self.edit.imagePasted.connect(self.imageAttached)
        self.chips.removeRequested.connect(self.attachmentRemoved)
        self.chips.clicked.connect(self.attachmentOpened)
        self.switch_button.clicked.connect(
            lambda: self.switchModelRequested.emit(self._switch_model)
        )
        self._refresh()

    # -- public API -----------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_draft(self, text: str) -> None:
        """Show `text` without emitting draftChanged for it."""
        self.flush_draft()
        self._send_queued = False
        self._silent = True
        try:
            self.edit.setPlainText(text)
            self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        finally:
            self._silent = False
        self._refresh()

    def show_stored_draft(self, text: str) -> None:
        """A draft changed elsewhere (another computer, through sync): shown unless typing here
        has not been saved yet, which is newer and replaces it when saved."""
        if not self._draft_timer.isActive() and text != self.text():
            self.set_draft(text)

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

    # -- attachments ----------------------------------------------------------------------

    def set_attachments(self, chips: list[ChipData]) -> None:
        """The draft's attachments, those still being prepared included (pending)."""
        self._chips = list(chips)
        self.chips.set_chips(self._chips)
        self._refresh()
        if self._send_queued and not any(chip.pending for chip in self._chips):
            self._send_queued = False
            self._on_submit()

    def cancel_queued_send(self) -> None:
        """An attachment was refused: the message waits for the user again."""
        self._send_queued = False
        self._refresh()

    def send_queued(self) -> bool:
        return self._send_queued

    def attachments(self) -> list[ChipData]:
        return list(self._chips)

    def choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use, not at start

        dialog = QFileDialog(self, self.tr("Attach images or files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [
                self.tr("Images and documents (%1)").replace("%1", ATTACH_PATTERNS),
                self.tr("All files (*)"),
            ]
        )
        dialog.filesSelected.connect(
            lambda paths: self.filesAttached.emit([Path(path) for path in paths])
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def set_notice(self, text: str, *, blocking: bool, switch_to: str = "") -> None:
        """A word about the draft (the model reads no images); `blocking` keeps it from being
        sent; `switch_to` offers a one-click switch to that model. Empty text: none."""
        self._blocking_notice = blocking and bool(text)
        self._switch_model = switch_to
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))
        self.switch_button.setText(self.tr("Use %1").replace("%1", switch_to))
        self.switch_button.setVisible(bool(text) and bool(switch_to))
        self._refresh()

    def set_context(self, text: str, *, over: bool) -> None:
        """The context meter's text; `over` when the draft cannot fit (sending is held)."""
        self._over_context = over
        self.context_label.setText(text)
        self.context_label.setVisible(bool(text))
        if self.context_label.property("over") != over:
            self.context_label.setProperty("over", over)
            self.context_label.style().unpolish(self.context_label)
            self.context_label.style().polish(self.context_label)
        self._refresh()

    # -- behaviour ------------------------------------------------------------------------

    def _can_send(self) -> bool:
        if self._disabled_reason is not None or self._streaming:
            return False
        if self._blocking_notice or self._over_context:
            return False
        return bool(self.text().strip()) or bool(self._chips)

    def _on_submit(self) -> None:
        if not self._can_send():
            return
        if any(chip.pending for chip in self._chips):
            # Pasted and sent at once: the message goes as soon as its attachments are ready.
            self._send_queued = True
            self._refresh()
            return
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
        self.attach_button.setIcon(icon("paperclip"))
        self.attach_button.setEnabled(self._disabled_reason is None)
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
