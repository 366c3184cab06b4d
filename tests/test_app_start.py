"""How a run of the app begins and ends around its event loop (Application in app.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from longcat_desktop.app import Application, CrashHook, parse_args
from longcat_desktop.session import AppSession
from longcat_desktop.store import Store
from tests.qt_async import run


def test_a_window_closed_before_the_loop_ran_still_ends_the_app(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop, qtbot: QtBot, qapp: QApplication
) -> None:
    store = Store.open(tmp_path)
    errors: list[BaseException] = []
    session = AppSession(store, tmp_path, errors.append, environ={})
    application = Application(qapp, parse_args([]), tmp_path, tmp_path / "app.log")
    try:
        code = run(
            qloop,
            application._loop_until_closed(session, CrashHook(None), already_closed=True),
            timeout=20,
        )
        assert code == 0
        # Never started: no key lookup, no task left behind.
        assert not session.services.credentials.loaded
        assert session.tasks.running == 0
        assert errors == []
    finally:
        qloop.set_exception_handler(None)
        session.window.deleteLater()
        store.close()
