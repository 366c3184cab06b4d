"""Import of a large ChatGPT export: reading on a worker thread, writing on the store's thread.

    python -m benchmarks.bench_import [--conversations 1000] [--megabytes 50]

Writes a synthetic conversations.json of that size (branches, code and its output, Chinese
text), then imports it through the service's own two halves and prints: the file's size, the
time to read, parse and convert it (worker thread), the time to write it (one transaction per
conversation), the longest single conversation write (how long the UI thread is held at most
between two looks at the event loop), and the total. Budget: the total under 30 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.store import Store
from longcat_desktop.store.importers import read_import

SETTINGS = ConversationSettings("LongCat-2.0", ApiFormat.OPENAI)
_PARAGRAPH = (
    "A write-ahead log records each change before the data file sees it, so a crash loses "
    "nothing that was committed. 预写日志先记录每个修改，再写入数据文件。 "
)


def _node(node_id: str, parent: str | None, role: str, text: str, when: float) -> dict[str, Any]:
    return {
        "id": node_id,
        "parent": parent,
        "children": [],
        "message": {
            "id": node_id,
            "author": {"role": role, "name": None, "metadata": {}},
            "create_time": when,
            "content": {"content_type": "text", "parts": [text]},
            "status": "finished_successfully",
            "recipient": "all",
            "metadata": {"model_slug": "gpt-4o"} if role == "assistant" else {},
        },
    }


def chatgpt_conversation(index: int, turns: int, words: int) -> dict[str, Any]:
    """A conversation of `turns` questions and answers, with one edited question."""
    start = 1_700_000_000.0 + index * 1000
    mapping: dict[str, Any] = {
        "root": {"id": "root", "message": None, "parent": None, "children": []}
    }
    parent = "root"
    body = (_PARAGRAPH * (words // 20 + 1))[: words * 6]
    for turn in range(turns):
        question, answer = f"q{index}-{turn}", f"a{index}-{turn}"
        mapping[question] = _node(question, parent, "user", f"Question {turn}: {body[:200]}", start)
        mapping[answer] = _node(answer, question, "assistant", body, start + 1)
        mapping[parent]["children"].append(question)
        mapping[question]["children"].append(answer)
        if turn == 1:
            edited = f"e{index}"
            mapping[edited] = _node(edited, mapping[question]["parent"], "user", "Edited", start)
            mapping[mapping[question]["parent"]]["children"].append(edited)
        parent = answer
        start += 10
    return {
        "title": f"Conversation {index} 会话",
        "create_time": 1_700_000_000.0 + index * 1000,
        "update_time": start,
        "conversation_id": f"bench-{index}",
        "current_node": parent,
        "mapping": mapping,
    }


def write_export(path: Path, conversations: int, megabytes: float, turns: int = 10) -> int:
    # Size per conversation ≈ turns × (answer + question + JSON around them).
    per_conversation = megabytes * 1_000_000 / conversations
    words = max(10, int((per_conversation / turns - 1200) / 7.5))
    document = [chatgpt_conversation(i, turns, words) for i in range(conversations)]
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--megabytes", type=float, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="longcat-import-") as folder:
        path = Path(folder) / "conversations.json"
        size = write_export(path, args.conversations, args.megabytes)
        with Store.open(Path(folder) / "data") as store:
            started = time.perf_counter()
            plan = read_import(path, SETTINGS)
            read = time.perf_counter() - started
            longest = 0.0
            step_started = time.perf_counter()
            added = 0
            for tally in store.import_steps(plan):
                added = len(tally.added)
                now = time.perf_counter()
                longest = max(longest, now - step_started)
                step_started = now
            total = time.perf_counter() - started
            messages = store.db.scalar("SELECT count(*) FROM messages")
    print(f"file                      {size / 1e6:8.1f} MB, {args.conversations} conversations")
    print(f"imported                  {added:8d} conversations, {messages} messages")
    print(f"read+parse+convert (thread){read:7.2f} s")
    print(f"write (store thread)      {total - read:8.2f} s")
    print(f"longest conversation write{longest * 1000:8.1f} ms")
    print(f"total                     {total:8.2f} s   (budget 30 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
