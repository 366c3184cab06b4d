"""Tool calls under an answer: one compact card per call, with the approval request inline.

Everything a card shows is data from the model or a server: plain text only. A card builds its
arguments and long results only when unfolded, so a long conversation stays cheap.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain.tool_turns import ToolCallState, ToolResult, text_beside_images
from longcat_desktop.ui.plain_text import plain_label, tooltip

# Results and arguments longer than this are folded behind "Show all".
FOLD_LINES = 8
FOLD_CHARS = 600
THUMBNAIL_SIZE = 160

DECISION_ONCE = "once"
DECISION_ALWAYS = "always"
DECISION_DENY = "deny"


@dataclass(frozen=True, slots=True)
class ToolCardView:
    message_id: int
    # What the model read: the result, or why the call did not run.
    text: str
    result: ToolResult
    awaiting_approval: bool = False
    # The server's hints about the tool; None when it did not say.
    read_only: bool | None = None
    destructive: bool | None = None
    # What the server last said about its progress while the call runs.
    progress: str = ""


def formatted_arguments(text: str) -> str:
    """The arguments as indented JSON when they are JSON, else exactly as sent."""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2) if text.strip() else "{}"
    except ValueError:
        return text


def folded(text: str) -> tuple[str, bool]:
    """The start of a long text, and whether anything was left out."""
    lines = text.splitlines()
    short = "\n".join(lines[:FOLD_LINES])[:FOLD_CHARS]
    return (short, True) if len(short) < len(text.rstrip("\n")) else (text, False)


class _FoldedText(QWidget):
    """Selectable plain text, folded when long, unfolded on request."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        short, cut = folded(text)
        self.label = plain_label(self, short)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setObjectName("toolText")
        layout.addWidget(self.label)
        self.more: QToolButton | None = None
        if cut:
            self.more = QToolButton(self)
            self.more.setText(self.tr("Show all"))
            self.more.setAutoRaise(True)
            self.more.clicked.connect(self.unfold)
            layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)

    def unfold(self) -> None:
        self.label.setText(self._text)
        if self.more is not None:
            self.more.hide()

    @property
    def is_folded(self) -> bool:
        return self.more is not None and self.more.isVisible()


class ToolCard(QFrame):
    decided = Signal(int, str)  # tool message id, DECISION_*
    linkActivated = Signal(QUrl)

    def __init__(self, view: ToolCardView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._view = view
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 10, 6)
        self._layout.setSpacing(4)
        header = QHBoxLayout()
        header.setSpacing(8)
        self.title = plain_label(self)
        self.title.setStyleSheet("font-weight: 600;")
        self.state_label = plain_label(self)
        self.state_label.setProperty("role", "small")
        self.hints = plain_label(self)
        self.hints.setProperty("role", "small")
        header.addWidget(self.title)
        header.addWidget(self.hints)
        header.addStretch(1)
        header.addWidget(self.state_label)
        self._layout.addLayout(header)
        self.arguments_button = QToolButton(self)
        self.arguments_button.setAutoRaise(True)
        self.arguments_button.setCheckable(True)
        self.arguments_button.toggled.connect(self._show_arguments)
        self._layout.addWidget(self.arguments_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.arguments: _FoldedText | None = None
        self.result_text: _FoldedText | None = None
        self._extras: list[QWidget] = []
        self.approval: QWidget | None = None
        self.allow_button: QPushButton | None = None
        self._elapsed = QTimer(self, interval=1000)
        self._elapsed.timeout.connect(self._update_state)
        self.apply(view)

    @property
    def view(self) -> ToolCardView:
        return self._view

    def apply(self, view: ToolCardView) -> None:
        self._view = view
        result = view.result
        server = result.server or self.tr("unknown server")
        self.title.setText(f"{result.tool or result.name} · {server}")
        self.title.setToolTip(tooltip(result.name))
        hints = []
        if view.read_only:
            hints.append(self.tr("read-only"))
        if view.destructive:
            hints.append(self.tr("destructive"))
        self.hints.setText(", ".join(hints))
        self.hints.setVisible(bool(hints))
        self.arguments_button.setText(self.tr("Arguments"))
        self._update_state()
        if result.state is ToolCallState.RUNNING:
            self._elapsed.start()
        else:
            self._elapsed.stop()
        self._apply_result()
        self._apply_approval()

    def _update_state(self) -> None:
        result = self._view.result
        state = result.state
        if self._view.awaiting_approval:
            text = self.tr("Waiting for approval")
        elif state is ToolCallState.WAITING:
            text = self.tr("Waiting")
        elif state is ToolCallState.RUNNING:
            elapsed = 0.0 if result.started_at is None else time.time() - result.started_at
            text = self.tr("Running… %1 s").replace("%1", str(max(0, int(elapsed))))
            if self._view.progress:
                text = f"{text} · {self._view.progress}"
        elif state is ToolCallState.DONE:
            text = self.tr("Done")
        elif state is ToolCallState.FAILED:
            text = self.tr("Failed")
        elif state is ToolCallState.DENIED:
            text = self.tr("Denied")
        elif state is ToolCallState.CANCELLED:
            text = self.tr("Cancelled")
        else:
            text = self.tr("Interrupted")
        if state.final and result.seconds is not None:
            text = self.tr("%1 · %2 s").replace("%1", text).replace("%2", f"{result.seconds:.1f}")
        self.state_label.setText(text)

    def _show_arguments(self, shown: bool) -> None:
        if shown and self.arguments is None:
            self.arguments = _FoldedText(formatted_arguments(self._view.result.arguments), self)
            self._layout.insertWidget(
                self._layout.indexOf(self.arguments_button) + 1, self.arguments
            )
        if self.arguments is not None:
            self.arguments.setVisible(shown)

    def _apply_result(self) -> None:
        for widget in self._extras:
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self._extras = []
        self.result_text = None
        view, result = self._view, self._view.result
        if not result.state.final:
            return
        # The images show as thumbnails below, so the lines standing for them are left out.
        text = text_beside_images(view.text, result.images)
        if text.strip():
            self.result_text = _FoldedText(text, self)
            if result.is_error:
                self.result_text.label.setProperty("role", "error")
            self._add(self.result_text)
        if result.images:
            row = QWidget(self)
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            for image in result.images:
                pixmap = QPixmap()
                if not pixmap.loadFromData(image.data):
                    continue
                thumbnail = QLabel(row)
                thumbnail.setObjectName("toolImage")
                thumbnail.setPixmap(
                    pixmap.scaled(
                        QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE),
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
                layout.addWidget(thumbnail)
            layout.addStretch(1)
            self._add(row)
        for link in result.links:
            button = QToolButton(self)
            button.setObjectName("toolLink")
            button.setAutoRaise(True)
            button.setText(link.title or link.uri)
            button.setToolTip(tooltip(link.uri))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            uri = link.uri
            button.clicked.connect(lambda _checked=False, u=uri: self.linkActivated.emit(QUrl(u)))
            self._add(button)

    def _add(self, widget: QWidget) -> None:
        self._extras.append(widget)
        self._layout.addWidget(widget)

    def _apply_approval(self) -> None:
        waiting = self._view.awaiting_approval
        if waiting and self.approval is None:
            self.approval = QWidget(self)
            row = QHBoxLayout(self.approval)
            row.setContentsMargins(0, 4, 0, 0)
            self.allow_button = QPushButton(self.tr("Allow once"), self.approval)
            self.allow_button.setProperty("role", "primary")
            self.allow_button.setDefault(True)
            always = QPushButton(self.tr("Always allow this tool"), self.approval)
            deny = QPushButton(self.tr("Deny"), self.approval)
            self.allow_button.clicked.connect(lambda: self._decide(DECISION_ONCE))
            always.clicked.connect(lambda: self._decide(DECISION_ALWAYS))
            deny.clicked.connect(lambda: self._decide(DECISION_DENY))
            row.addWidget(self.allow_button)
            row.addWidget(always)
            row.addWidget(deny)
            row.addStretch(1)
            self._layout.addWidget(self.approval)
        if self.approval is not None:
            self.approval.setVisible(waiting)
        if waiting:
            # The full arguments are what the user decides on.
            self.arguments_button.setChecked(True)
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _decide(self, decision: str) -> None:
        if self._view.awaiting_approval:
            self.decided.emit(self._view.message_id, decision)

    def event(self, event: QEvent) -> bool:
        # Enter and Esc answer the request here rather than reach the window's shortcuts
        # (Esc there stops the answer).
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and self._view.awaiting_approval
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._view.awaiting_approval:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._decide(DECISION_ONCE)
                return
            if event.key() == Qt.Key.Key_Escape:
                self._decide(DECISION_DENY)
                return
        super().keyPressEvent(event)


class ToolCardList(QWidget):
    """The cards of one answer's calls, in the calls' order; a card is updated in place."""

    decided = Signal(int, str)
    linkActivated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolCards")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._cards: dict[int, ToolCard] = {}

    def set_cards(self, views: Sequence[ToolCardView]) -> None:
        wanted = {view.message_id for view in views}
        for message_id in list(self._cards):
            if message_id not in wanted:
                card = self._cards.pop(message_id)
                self._layout.removeWidget(card)
                card.deleteLater()
        for position, view in enumerate(views):
            existing = self._cards.get(view.message_id)
            if existing is None:
                card = ToolCard(view, self)
                card.decided.connect(self.decided)
                card.linkActivated.connect(self.linkActivated)
                self._cards[view.message_id] = card
                self._layout.insertWidget(position, card)
            elif existing.view != view:
                existing.apply(view)
        self.setVisible(bool(views))

    def card(self, message_id: int) -> ToolCard | None:
        return self._cards.get(message_id)

    def cards(self) -> list[ToolCard]:
        return [self._cards[k] for k in sorted(self._cards)]
