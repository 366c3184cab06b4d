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
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # asyncio and qasync load once the window has painted its first frame (Application._serve).
    import asyncio

    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from longcat_desktop.i18n import Translations
    from longcat_desktop.session import AppSession
    from longcat_desktop.single_instance import SingleInstance
    from longcat_desktop.store import Store, StoreError

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
        "--import",
        dest="import_path",
        type=Path,
        metavar="PATH",
        help="import conversations (an export of this app, or ChatGPT's or Claude's data export:"
        " conversations.json or its .zip) into the data folder, print a summary, then exit",
    )
    once.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added, then exit",
    )
    once.add_argument(
        "--sync-now",
        action="store_true",
        help="sync the data folder with its WebDAV storage once, print the result, then exit",
    )
    parser.add_argument("--sync-url", help="WebDAV folder for --sync-now (not saved)")
    parser.add_argument("--sync-user", help="WebDAV user name for --sync-now (not saved)")
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
    if args.import_path is not None:
        return import_command(args.import_path, args.data_dir)
    if args.sync_now:
        return sync_command(args)
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


def sync_command(args: argparse.Namespace) -> int:
    """--sync-now: no window, no Qt application; one line of output."""
    from longcat_desktop.sync.command import run_command

    if args.data_dir is None:
        from PySide6.QtCore import QCoreApplication

        # The default folder is named after the application, as when the window opens.
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setOrganizationName("LongCat")
    data_dir: Path = args.data_dir or default_data_dir()
    return run_command(data_dir, url=args.sync_url, user=args.sync_user)


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


def import_command(path: Path, data_dir: Path | None) -> int:
    """--import PATH: no window; the default data folder needs the app's names, hence Qt core."""
    from PySide6.QtCore import QCoreApplication

    from longcat_desktop.import_command import run_import

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("LongCat")
    return run_import(path, data_dir or default_data_dir())


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
        from PySide6.QtCore import Qt
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
        # The log's path is the user's: a folder named like markup must show as it is.
        box.setTextFormat(Qt.TextFormat.PlainText)
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
                self._fatal(error)
            return 0
        except StoreError as error:
            self._fatal(error)
            return 1
        try:
            from longcat_desktop.store import Store

            try:
                store = Store.open(data_dir)
            except StoreError as error:
                self._fatal(error)
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

        from longcat_desktop.session import AppSession

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

        def quit_requested() -> None:
            session.window.close()
            _resolve(closed)

        # QApplication.quit() (Cmd+Q, logout, a session manager) would stop the loop at once,
        # in the middle of the shutdown below; it is taken as a request to close instead.
        quit_filter = _quit_requests(self.qt_app, quit_requested)
        try:
            await closed
        finally:
            try:
                await session.aclose()
            finally:
                # Only now: a second Cmd+Q during the shutdown must not cut it short either.
                self.qt_app.removeEventFilter(quit_filter)
        return self.exit_code

    def _fatal(self, error: StoreError) -> None:
        """A problem that stops the app before its window: said plainly, then the app ends.

        No event loop runs yet, so the box may run its own."""
        from longcat_desktop.services.user_text import store_error_text

        log.error("Cannot start: %s", error)
        message = store_error_text(error)
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        if os.environ.get("LONGCAT_NO_CRASH_DIALOG"):
            return
        _plain_box(message).exec()


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


def _quit_requests(app: QApplication, requested: Callable[[], None]) -> QObject:
    """Turn the application's Quit events into calls of `requested`; returns the filter."""
    from PySide6.QtCore import QEvent, QObject

    class _QuitFilter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is app and event.type() == QEvent.Type.Quit:
                # Ignored: the platform learns the app ends by itself, once its work is saved.
                event.ignore()
                requested()
                return True
            return False

    quit_filter = _QuitFilter(app)
    app.installEventFilter(quit_filter)
    return quit_filter


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _fatal_before_start(message: str) -> int:
    """A problem before the event loop runs: said on stderr and in a box, then exit."""
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    if not os.environ.get("LONGCAT_NO_CRASH_DIALOG"):
        _plain_box(message).exec()
    return 1


def _plain_box(message: str) -> QMessageBox:
    """A box that shows `message` (paths, a server's words) as text, never as markup."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def _loop_error(crash: CrashHook, context: dict[str, object]) -> None:
    error = context.get("exception")
    if isinstance(error, BaseException):
        crash.report(error)
    else:
        log.error("asyncio: %s", context.get("message"))
