"""The left column: New chat, search as you type, and the conversation list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.ui.conversation_list import (
    ConversationListModel,
    ConversationListView,
    ConversationRow,
    MoreRows,
)
from longcat_desktop.ui.escape_key import claim_escape
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.search_results import SearchHit, SearchResultsModel, SearchResultsView

# The search runs on the next turn of the event loop after a key: keys that arrived while the
# UI was busy (a search running, a frame painting) are coalesced into one search, and a key
# typed into an idle window is answered at once rather than after a fixed delay.
SEARCH_DEBOUNCE_MS = 0


class Sidebar(QFrame):
    newChatRequested = Signal()
    searchChanged = Signal(str)
    # Conversation id, and the message to scroll to (None: just open it).
    openRequested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.new_chat_button = QPushButton(self.tr("New chat"), self)
        self.new_chat_button.setObjectName("newChatButton")
        self.new_chat_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.new_chat_button.clicked.connect(self.newChatRequested)

        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(self.tr("Search conversations (Ctrl+K)"))
        self.search_field.setClearButtonEnabled(True)
        self._search_action = self.search_field.addAction(
            icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit_search)
        self.search_field.textChanged.connect(self._on_search_text)
        self.search_field.returnPressed.connect(self._open_first_hit)
        # Escape clears a search; with nothing typed it still stops the answer.
        claim_escape(self.search_field, lambda: bool(self.search_field.text()))
        self.search_field.installEventFilter(self)

        self.list_model = ConversationListModel(self)
        self.list_view = ConversationListView(self)
        self.list_view.setModel(self.list_model)
        self.list_view.conversationActivated.connect(self._open_conversation)

        self.results_model = SearchResultsModel(self)
        self.results_view = SearchResultsView(self)
        self.results_view.setModel(self.results_model)
        self.results_view.resultActivated.connect(self.openRequested)
        self.no_results = QLabel(self.tr("No matches"), self)
        self.no_results.setProperty("role", "muted")
        self.no_results.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_view)
        self.stack.addWidget(self.results_view)
        self.stack.addWidget(self.no_results)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.new_chat_button)
        layout.addWidget(self.search_field)
        layout.addWidget(self.stack, 1)
        self._refresh_icons()

    def search_text(self) -> str:
        return self.search_field.text().strip()

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def set_rows(self, rows: Sequence[ConversationRow], more: MoreRows | None = None) -> None:
        self.list_model.set_rows(rows, more)

    def select(self, conversation_id: ConversationId | None) -> None:
        if conversation_id is not None:
            self.list_view.select_conversation(conversation_id)
        else:
            self.list_view.clearSelection()

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.results_model.set_hits(hits)
        if not self.search_text():
            self.stack.setCurrentWidget(self.list_view)
        elif hits:
            self.stack.setCurrentWidget(self.results_view)
        else:
            self.stack.setCurrentWidget(self.no_results)

    def _on_search_text(self, text: str) -> None:
        if not text.strip():
            self._debounce.stop()
            self.set_hits([])
            self.searchChanged.emit("")
            return
        self._debounce.start()

    def _open_conversation(self, conversation_id: ConversationId) -> None:
        self.openRequested.emit(conversation_id, None)

    def _emit_search(self) -> None:
        self.searchChanged.emit(self.search_text())

    def _open_first_hit(self) -> None:
        index = self.results_model.index(0, 0)
        if self.stack.currentWidget() is self.results_view and index.isValid():
            self.results_view.activated.emit(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.search_field.text()
        ):
            self.search_field.clear()
            return True
        return super().eventFilter(watched, event)

    def _refresh_icons(self) -> None:
        self.new_chat_button.setIcon(icon("new-chat"))
        self._search_action.setIcon(icon("search"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()
