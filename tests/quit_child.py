"""Run as a child process by tests/test_app_quit.py: the whole app, ended by QApplication.quit().

Starts the fake server and the app (app.main, as a user starts it) on the given data folder,
sends a question once the window is ready, and calls QApplication.quit() once the whole answer
has arrived while its stream is still open. Prints "ANSWER <message id> <characters>" before
the quit and "EXIT <code>" once main() has returned.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from longcat_desktop import app as app_module
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.ui.main_window import MainWindow
from tests.fakes.longcat_server import LongCatServer, Scenario

WORDS = [f"word{i} " for i in range(40)]


class Driver:
    """Acts once the window is ready, then once the answer is in; polled by a timer."""

    def __init__(self) -> None:
        self.answer: MessageId | None = None
        self.quit_sent = False

    def step(self) -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or self.quit_sent:
            return
        window = windows[0]
        chat = window.services.chat
        if self.answer is None:
            if window.key_flow.checked and window.conversation_id is not None:
                self.answer = chat.send(window.conversation_id, "Go")
            return
        shown = chat.shown_text(self.answer)
        if shown is not None and shown[0] == "".join(WORDS):
            print(f"ANSWER {self.answer} {len(shown[0])}", flush=True)
            self.quit_sent = True
            QApplication.quit()


def main(data_dir: str) -> int:
    qt_app = QApplication([sys.argv[0]])
    with LongCatServer() as server:
        # Every word is sent, then the stream stays open: the answer is mid-way at the quit.
        server.push(Scenario(deltas=WORDS, stall_after=len(WORDS)))
        os.environ["LONGCAT_API_KEY"] = server.api_key
        driver = Driver()
        timer = QTimer(qt_app, interval=20)
        timer.timeout.connect(driver.step)
        timer.start()
        code = app_module.main(["--data-dir", data_dir, "--base-url", server.url])
        timer.stop()
    print(f"EXIT {code}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
