"""An answer the full disk refused at quit is back, and said so, at the next start."""

from __future__ import annotations

import pytest

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.services import chat_service
from tests.fakes.longcat_server import Scenario
from tests.ui.app_fixture import AppFactory

# Chunks big enough that the database must grow to take them.
BIG = ["The start. ", *[f"Paragraph {i}: " + "word " * 4_000 + "\n\n" for i in range(10)]]


def test_an_answer_the_disk_refused_at_quit_is_back_after_a_restart(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_service, "SHUTDOWN_RETRY_FOR", 0.3)
    app = app_factory()
    chat = app.services.chat
    app.server.push(Scenario(deltas=BIG, delay=0.05, stall_after=len(BIG)))
    answers: list[MessageId] = []
    chat.answerDelta.connect(lambda _c, m, _t, _r: answers.append(m))
    app.type_and_send("Write at length")
    app.wait(lambda: answers, "the first words")
    # A real SQLITE_FULL from now on: the database may not grow by a single page.
    app.store.db.execute(f"PRAGMA max_page_count = {app.store.db.scalar('PRAGMA page_count')}")
    message_id = answers[0]
    app.wait(lambda: (chat.shown_text(message_id) or ("",))[0] == "".join(BIG), "every chunk")
    assert app.store.messages.get(message_id).text != "".join(BIG)

    again = app_factory.restart(app)
    notices = again.window.notices.notices()
    assert any("back in their conversations" in notice for notice in notices), notices
    # Told once: not also counted among the answers merely interrupted.
    assert not any("still arriving" in notice for notice in notices), notices
    stored = again.store.messages.get(message_id)
    assert stored.text == "".join(BIG)
    assert stored.status is MessageStatus.INTERRUPTED
    assert again.store.recovery.files() == []
