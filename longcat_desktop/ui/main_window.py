"""The main window: layout and wiring of the sidebar, the open conversation and the composer.

The flows around them live in their own modules: Settings (settings_flow), the open
conversation's model and parameters (model_binding), the API key (key_flow), the actions on
conversations (conversation_actions) and the status bar (status_presenter)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import (
    Conversation,
)
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.services import options
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.services.folder_service import ListEntry
from longcat_desktop.ui.assistant_menu import AssistantMenu
from longcat_desktop.ui.attachment_drop import DropTarget
from longcat_desktop.ui.chat_view import MAX_CONTENT_WIDTH, ChatView
from longcat_desktop.ui.composer import Composer
from longcat_desktop.ui.conversation_actions import ConversationActions
from longcat_desktop.ui.conversation_list import ListRow
from longcat_desktop.ui.conversation_page import ConversationPage
from longcat_desktop.ui.draft_attachments import DraftAttachments
from longcat_desktop.ui.elided_label import ElidedLabel
from longcat_desktop.ui.first_paint import AfterFirstPaint
from longcat_desktop.ui.folder_actions import FolderActions
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.key_flow import KeyFlow
from longcat_desktop.ui.message_mapping import render_theme_for
from longcat_desktop.ui.model_binding import ModelBinding
from longcat_desktop.ui.model_notice import UnservedModelNotice
from longcat_desktop.ui.model_picker import ModelPicker
from longcat_desktop.ui.notice_bar import NoticeBar
from longcat_desktop.ui.params_panel import ParamsPanel
from longcat_desktop.ui.prompt_completion import PromptCompletion
from longcat_desktop.ui.search_results import SearchHit
from longcat_desktop.ui.settings_flow import SettingsFlow, font_size
from longcat_desktop.ui.settings_values import SEND_CTRL_ENTER
from longcat_desktop.ui.sidebar import Sidebar
from longcat_desktop.ui.sidebar_rows import entry_of, first_conversation, rows_from_entries
from longcat_desktop.ui.status_presenter import StatusPresenter
from longcat_desktop.ui.theme import ThemeController

if TYPE_CHECKING:
    from longcat_desktop.ui.import_flow import ImportFlow
    from longcat_desktop.ui.welcome_panel import WelcomePanel

_DEFAULT_SIZE = (1120, 760)
# Conversations listed at first; more load as the list is scrolled down.
LIST_PAGE = 200


class MainWindow(QMainWindow):
    # The user closed the window: the app shuts down.
    closed = Signal()
    # The first frame is on screen; work that can wait for it (opening the last conversation,
    # the wake-up socket) starts here.
    firstFramePainted = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("LongCat Desktop")
        # The window shows the application's icon (set with the app's name, at every size the
        # system asks for); drawing the SVG logo here too would only cost start-up time.
        self.setMinimumSize(720, 480)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        settings = services.settings
        self.themes = ThemeController(
            app, str(settings.get(options.THEME)), font_size(settings.get(options.FONT_SIZE))
        )
        self.themes.themeChanged.connect(self._on_theme_changed)

        self.sidebar = Sidebar(self)
        self.chat_view = ChatView(self)
        self.composer = Composer(self)
        self.model_notice = UnservedModelNotice(self)
        self.model_picker = ModelPicker(self)
        self.params = ParamsPanel(self)
        self.notices = NoticeBar(self)
        # Elided in a narrow window, so the model picker and its note keep their room.
        self.title_label = ElidedLabel(self, keep=64)
        self.title_label.setObjectName("conversationTitle")
        self.format_label = QLabel(self)
        self.format_label.setProperty("role", "badge")
        self.settings_button = QToolButton(self)
        self.settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        self.settings_button.setAutoRaise(True)
        self.settings_button.clicked.connect(self.open_settings)
        self.conversation_actions = ConversationActions(
            services,
            self,
            current=lambda: self.conversation_id,
            open_conversation=self.open_conversation,
            show_status=lambda text: self.statusBar().showMessage(text, 5000),
        )
        self.folder_actions = FolderActions(services, self.sidebar, self)
        self.page = ConversationPage(
            services, self.chat_view, render_theme_for(self.themes.theme, self.tr("Copy")), self
        )
        self.draft_attachments = DraftAttachments(
            services,
            self.composer,
            self,
            current=lambda: self.conversation_id,
            ensure_conversation=self._ensure_conversation,
            choose_model=lambda model: self.model_binding.choose(model),
            show_status=lambda text: self.statusBar().showMessage(text, 8000),
        )
        self.chat_drop = DropTarget(self.chat_view)
        self.chat_drop.filesDropped.connect(self.draft_attachments.add_files)
        self.chat_drop.imageDropped.connect(self.draft_attachments.add_image)
        self._apply_send_key()
        self._build_layout()
        self._connect()
        self._connect_assistants()
        self._install_shortcuts()
        self._import_flow: ImportFlow | None = None
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        import_action = file_menu.addAction(self.tr("&Import…"))
        import_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        import_action.triggered.connect(self.import_conversations)
        self.status_presenter = StatusPresenter(services, self.statusBar(), self.themes)
        self._refresh_icons()
        self._restore_geometry()
        self.refresh_list()
        for notice in services.notices:
            self.notices.add(notice)
        # The last conversation opens right after the first paint, which therefore comes sooner.
        # (Not a zero timer: that would run before Qt's low-priority paint request.)
        self.firstFramePainted.connect(self._restore_conversation)
        self._first_paint = AfterFirstPaint(self, self.firstFramePainted.emit)

    # -- layout -------------------------------------------------------------------------------

    def _build_layout(self) -> None:
        top_bar = QFrame(self)
        top_bar.setObjectName("topBar")
        top = QHBoxLayout(top_bar)
        top.setContentsMargins(16, 8, 8, 8)
        top.setSpacing(8)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.model_picker)
        top.addWidget(self.format_label)
        top.addWidget(self.params)
        top.addWidget(self.settings_button)

        chat_page = QWidget(self)
        chat_layout = QVBoxLayout(chat_page)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        chat_layout.setSpacing(0)
        chat_layout.addWidget(top_bar)
        chat_layout.addWidget(self.notices)
        chat_layout.addWidget(self.chat_view, 1)
        # The composer lines up with the messages' column instead of spanning the window.
        composer_row = QHBoxLayout()
        composer_row.setContentsMargins(16, 6, 16, 14)
        self.composer.setMaximumWidth(MAX_CONTENT_WIDTH)
        self.model_notice.setMaximumWidth(MAX_CONTENT_WIDTH)
        composer_column = QVBoxLayout()
        composer_column.setSpacing(8)
        composer_column.addWidget(self.model_notice)
        composer_column.addWidget(self.composer)
        composer_row.addStretch(1)
        composer_row.addLayout(composer_column, 1000)
        composer_row.addStretch(1)
        chat_layout.addLayout(composer_row)

        self.main_stack = QStackedWidget(self)
        self.main_stack.addWidget(chat_page)
        self.chat_page = chat_page

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.main_stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([260, 860])
        self.setCentralWidget(self.splitter)

    def _connect(self) -> None:
        services = self.services
        sidebar = self.sidebar
        sidebar.newChatRequested.connect(self.new_conversation)
        sidebar.openRequested.connect(self._open_from_sidebar)
        sidebar.searchChanged.connect(self._search)
        lists = sidebar.list_view
        lists.renameRequested.connect(services.conversations.rename)
        lists.pinRequested.connect(services.conversations.set_pinned)
        lists.duplicateRequested.connect(self.conversation_actions.duplicate)
        lists.exportRequested.connect(self.conversation_actions.export)
        lists.deleteRequested.connect(self.conversation_actions.confirm_delete)

        services.conversations.listChanged.connect(self.refresh_list)
        services.conversations.failed.connect(self._show_failure)
        services.chat.streamingChanged.connect(self._on_streaming_changed)
        services.chat.storeFailed.connect(self._show_failure)
        self.key_flow = KeyFlow(
            services,
            self,
            stack=self.main_stack,
            chat_page=self.chat_page,
            composer=self.composer,
            notices=self.notices,
            current=self._current,
            key_state_shown=self._on_key_state_shown,
        )
        self.model_binding = ModelBinding(
            services,
            self,
            picker=self.model_picker,
            notice=self.model_notice,
            params=self.params,
            composer=self.composer,
            current=self._current,
            model_changed=self.draft_attachments.refresh,
        )
        services.settings.changed.connect(self._on_settings_changed)
        services.settings.saveFailed.connect(self._show_failure)
        self.settings_flow = SettingsFlow(
            services,
            self,
            current=self._current,
            key_status=lambda: self.status_presenter.key_status_text(),
            show_failure=self._show_failure,
        )

        self.composer.sendRequested.connect(self._send)
        self.composer.stopRequested.connect(self.conversation_actions.stop)
        self.composer.editLastRequested.connect(self.page.edit_last_user_message)
        self.composer.draftChanged.connect(self.conversation_actions.save_draft)
        self.page.settingsWanted.connect(self.open_settings)
        self.page.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self._connect_tools(services)

    def _connect_assistants(self) -> None:
        assistants = self.services.conversations.assistants
        self.assistant_menu = AssistantMenu(assistants, self.sidebar.assistant_button)
        self.assistant_menu.chosen.connect(self.start_conversation)
        self.assistant_menu.manageRequested.connect(lambda: self.open_settings("assistants"))
        self.prompt_completion = PromptCompletion(self.composer.edit, assistants.prompts)

    def _install_shortcuts(self) -> None:
        bindings = [
            ("Ctrl+N", self.new_conversation),
            ("Ctrl+K", self.sidebar.focus_search),
            ("Ctrl+,", self.open_settings),
            ("Ctrl+L", self.composer.focus_input),
            ("Ctrl+Shift+C", self.page.copy_last_answer),
            ("Esc", self.conversation_actions.stop),
        ]
        for key, slot in bindings:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # -- conversations ------------------------------------------------------------------------

    @property
    def conversation_id(self) -> ConversationId | None:
        return self.page.conversation_id

    def refresh_list(self) -> None:
        # The first page (or as many rows as the list already holds, so its scroll position
        # stays); the rest load as the list is scrolled down.
        limit = max(LIST_PAGE, self.sidebar.list_model.rowCount())
        entries = self.services.conversations.folders.page(limit + 1)
        rows = self._rows(entries[:limit])
        self.sidebar.set_rows(rows, self._more_rows if len(entries) > limit else None)
        self.sidebar.select(self.conversation_id)
        scope = self.sidebar.search_folder()
        if scope is not None and self.services.conversations.folders.folder(scope) is None:
            # Deleted meanwhile (on another computer, through sync): search everywhere again.
            self.sidebar.set_search_folder(None, "")
        if self.conversation_id is not None:
            conversation = self.services.conversations.get(self.conversation_id)
            if conversation is None:
                self.open_conversation(first_conversation(rows))
            else:
                self._show_header(conversation)

    def _rows(self, entries: list[ListEntry]) -> list[ListRow]:
        streaming = self.services.chat.streaming_conversations()
        return rows_from_entries(entries, streaming, self.tr("New chat"))

    def _more_rows(self, last: ListRow) -> list[ListRow]:
        after = entry_of(last)
        if after is None:
            return []
        return self._rows(self.services.conversations.folders.page(LIST_PAGE, after))

    def new_conversation(self) -> None:
        """Ctrl+N and New chat: a conversation from the default assistant, if there is one."""
        default = self.services.conversations.assistants.default()
        self.start_conversation(None if default is None else default.id)

    def start_conversation(self, assistant_id: int | None) -> None:
        conversations = self.services.conversations
        current = self._current()
        # An untouched new chat is reused rather than piling up empty ones.
        if current is not None and current.current_leaf_id is None:
            if current.assistant_id != assistant_id:
                conversations.start_over(current.id, assistant_id)
                self.open_conversation(current.id)
            self.composer.focus_input()
            return
        created = conversations.create(assistant_id)
        if created is not None:
            self.open_conversation(created.id)
            self.composer.focus_input()

    def open_conversation(
        self, conversation_id: ConversationId | None, message_id: MessageId | None = None
    ) -> None:
        self.composer.flush_draft()
        conversation = self.services.conversations.get(conversation_id) if conversation_id else None
        self.page.open(conversation.id if conversation else None, message_id)
        self.sidebar.select(conversation.id if conversation else None)
        self.composer.set_draft(conversation.draft if conversation else "")
        self.composer.set_streaming(
            conversation is not None and self.services.chat.is_streaming(conversation.id)
        )
        self.services.settings.update(
            {options.LAST_CONVERSATION.key: conversation.uuid if conversation else ""},
            save=False,
        )
        self._show_header(conversation)
        self.model_binding.show(conversation)
        self.draft_attachments.forget_refusal()
        self.draft_attachments.refresh()

    def _ensure_conversation(self) -> ConversationId | None:
        """The open conversation, started now when none is open (to attach a file to)."""
        if self.conversation_id is None:
            created = self.services.conversations.create()
            if created is None:
                return None
            self.open_conversation(created.id)
        return self.conversation_id

    def _current(self) -> Conversation | None:
        cid = self.conversation_id
        return self.services.conversations.get(cid) if cid is not None else None

    def _open_from_sidebar(
        self, conversation_id: ConversationId, message_id: MessageId | None
    ) -> None:
        self.open_conversation(conversation_id, message_id)

    def _restore_conversation(self) -> None:
        last = str(self.services.settings.get(options.LAST_CONVERSATION))
        conversation = self.services.conversations.find_by_uuid(last) if last else None
        if conversation is None:
            summaries = self.services.conversations.summaries(1)
            conversation_id = summaries[0].id if summaries else None
        else:
            conversation_id = conversation.id
        if conversation_id is None:
            created = self.services.conversations.create()
            conversation_id = created.id if created else None
        self.open_conversation(conversation_id)
        self.composer.focus_input()

    def _show_header(self, conversation: Conversation | None) -> None:
        if conversation is None:
            self.title_label.setText("")
            self.format_label.setText("")
            return
        self.title_label.setText(conversation.title or self.tr("New chat"))
        assistant = (
            None
            if conversation.assistant_id is None
            else self.services.conversations.assistants.get(conversation.assistant_id)
        )
        started_from = self.tr("Started from the assistant %1")
        self.title_label.set_tip(
            "" if assistant is None else started_from.replace("%1", assistant.name)
        )
        self.format_label.setText(
            self.tr("OpenAI format")
            if conversation.settings.api_format is ApiFormat.OPENAI
            else self.tr("Anthropic format")
        )
        self.format_label.setToolTip(
            self.tr("The wire format this conversation uses; change the default in Settings.")
        )
        self.model_binding.show_params(conversation)

    def import_conversations(self) -> ImportFlow:
        """File → Import…: pick a file, then import it with progress and Cancel."""
        if self._import_flow is None:
            from longcat_desktop.ui.import_flow import ImportFlow

            self._import_flow = ImportFlow(self, self.services.conversations)
        self._import_flow.choose()
        return self._import_flow

    # -- sending ------------------------------------------------------------------------------

    def _send(self, text: str) -> None:
        if self.key_flow.missing:
            self.key_flow.show_welcome(True)
            return
        if self.conversation_actions.send(text):
            # Only now: a message the store refused stays in the composer to send again.
            self.composer.message_sent()
            # The draft's attachments went with the message.
            self.draft_attachments.refresh()
            self.chat_view.jump_to_latest()
        elif self.composer.text() != text:
            # A conversation opened for it showed that one's (empty) draft instead.
            self.composer.set_draft(text)

    def _on_streaming_changed(self, conversation_id: ConversationId, streaming: bool) -> None:
        if conversation_id == self.conversation_id:
            self.composer.set_streaming(streaming)
        self.refresh_list()

    # -- tools ------------------------------------------------------------------------------

    def _connect_tools(self, services: AppServices) -> None:
        loop = services.tool_loop
        if loop is not None:
            from longcat_desktop.ui.tools_menu import ToolsButton

            self.tools_button = ToolsButton(loop, lambda: self.conversation_id, self)
            top_bar = self.params.parentWidget()
            bar = None if top_bar is None else top_bar.layout()
            assert isinstance(bar, QHBoxLayout)
            bar.insertWidget(bar.indexOf(self.params) + 1, self.tools_button)
        services.chat.turnLimitReached.connect(
            lambda _c, limit: self.notices.add(
                self.tr(
                    "The tools ran for %1 model turns, the most allowed for one message: the"
                    " loop stopped. Send a message to carry on, or raise the limit in Settings."
                ).replace("%1", str(limit))
            )
        )
        if loop is not None:
            loop.problemsFound.connect(
                lambda _c, problems: self.notices.add(
                    self.tr("A tool server could not start: %1").replace("%1", problems[0]),
                    error=True,
                )
            )

    # -- key and settings ---------------------------------------------------------------------

    def _on_key_state_shown(self) -> None:
        self.status_presenter.show_connection()
        self.settings_flow.show_key_status()

    def connection_status(self) -> str:
        """What the status bar says about the connection."""
        return self.status_presenter.connection.text()

    @property
    def welcome(self) -> WelcomePanel:
        """The page that asks for a key (built when first needed)."""
        return self.key_flow.welcome

    def open_settings(self, page: str = "") -> None:
        """Ctrl+, and the settings button; `page` names an organising page to show."""
        self.settings_flow.open(page)

    def _on_settings_changed(self, keys: list[str]) -> None:
        get = self.services.settings.get
        if options.SEND_KEY.key in keys:
            self._apply_send_key()
        if options.THEME.key in keys or options.FONT_SIZE.key in keys:
            self.themes.set_mode(str(get(options.THEME)), font_size(get(options.FONT_SIZE)))

    def _apply_send_key(self) -> None:
        ctrl_enter = str(self.services.settings.get(options.SEND_KEY)) == SEND_CTRL_ENTER
        self.composer.set_ctrl_enter_sends(ctrl_enter)
        self.chat_view.empty_state.set_ctrl_enter_sends(ctrl_enter)

    # -- search -------------------------------------------------------------------------------

    def _search(self, query: str) -> None:
        if not query:
            self.sidebar.set_hits([])
            return
        hits = [
            SearchHit(hit.conversation_id, hit.message_id, hit.conversation_title, hit.snippet)
            for hit in self.services.conversations.search(
                query, folder_id=self.sidebar.search_folder()
            )
        ]
        self.sidebar.set_hits(hits)

    # -- look and lifetime --------------------------------------------------------------------

    def _on_theme_changed(self, _theme: object) -> None:
        self.page.set_theme(render_theme_for(self.themes.theme, self.tr("Copy")))
        self._refresh_icons()
        self.status_presenter.show_connection()

    def _refresh_icons(self) -> None:
        self.settings_button.setIcon(icon("settings"))

    def _show_failure(self, message: str) -> None:
        self.notices.add(message, error=True)

    def bring_to_front(self) -> None:
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.show()
        self.raise_()
        self.activateWindow()

    def _restore_geometry(self) -> None:
        get = self.services.settings.get
        geometry = _decode(get(options.WINDOW_GEOMETRY))
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*_DEFAULT_SIZE)
        splitter = _decode(get(options.SPLITTER_STATE))
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.composer.flush_draft()
        self.services.settings.update(
            {
                options.WINDOW_GEOMETRY.key: _encode(self.saveGeometry()),
                options.SPLITTER_STATE.key: _encode(self.splitter.saveState()),
            },
            save=False,
        )
        self.services.settings.save()
        super().closeEvent(event)
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits take Escape before the window's shortcut sees it; one they did not use
        # (an empty search field) comes up here and still stops the answer.
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.conversation_actions.stop()
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: str) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except ValueError:
        return None
