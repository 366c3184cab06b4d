"""The composition root: parses the command line, builds every layer, runs the Qt loop.

This is the only module that knows them all. Nothing here is global: each run builds its own
objects and hands them down.
"""

from __future__ import annotations

import argparse
import asyncio
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
    from PySide6.QtWidgets import QApplication

    from longcat_desktop.single_instance import SingleInstance
    from longcat_desktop.store import Store

from longcat_desktop import __version__

APP_NAME = "LongCat Desktop"
APP_ID = "longcat-desktop"
LOG_NAME = "longcat-desktop.log"

log = logging.getLogger("longcat_desktop")


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
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *args.qt_args])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("LongCat")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)

    data_dir: Path = args.data_dir or default_data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        log_path = setup_logging(data_dir)
    except OSError as error:
        return _fatal_before_start(f"The data folder {data_dir} cannot be used: {error.strerror}.")

    import qasync

    application = Application(app, args, data_dir, log_path)
    try:
        return int(qasync.run(application.run()))
    except asyncio.CancelledError:
        return 1


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
        self, qt_app: QApplication, args: argparse.Namespace, data_dir: Path, log_path: Path
    ) -> None:
        self.qt_app = qt_app
        self.args = args
        self.data_dir = data_dir
        self.log_path = log_path
        self.exit_code = 0

    async def run(self) -> int:
        from longcat_desktop.services.tasks import install_asyncgen_hooks

        loop = asyncio.get_running_loop()
        install_asyncgen_hooks(loop)
        data_dir = self.data_dir
        crash = CrashHook(self.log_path)
        crash.install()
        loop.set_exception_handler(lambda _loop, context: _loop_error(crash, context))

        from longcat_desktop.single_instance import SingleInstance
        from longcat_desktop.store import AlreadyRunningError, DataDirLock, StoreError

        instance = SingleInstance(data_dir)
        try:
            lock = DataDirLock.acquire(data_dir)
        except AlreadyRunningError as error:
            if not instance.wake_other():
                await self._fatal(str(error))
            return 0
        except StoreError as error:
            await self._fatal(str(error))
            return 1
        try:
            from longcat_desktop.store import Store

            try:
                store = Store.open(data_dir)
            except StoreError as error:
                await self._fatal(str(error))
                return 1
            try:
                return await self._serve(store, instance, crash, data_dir)
            finally:
                store.close()
        finally:
            instance.close()
            lock.release()

    async def _serve(
        self,
        store: Store,
        instance: SingleInstance,
        crash: CrashHook,
        data_dir: Path,
    ) -> int:
        self.qt_app.setQuitOnLastWindowClosed(False)
        session = AppSession(
            store,
            data_dir,
            crash.report,
            log_path=crash.log_path,
            base_url=self.args.base_url,
            api_format=self.args.api_format,
        )
        closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        session.window.closed.connect(lambda: _resolve(closed))
        instance.listen(session.window.bring_to_front)
        session.start()
        try:
            await closed
        finally:
            await session.aclose()
        return self.exit_code

    async def _fatal(self, message: str) -> None:
        """A problem that stops the app before its window: said plainly, then the app ends."""
        from PySide6.QtWidgets import QMessageBox

        log.error("Cannot start: %s", message)
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        if os.environ.get("LONGCAT_NO_CRASH_DIALOG"):
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        box.finished.connect(lambda _result: _resolve(done))
        box.open()
        await done


class AppSession:
    """Every service and the window of one run, wired together. Tests build it directly."""

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
    ) -> None:
        from longcat_desktop.services.app_services import AppServices
        from longcat_desktop.services.chat_service import ChatService
        from longcat_desktop.services.client_pool import ClientPool
        from longcat_desktop.services.connection_tester import ConnectionTester
        from longcat_desktop.services.conversation_service import ConversationService
        from longcat_desktop.services.credentials import CredentialService
        from longcat_desktop.services.model_catalogue import ModelCatalogue
        from longcat_desktop.services.settings_service import CONNECTION_KEYS, SettingsService
        from longcat_desktop.services.tasks import TaskOwner
        from longcat_desktop.store import SETTINGS_NAME, SecretStore, Settings
        from longcat_desktop.store import settings as options
        from longcat_desktop.ui.main_window import MainWindow

        settings = SettingsService(Settings.load(data_dir / SETTINGS_NAME))
        if base_url:
            settings.override(options.BASE_URL, base_url)
        if api_format:
            settings.override(options.API_FORMAT, api_format)
        self.tasks = tasks = TaskOwner(asyncio.get_event_loop(), report_error)
        credentials = CredentialService(SecretStore(environ), tasks)
        self.clients = clients = ClientPool(settings.connection())
        models = ModelCatalogue(clients, tasks)
        chat = ChatService(store, clients, tasks)
        conversations = ConversationService(store, settings.new_conversation_settings)
        self.services = AppServices(
            settings=settings,
            credentials=credentials,
            conversations=conversations,
            chat=chat,
            models=models,
            connection_tester=ConnectionTester(tasks),
            notices=_startup_notices(store, settings.warnings),
            log_path=str(log_path or ""),
        )

        def key_changed() -> None:
            clients.set_key(credentials.key)
            models.invalidate()

        def settings_changed(keys: list[str]) -> None:
            if CONNECTION_KEYS.intersection(keys):
                clients.configure(settings.connection())
                models.invalidate()

        # Connected before the window, so the client has the key when the window asks.
        credentials.keyStateChanged.connect(key_changed)
        settings.changed.connect(settings_changed)
        chat.answerUpdated.connect(lambda *_: conversations.touched())
        self.window = MainWindow(self.services)

    def start(self) -> None:
        self.window.show()
        self.services.credentials.load()

    async def aclose(self) -> None:
        """End every answer (kept as interrupted), every task, every connection."""
        await self.services.chat.shutdown()
        await self.tasks.wait_cancelled()
        await self.clients.aclose()
        self.services.settings.save()


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
    from PySide6.QtCore import QCoreApplication

    def tr(text: str) -> str:
        return QCoreApplication.translate("Application", text)

    notices: list[str] = []
    report = store.report
    if report.recovered_from is not None:
        notices.append(
            tr(
                "The conversation database was damaged. It was set aside as %1 and a new one "
                "was started; nothing was deleted."
            ).replace("%1", str(report.recovered_from))
        )
    if report.migrated_from is not None and report.backup is not None:
        notices.append(
            tr("Your conversations were upgraded to a new format; a backup is at %1.").replace(
                "%1", str(report.backup)
            )
        )
    if report.interrupted_message_ids:
        notices.append(
            tr(
                "%1 answer(s) were still arriving when the app last closed. What had arrived is "
                "kept and marked as interrupted."
            ).replace("%1", str(len(report.interrupted_message_ids)))
        )
    notices.extend(settings_warnings)
    return notices
