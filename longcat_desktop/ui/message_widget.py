"""One message of the chat: body, reasoning, status, actions and small print."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QEnterEvent, QFocusEvent, QPixmap, QResizeEvent, QTextDocument
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

from longcat_desktop.domain.ids import MessageId
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
from longcat_desktop.ui.plain_text import plain_label, tooltip
from longcat_desktop.ui.reasoning_section import ReasoningSection
from longcat_desktop.ui.status_line import StatusLineWidget
from longcat_desktop.ui.theme import current_theme
from longcat_desktop.ui.tool_card import ToolCardList

# User bubbles never span the whole column, so the two sides stay easy to tell apart.
USER_BUBBLE_FRACTION = 0.8
BUBBLE_PADDING = 12
HIGHLIGHT_MS = 1600
ACTION_SIZE = 26


class MessageWidget(QFrame):
    """Shows a message whose documents the owner creates and streams into.

    Every signal carries the message id so one handler can serve a whole chat.

    Only what a message shows is built with it: the editor, the status line, the reasoning
    section, the streaming dots, the branch switcher and the action buttons are made the
    first time they are needed (the buttons on hover, keyboard focus, or for the chat's last
    answer), so a long conversation opens without building thousands of hidden widgets.
    """

    copyRequested = Signal(int)  # message id
    editRequested = Signal(int)  # message id
    regenerateRequested = Signal(int)  # message id
    deleteRequested = Signal(int)  # message id
    branchRequested = Signal(int, int)  # message id, step
    retryRequested = Signal(int)  # message id
    continueRequested = Signal(int)  # message id
    openSettingsRequested = Signal()
    linkActivated = Signal(QUrl)
    copyCodeRequested = Signal(int, int)  # message id, code block
    editSubmitted = Signal(int, str)  # message id, text
    attachmentOpened = Signal(int, str)  # message id, the attachment's key

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
        self._reasoning_document = reasoning
        self._hovered = False
        self._actions_pinned = False
        self._highlight: QTimer | None = None
        self._editor: MessageEditor | None = None
        self._status_line: StatusLineWidget | None = None
        self._dots: StreamingDots | None = None
        self._switcher: QWidget | None = None
        self._action_row: QWidget | None = None
        self._actions_effect: QGraphicsOpacityEffect | None = None
        self._bubble_fit: tuple[int, int] | None = None
        self._buttons: dict[str, QToolButton] = {}
        self._switcher_label: QLabel | None = None
        self.reasoning: ReasoningSection | None = None
        self.avatar: QLabel | None = None
        self.name_label: QLabel | None = None
        self.attachments: QWidget | None = None
        self._tool_cards: ToolCardList | None = None

        self.body_view = AutoHeightBrowser(body)
        self.body_view.setAccessibleName(
            self.tr("Your message") if view.is_user else self.tr("Answer")
        )
        self.body_view.linkActivated.connect(self.linkActivated)
        self.body_view.copyCodeRequested.connect(self._on_copy_code)

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 0)
        self._layout.setSpacing(6)
        self.header: QWidget | None = None
        if view.is_user:
            self.bubble = QFrame()
            self.bubble.setObjectName("userBubble")
            self.bubble.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
            bubble_layout = QVBoxLayout(self.bubble)
            pad = BUBBLE_PADDING
            bubble_layout.setContentsMargins(pad, pad - 4, pad, pad - 4)
            bubble_layout.addWidget(self.body_view)
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            if view.attachments:
                self._add_attachments(view)
            row.addStretch(1)
            row.addWidget(self.bubble)
            self._layout.addLayout(row)
        else:
            self.bubble = QFrame()
            self.bubble.hide()
            self.header = self._build_header()
            self._layout.addWidget(self.header)
            self._layout.addWidget(self.body_view)
        self.footer = self._build_footer()
        self._layout.addWidget(self.footer)

        body.contentsChanged.connect(self._on_body_changed)
        self._apply_view(view, first=True)

    # -- construction ---------------------------------------------------------------------

    def _add_attachments(self, view: MessageView) -> None:
        from longcat_desktop.ui.attachment_chips import MessageAttachments

        self.attachments = MessageAttachments(list(view.attachments), self)
        self.attachments.opened.connect(lambda key: self.attachmentOpened.emit(self._view.id, key))
        self._layout.addWidget(self.attachments)

    def _build_header(self) -> QWidget:
        header = QWidget()
        self.avatar = QLabel(header)
        self.avatar.setFixedSize(24, 24)
        self.avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.avatar.setPixmap(_avatar(current_theme().accent))
        self.name_label = plain_label(header)
        self.name_label.setStyleSheet("font-weight: 600;")
        self._header_layout = QHBoxLayout(header)
        self._header_layout.setContentsMargins(0, 0, 0, 0)
        self._header_layout.setSpacing(8)
        self._header_layout.addWidget(self.avatar)
        self._header_layout.addWidget(self.name_label)
        self._header_layout.addStretch(1)
        return header

    def tool_cards(self) -> ToolCardList:
        """The cards of this answer's tool calls, under its text; made on first use."""
        if self._tool_cards is None:
            self._tool_cards = ToolCardList(self)
            self._tool_cards.linkActivated.connect(self.linkActivated)
            self._layout.insertWidget(self._layout.indexOf(self.footer), self._tool_cards)
        return self._tool_cards

    def _tool(self, icon_name: str, tip: str, parent: QWidget) -> QToolButton:
        button = QToolButton(parent)
        button.setProperty("icon_name", icon_name)
        button.setIcon(icon(icon_name))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setIconSize(QSize(16, 16))
        button.setFixedSize(QSize(ACTION_SIZE, ACTION_SIZE))
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.installEventFilter(self)
        return button

    def _build_footer(self) -> QWidget:
        footer = _Footer()
        # As tall as the action buttons, so they can come and go without moving anything.
        footer.setMinimumHeight(ACTION_SIZE)
        self._footer_layout = QHBoxLayout(footer)
        self._footer_layout.setContentsMargins(0, 0, 0, 0)
        self._footer_layout.setSpacing(8)
        self.stats_label = plain_label(footer)
        self.stats_label.setProperty("role", "small")
        self.stats_label.hide()
        if self._view.is_user:
            self._footer_layout.addStretch(1)
        else:
            self._footer_layout.addStretch(1)
            self._footer_layout.addWidget(self.stats_label)
        return footer

    def _ensure_actions(self) -> QWidget:
        """The copy, edit, regenerate and delete buttons (built the first time they show)."""
        if self._action_row is not None:
            return self._action_row
        row = QWidget(self.footer)
        copy = self._buttons["copy"] = self._tool("copy", self.tr("Copy"), row)
        copy.clicked.connect(self._on_copy)
        edit = self._buttons["edit"] = self._tool("edit", self.tr("Edit"), row)
        edit.clicked.connect(self._on_edit)
        regenerate = self._buttons["regenerate"] = self._tool(
            "regenerate", self.tr("Regenerate"), row
        )
        regenerate.clicked.connect(self._on_regenerate)
        delete = self._buttons["delete"] = self._tool("delete", self.tr("Delete"), row)
        delete.clicked.connect(self._on_delete)
        actions_layout = QHBoxLayout(row)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.setSpacing(2)
        buttons = (copy, edit, regenerate, delete)
        for button in buttons:
            actions_layout.addWidget(button)
        self._actions_effect = QGraphicsOpacityEffect(row)
        self._actions_effect.setOpacity(0.0)
        row.setGraphicsEffect(self._actions_effect)
        # Right after the switcher: at the end for a user message, before the stretch otherwise.
        position = self._footer_layout.indexOf(self._switcher) + 1 if self._switcher else 0
        if self._view.is_user:
            position = self._footer_layout.count()
        self._footer_layout.insertWidget(position, row)
        # The footer stood in for the buttons in the Tab chain; now they take its place.
        self.footer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        previous: QWidget = self.footer
        for button in buttons:
            QWidget.setTabOrder(previous, button)
            previous = button
        self._action_row = row
        self._apply_actions()
        if self.isVisible():
            row.show()
        return row

    def _ensure_switcher(self) -> QWidget:
        if self._switcher is not None:
            return self._switcher
        switcher = QWidget(self.footer)
        previous = self._buttons["previous"] = self._tool(
            "chevron-left", self.tr("Previous version"), switcher
        )
        previous.clicked.connect(self._on_previous)
        label = self._switcher_label = QLabel(switcher)
        label.setProperty("role", "small")
        following = self._buttons["next"] = self._tool(
            "chevron-right", self.tr("Next version"), switcher
        )
        following.clicked.connect(self._on_next)
        switcher_layout = QHBoxLayout(switcher)
        switcher_layout.setContentsMargins(0, 0, 0, 0)
        switcher_layout.setSpacing(0)
        switcher_layout.addWidget(previous)
        switcher_layout.addWidget(label)
        switcher_layout.addWidget(following)
        # Before the action row: after the stretch for a user message, first otherwise.
        self._footer_layout.insertWidget(1 if self._view.is_user else 0, switcher)
        self._switcher = switcher
        return switcher

    def _ensure_status_line(self) -> StatusLineWidget:
        if self._status_line is not None:
            return self._status_line
        line = StatusLineWidget()
        line.hide()
        line.retryRequested.connect(self._on_retry)
        line.continueRequested.connect(self._on_continue)
        line.openSettingsRequested.connect(self.openSettingsRequested)
        self._layout.insertWidget(self._layout.indexOf(self.footer), line)
        self._status_line = line
        return line

    def _ensure_editor(self) -> MessageEditor:
        if self._editor is not None:
            return self._editor
        editor = MessageEditor()
        editor.hide()
        editor.submitted.connect(self._on_edit_submitted)
        editor.cancelled.connect(self.end_edit)
        index = self._layout.indexOf(self._status_line or self.footer)
        self._layout.insertWidget(index, editor)
        self._editor = editor
        return editor

    def _ensure_reasoning(self) -> ReasoningSection | None:
        if self.reasoning is None and self._reasoning_document is not None:
            self.reasoning = ReasoningSection(self._reasoning_document)
            self.reasoning.linkActivated.connect(self.linkActivated)
            self._layout.insertWidget(self._layout.indexOf(self.body_view), self.reasoning)
        return self.reasoning

    def _ensure_dots(self) -> StreamingDots | None:
        if self._dots is None and self.header is not None:
            self._dots = StreamingDots(self.header)
            self._dots.hide()
            self._header_layout.insertWidget(2, self._dots)
        return self._dots

    # Built on first use; tests and keyboard users reach them through these.

    @property
    def editor(self) -> MessageEditor:
        return self._ensure_editor()

    @property
    def status_line(self) -> StatusLineWidget:
        return self._ensure_status_line()

    @property
    def dots(self) -> StreamingDots:
        dots = self._ensure_dots()
        if dots is None:  # a user message has no header; a detached one stands in
            dots = self._dots = StreamingDots(self)
            dots.hide()
        return dots

    @property
    def switcher(self) -> QWidget:
        return self._ensure_switcher()

    @property
    def action_row(self) -> QWidget:
        return self._ensure_actions()

    @property
    def copy_button(self) -> QToolButton:
        self._ensure_actions()
        return self._buttons["copy"]

    @property
    def edit_button(self) -> QToolButton:
        self._ensure_actions()
        return self._buttons["edit"]

    @property
    def regenerate_button(self) -> QToolButton:
        self._ensure_actions()
        return self._buttons["regenerate"]

    @property
    def delete_button(self) -> QToolButton:
        self._ensure_actions()
        return self._buttons["delete"]

    @property
    def previous_button(self) -> QToolButton:
        self._ensure_switcher()
        return self._buttons["previous"]

    @property
    def next_button(self) -> QToolButton:
        self._ensure_switcher()
        return self._buttons["next"]

    @property
    def switcher_label(self) -> QLabel:
        self._ensure_switcher()
        assert self._switcher_label is not None
        return self._switcher_label

    def release(self) -> None:
        """Detach the owner's documents, which may outlive this widget (it is about to go)."""
        self._body.contentsChanged.disconnect(self._on_body_changed)
        self.body_view.release()
        if self.reasoning is not None:
            self.reasoning.release()

    # -- state ----------------------------------------------------------------------------

    @property
    def message_id(self) -> MessageId:
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
        if self.name_label is not None:
            self.name_label.setText(view.model or self.tr("LongCat"))
        if view.is_streaming:
            self.dots.setVisible(True)
        elif self._dots is not None:
            self._dots.setVisible(False)
        branches = view.sibling_count > 1
        if branches:
            self._ensure_switcher().setVisible(True)
            self.switcher_label.setText(switcher_text(view))
            self.previous_button.setEnabled(view.sibling_index > 0)
            self.next_button.setEnabled(view.sibling_index < view.sibling_count - 1)
        elif self._switcher is not None:
            self._switcher.setVisible(False)
        line = status_line_for(view)
        if line is not None:
            status = self._ensure_status_line()
            status.show_status(line)
            status.show()
        elif self._status_line is not None:
            self._status_line.hide()
        stats = stats_text(view)
        if stats or not self.stats_label.isHidden():
            self.stats_label.setText(stats)
            self.stats_label.setToolTip(tooltip(stats_tooltip(view)))
            self.stats_label.setVisible(bool(stats))
        self._update_reasoning(first=first, finished=was_streaming and not view.is_streaming)
        self._update_body_visibility()
        self._apply_actions()
        self._update_actions_visibility()

    def _apply_actions(self) -> None:
        if self._action_row is None:
            return
        view = self._view
        self.edit_button.setVisible(view.is_user)
        self.regenerate_button.setVisible(not view.is_user and not view.is_streaming)
        self.copy_button.setEnabled(not view.is_streaming)

    def _answer_started(self) -> bool:
        return not self._body.isEmpty()

    def _update_reasoning(self, *, first: bool, finished: bool) -> None:
        wanted = self._view.has_reasoning or self._view.is_streaming
        created = wanted and self.reasoning is None
        section = self._ensure_reasoning() if wanted else self.reasoning
        if section is None:
            return
        section.setVisible(wanted)
        section.set_title(reasoning_title(self._view, self._answer_started()))
        if first or created:
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
        if not waiting and self._status_line is None:
            return
        status = self._ensure_status_line()
        if self._view.is_streaming:
            if waiting:
                text = reason or self.tr("The server asked to wait before answering.")
                status.show_status(StatusLine("warning", text, (ACTION_COUNTDOWN,)))
                status.show()
            else:
                status.hide()
        status.set_countdown(seconds)

    # -- signals with the message id ------------------------------------------------------

    def _on_copy_code(self, index: int) -> None:
        self.copyCodeRequested.emit(self._view.id, index)

    def _on_copy(self) -> None:
        self.copyRequested.emit(self._view.id)

    def _on_edit(self) -> None:
        self.editRequested.emit(self._view.id)

    def _on_regenerate(self) -> None:
        self.regenerateRequested.emit(self._view.id)

    def _on_delete(self) -> None:
        self.deleteRequested.emit(self._view.id)

    def _on_previous(self) -> None:
        self.branchRequested.emit(self._view.id, -1)

    def _on_next(self) -> None:
        self.branchRequested.emit(self._view.id, 1)

    def _on_retry(self) -> None:
        self.retryRequested.emit(self._view.id)

    def _on_continue(self) -> None:
        self.continueRequested.emit(self._view.id)

    # -- editing --------------------------------------------------------------------------

    def is_editing(self) -> bool:
        return self._editor is not None and not self._editor.isHidden()

    def begin_edit(self, text: str | None = None) -> None:
        """Swap the body for an editor; `text` defaults to the body's plain text."""
        editor = self._ensure_editor()
        self.bubble.setVisible(False)
        self.body_view.hide()
        self.footer.hide()
        editor.show()
        editor.start(self._body.toPlainText() if text is None else text)

    def end_edit(self) -> None:
        if self._editor is not None:
            self._editor.hide()
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

    @property
    def _highlight_timer(self) -> QTimer:
        if self._highlight is None:
            self._highlight = QTimer(self)
            self._highlight.setSingleShot(True)
            self._highlight.setInterval(HIGHLIGHT_MS)
            self._highlight.timeout.connect(self._end_highlight)
        return self._highlight

    def _end_highlight(self) -> None:
        self.set_highlighted(False)

    def is_highlighted(self) -> bool:
        return bool(self.property("highlighted"))

    # -- action row visibility ------------------------------------------------------------

    def set_actions_pinned(self, pinned: bool) -> None:
        """Keep the action row visible without hover (the chat's last answer)."""
        if pinned == self._actions_pinned:
            return
        self._actions_pinned = pinned
        self._update_actions_visibility()

    def actions_visible(self) -> bool:
        return self._actions_effect is not None and self._actions_effect.opacity() > 0

    def _focus_inside(self) -> bool:
        return any(button.hasFocus() for button in self._buttons.values())

    def _update_actions_visibility(self) -> None:
        show = (
            self._hovered or self._actions_pinned or self._focus_inside()
        ) and not self._view.is_streaming
        if show:
            self._ensure_actions()
        # Opacity rather than hide(): the row keeps its space and its buttons stay reachable
        # with Tab, which shows the row.
        if self._actions_effect is not None:
            self._actions_effect.setOpacity(1.0 if show else 0.0)
        elif not self._view.is_streaming:
            # Not built yet: the footer takes the Tab stop and builds the row when reached.
            self.footer.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _focus_actions(self, reason: Qt.FocusReason) -> None:
        """The footer got the keyboard focus in place of the buttons it stands in for."""
        self._ensure_actions()
        for name in ("copy", "edit", "regenerate", "delete"):
            button = self._buttons[name]
            if not button.isHidden() and button.isEnabled():
                button.setFocus(reason)
                return

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
        key = (max_text, self._body.revision())
        if key == self._bubble_fit:
            return
        self._bubble_fit = key
        probe = self._body.clone()
        probe.setParent(None)  # PySide leaves a parentless clone to C++, which never frees it
        probe.setTextWidth(max_text)
        width = min(max_text, int(probe.idealWidth()) + 2)
        self.body_view.setFixedWidth(max(24, width))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()

    def _refresh_icons(self) -> None:
        if self.avatar is not None:
            self.avatar.setPixmap(_avatar(current_theme().accent))
        for button in self._buttons.values():
            button.setIcon(icon(str(button.property("icon_name"))))


class _Footer(QWidget):
    """The row under a message; until its buttons exist it holds their place in the Tab chain."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        owner = self.parentWidget()
        if isinstance(owner, MessageWidget):
            owner._focus_actions(event.reason())


@cache
def _avatar(color: str) -> QPixmap:
    return icon("logo", color).pixmap(20, 20)
