"""The status bar: whether the platform can be reached with this key, and the last answer's
speed. It listens to the services and says it in words; the window only places it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtWidgets import QLabel, QStatusBar

from longcat_desktop.domain.conversation import MessageStatus, StoredMessage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.services import options
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.services.credentials import KeySource
from longcat_desktop.services.error_actions import ErrorAction, action_for
from longcat_desktop.services.model_catalogue import ConnectionState
from longcat_desktop.services.sync_service import SyncState
from longcat_desktop.services.user_text import localized, said
from longcat_desktop.ui.theme import ThemeController


class StatusPresenter(QObject):
    def __init__(self, services: AppServices, bar: QStatusBar, themes: ThemeController) -> None:
        super().__init__(bar)
        self._services = services
        self._themes = themes
        self.dot = QLabel(bar)
        self.dot.setObjectName("connectionDot")
        # The host and the server's own words are data: shown as text, never as markup.
        self.connection = QLabel(bar, textFormat=Qt.TextFormat.PlainText)
        self.connection.setObjectName("connectionStatus")
        self.stats = QLabel(bar, textFormat=Qt.TextFormat.PlainText)
        self.stats.setProperty("role", "muted")
        bar.setContentsMargins(8, 0, 8, 0)
        bar.addWidget(self.dot)
        bar.addWidget(self.connection, 1)
        bar.addPermanentWidget(self.stats)
        self.sync_status = QLabel(bar, textFormat=Qt.TextFormat.PlainText)
        self.sync_status.setObjectName("syncStatus")
        self.sync_status.setProperty("role", "muted")
        bar.addPermanentWidget(self.sync_status)
        if services.sync is not None:
            services.sync.stateChanged.connect(self.show_sync)
        self.show_sync()
        services.models.connectionChanged.connect(self.show_connection)
        services.chat.answerUpdated.connect(self._on_answer_ended)
        self.show_connection()

    def show_connection(self) -> None:
        models = self._services.models
        base_url = str(self._services.settings.get(options.BASE_URL))
        host = QUrl(base_url).host() or base_url
        detail = localized(models.connection_detail)
        state = models.connection_state
        theme = self._themes.theme
        color = theme.muted
        if not self._services.credentials.has_key:
            text = self.tr("No API key")
            color = theme.warning
        elif state is ConnectionState.CONNECTED:
            text = self.tr("Connected to %1").replace("%1", host)
            color = theme.success
        elif state is ConnectionState.CHECKING:
            text = self.tr("Connecting to %1…").replace("%1", host)
        elif state is ConnectionState.UNREACHABLE:
            text = self.tr("Cannot reach %1: %2").replace("%1", host).replace("%2", detail)
            color = theme.error
        elif state is ConnectionState.REFUSED:
            text = self.tr("%1 refused the key: %2").replace("%1", host).replace("%2", detail)
            color = theme.error
        elif state is ConnectionState.FAILED:
            text = (
                self.tr("%1 answered with an error: %2").replace("%1", host).replace("%2", detail)
            )
            color = theme.warning
        else:
            text = host
        self.connection.setText(text)
        self.connection.setToolTip(self.key_status_text())
        self.dot.setText("●")
        self.dot.setStyleSheet(f"color: {color};")

    def show_sync(self) -> None:
        """Sync's state in words; nothing while sync is off."""
        sync = self._services.sync
        state = sync.state if sync is not None and sync.configured else SyncState.OFF
        if state is SyncState.SYNCING:
            text = self.tr("Syncing…")
        elif state is SyncState.FAILED:
            assert sync is not None
            text = self.tr("Sync failed: %1").replace("%1", sync.message)
        elif state is SyncState.IDLE and sync is not None and sync.last_outcome() is not None:
            text = self.tr("Synced")
        else:
            text = ""
        self.sync_status.setText(text)
        self.sync_status.setToolTip(sync.last_outcome_text() if sync is not None else "")
        self.sync_status.setVisible(bool(text))

    def key_status_text(self) -> str:
        source = self._services.credentials.source
        if source is KeySource.ENVIRONMENT:
            return self.tr("Key from LONGCAT_API_KEY")
        if source is KeySource.KEYRING:
            return self.tr("Key stored in the system keyring")
        if source is KeySource.SESSION:
            return self.tr("No system keyring: the key is kept for this session only")
        return self.tr("No API key")

    def _on_answer_ended(self, _conversation_id: ConversationId, message_id: MessageId) -> None:
        message = self._services.conversations.message(message_id)
        if message is None:
            return
        self._note_connection(message)
        self._show_speed(message)

    def _note_connection(self, message: StoredMessage) -> None:
        """An answer that ended shows whether the platform can be reached with this key."""
        models = self._services.models
        if message.status is MessageStatus.COMPLETE:
            models.set_connection(ConnectionState.CONNECTED)
        elif message.status is MessageStatus.ERROR and message.error is not None:
            error = message.error
            if message.api_format is not None and message.model:
                # Refused for a model retired since the list was fetched: fetch it again.
                models.answer_failed(message.api_format, message.model, error)
            if error.type == "connection_error":
                models.set_connection(ConnectionState.UNREACHABLE, said(error))
            elif action_for(error) is ErrorAction.OPEN_SETTINGS:
                models.set_connection(ConnectionState.REFUSED, said(error))

    def _show_speed(self, message: StoredMessage) -> None:
        if message.finished_at is None or message.usage is None:
            return
        output = message.usage.output_tokens or 0
        seconds = message.finished_at - (message.first_token_at or message.created_at)
        speed = output / seconds if seconds > 0 else 0.0
        self.stats.setText(
            self.tr("Last answer: %1 tokens · %2 tokens/s")
            .replace("%1", str(output))
            .replace("%2", f"{speed:.0f}")
        )
