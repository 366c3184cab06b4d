"""The left column: New chat, search as you type, and the conversation list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.ui.conversation_list import (
    ConversationListModel,
    ConversationListView,
    ListRow,
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
    newFolderRequested = Signal()
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
        # In a narrow sidebar the button keeps its icon and gives up its text (see _fit).
        self.new_chat_button.setAccessibleName(self.tr("New chat"))
        self.new_chat_button.setMinimumWidth(40)
        self.new_chat_button.installEventFilter(self)
        # Its menu (filled by the window) starts a chat from an assistant.
        self.assistant_button = QToolButton(self)
        self.assistant_button.setObjectName("assistantButton")
        self.assistant_button.setToolTip(self.tr("New chat with an assistant"))
        self.assistant_button.setAccessibleName(self.tr("New chat with an assistant"))
        self.assistant_button.setAutoRaise(True)
        self.new_folder_button = QToolButton(self)
        self.new_folder_button.setObjectName("newFolderButton")
        self.new_folder_button.setToolTip(self.tr("New folder"))
        self.new_folder_button.setAccessibleName(self.tr("New folder"))
        self.new_folder_button.setAutoRaise(True)
        self.new_folder_button.clicked.connect(self.newFolderRequested)
        # Search limited to one folder shows as a chip under the field; clicking it widens it.
        self._search_folder: int | None = None
        self.scope_chip = QToolButton(self)
        self.scope_chip.setObjectName("searchScope")
        self.scope_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.scope_chip.setAutoRaise(True)
        self.scope_chip.setToolTip(self.tr("Search every conversation again"))
        self.scope_chip.clicked.connect(lambda: self.set_search_folder(None, ""))
        self.scope_chip.hide()

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
        # The search icon offers the scopes: everywhere, or one folder.
        self._search_action.setToolTip(self.tr("Search in…"))
        self._search_action.triggered.connect(self._show_scopes)

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
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(4)
        top.addWidget(self.new_chat_button, 1)
        top.addWidget(self.assistant_button)
        top.addWidget(self.new_folder_button)
        layout.addLayout(top)
        layout.addWidget(self.search_field)
        layout.addWidget(self.scope_chip, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.stack, 1)
        self._refresh_icons()

    def search_text(self) -> str:
        return self.search_field.text().strip()

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def search_folder(self) -> int | None:
        """The folder the search is limited to, if any."""
        return self._search_folder

    def set_search_folder(self, folder_id: int | None, name: str) -> None:
        self._search_folder = folder_id
        self.scope_chip.setVisible(folder_id is not None)
        self.scope_chip.setText(self.tr("In “%1”").replace("%1", name))
        self.scope_chip.setAccessibleName(
            self.tr("Search limited to the folder %1; press to search everywhere").replace(
                "%1", name
            )
        )
        self.search_field.setPlaceholderText(
            self.tr("Search conversations (Ctrl+K)")
            if folder_id is None
            else self.tr("Search in “%1”").replace("%1", name)
        )
        if self.search_text():
            self._emit_search()

    def scope_menu(self) -> QMenu:
        menu = QMenu(self)
        everywhere = menu.addAction(self.tr("All conversations"))
        everywhere.setCheckable(True)
        everywhere.setChecked(self._search_folder is None)
        everywhere.triggered.connect(lambda: self.set_search_folder(None, ""))
        folders = self.list_view.folder_choices()
        if folders:
            menu.addSection(self.tr("Folders"))
        for folder_id, name in folders:
            action = menu.addAction(icon("folder"), name.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(folder_id == self._search_folder)
            action.triggered.connect(
                lambda _checked=False, f=folder_id, n=name: self.set_search_folder(f, n)
            )
        return menu

    def _show_scopes(self) -> None:
        menu = self.scope_menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.search_field.mapToGlobal(self.search_field.rect().bottomLeft()))

    def set_rows(self, rows: Sequence[ListRow], more: MoreRows | None = None) -> None:
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
        if watched is self.new_chat_button and event.type() == QEvent.Type.Resize:
            self._fit_new_chat()
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

    def _fit_new_chat(self) -> None:
        button = self.new_chat_button
        text = self.tr("New chat")
        room = button.width() - button.iconSize().width() - 32
        fits = button.fontMetrics().horizontalAdvance(text) <= room
        if button.text() != (text if fits else ""):
            button.setText(text if fits else "")

    def _refresh_icons(self) -> None:
        self.new_chat_button.setIcon(icon("new-chat"))
        self.new_folder_button.setIcon(icon("folder-plus"))
        self.assistant_button.setIcon(icon("assistant"))
        self.scope_chip.setIcon(icon("close"))
        self._search_action.setIcon(icon("search"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()
