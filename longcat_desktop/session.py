"""One run's services and window, wired together: what the composition root builds.

Kept apart from app.py (process start, command line, logging, the event loop) so that the
self-test, the tests and the benchmarks build exactly what the app runs, without importing the
start-up code.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from longcat_desktop.domain.user_texts import UserText
    from longcat_desktop.i18n import Translations
    from longcat_desktop.services.settings_service import SettingsService
    from longcat_desktop.store import Store
    from longcat_desktop.ui.main_window import MainWindow

log = logging.getLogger("longcat_desktop")


def _tr(text: str, *args: object) -> str:
    """Translated text of the composition root (context "Application"), %1... filled in."""
    from longcat_desktop.services.i18n import translate

    return translate("Application", text, *args)


class AppSession:
    """Every service and the window of one run, wired together. Tests build it directly.

    The services live as long as the session; the window does not have to. When the language
    setting changes, `switch_language` installs the other translators and replaces the window
    with a new one built in that language, on the same services, at the same place and with the
    same conversation open. The old window's connections to the services end with it: every
    service signal the ui listens to is connected to a bound method of a widget or of an object
    owned by the window, which Qt disconnects when that object is deleted.
    """

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        report_error: Callable[[BaseException], None],
        *,
        log_path: Path | None = None,
        base_url: str | None = None,
        api_format: str | None = None,
        environ: Mapping[str, str] | None = None,
        translations: Translations | None = None,
    ) -> None:
        from PySide6.QtCore import QCoreApplication

        from longcat_desktop.i18n import Translations
        from longcat_desktop.services.app_services import AppServices
        from longcat_desktop.services.attachment_service import AttachmentService
        from longcat_desktop.services.chat_service import ChatService
        from longcat_desktop.services.client_pool import ClientPool
        from longcat_desktop.services.connection_tester import ConnectionTester
        from longcat_desktop.services.conversation_service import ConversationService
        from longcat_desktop.services.credentials import CredentialService
        from longcat_desktop.services.model_catalogue import ModelCatalogue
        from longcat_desktop.services.settings_service import CONNECTION_KEYS, SettingsService
        from longcat_desktop.services.tasks import TaskOwner
        from longcat_desktop.services.title_service import TitleWriter
        from longcat_desktop.services.tool_loop import ToolLoop
        from longcat_desktop.services.tool_servers import ToolServers
        from longcat_desktop.store import SETTINGS_NAME, SecretStore, Settings
        from longcat_desktop.store import settings as options

        settings = SettingsService(Settings.load(data_dir / SETTINGS_NAME))
        if base_url:
            settings.override(options.BASE_URL, base_url)
        if api_format:
            settings.override(options.API_FORMAT, api_format)
        if translations is None:
            app = QCoreApplication.instance()
            assert app is not None, "AppSession needs the QApplication"
            translations = Translations(app)
        self.translations = translations
        # Before anything says a word: the startup notices below are translated already.
        translations.apply(self._wanted_language(settings))
        self.tasks = tasks = TaskOwner(None, report_error)
        credentials = CredentialService(SecretStore(environ), tasks)
        self.clients = clients = ClientPool(settings.connection())
        models = ModelCatalogue(clients, tasks)
        self.tool_servers = ToolServers(data_dir, tasks, environ=environ)

        def supports_tools(api_format: str, model: str) -> bool | None:
            from longcat_desktop.domain.chat import ApiFormat

            details = models.details(ApiFormat(api_format), model)
            if details is None or not details.supported_parameters:
                return None  # Unknown is not "no".
            return "tools" in details.supported_parameters

        def reads_images(api_format: str, model: str) -> bool | None:
            from longcat_desktop.domain.chat import ApiFormat

            details = models.details(ApiFormat(api_format), model)
            if details is None or not details.input_modalities:
                return None
            return "image" in details.input_modalities

        tool_loop = ToolLoop(
            self.tool_servers,
            store,
            turn_limit=lambda: settings.get(options.TOOL_TURN_LIMIT),
            default_on=lambda: settings.get(options.TOOLS_ON_BY_DEFAULT),
            supports_tools=supports_tools,
            reads_images=reads_images,
        )
        chat = ChatService(store, clients, tasks, tool_loop=tool_loop)
        conversations = ConversationService(store, settings.new_conversation_settings, tasks=tasks)
        titles = TitleWriter(store, clients, tasks, lambda: settings.get(options.MODEL_TITLES))
        from longcat_desktop.services.sync_service import SyncService

        sync = SyncService(
            store, data_dir, settings, tasks, environ=os.environ if environ is None else environ
        )
        self.services = AppServices(
            settings=settings,
            credentials=credentials,
            conversations=conversations,
            chat=chat,
            models=models,
            connection_tester=ConnectionTester(tasks),
            titles=titles,
            attachments=AttachmentService(store, tasks),
            notices=_startup_notices(store, settings.warnings),
            log_path=str(log_path or ""),
            sync=sync,
            tool_loop=tool_loop,
        )
        self._closed_listeners: list[Callable[[], None]] = []
        self._closing = False
        self._switch_pending = False
        known_key: list[str | None] = [None]

        def key_changed() -> None:
            # Announced after every load and save, and again for a rebuilt window: only a
            # different key makes the model lists stale.
            if credentials.key != known_key[0]:
                known_key[0] = credentials.key
                clients.set_key(credentials.key)
                models.invalidate()

        def settings_changed(keys: list[str]) -> None:
            if CONNECTION_KEYS.intersection(keys):
                clients.configure(settings.connection())
                models.invalidate()
            if options.LANGUAGE.key in keys:
                self._schedule_language_switch()

        # Connected before the window, so the client has the key when the window asks.
        credentials.keyStateChanged.connect(key_changed)
        settings.changed.connect(settings_changed)
        chat.answerUpdated.connect(lambda *_: conversations.touched())
        chat.answerUpdated.connect(titles.answer_finished)
        titles.titled.connect(lambda _conversation: conversations.touched())
        sync.dataChanged.connect(self._synced)
        self.window = self._new_window()

    @staticmethod
    def _wanted_language(settings: SettingsService) -> str:
        from longcat_desktop.i18n import resolve_language
        from longcat_desktop.store import settings as options

        return resolve_language(str(settings.get(options.LANGUAGE)))

    def _new_window(self) -> MainWindow:
        from longcat_desktop.ui.main_window import MainWindow

        window = MainWindow(self.services)
        window.closed.connect(self._window_closed)
        return window

    def on_window_closed(self, listener: Callable[[], None]) -> None:
        """Call `listener` when the user closes the window (whichever window it is by then)."""
        self._closed_listeners.append(listener)

    def _window_closed(self) -> None:
        for listener in list(self._closed_listeners):
            listener()

    def start(self) -> None:
        self.window.show()
        self.services.credentials.load()
        # Hand edits of mcp.json apply once the window has painted its first frame.
        self.window.firstFramePainted.connect(self.tool_servers.watch)
        if self.services.sync is not None:
            self.services.sync.start()

    def _synced(self) -> None:
        """A sync changed things here: the list with its folders, and the conversation shown
        (its thread unless it streams, its draft). Assistants and prompts are read where they
        are shown, each time."""
        conversations = self.services.conversations
        conversations.touched()
        shown = self.window.conversation_id
        conversation = conversations.get(shown) if shown is not None else None
        if shown is None or conversation is None:
            return
        self.window.composer.show_stored_draft(conversation.draft)
        self.services.attachments.draftChanged.emit(shown)
        if not self.services.chat.is_streaming(shown):
            conversations.threadChanged.emit(shown)

    # -- language -----------------------------------------------------------------------------

    def _schedule_language_switch(self) -> None:
        """After the current signal: the settings dialog that asked is still on the stack."""
        from PySide6.QtCore import QTimer

        if not self._switch_pending:
            self._switch_pending = True
            QTimer.singleShot(0, self._run_language_switch)

    def _run_language_switch(self) -> None:
        self._switch_pending = False
        if not self._closing:
            self.switch_language()

    def switch_language(self) -> bool:
        """Speak the language the settings ask for; False if it already does (nothing done)."""
        if not self.translations.apply(self._wanted_language(self.services.settings)):
            return False
        log.info("Interface language now %s", self.translations.language)
        self._rebuild_window()
        return True

    def _rebuild_window(self) -> None:
        from PySide6.QtCore import QTimer

        from longcat_desktop.ui.settings_dialog import SettingsDialog

        old = self.window
        old.composer.flush_draft()
        conversation_id = old.conversation_id
        dialog = old.findChild(SettingsDialog)
        dialog_page = dialog.nav.currentRow() if dialog is not None and dialog.isVisible() else None

        # The startup notices were shown by the first window; a rebuilt one does not repeat them.
        self.services.notices = []
        window = self._new_window()
        window.restoreGeometry(old.saveGeometry())
        window.splitter.restoreState(old.splitter.saveState())
        self.window = window
        if old.isVisible():
            window.show()
        old.hide()
        # The old window's theme controller belongs to the application, not to the window.
        old.themes.deleteLater()
        old.deleteLater()
        if self.services.credentials.loaded:
            # The new window learns the key state (welcome page or chat, model list) as the
            # first one did.
            self.services.credentials.keyStateChanged.emit()

        def restore() -> None:
            if window.conversation_id != conversation_id and conversation_id is not None:
                window.open_conversation(conversation_id)
            if dialog_page is not None:
                window.open_settings()
                reopened = window.findChild(SettingsDialog)
                if reopened is not None:
                    reopened.nav.setCurrentRow(dialog_page)

        # After the window's own restore of the last conversation, queued at its construction.
        QTimer.singleShot(0, restore)

    async def aclose(self) -> None:
        """End every answer (kept as interrupted), every task, every connection."""
        self._closing = True
        await self.services.chat.shutdown()
        if self.services.sync is not None:
            await self.services.sync.shutdown()
        # A draft a busy database refused gets one last try, now that sync has stopped.
        self.services.conversations.drafts.save_pending(last=True)
        # Every MCP server and its processes stop before the app does: none is orphaned.
        await self.tool_servers.aclose()
        await self.tasks.wait_cancelled()
        await self.clients.aclose()
        self.services.settings.save()
        self.translations.close()


def _startup_notices(store: Store, settings_warnings: list[UserText | str]) -> list[str]:
    from longcat_desktop.services.user_text import localized

    notices: list[str] = []
    report = store.report
    if report.recovered_from is not None:
        notices.append(
            _tr(
                "The conversation database was damaged. It was set aside as %1 and a new one "
                "was started; nothing was deleted.",
                report.recovered_from,
            )
        )
    if report.migrated_from is not None and report.backup is not None:
        notices.append(
            _tr(
                "Your conversations were upgraded to a new format; a backup is at %1.",
                report.backup,
            )
        )
    from longcat_desktop.services.answer_recovery import recover_answers

    recovered_notices, recovered = recover_answers(store)
    notices.extend(recovered_notices)
    # An answer put back from a recovery file is told about once, just above.
    interrupted = set(report.interrupted_message_ids) - recovered
    if interrupted:
        notices.append(
            _tr(
                "%1 answer(s) were still arriving when the app last closed. What had arrived is "
                "kept and marked as interrupted.",
                len(interrupted),
            )
        )
    notices.extend(localized(warning) for warning in settings_warnings)
    return notices
