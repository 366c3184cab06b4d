"""Run as a child process by the crash test: streams an answer into the store until killed.

Prints "READY <message id>", then after every append "APPEND <monotonic time> <characters
appended so far>", where the time is taken just before the append.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from longcat_desktop.store import Store
from tests.store.helpers import SETTINGS

CHUNK = "token{:05d} "


def main(data_dir: Path) -> None:
    store = Store.open(data_dir)
    conversation = store.conversations.create(SETTINGS)
    question = store.messages.add_user_message(conversation.id, None, "Write at length.")
    answer = store.messages.start_assistant_message(
        conversation.id, question.id, model="LongCat-2.0-Preview", api_format=None
    )
    writer = store.writer(answer.id)
    print(f"READY {answer.id}", flush=True)
    appended = 0
    next_tick = time.monotonic() + 0.25
    for index in range(100_000):
        chunk = CHUNK.format(index)
        now = time.monotonic()
        writer.append_text(chunk)
        appended += len(chunk)
        # The app's 250 ms timer.
        if now >= next_tick:
            writer.flush()
            next_tick = now + 0.25
        print(f"APPEND {now:.6f} {appended}", flush=True)
        time.sleep(0.01)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
