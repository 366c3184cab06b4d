"""The whole app, in its own process, quit by QApplication.quit() (Cmd+Q, logging out)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.store import Store
from tests.processes import REPO_ROOT, app_environment
from tests.quit_child import WORDS


def test_quit_mid_answer_shuts_down_cleanly_and_keeps_every_word(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "tests.quit_child", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        env=app_environment(),
        cwd=REPO_ROOT,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    lines = result.stdout.splitlines()
    assert lines[-1] == "EXIT 0", output
    [answer] = [line for line in lines if line.startswith("ANSWER ")]
    message_id = MessageId(int(answer.split()[1]))
    log = (data_dir / "logs" / "longcat-desktop.log").read_text(encoding="utf-8")
    assert " ERROR " not in log, log
    with Store.open(data_dir) as store:
        # Nothing was left streaming for the next start to repair.
        assert store.report.interrupted_message_ids == ()
        stored = store.messages.get(message_id)
        assert stored.status is MessageStatus.INTERRUPTED
        assert stored.text == "".join(WORDS)
