"""How a run of the app begins and ends around its event loop (Application in app.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from longcat_desktop.app import Application, CrashHook, parse_args
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.session import AppSession
from longcat_desktop.store import Store
from tests.fakes.longcat_server import LongCatServer, Scenario
from tests.qt_async import run, until


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


def test_quit_from_the_application_ends_the_session_cleanly(
    tmp_path: Path,
    qloop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    qapp: QApplication,
    longcat_server: LongCatServer,
) -> None:
    """QApplication.quit() (Cmd+Q, logging out) runs the same shutdown as closing the window."""
    words = [f"word{i} " for i in range(40)]
    # Everything is sent, then the stream stays open: the answer is mid-way at the quit.
    longcat_server.push(Scenario(deltas=words, stall_after=len(words)))
    store = Store.open(tmp_path)
    errors: list[BaseException] = []
    session = AppSession(
        store,
        tmp_path,
        errors.append,
        base_url=longcat_server.url,
        environ={"LONGCAT_API_KEY": longcat_server.api_key},
    )
    application = Application(qapp, parse_args([]), tmp_path, tmp_path / "app.log")
    chat = session.services.chat

    async def body() -> tuple[int, MessageId]:
        running = asyncio.ensure_future(
            application._loop_until_closed(session, CrashHook(None)), loop=qloop
        )
        await until(lambda: session.services.credentials.loaded, what="the key lookup")
        conversation = session.services.conversations.create()
        assert conversation is not None
        message_id = chat.send(conversation.id, "Go")
        assert message_id is not None
        await until(
            lambda: (chat.shown_text(message_id) or ("",))[0] == "".join(words),
            what="the whole answer",
        )
        # Asked again in the middle of the shutdown, as an impatient user or a logout does.
        chat.streamingChanged.connect(lambda _c, streaming: streaming or QApplication.quit())
        QApplication.quit()
        return await running, message_id

    try:
        code, message_id = run(qloop, body(), timeout=20)
        assert code == 0
        assert errors == []
        assert not session.window.isVisible()
        assert session.tasks.running == 0
        assert not chat.is_streaming(store.messages.get(message_id).conversation_id)
        stored = store.messages.get(message_id)
        # Every word that arrived is on disk, and the answer is no longer streaming.
        assert stored.status is MessageStatus.INTERRUPTED
        assert stored.text == "".join(words)
        assert longcat_server.wait_for_disconnect(5)
    finally:
        qloop.set_exception_handler(None)
        session.window.deleteLater()
        store.close()
