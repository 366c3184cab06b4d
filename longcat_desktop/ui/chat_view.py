"""The scrolling list of messages of one conversation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QResizeEvent, QShowEvent, QTextDocument
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

from longcat_desktop.domain.ids import MessageId
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.message_view import MessageView
from longcat_desktop.ui.theme import current_theme

if TYPE_CHECKING:
    from longcat_desktop.ui.message_widget import MessageWidget

MAX_CONTENT_WIDTH = 780
# Within this many pixels of the end counts as "at the bottom" (rounding, a last partial line).
BOTTOM_SLACK = 24
# Older messages are asked for this far before the user actually reaches the top.
TOP_PREFETCH = 240

MessageItem: TypeAlias = tuple[MessageView, QTextDocument, QTextDocument | None]


class _EmptyState(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logo = QLabel(self)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(self.tr("Start a conversation"), self)
        title.setProperty("role", "heading")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = hint = QLabel(self)
        self.set_ctrl_enter_sends(False)
        hint.setProperty("role", "muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addStretch(1)
        layout.addWidget(self.logo)
        layout.addSpacing(8)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addStretch(2)
        self._refresh()

    def set_ctrl_enter_sends(self, ctrl_enter: bool) -> None:
        self.hint.setText(
            self.tr("Ask anything. Ctrl+Enter sends, Enter adds a line.")
            if ctrl_enter
            else self.tr("Ask anything. Enter sends, Shift+Enter adds a line.")
        )

    def _refresh(self) -> None:
        self.logo.setPixmap(icon("logo", current_theme().accent).pixmap(56, 56))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh()


class ChatView(QScrollArea):
    """Follows a streaming answer while the user is at the bottom; once they scroll up it stays
    put and offers "Jump to latest". Older messages are requested near the top and prepended
    without moving what the user is reading.
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
    olderMessagesWanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._widgets: dict[MessageId, MessageWidget] = {}
        self._follow = True
        self._programmatic = 0
        self._older_pending = False
        self._more_available = True
        self._anchor: tuple[MessageWidget, int] | None = None
        self._fill_pending = False

        self.canvas = QWidget()
        self.canvas.setObjectName("chatCanvas")
        self.column = QWidget(self.canvas)
        self.column.setMaximumWidth(MAX_CONTENT_WIDTH)
        self.column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._list = QVBoxLayout(self.column)
        self._list.setContentsMargins(0, 16, 0, 24)
        self._list.setSpacing(10)
        self._list.addStretch(1)  # keeps a short chat at the top
        self.empty_state = _EmptyState(self.canvas)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(0)
        row.addWidget(self.column, 1)
        row.addStretch(0)
        outer = QVBoxLayout(self.canvas)
        outer.setContentsMargins(16, 0, 16, 0)
        outer.addWidget(self.empty_state, 1)
        outer.addLayout(row, 0)
        # A viewport made here rather than fetched with viewport(): the first C++-made widget
        # Python touches makes PySide build the types of every widget class (~20 ms), which
        # would otherwise land before the window's first frame.
        viewport = QWidget()
        viewport.setAutoFillBackground(False)
        self.setViewport(viewport)
        self.setWidget(self.canvas)
        self.canvas.setAutoFillBackground(False)

        self.jump_button = QToolButton(self)
        self.jump_button.setObjectName("jumpToLatest")
        self.jump_button.setText(self.tr("Jump to latest"))
        self.jump_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.jump_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.jump_button.setIconSize(QSize(16, 16))
        self.jump_button.clicked.connect(self.jump_to_latest)
        self.jump_button.hide()

        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_value_changed)
        bar.actionTriggered.connect(self._on_user_scroll)
        self._refresh_icons()
        self._update_empty()

    # -- content --------------------------------------------------------------------------

    def set_messages(self, items: Iterable[MessageItem]) -> None:
        """Replace everything (opening a conversation) and show the newest message."""
        self.canvas.setUpdatesEnabled(False)
        try:
            for widget in list(self._widgets.values()):
                self._drop(widget)
            self._widgets.clear()
            self._anchor = None
            self._older_pending = False
            for view, body, reasoning in items:
                self._insert(self._list.count() - 1, view, body, reasoning)
            self._after_change()
            self._follow = True
            self.scroll_to_bottom()
        finally:
            self.canvas.setUpdatesEnabled(True)
        self._fill_later()

    def append_message(
        self, view: MessageView, body: QTextDocument, reasoning: QTextDocument | None = None
    ) -> MessageWidget:
        widget = self._insert(self._list.count() - 1, view, body, reasoning)
        self._after_change()
        if self._follow:
            self.scroll_to_bottom()
        return widget

    def prepend_messages(self, items: Iterable[MessageItem]) -> None:
        """Insert older messages above; what the user is looking at does not move."""
        first = self._first_widget()
        offset = 0 if first is None else self._y_of(first) - self.verticalScrollBar().value()
        self.canvas.setUpdatesEnabled(False)
        try:
            for position, (view, body, reasoning) in enumerate(items):
                self._insert(position, view, body, reasoning)
            self._older_pending = False
            self._after_change()
            if first is not None and not self._follow:
                self._anchor = (first, offset)
            self._settle()
            self._apply_anchor()
        finally:
            self.canvas.setUpdatesEnabled(True)
        self._fill_later()

    def update_message(self, view: MessageView) -> None:
        widget = self._widgets.get(view.id)
        if widget is not None:
            widget.update_view(view)
            self._update_last()

    def remove_message(self, message_id: MessageId) -> None:
        widget = self._widgets.pop(message_id, None)
        if widget is None:
            return
        if self._anchor is not None and self._anchor[0] is widget:
            self._anchor = None
        self._drop(widget)
        self._after_change()

    def message_widget(self, message_id: MessageId) -> MessageWidget | None:
        return self._widgets.get(message_id)

    def message_ids(self) -> list[MessageId]:
        return [w.message_id for w in self._ordered_widgets()]

    def set_countdown(self, message_id: MessageId, seconds: int | None, reason: str = "") -> None:
        widget = self._widgets.get(message_id)
        if widget is not None:
            widget.set_countdown(seconds, reason)

    def begin_edit(self, message_id: MessageId, text: str | None = None) -> None:
        widget = self._widgets.get(message_id)
        if widget is not None:
            self.scroll_to_message(message_id, highlight=False)
            widget.begin_edit(text)

    def set_more_available(self, available: bool) -> None:
        """Whether older messages exist; when not, olderMessagesWanted is never emitted."""
        self._more_available = available

    def notify_content_grew(self) -> None:
        """Called by the owner after each streaming refresh; keeps the end in view if followed."""
        if self._follow:
            self._settle()
            self._to_bottom()

    # -- scrolling ------------------------------------------------------------------------

    def is_following(self) -> bool:
        return self._follow

    def is_at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - BOTTOM_SLACK

    def scroll_to_bottom(self) -> None:
        self._settle()
        self._to_bottom()

    def jump_to_latest(self) -> None:
        self._follow = True
        self._anchor = None
        self.scroll_to_bottom()
        self._update_jump()

    def scroll_to_message(self, message_id: MessageId, highlight: bool = True) -> None:
        widget = self._widgets.get(message_id)
        if widget is None:
            return
        self._settle()
        self._anchor = None
        self._set_value(self._y_of(widget) - 16)
        self._follow = self.is_at_bottom()
        self._update_jump()
        if highlight:
            widget.flash()

    def _to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        self._set_value(bar.maximum())

    def _set_value(self, value: int) -> None:
        self._programmatic += 1
        try:
            self.verticalScrollBar().setValue(value)
        finally:
            self._programmatic -= 1

    def _on_range_changed(self, _minimum: int, _maximum: int) -> None:
        if self._anchor is not None:
            self._apply_anchor()
        elif self._follow:
            self._to_bottom()
        self._update_jump()

    def _on_value_changed(self, value: int) -> None:
        if not self._programmatic:
            self._follow = self.is_at_bottom()
        self._update_jump()
        bar = self.verticalScrollBar()
        near_top = value <= TOP_PREFETCH and bar.maximum() > 0
        if near_top and not self._programmatic and self._widgets:
            self._want_older()

    def _on_user_scroll(self, _action: int) -> None:
        # The user took the wheel: stop pinning the view to a prepended anchor.
        self._anchor = None

    def _fill_later(self) -> None:
        """Once the next frame is painted, load older messages while the view is not full.

        After the paint rather than at once: the newest messages show first, and a zero
        timer would run before Qt's low-priority paint request.
        """
        if not self._fill_pending:
            self._fill_pending = True
            self.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._fill_pending and watched is self.viewport() and event.type() == QEvent.Type.Paint:
            self.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self._fill)
        return super().eventFilter(watched, event)

    def _fill(self) -> None:
        self._fill_pending = False
        bar = self.verticalScrollBar()
        # Enough above the viewport that scrolling up has something to show at once.
        if self._widgets and bar.maximum() <= TOP_PREFETCH and self.isVisible():
            self._want_older()

    def _want_older(self) -> None:
        if self._older_pending or not self._more_available:
            return
        self._older_pending = True
        self.olderMessagesWanted.emit()

    def _apply_anchor(self) -> None:
        if self._anchor is None:
            return
        widget, offset = self._anchor
        self._set_value(self._y_of(widget) - offset)

    def _settle(self) -> None:
        """Run pending layouts now, so positions and the scroll range are current."""
        for _ in range(4):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _update_jump(self) -> None:
        bar = self.verticalScrollBar()
        show = bool(self._widgets) and not self._follow and bar.maximum() > 0
        if show != self.jump_button.isVisible():
            self.jump_button.setVisible(show)
            if show:
                self._place_jump()
                self.jump_button.raise_()

    def _place_jump(self) -> None:
        self.jump_button.adjustSize()
        size = self.jump_button.sizeHint()
        viewport = self.viewport().geometry()
        x = viewport.x() + (viewport.width() - size.width()) // 2
        y = viewport.bottom() - size.height() - 16
        self.jump_button.setGeometry(x, y, size.width(), size.height())

    # -- helpers --------------------------------------------------------------------------

    def _insert(
        self,
        position: int,
        view: MessageView,
        body: QTextDocument,
        reasoning: QTextDocument | None,
    ) -> MessageWidget:
        # Here, not at the top: no message is shown before the window's first frame.
        from longcat_desktop.ui.message_widget import MessageWidget

        widget = MessageWidget(view, body, reasoning, self.column)
        self._connect(widget)
        self._widgets[view.id] = widget
        self._list.insertWidget(position, widget)
        # Shown now rather than on the next loop turn, so the layout can be measured at once.
        widget.show()
        return widget

    def _connect(self, widget: MessageWidget) -> None:
        widget.copyRequested.connect(self.copyRequested)
        widget.editRequested.connect(self.editRequested)
        widget.regenerateRequested.connect(self.regenerateRequested)
        widget.deleteRequested.connect(self.deleteRequested)
        widget.branchRequested.connect(self.branchRequested)
        widget.retryRequested.connect(self.retryRequested)
        widget.continueRequested.connect(self.continueRequested)
        widget.openSettingsRequested.connect(self.openSettingsRequested)
        widget.linkActivated.connect(self.linkActivated)
        widget.copyCodeRequested.connect(self.copyCodeRequested)
        widget.editSubmitted.connect(self.editSubmitted)
        widget.attachmentOpened.connect(self.attachmentOpened)

    def _drop(self, widget: MessageWidget) -> None:
        # Not setParent(None): turning a widget into a window of its own costs far more than
        # deleting it where it is.
        self._list.removeWidget(widget)
        widget.hide()
        widget.release()
        widget.deleteLater()

    def _ordered_widgets(self) -> list[MessageWidget]:
        from longcat_desktop.ui.message_widget import MessageWidget

        found: list[MessageWidget] = []
        for index in range(self._list.count()):
            item = self._list.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, MessageWidget):
                found.append(widget)
        return found

    def _first_widget(self) -> MessageWidget | None:
        ordered = self._ordered_widgets()
        return ordered[0] if ordered else None

    def _y_of(self, widget: QWidget) -> int:
        return widget.mapTo(self.canvas, QPoint(0, 0)).y()

    def _after_change(self) -> None:
        self._update_empty()
        self._update_last()
        self._update_jump()

    def _update_last(self) -> None:
        ordered = self._ordered_widgets()
        for widget in ordered:
            widget.set_actions_pinned(False)
        if ordered and not ordered[-1].view.is_user:
            ordered[-1].set_actions_pinned(True)

    def _update_empty(self) -> None:
        empty = not self._widgets
        self.empty_state.setVisible(empty)
        self.column.setVisible(not empty)

    def _refresh_icons(self) -> None:
        self.jump_button.setIcon(icon("arrow-down"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_jump()
        if self._follow and self._widgets:
            self._to_bottom()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._follow:
            self.scroll_to_bottom()
