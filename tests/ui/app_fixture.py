"""The whole app (AppSession: every service and the main window) against the local LongCat server.

`app_factory(...)` builds an AppSession on a data folder, the way app.py does; `restart()` closes
it like a person closing the window and builds a new one on the same folder. Every session is
shut down at the end of the test (streams ended, tasks awaited, clients and the store closed),
and an unexpected exception reported by any of them fails the test.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from longcat_desktop.services.app_services import AppServices
from longcat_desktop.session import AppSession
from longcat_desktop.store import Store
from longcat_desktop.store.secrets import SERVICE_NAME, USERNAME
from longcat_desktop.store.settings import MODEL_TITLES
from longcat_desktop.ui.main_window import MainWindow
from tests.fakes.longcat_server import LongCatServer
from tests.fakes.memory_keyring import MemoryKeyring
from tests.qt_async import run, until

T = TypeVar("T")


@dataclass
class RunningApp:
    """One AppSession with its store, as the user sees it."""

    data_dir: Path
    server: LongCatServer
    loop: asyncio.AbstractEventLoop
    qtbot: QtBot
    store: Store
    session: AppSession
    errors: list[BaseException]
    api_format: str | None = None
    environ: dict[str, str] = field(default_factory=dict)
    closed: bool = False

    @property
    def window(self) -> MainWindow:
        return self.session.window

    @property
    def services(self) -> AppServices:
        return self.session.services

    # -- driving ------------------------------------------------------------------------------

    def run(self, body: Awaitable[T], timeout: float = 20) -> T:
        return run(self.loop, body, timeout)

    def wait(self, condition: Callable[[], object], what: str = "", timeout: float = 10) -> None:
        self.run(until(condition, timeout=timeout, what=what), timeout + 5)

    def ready(self) -> None:
        """Wait until the key was looked up and the last conversation is open."""
        self.wait(lambda: self.window.key_flow.checked, "the key lookup")
        self.wait(lambda: self.window.conversation_id is not None, "a conversation to open")

    def type_and_send(self, text: str) -> None:
        edit = self.window.composer.edit
        edit.setFocus()
        QTest.keyClicks(edit, text)
        QTest.keyClick(edit, Qt.Key.Key_Return)

    def key(
        self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key press where the window's shortcuts see it (the focused widget, or the window)."""
        target = QApplication.focusWidget() or self.window
        QTest.keyClick(target, key, modifiers)

    # -- ending -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the window like the user does, then shut the session down as app.py does."""
        if self.closed:
            return
        self.closed = True
        self.window.close()
        self.run(self.session.aclose())
        self.store.close()
        self.window.deleteLater()
        QApplication.processEvents()


class AppFactory:
    def __init__(
        self,
        tmp_path: Path,
        server: LongCatServer,
        loop: asyncio.AbstractEventLoop,
        qtbot: QtBot,
        keyring_backend: MemoryKeyring,
    ) -> None:
        self.tmp_path = tmp_path
        self.server = server
        self.loop = loop
        self.qtbot = qtbot
        self.keyring = keyring_backend
        self.apps: list[RunningApp] = []

    def store_key(self, key: str | None = None) -> None:
        self.keyring.passwords[(SERVICE_NAME, USERNAME)] = key or self.server.api_key

    def __call__(
        self,
        *,
        with_key: bool = True,
        api_format: str | None = None,
        data_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
        base_url: str | None = None,
        wait: bool = True,
        model_titles: bool = False,
    ) -> RunningApp:
        """model_titles: off unless a test is about them, so that scripted servers see only
        the requests the test expects (a title request follows every first answer)."""
        if with_key:
            self.store_key()
        data_dir = data_dir or self.tmp_path / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        store = Store.open(data_dir)
        errors: list[BaseException] = []
        asyncio.set_event_loop(self.loop)
        session = AppSession(
            store,
            data_dir,
            errors.append,
            base_url=base_url or self.server.url,
            api_format=api_format,
            environ=dict(environ or {}),
        )
        session.services.settings.override(MODEL_TITLES, model_titles)
        app = RunningApp(
            data_dir,
            self.server,
            self.loop,
            self.qtbot,
            store,
            session,
            errors,
            api_format=api_format,
            environ=dict(environ or {}),
        )
        self.apps.append(app)
        session.start()
        if wait:
            app.ready()
        return app

    def restart(self, app: RunningApp, **overrides: object) -> RunningApp:
        app.close()
        options: dict[str, object] = {
            "with_key": False,
            "api_format": app.api_format,
            "data_dir": app.data_dir,
            "environ": app.environ,
        }
        options.update(overrides)
        return self(**options)  # type: ignore[arg-type]

    def close_all(self) -> None:
        for app in self.apps:
            app.close()
        errors = [error for app in self.apps for error in app.errors]
        for error in errors:
            traceback.print_exception(error)
        assert not errors, errors


@pytest.fixture
def app_factory(
    tmp_path: Path,
    longcat_server: LongCatServer,
    qloop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    memory_keyring: MemoryKeyring,
) -> Iterator[AppFactory]:
    factory = AppFactory(tmp_path, longcat_server, qloop, qtbot, memory_keyring)
    try:
        yield factory
    finally:
        factory.close_all()


@pytest.fixture
def running_app(app_factory: AppFactory) -> RunningApp:
    return app_factory()
