"""The composition root: parses the command line, builds every layer, runs the Qt loop.

This is the only module that knows them all. Nothing here is global: each run builds its own
objects and hands them down.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # asyncio and qasync load once the window has painted its first frame (Application._serve).
    import asyncio

    from PySide6.QtWidgets import QApplication, QWidget

    from longcat_desktop.i18n import Translations
    from longcat_desktop.services.settings_service import SettingsService
    from longcat_desktop.single_instance import SingleInstance
    from longcat_desktop.store import Store
    from longcat_desktop.ui.main_window import MainWindow

from longcat_desktop import __version__

APP_NAME = "LongCat Desktop"
APP_ID = "longcat-desktop"
# The desktop entry's name (chat.longcat.Desktop.desktop): Wayland compositors find the icon by it.
DESKTOP_ID = "chat.longcat.Desktop"
LOG_NAME = "longcat-desktop.log"
# When a second start can wake this one at the latest (normally: once the window has painted).
LISTEN_AT_THE_LATEST_MS = 2000

log = logging.getLogger("longcat_desktop")


def _tr(text: str, *args: object) -> str:
    """Translated text of the composition root (context "Application"), %1... filled in."""
    from longcat_desktop.services.i18n import translate

    return translate("Application", text, *args)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=APP_ID, description="A native desktop chat client for the LongCat API Platform."
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder for conversations and settings (default: the system's app data folder)",
    )
    parser.add_argument("--base-url", help="API address for this run (not saved)")
    parser.add_argument(
        "--api-format",
        choices=("openai", "anthropic"),
        help="wire format for new conversations in this run (not saved)",
    )
    once = parser.add_mutually_exclusive_group()
    once.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation without a screen (window, database, rendering), then exit",
    )
    once.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add the app and its icon to your application menu (Linux), then exit",
    )
    once.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added, then exit",
    )
    # Qt's own options (-platform, -style, ...) pass through to QApplication.
    args, qt_args = parser.parse_known_args(argv)
    args.qt_args = qt_args
    return args


def default_data_dir() -> Path:
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".longcat-desktop"


def setup_logging(data_dir: Path) -> Path:
    log_path = data_dir / "logs" / LOG_NAME
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # httpx logs each request URL at INFO; URLs hold no secrets but add noise.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return log_path


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return desktop_entry_command(install=args.install_desktop_entry)
    if args.self_test:
        # No screen needed: set before the QApplication exists, whatever the environment says.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from longcat_desktop.pyside_startup import speed_up_import_checks

    speed_up_import_checks()
    app = QApplication.instance()
    if app is None:
        from longcat_desktop.ui.theme import STYLE, STYLE_CHOSEN

        # Our style last, as the theme would replace any other.
        app = QApplication([sys.argv[0], *args.qt_args, "-style", STYLE])
        app.setProperty(STYLE_CHOSEN, True)
    assert isinstance(app, QApplication)
    configure_application(app)
    if args.self_test:
        from longcat_desktop.self_test import run_self_test

        return run_self_test(app)

    from longcat_desktop.i18n import Translations, resolve_language

    # The system's language until the settings are read, so a failed start speaks it too.
    translations = Translations(app)
    translations.apply(resolve_language("system"))
    data_dir: Path = args.data_dir or default_data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        log_path = setup_logging(data_dir)
    except OSError as error:
        return _fatal_before_start(
            _tr("The data folder %1 cannot be used: %2.", data_dir, error.strerror)
        )

    return Application(app, args, data_dir, log_path, translations).run()


def configure_application(app: QApplication) -> None:
    """Names, version and icon: what the window title, taskbar and settings paths use."""
    from longcat_desktop.desktop_entry import app_icon

    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("LongCat")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(app_icon())


def desktop_entry_command(*, install: bool) -> int:
    """--install-desktop-entry / --uninstall-desktop-entry: said on stdout, no window."""
    from longcat_desktop import desktop_entry

    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        print(f"{APP_NAME}: desktop entries are for Linux and BSD desktops.", file=sys.stderr)
        return 2
    home = desktop_entry.data_home()
    try:
        if install:
            command = desktop_entry.launch_command()
            written = desktop_entry.install(home, command)
            print(f"Installed {APP_NAME} for this user (starts: {' '.join(command)}):")
            for path in written:
                print(f"  {path}")
            return 0
        removed = desktop_entry.uninstall(home)
    except OSError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        return 1
    if removed:
        print(f"Removed {APP_NAME} from the application menu:")
        for path in removed:
            print(f"  {path}")
    else:
        print(f"{APP_NAME} was not installed in {home}; nothing to remove.")
    return 0


class CrashHook:
    """Where every unexpected exception ends up: logged with its traceback, shown, survived."""

    def __init__(self, log_path: Path | None) -> None:
        self.log_path = log_path
        self.shown: list[str] = []
        self._showing = False

    def install(self) -> None:
        sys.excepthook = self.handle_uncaught

    def handle_uncaught(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        self.report(error, tb)

    def report(self, error: BaseException, tb: TracebackType | None = None) -> None:
        if isinstance(error, KeyboardInterrupt):
            sys.__excepthook__(type(error), error, tb)
            return
        details = "".join(traceback.format_exception(type(error), error, tb or error.__traceback__))
        log.error("Unexpected error\n%s", details)
        self.shown.append(f"{type(error).__name__}: {error}")
        if os.environ.get("LONGCAT_NO_CRASH_DIALOG") or self._showing:
            return
        self._show(f"{type(error).__name__}: {error}")

    def _show(self, summary: str) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        self._showing = True
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QApplication.translate("CrashHook", "Something went wrong"),
            QApplication.translate(
                "CrashHook",
                "LongCat Desktop hit an unexpected problem and carried on. "
                "Your conversations are safe.",
            ),
        )
        where = str(self.log_path) if self.log_path else ""
        box.setInformativeText(
            QApplication.translate("CrashHook", "Details were written to %1").replace("%1", where)
            if where
            else ""
        )
        box.setDetailedText(summary)
        box.finished.connect(self._closed)
        box.open()
        self._box = box

    def _closed(self, _result: int) -> None:
        self._showing = False


class Application:
    """One run of the app: builds the layers in order and takes them down in reverse."""

    def __init__(
        self,
        qt_app: QApplication,
        args: argparse.Namespace,
        data_dir: Path,
        log_path: Path,
        translations: Translations | None = None,
    ) -> None:
        self.qt_app = qt_app
        self.args = args
        self.data_dir = data_dir
        self.log_path = log_path
        self.translations = translations
        self.exit_code = 0

    def run(self) -> int:
        """Lock, store, window, then the event loop; taken down in the reverse order."""
        data_dir = self.data_dir
        crash = CrashHook(self.log_path)
        crash.install()

        from longcat_desktop.single_instance import SingleInstance
        from longcat_desktop.store import AlreadyRunningError, DataDirLock, StoreError

        instance = SingleInstance(data_dir)
        try:
            lock = DataDirLock.acquire(data_dir)
        except AlreadyRunningError as error:
            if not instance.wake_other():
                self._fatal(str(error))
            return 0
        except StoreError as error:
            self._fatal(str(error))
            return 1
        try:
            from longcat_desktop.store import Store

            try:
                store = Store.open(data_dir)
            except StoreError as error:
                self._fatal(str(error))
                return 1
            try:
                return self._serve(store, instance, crash, data_dir)
            finally:
                store.close()
        finally:
            instance.close()
            lock.release()

    def _serve(
        self,
        store: Store,
        instance: SingleInstance,
        crash: CrashHook,
        data_dir: Path,
    ) -> int:
        from PySide6.QtCore import QTimer

        self.qt_app.setQuitOnLastWindowClosed(False)
        session = AppSession(
            store,
            data_dir,
            crash.report,
            log_path=crash.log_path,
            base_url=self.args.base_url,
            api_format=self.args.api_format,
            translations=self.translations,
        )

        def woken() -> None:
            log.info("A second start asked for this window")
            session.window.bring_to_front()

        def listen() -> None:
            if instance.listen(woken):
                log.info("Listening for a second start")

        # The wake-up socket (and QtNetwork) can wait for the first frame; the timer covers a
        # window that is never painted, such as one that starts minimised.
        session.window.firstFramePainted.connect(listen)
        QTimer.singleShot(LISTEN_AT_THE_LATEST_MS, listen)
        # A close before the loop runs (however unlikely) must still end the app.
        closed_early: list[bool] = []
        session.on_window_closed(lambda: closed_early.append(True))
        # The window paints before asyncio, qasync and the loop are even imported (they cost
        # some 50 ms); nothing before the first frame needs them.
        session.window.show()
        _until_first_paint(session.window)

        import asyncio

        import qasync

        try:
            return int(qasync.run(self._loop_until_closed(session, crash, bool(closed_early))))
        except asyncio.CancelledError:
            return 1

    async def _loop_until_closed(
        self, session: AppSession, crash: CrashHook, already_closed: bool = False
    ) -> int:
        import asyncio

        from longcat_desktop.services.tasks import install_asyncgen_hooks

        loop = asyncio.get_running_loop()
        install_asyncgen_hooks(loop)
        loop.set_exception_handler(lambda _loop, context: _loop_error(crash, context))
        closed: asyncio.Future[None] = loop.create_future()
        # Through the session, not the window: a language switch replaces the window.
        session.on_window_closed(lambda: _resolve(closed))
        if already_closed:
            _resolve(closed)
        else:
            session.start()
        try:
            await closed
        finally:
            await session.aclose()
        return self.exit_code

    def _fatal(self, message: str) -> None:
        """A problem that stops the app before its window: said plainly, then the app ends.

        No event loop runs yet, so the box may run its own."""
        from PySide6.QtWidgets import QMessageBox

        from longcat_desktop.services.user_text import localized

        log.error("Cannot start: %s", message)
        message = localized(message)
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        if os.environ.get("LONGCAT_NO_CRASH_DIALOG"):
            return
        QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message).exec()


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
        from longcat_desktop.services.chat_service import ChatService
        from longcat_desktop.services.client_pool import ClientPool
        from longcat_desktop.services.connection_tester import ConnectionTester
        from longcat_desktop.services.conversation_service import ConversationService
        from longcat_desktop.services.credentials import CredentialService
        from longcat_desktop.services.model_catalogue import ModelCatalogue
        from longcat_desktop.services.settings_service import CONNECTION_KEYS, SettingsService
        from longcat_desktop.services.tasks import TaskOwner
        from longcat_desktop.services.title_service import TitleWriter
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
        chat = ChatService(store, clients, tasks)
        conversations = ConversationService(store, settings.new_conversation_settings)
        titles = TitleWriter(store, clients, tasks, lambda: settings.get(options.MODEL_TITLES))
        self.services = AppServices(
            settings=settings,
            credentials=credentials,
            conversations=conversations,
            chat=chat,
            models=models,
            connection_tester=ConnectionTester(tasks),
            titles=titles,
            notices=_startup_notices(store, settings.warnings),
            log_path=str(log_path or ""),
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
        await self.tasks.wait_cancelled()
        await self.clients.aclose()
        self.services.settings.save()
        self.translations.close()


def _until_first_paint(window: QWidget, at_most_ms: int = 1000) -> None:
    """Run Qt's event loop until `window` has painted (or `at_most_ms` passed)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    waiting = QEventLoop()

    class _Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                waiting.quit()
            return False

    watcher = _Painted()
    window.installEventFilter(watcher)
    QTimer.singleShot(at_most_ms, waiting.quit)
    waiting.exec()
    window.removeEventFilter(watcher)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _fatal_before_start(message: str) -> int:
    """A problem before the event loop runs: said on stderr and in a box, then exit."""
    from PySide6.QtWidgets import QMessageBox

    print(f"{APP_NAME}: {message}", file=sys.stderr)
    if not os.environ.get("LONGCAT_NO_CRASH_DIALOG"):
        QMessageBox.critical(None, APP_NAME, message)
    return 1


def _loop_error(crash: CrashHook, context: dict[str, object]) -> None:
    error = context.get("exception")
    if isinstance(error, BaseException):
        crash.report(error)
    else:
        log.error("asyncio: %s", context.get("message"))


def _startup_notices(store: Store, settings_warnings: list[str]) -> list[str]:
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
    if report.interrupted_message_ids:
        notices.append(
            _tr(
                "%1 answer(s) were still arriving when the app last closed. What had arrived is "
                "kept and marked as interrupted.",
                len(report.interrupted_message_ids),
            )
        )
    notices.extend(settings_warnings)
    return notices
