"""A process killed right after Send keeps the message and every attachment it refers to."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store
from tests.fakes.longcat_server import LongCatServer, Scenario
from tests.store.helpers import child_environment


def test_attachments_survive_a_kill_right_after_send(
    tmp_path: Path, longcat_server: LongCatServer
) -> None:
    # The answer never comes: the child is killed while waiting for it.
    longcat_server.push(Scenario(text="late", headers_delay=60))
    data_dir = tmp_path / "data"
    environment = child_environment()
    environment["QT_QPA_PLATFORM"] = "offscreen"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.services.send_child", str(data_dir), longcat_server.url],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    assert child.stdout is not None
    try:
        line = child.stdout.readline().split()
        assert line[:1] == ["SENT"], line
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    conversation_id, sha256 = ConversationId(int(line[1])), line[2]
    with Store.open(data_dir) as store:
        question, answer = store.messages.visible_thread(conversation_id)
        assert question.text == "What is in this photo?"
        attached = store.attachments.of_message(question.id)
        assert [a.sha256 for a in attached] == [sha256]
        assert hashlib.sha256(store.attachments.data(sha256)).hexdigest() == sha256
        assert store.attachments.draft(conversation_id) == []
        assert answer.status is MessageStatus.INTERRUPTED
