"""One message of the chat: body, reasoning, status, actions and small print."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QEnterEvent, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.ui.auto_text import AutoHeightBrowser
from longcat_desktop.ui.busy_indicator import StreamingDots
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.message_editor import MessageEditor
from longcat_desktop.ui.message_status import (
    ACTION_COUNTDOWN,
    StatusLine,
    reasoning_title,
    stats_text,
    stats_tooltip,
    status_line_for,
    switcher_text,
)
from longcat_desktop.ui.message_view import MessageView
from longcat_desktop.ui.reasoning_section import ReasoningSection
from longcat_desktop.ui.status_line import StatusLineWidget
from longcat_desktop.ui.theme import current_theme

# User bubbles never span the whole column, so the two sides stay easy to tell apart.
USER_BUBBLE_FRACTION = 0.8
BUBBLE_PADDING = 12
HIGHLIGHT_MS = 1600


class MessageWidget(QFrame):
    """Shows a message whose documents the owner creates and streams into.

    Every signal carries the message id so one handler can serve a whole chat.
    """

    copyRequested = Signal(object)
    editRequested = Signal(object)
    regenerateRequested = Signal(object)
    deleteRequested = Signal(object)
    branchRequested = Signal(object, int)
    retryRequested = Signal(object)
    continueRequested = Signal(object)
    openSettingsRequested = Signal()
    linkActivated = Signal(QUrl)
    copyCodeRequested = Signal(object, int)
    editSubmitted = Signal(object, str)

    def __init__(
        self,
        view: MessageView,
        body: QTextDocument,
        reasoning: QTextDocument | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._view = view
        self._body = body
        self._hovered = False
        self._actions_pinned = False
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.setInterval(HIGHLIGHT_MS)
        self._highlight_timer.timeout.connect(lambda: self.set_highlighted(False))

        self.body_view = AutoHeightBrowser(body)
        self.body_view.setAccessibleName(
            self.tr("Your message") if view.is_user else self.tr("Answer")
        )
        self.body_view.linkActivated.connect(self.linkActivated)
        self.body_view.copyCodeRequested.connect(
            lambda index: self.copyCodeRequested.emit(self._view.id, index)
        )
        self.editor = MessageEditor()
        self.editor.hide()
        self.editor.submitted.connect(self._on_edit_submitted)
        self.editor.cancelled.connect(self.end_edit)

        self.reasoning: ReasoningSection | None = None
        if reasoning is not None:
            self.reasoning = ReasoningSection(reasoning)
            self.reasoning.linkActivated.connect(self.linkActivated)

        self.header = self._build_header()
        self.status_line = StatusLineWidget()
        self.status_line.retryRequested.connect(lambda: self.retryRequested.emit(self._view.id))
        self.status_line.continueRequested.connect(
            lambda: self.continueRequested.emit(self._view.id)
        )
        self.status_line.openSettingsRequested.connect(self.openSettingsRequested)
        self.footer = self._build_footer()
        self._layout_parts()

        body.contentsChanged.connect(self._on_body_changed)
        self._apply_view(view, first=True)

    # -- construction ---------------------------------------------------------------------

    def _build_header(self) -> QWidget:
        header = QWidget()
        self.avatar = QLabel(header)
        self.avatar.setFixedSize(24, 24)
        self.avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = QLabel(header)
        self.name_label.setStyleSheet("font-weight: 600;")
        self.dots = StreamingDots(header)
        layout = QHBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.avatar)
        layout.addWidget(self.name_label)
        layout.addWidget(self.dots)
        layout.addStretch(1)
        return header

    def _tool(self, icon_name: str, tip: str, parent: QWidget) -> QToolButton:
        button = QToolButton(parent)
        button.setProperty("icon_name", icon_name)
        button.setIcon(icon(icon_name))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setIconSize(QSize(16, 16))
        button.setFixedSize(QSize(26, 26))
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.installEventFilter(self)
        return button

    def _build_footer(self) -> QWidget:
        footer = QWidget()
        self.action_row = QWidget(footer)
        self.copy_button = self._tool("copy", self.tr("Copy"), self.action_row)
        self.copy_button.clicked.connect(lambda: self.copyRequested.emit(self._view.id))
        self.edit_button = self._tool("edit", self.tr("Edit"), self.action_row)
        self.edit_button.clicked.connect(lambda: self.editRequested.emit(self._view.id))
        self.regenerate_button = self._tool("regenerate", self.tr("Regenerate"), self.action_row)
        self.regenerate_button.clicked.connect(lambda: self.regenerateRequested.emit(self._view.id))
        self.delete_button = self._tool("delete", self.tr("Delete"), self.action_row)
        self.delete_button.clicked.connect(lambda: self.deleteRequested.emit(self._view.id))

        actions_layout = QHBoxLayout(self.action_row)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.setSpacing(2)
        for button in (
            self.copy_button,
            self.edit_button,
            self.regenerate_button,
            self.delete_button,
        ):
            actions_layout.addWidget(button)
        self._actions_effect = QGraphicsOpacityEffect(self.action_row)
        self.action_row.setGraphicsEffect(self._actions_effect)

        self.switcher = QWidget(footer)
        self.previous_button = self._tool(
            "chevron-left", self.tr("Previous version"), self.switcher
        )
        self.previous_button.clicked.connect(lambda: self.branchRequested.emit(self._view.id, -1))
        self.switcher_label = QLabel(self.switcher)
        self.switcher_label.setProperty("role", "small")
        self.next_button = self._tool("chevron-right", self.tr("Next version"), self.switcher)
        self.next_button.clicked.connect(lambda: self.branchRequested.emit(self._view.id, 1))
        switcher_layout = QHBoxLayout(self.switcher)
        switcher_layout.setContentsMargins(0, 0, 0, 0)
        switcher_layout.setSpacing(0)
        switcher_layout.addWidget(self.previous_button)
        switcher_layout.addWidget(self.switcher_label)
        switcher_layout.addWidget(self.next_button)

        self.stats_label = QLabel(footer)
        self.stats_label.setProperty("role", "small")

        layout = QHBoxLayout(footer)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        if self._view.is_user:
            layout.addStretch(1)
            layout.addWidget(self.switcher)
            layout.addWidget(self.action_row)
        else:
            layout.addWidget(self.switcher)
            layout.addWidget(self.action_row)
            layout.addStretch(1)
            layout.addWidget(self.stats_label)
        return footer

    def _layout_parts(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.setSpacing(6)
        if self._view.is_user:
            self.header.hide()
            self.bubble = QFrame()
            self.bubble.setObjectName("userBubble")
            self.bubble.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
            bubble_layout = QVBoxLayout(self.bubble)
            pad = BUBBLE_PADDING
            bubble_layout.setContentsMargins(pad, pad - 4, pad, pad - 4)
            bubble_layout.addWidget(self.body_view)
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addStretch(1)
            row.addWidget(self.bubble)
            layout.addLayout(row)
        else:
            self.bubble = QFrame()
            self.bubble.hide()
            layout.addWidget(self.header)
            if self.reasoning is not None:
                layout.addWidget(self.reasoning)
            layout.addWidget(self.body_view)
        layout.addWidget(self.editor)
        layout.addWidget(self.status_line)
        layout.addWidget(self.footer)

    # -- state ----------------------------------------------------------------------------

    @property
    def message_id(self) -> object:
        return self._view.id

    @property
    def view(self) -> MessageView:
        return self._view

    def update_view(self, view: MessageView) -> None:
        """Refresh labels and status in place; the documents stay as they are."""
        self._apply_view(view, first=False)

    def _apply_view(self, view: MessageView, *, first: bool) -> None:
        was_streaming = self._view.is_streaming
        self._view = view
        user = view.is_user
        self.edit_button.setVisible(user)
        self.regenerate_button.setVisible(not user and not view.is_streaming)
        self.copy_button.setEnabled(not view.is_streaming)
        self.name_label.setText(view.model or self.tr("LongCat"))
        self.dots.setVisible(view.is_streaming)
        branches = view.sibling_count > 1
        self.switcher.setVisible(branches)
        if branches:
            self.switcher_label.setText(switcher_text(view))
            self.previous_button.setEnabled(view.sibling_index > 0)
            self.next_button.setEnabled(view.sibling_index < view.sibling_count - 1)
        line = status_line_for(view)
        if line is None:
            self.status_line.hide()
        else:
            self.status_line.show_status(line)
            self.status_line.show()
        stats = stats_text(view)
        self.stats_label.setText(stats)
        self.stats_label.setToolTip(stats_tooltip(view))
        self.stats_label.setVisible(bool(stats))
        self._update_reasoning(first=first, finished=was_streaming and not view.is_streaming)
        self._update_body_visibility()
        self._update_actions_visibility()
        self._refresh_icons()

    def _answer_started(self) -> bool:
        return not self._body.isEmpty()

    def _update_reasoning(self, *, first: bool, finished: bool) -> None:
        section = self.reasoning
        if section is None:
            return
        section.setVisible(self._view.has_reasoning or self._view.is_streaming)
        section.set_title(reasoning_title(self._view, self._answer_started()))
        if first:
            # Open only while the model is still thinking; a finished answer starts folded.
            section.set_expanded(self._view.is_streaming and not self._answer_started())
        elif finished:
            section.set_expanded(False)

    def _on_body_changed(self) -> None:
        self._update_body_visibility()
        if self.reasoning is not None and self._answer_started():
            if self._view.is_streaming and self.reasoning.is_expanded():
                self.reasoning.set_expanded(False)
            self.reasoning.set_title(reasoning_title(self._view, True))
        if self._view.is_user:
            self._fit_bubble()

    def _update_body_visibility(self) -> None:
        # An empty answer (still thinking, or failed at once) should not leave a blank line.
        if not self.is_editing():
            self.body_view.setVisible(self._view.is_user or self._answer_started())

    def set_countdown(self, seconds: int | None, reason: str = "") -> None:
        """Seconds until the answer is sent again (None: no wait). While the answer is still
        on its way (a rate limit before any text), the wait and its reason show as a line of
        their own."""
        waiting = seconds is not None and seconds > 0
        if self._view.is_streaming:
            if waiting:
                text = reason or self.tr("The server asked to wait before answering.")
                self.status_line.show_status(StatusLine("warning", text, (ACTION_COUNTDOWN,)))
                self.status_line.show()
            else:
                self.status_line.hide()
        self.status_line.set_countdown(seconds)

    # -- editing --------------------------------------------------------------------------

    def is_editing(self) -> bool:
        return not self.editor.isHidden()

    def begin_edit(self, text: str | None = None) -> None:
        """Swap the body for an editor; `text` defaults to the body's plain text."""
        self.bubble.setVisible(False)
        self.body_view.hide()
        self.footer.hide()
        self.editor.show()
        self.editor.start(self._body.toPlainText() if text is None else text)

    def end_edit(self) -> None:
        self.editor.hide()
        self.footer.show()
        self._update_body_visibility()
        if self._view.is_user:
            self.bubble.show()

    def _on_edit_submitted(self, text: str) -> None:
        self.end_edit()
        self.editSubmitted.emit(self._view.id, text)

    # -- highlight ------------------------------------------------------------------------

    def set_highlighted(self, on: bool) -> None:
        self.setProperty("highlighted", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def flash(self) -> None:
        """A short highlight, e.g. when a search result brings the message into view."""
        self.set_highlighted(True)
        self._highlight_timer.start()

    def is_highlighted(self) -> bool:
        return bool(self.property("highlighted"))

    # -- action row visibility ------------------------------------------------------------

    def set_actions_pinned(self, pinned: bool) -> None:
        """Keep the action row visible without hover (the chat's last answer)."""
        self._actions_pinned = pinned
        self._update_actions_visibility()

    def actions_visible(self) -> bool:
        return self._actions_effect.opacity() > 0

    def _update_actions_visibility(self) -> None:
        focus_inside = any(
            button.hasFocus()
            for button in (
                self.copy_button,
                self.edit_button,
                self.regenerate_button,
                self.delete_button,
                self.previous_button,
                self.next_button,
            )
        )
        show = (
            self._hovered or self._actions_pinned or focus_inside
        ) and not self._view.is_streaming
        # Opacity rather than hide(): the row keeps its space and its buttons stay reachable
        # with Tab, which shows the row.
        self._actions_effect.setOpacity(1.0 if show else 0.0)

    def enterEvent(self, event: QEnterEvent) -> None:
        super().enterEvent(event)
        self._hovered = True
        self._update_actions_visibility()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self._hovered = False
        self._update_actions_visibility()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._update_actions_visibility()
        return super().eventFilter(watched, event)

    # -- geometry and theme ---------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._view.is_user:
            self._fit_bubble()

    def _fit_bubble(self) -> None:
        """Short user messages get a snug bubble; long ones wrap at the bubble's max width."""
        margins = self.contentsMargins()
        inner = self.width() - margins.left() - margins.right()
        max_text = max(80, int(inner * USER_BUBBLE_FRACTION) - 2 * BUBBLE_PADDING)
        probe = self._body.clone()
        probe.setTextWidth(max_text)
        width = min(max_text, int(probe.idealWidth()) + 2)
        self.body_view.setFixedWidth(max(24, width))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()

    def _refresh_icons(self) -> None:
        theme = current_theme()
        self.avatar.setPixmap(icon("logo", theme.accent).pixmap(20, 20))
        for button in self.findChildren(QToolButton):
            name = button.property("icon_name")
            if name:
                button.setIcon(icon(str(name)))
