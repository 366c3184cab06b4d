"""The main window: sidebar, the open conversation, composer, and the settings around them."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QLocale,
    QObject,
    Qt,
    QUrl,
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
    ConversationSummary,
    MessageStatus,
    StoredMessage,
)
from longcat_desktop.services import options
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.services.credentials import KeySource
from longcat_desktop.services.error_actions import ErrorAction, action_for
from longcat_desktop.services.model_catalogue import (
    DOCUMENTED_MAX_TOKENS,
    ConnectionState,
    pick_model,
)
from longcat_desktop.services.user_text import localized
from longcat_desktop.ui.chat_view import MAX_CONTENT_WIDTH, ChatView
from longcat_desktop.ui.composer import Composer
from longcat_desktop.ui.conversation_list import ConversationRow
from longcat_desktop.ui.conversation_page import ConversationPage
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.message_mapping import render_theme_for
from longcat_desktop.ui.model_picker import ModelPicker
from longcat_desktop.ui.notice_bar import NoticeBar
from longcat_desktop.ui.param_values import ParamValues
from longcat_desktop.ui.params_panel import ParamsPanel
from longcat_desktop.ui.search_results import SearchHit
from longcat_desktop.ui.sidebar import Sidebar
from longcat_desktop.ui.theme import ThemeController

if TYPE_CHECKING:
    from longcat_desktop.ui.settings_dialog import SettingsDialog
    from longcat_desktop.ui.settings_values import SettingsValues
    from longcat_desktop.ui.welcome_panel import WelcomePanel

_EXPORT_SUFFIXES = {"markdown": ".md", "html": ".html", "json": ".json"}
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
            app, str(settings.get(options.THEME)), self._font_size(settings.get(options.FONT_SIZE))
        )
        self.themes.themeChanged.connect(self._on_theme_changed)
        self._settings_dialog: SettingsDialog | None = None
        self._key_checked = False

        self.sidebar = Sidebar(self)
        self._welcome: WelcomePanel | None = None
        self.chat_view = ChatView(self)
        self.composer = Composer(self)
        self.model_picker = ModelPicker(self)
        self.params = ParamsPanel(self)
        self.notices = NoticeBar(self)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("conversationTitle")
        self.format_label = QLabel(self)
        self.format_label.setProperty("role", "badge")
        self.settings_button = QToolButton(self)
        self.settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        self.settings_button.setAutoRaise(True)
        self.settings_button.clicked.connect(self.open_settings)
        self.page = ConversationPage(
            services, self.chat_view, render_theme_for(self.themes.theme, self.tr("Copy")), self
        )
        self._build_layout()
        self._connect()
        self._install_shortcuts()
        self._status_dot = QLabel(self)
        self._status_dot.setObjectName("connectionDot")
        self._status = QLabel(self)
        self._status.setObjectName("connectionStatus")
        self._stats = QLabel(self)
        self._stats.setProperty("role", "muted")
        self.statusBar().setContentsMargins(8, 0, 8, 0)
        self.statusBar().addWidget(self._status_dot)
        self.statusBar().addWidget(self._status, 1)
        self.statusBar().addPermanentWidget(self._stats)
        self._show_connection()
        self._refresh_icons()
        self._restore_geometry()
        self.refresh_list()
        for notice in services.notices:
            self.notices.add(notice)
        # The last conversation opens right after the first paint, which therefore comes sooner.
        # (Not a zero timer: that would run before Qt's low-priority paint request.)
        self.firstFramePainted.connect(self._restore_conversation)
        self._first_paint = _AfterFirstPaint(self, self.firstFramePainted.emit)

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
        composer_row.addStretch(1)
        composer_row.addWidget(self.composer, 1000)
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
        lists.renameRequested.connect(
            lambda cid, title: services.conversations.rename(int(cid), title)
        )
        lists.pinRequested.connect(
            lambda cid, pinned: services.conversations.set_pinned(int(cid), pinned)
        )
        lists.duplicateRequested.connect(self._duplicate)
        lists.exportRequested.connect(self._export)
        lists.deleteRequested.connect(self._confirm_delete)

        services.conversations.listChanged.connect(self.refresh_list)
        services.conversations.failed.connect(self._show_failure)
        services.chat.streamingChanged.connect(self._on_streaming_changed)
        services.chat.storeFailed.connect(self._show_failure)
        services.chat.answerUpdated.connect(self._on_answer_finished)
        services.credentials.keyStateChanged.connect(self._on_key_state)
        services.models.modelsChanged.connect(self._on_models_changed)
        services.models.detailsChanged.connect(self._on_details_changed)
        services.models.connectionChanged.connect(self._show_connection)
        services.settings.changed.connect(self._on_settings_changed)
        services.settings.saveFailed.connect(self._show_failure)
        services.connection_tester.finished.connect(self._on_connection_tested)

        self.composer.sendRequested.connect(self._send)
        self.composer.stopRequested.connect(self._stop)
        self.composer.editLastRequested.connect(self.page.edit_last_user_message)
        self.composer.draftChanged.connect(self._save_draft)
        self.model_picker.modelChosen.connect(self._choose_model)
        self.params.changed.connect(self._change_params)
        self.page.settingsWanted.connect(self.open_settings)
        self.page.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 4000))

    def _install_shortcuts(self) -> None:
        bindings = [
            ("Ctrl+N", self.new_conversation),
            ("Ctrl+K", self.sidebar.focus_search),
            ("Ctrl+,", self.open_settings),
            ("Ctrl+L", self.composer.focus_input),
            ("Ctrl+Shift+C", self.page.copy_last_answer),
            ("Esc", self._stop),
        ]
        for key, slot in bindings:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # -- conversations ------------------------------------------------------------------------

    @property
    def conversation_id(self) -> int | None:
        return self.page.conversation_id

    def refresh_list(self) -> None:
        # The first page (or as many rows as the list already holds, so its scroll position
        # stays); the rest load as the list is scrolled down.
        limit = max(LIST_PAGE, self.sidebar.list_model.rowCount())
        summaries = self.services.conversations.summaries(limit + 1)
        rows = self._rows(summaries[:limit])
        self.sidebar.set_rows(rows, self._more_rows if len(summaries) > limit else None)
        self.sidebar.select(self.conversation_id)
        if self.conversation_id is not None:
            conversation = self.services.conversations.get(self.conversation_id)
            if conversation is None:
                self.open_conversation(rows[0].id if rows else None)  # type: ignore[arg-type]
            else:
                self._show_header(conversation)

    def _rows(self, summaries: list[ConversationSummary]) -> list[ConversationRow]:
        streaming = self.services.chat.streaming_conversations()
        untitled = self.tr("New chat")
        return [
            ConversationRow(
                summary.id,
                summary.title or untitled,
                summary.pinned,
                summary.updated_at,
                summary.id in streaming,
            )
            for summary in summaries
        ]

    def _more_rows(self, last: ConversationRow) -> list[ConversationRow]:
        if not isinstance(last.updated_at, float | int) or not isinstance(last.id, int):
            return []
        after = ConversationSummary(last.id, last.title, last.pinned, float(last.updated_at))
        return self._rows(self.services.conversations.summaries(LIST_PAGE, after))

    def new_conversation(self) -> None:
        current = self._current()
        # An untouched new chat is reused rather than piling up empty ones.
        if current is not None and current.current_leaf_id is None:
            self.composer.focus_input()
            return
        created = self.services.conversations.create()
        if created is not None:
            self.open_conversation(created.id)
            self.composer.focus_input()

    def open_conversation(self, conversation_id: int | None, message_id: int | None = None) -> None:
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
        self._show_models(conversation)

    def _current(self) -> Conversation | None:
        cid = self.conversation_id
        return self.services.conversations.get(cid) if cid is not None else None

    def _open_from_sidebar(self, conversation_id: object, message_id: object) -> None:
        self.open_conversation(
            int(conversation_id),  # type: ignore[call-overload]
            None if message_id is None else int(message_id),  # type: ignore[call-overload]
        )

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
        self.format_label.setText(
            self.tr("OpenAI format")
            if conversation.settings.api_format is ApiFormat.OPENAI
            else self.tr("Anthropic format")
        )
        self.format_label.setToolTip(
            self.tr("The wire format this conversation uses; change the default in Settings.")
        )
        settings = conversation.settings
        self.params.load(
            ParamValues(
                system_prompt=settings.system_prompt,
                temperature=settings.temperature,
                top_p=settings.top_p,
                max_tokens=settings.max_tokens,
                thinking=settings.thinking,
            )
        )

    def _duplicate(self, conversation_id: object) -> None:
        copy = self.services.conversations.duplicate(int(conversation_id))  # type: ignore[call-overload]
        if copy is not None:
            self.open_conversation(copy.id)

    def _export(self, conversation_id: object, kind: str) -> None:
        conversation = self.services.conversations.get(int(conversation_id))  # type: ignore[call-overload]
        if conversation is None:
            return
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use, not at start

        name = _safe_file_name(conversation.title or "conversation") + _EXPORT_SUFFIXES[kind]
        dialog = QFileDialog(self, self.tr("Export conversation"), str(Path.home() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(_EXPORT_SUFFIXES[kind].lstrip("."))

        def chosen(path: str) -> None:
            if self.services.conversations.export(conversation.id, kind, Path(path)):
                self.statusBar().showMessage(self.tr("Exported to %1").replace("%1", path), 5000)

        dialog.fileSelected.connect(chosen)
        dialog.open()

    def _confirm_delete(self, conversation_id: object) -> None:
        conversation = self.services.conversations.get(int(conversation_id))  # type: ignore[call-overload]
        if conversation is None:
            return
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete conversation"),
            self.tr("Delete “%1” and all its messages? This cannot be undone.").replace(
                "%1", conversation.title or self.tr("New chat")
            ),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is delete:
                self.services.chat.stop(conversation.id)
                self.services.conversations.delete(conversation.id)

        box.finished.connect(answered)
        box.open()

    # -- sending ------------------------------------------------------------------------------

    def _send(self, text: str) -> None:
        if not self.services.credentials.has_key and self._key_checked:
            self._show_welcome(True)
            return
        if self.conversation_id is None:
            created = self.services.conversations.create()
            if created is None:
                return
            self.open_conversation(created.id)
        assert self.conversation_id is not None
        self.services.chat.send(self.conversation_id, text)
        self.chat_view.jump_to_latest()

    def _stop(self) -> None:
        if self.conversation_id is not None:
            self.services.chat.stop(self.conversation_id)

    def _save_draft(self, text: str) -> None:
        if self.conversation_id is not None:
            self.services.conversations.set_draft(self.conversation_id, text)

    def _on_streaming_changed(self, conversation_id: int, streaming: bool) -> None:
        if conversation_id == self.conversation_id:
            self.composer.set_streaming(streaming)
        self.refresh_list()

    def _on_answer_finished(self, conversation_id: int, message_id: int) -> None:
        message = self.services.conversations.message(message_id)
        if message is None:
            return
        self._note_connection(message)
        if message.finished_at is None or message.usage is None:
            return
        output = message.usage.output_tokens or 0
        seconds = message.finished_at - (message.first_token_at or message.created_at)
        speed = output / seconds if seconds > 0 else 0.0
        self._stats.setText(
            self.tr("Last answer: %1 tokens · %2 tokens/s")
            .replace("%1", str(output))
            .replace("%2", f"{speed:.0f}")
        )

    # -- models and parameters ----------------------------------------------------------------

    def _show_models(self, conversation: Conversation | None) -> None:
        if conversation is None:
            return
        api_format = conversation.settings.api_format
        available = self.services.models.models(api_format)
        model, replaced = conversation.settings.model, None
        if conversation.current_leaf_id is None:
            # Only a conversation with no messages yet follows the server's list.
            model, replaced = pick_model(available, model)
            if replaced:
                self.services.conversations.set_model(conversation.id, model)
        note = replaced or available.note
        if available.fallback and not note:
            note = self.model_picker.fallback_note()
        ids = list(available.ids)
        if model not in ids:
            ids.insert(0, model)
        self.model_picker.set_models(ids, model, note)
        self.model_picker.set_details(self.services.models.details(api_format, model))
        self.services.models.request_details(api_format, model)
        self._bound_max_tokens(api_format, model)

    def _bound_max_tokens(self, api_format: ApiFormat, model: str) -> None:
        details = self.services.models.details(api_format, model)
        limit = DOCUMENTED_MAX_TOKENS
        if details is not None and details.context_length:
            limit = min(details.context_length, DOCUMENTED_MAX_TOKENS)
        self.params.set_max_tokens_limit(limit)

    def _on_models_changed(self, _api_format: str) -> None:
        self._show_models(self._current())

    def _on_details_changed(self, api_format: str, model: str) -> None:
        conversation = self._current()
        if conversation is None or conversation.settings.model != model:
            return
        if conversation.settings.api_format.value != api_format:
            return
        self.model_picker.set_details(self.services.models.details(ApiFormat(api_format), model))
        self._bound_max_tokens(ApiFormat(api_format), model)

    def _choose_model(self, model: str) -> None:
        conversation = self._current()
        if conversation is not None:
            self.services.conversations.set_model(conversation.id, model)
            self._show_models(self._current())

    def _change_params(self, values: ParamValues) -> None:
        conversation = self._current()
        if conversation is None:
            return
        self.services.conversations.update_settings(
            conversation.id,
            replace(
                conversation.settings,
                system_prompt=values.system_prompt,
                temperature=values.temperature,
                top_p=values.top_p,
                max_tokens=values.max_tokens,
                thinking=values.thinking,
            ),
        )

    # -- key and settings ---------------------------------------------------------------------

    def _on_key_state(self) -> None:
        credentials = self.services.credentials
        self._key_checked = True
        if self._welcome is not None:
            self._welcome.set_busy(False)
        if credentials.warning:
            self.notices.add(credentials.warning)
        self._show_welcome(not credentials.has_key)
        if credentials.has_key:
            conversation = self._current()
            api_format = (
                conversation.settings.api_format
                if conversation
                else ApiFormat(self.services.settings.get(options.API_FORMAT))
            )
            self.services.models.refresh(api_format)
        self._show_connection()
        if self._settings_dialog is not None:
            self._settings_dialog.set_key_status(self._key_status_text())

    def connection_status(self) -> str:
        """What the status bar says about the connection."""
        return self._status.text()

    def _show_connection(self) -> None:
        models = self.services.models
        base_url = str(self.services.settings.get(options.BASE_URL))
        host = QUrl(base_url).host() or base_url
        detail = localized(models.connection_detail)
        state = models.connection_state
        color = self.themes.theme.muted
        if not self.services.credentials.has_key:
            text = self.tr("No API key")
            color = self.themes.theme.warning
        elif state is ConnectionState.CONNECTED:
            text = self.tr("Connected to %1").replace("%1", host)
            color = self.themes.theme.success
        elif state is ConnectionState.CHECKING:
            text = self.tr("Connecting to %1…").replace("%1", host)
        elif state is ConnectionState.UNREACHABLE:
            text = self.tr("Cannot reach %1: %2").replace("%1", host).replace("%2", detail)
            color = self.themes.theme.error
        elif state is ConnectionState.REFUSED:
            text = self.tr("%1 refused the key: %2").replace("%1", host).replace("%2", detail)
            color = self.themes.theme.error
        elif state is ConnectionState.FAILED:
            text = (
                self.tr("%1 answered with an error: %2").replace("%1", host).replace("%2", detail)
            )
            color = self.themes.theme.warning
        else:
            text = host
        self._status.setText(text)
        self._status.setToolTip(self._key_status_text())
        self._status_dot.setText("●")
        self._status_dot.setStyleSheet(f"color: {color};")

    def _note_connection(self, message: StoredMessage) -> None:
        """An answer that ended shows whether the platform can be reached with this key."""
        models = self.services.models
        if message.status is MessageStatus.COMPLETE:
            models.set_connection(ConnectionState.CONNECTED)
        elif message.status is MessageStatus.ERROR and message.error is not None:
            error = message.error
            if error.type == "connection_error":
                models.set_connection(ConnectionState.UNREACHABLE, error.message)
            elif action_for(error) is ErrorAction.OPEN_SETTINGS:
                models.set_connection(ConnectionState.REFUSED, error.message)

    def _key_status_text(self) -> str:
        source = self.services.credentials.source
        if source is KeySource.ENVIRONMENT:
            return self.tr("Key from LONGCAT_API_KEY")
        if source is KeySource.KEYRING:
            return self.tr("Key stored in the system keyring")
        if source is KeySource.SESSION:
            return self.tr("No system keyring: the key is kept for this session only")
        return self.tr("No API key")

    @property
    def welcome(self) -> WelcomePanel:
        """The page that asks for a key; built when first needed, as most starts have one."""
        if self._welcome is None:
            from longcat_desktop.ui.welcome_panel import WelcomePanel

            self._welcome = WelcomePanel(self.main_stack)
            self._welcome.keySubmitted.connect(self._submit_key)
            self.main_stack.addWidget(self._welcome)
        return self._welcome

    def _show_welcome(self, show: bool) -> None:
        self.main_stack.setCurrentWidget(self.welcome if show else self.chat_page)
        if not show:
            self.composer.focus_input()

    def _submit_key(self, key: str) -> None:
        self.welcome.set_busy(True)
        self.services.credentials.save(key)

    def open_settings(self) -> None:
        if self._settings_dialog is None:
            # Built on first use: most starts never open Settings.
            from longcat_desktop.ui.settings_dialog import SettingsDialog

            dialog = SettingsDialog(self)
            dialog.settingsApplied.connect(self._apply_settings)
            dialog.keySaved.connect(self.services.credentials.save)
            dialog.testConnectionRequested.connect(self._test_connection)
            self._settings_dialog = dialog
        dialog = self._settings_dialog
        dialog.load(self._settings_values())
        conversation = self._current()
        api_format = conversation.settings.api_format if conversation else ApiFormat.OPENAI
        dialog.set_models(list(self.services.models.models(api_format).ids))
        dialog.set_key_status(self._key_status_text())
        dialog.open()

    def _settings_values(self) -> SettingsValues:
        from longcat_desktop.ui.settings_values import SettingsValues

        get = self.services.settings.get
        language = str(get(options.LANGUAGE))
        return SettingsValues(
            base_url=get(options.BASE_URL),
            api_format=str(get(options.API_FORMAT)),
            proxy_mode=str(get(options.PROXY_MODE)),
            proxy_url=get(options.PROXY_URL),
            default_model=get(options.DEFAULT_MODEL),
            defaults=ParamValues(
                system_prompt=get(options.DEFAULT_SYSTEM_PROMPT),
                temperature=get(options.DEFAULT_TEMPERATURE),
                top_p=get(options.DEFAULT_TOP_P),
                max_tokens=get(options.DEFAULT_MAX_TOKENS),
                thinking=get(options.DEFAULT_THINKING),
            ),
            theme=str(get(options.THEME)),
            language=_shown_language(language),
            font_size=self._font_size(get(options.FONT_SIZE)),
            model_titles=get(options.MODEL_TITLES),
        )

    def _apply_settings(self, values: SettingsValues) -> None:
        try:
            self.services.settings.update(
                {
                    options.BASE_URL.key: values.base_url,
                    options.API_FORMAT.key: values.api_format,
                    options.PROXY_MODE.key: values.proxy_mode,
                    options.PROXY_URL.key: values.proxy_url,
                    options.DEFAULT_MODEL.key: values.default_model,
                    options.DEFAULT_SYSTEM_PROMPT.key: values.defaults.system_prompt,
                    options.DEFAULT_TEMPERATURE.key: values.defaults.temperature,
                    options.DEFAULT_TOP_P.key: values.defaults.top_p,
                    options.DEFAULT_MAX_TOKENS.key: values.defaults.max_tokens,
                    options.DEFAULT_THINKING.key: values.defaults.thinking,
                    options.THEME.key: values.theme,
                    options.LANGUAGE.key: values.language,
                    options.FONT_SIZE.key: values.font_size,
                    options.MODEL_TITLES.key: values.model_titles,
                }
            )
        except ValueError as error:
            self._show_failure(str(error))

    def _on_settings_changed(self, keys: list[str]) -> None:
        get = self.services.settings.get
        if options.THEME.key in keys or options.FONT_SIZE.key in keys:
            self.themes.set_mode(str(get(options.THEME)), self._font_size(get(options.FONT_SIZE)))
        if {options.BASE_URL.key, options.PROXY_MODE.key, options.PROXY_URL.key} & set(keys):
            conversation = self._current()
            if conversation is not None and self.services.credentials.has_key:
                self.services.models.refresh(conversation.settings.api_format)

    def _test_connection(self, key: str, base_url: str, api_format: str) -> None:
        from longcat_desktop.services.client_pool import ConnectionConfig

        config = self.services.settings.connection()
        config = ConnectionConfig(base_url, config.proxy_mode, config.proxy_url, max_retries=0)
        key = key.strip() or (self.services.credentials.key or "")
        if self._settings_dialog is not None:
            self._settings_dialog.set_testing(True)
        self.services.connection_tester.test(key, config, ApiFormat(api_format))

    def _on_connection_tested(self, ok: bool, text: str) -> None:
        if self._settings_dialog is not None:
            self._settings_dialog.set_testing(False)
            self._settings_dialog.show_test_result(ok, localized(text))

    # -- search -------------------------------------------------------------------------------

    def _search(self, query: str) -> None:
        if not query:
            self.sidebar.set_hits([])
            return
        hits = [
            SearchHit(hit.conversation_id, hit.message_id, hit.conversation_title, hit.snippet)
            for hit in self.services.conversations.search(query)
        ]
        self.sidebar.set_hits(hits)

    # -- look and lifetime --------------------------------------------------------------------

    @staticmethod
    def _font_size(stored: int) -> int:
        if stored:
            return stored
        return QApplication.font().pointSize() if QApplication.instance() else 10

    def _on_theme_changed(self, _theme: object) -> None:
        self.page.set_theme(render_theme_for(self.themes.theme, self.tr("Copy")))
        self._refresh_icons()
        self._show_connection()

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
            self._stop()
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()


def _shown_language(stored: str) -> str:
    """The language Settings shows as chosen: the stored one, or for "system" the one in use,
    so that pressing OK for another change does not switch a Chinese desktop to English."""
    if stored in ("en", "zh_CN"):
        return stored
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: str) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except ValueError:
        return None


class _AfterFirstPaint(QObject):
    """Calls `then` once the window has painted its first frame (queued after that frame).

    Queued as a posted event rather than a zero timer: the app paints its first frame in a
    short event loop of its own before asyncio's loop starts (app.py), and a timer could fire
    inside that one, a posted event never does (Qt delivers events posted while it delivers
    events on its next pass)."""

    _DONE = QEvent.Type(QEvent.registerEventType())

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            watched.removeEventFilter(self)
            QCoreApplication.postEvent(self, QEvent(self._DONE))
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == self._DONE and self._then is not None:
            then, self._then = self._then, None
            then()
            return True
        return super().event(event)


def _safe_file_name(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_." else "_" for c in title).strip(" .")
    return cleaned[:80] or "conversation"
