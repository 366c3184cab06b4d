"""What the conversation store costs, against the targets of issue 3.

    python -m benchmarks.bench_store [--messages 100000] [--conversations 10000]

Builds a database in a temporary folder: one long conversation of 1,000 messages and the rest
spread over the other conversations, with generated English and Chinese text. Then prints
inserting, opening the last 200 messages, listing every conversation, ranked search, a
streaming flush (appending with `text || ?` against rewriting the whole text) and opening the
store, each as the median and the 95th percentile of repeated runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store import Store

SETTINGS = ConversationSettings(model="LongCat-2.0-Preview", api_format=ApiFormat.OPENAI)
LONG_THREAD = 1_000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ENGLISH = _words(
    "the a of to and in is that for it with as was on be by this are from at or an have not "
    "database transaction index query cache memory thread network latency request response "
    "server client stream token model answer question error retry timeout buffer queue lock "
    "python rust sqlite window layout render font colour theme search result snippet rank "
    "lighthouse harbour recipe garden violin mountain river journey planet museum"
)
_CHINESE = _words(
    "数据库 事务 索引 查询 缓存 内存 线程 网络 延迟 请求 响应 服务器 模型 回答 问题 错误 "
    "重试 超时 搜索 结果 排序 窗口 布局 字体 主题 灯塔 港口 食谱 花园 山脉 河流 旅行"
)


def _text(rnd: random.Random, words: int) -> str:
    if rnd.random() < 0.2:
        return "，".join(rnd.choices(_CHINESE, k=words // 2)) + "。"
    # Zipf-like: common words often, topic words rarely, as in real text.
    weights = [1.0 / (rank + 1) for rank in range(len(_ENGLISH))]
    return " ".join(rnd.choices(_ENGLISH, weights=weights, k=words)).capitalize() + "."


def _measure(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def _populate(
    store: Store, messages: int, conversations: int, rnd: random.Random
) -> ConversationId:
    """Returns the id of the long conversation. Rows go in as an import would: in bulk."""
    now = time.time()
    with store.transaction():
        store.db.executemany(
            "INSERT INTO conversations (uuid, title, created_at, updated_at, model, api_format)"
            " VALUES (?, ?, ?, ?, 'LongCat-2.0-Preview', 'openai')",
            [
                (str(uuid.uuid4()), _text(rnd, 6)[:60], now - i * 60, now - i * 60)
                for i in range(conversations)
            ],
        )
        ids = [row[0] for row in store.db.query("SELECT id FROM conversations ORDER BY id")]
        next_id = 1
        rows = []
        parents: dict[int, int | None] = {}
        for index in range(messages):
            if index < LONG_THREAD:
                conversation = ids[0]
            else:
                conversation = ids[1 + (index - LONG_THREAD) % (len(ids) - 1)]
            parent = parents.get(conversation)
            role = "user" if index % 2 == 0 else "assistant"
            text = _text(rnd, rnd.randint(10, 120))
            rows.append(
                (next_id, str(uuid.uuid4()), conversation, parent, role, text, "complete", now)
            )
            parents[conversation] = next_id
            next_id += 1
        store.db.executemany(
            "INSERT INTO messages (id, uuid, conversation_id, parent_id, role, text, status,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        store.db.executemany(
            "UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
            [(leaf, conversation) for conversation, leaf in parents.items()],
        )
    return ConversationId(ids[0])


def _bench_flushes(
    store: Store,
    conversation_id: ConversationId,
    parent_id: MessageId | None,
    label: str,
    length: int,
    row: Callable[[str, tuple[float, float]], None],
) -> None:
    chunk = "a chunk of streamed text, about 50 characters. "
    answer = store.messages.start_assistant_message(
        conversation_id, parent_id or MessageId(0), model="m", api_format=None
    )
    writer = store.writer(answer.id)
    if length:
        writer.append_text("x" * length)
        writer.flush()

    def flush() -> None:
        writer.append_text(chunk)
        writer.flush()

    row(f"streaming flush into {label}: text || ?", _measure(flush, 300))
    full = [store.messages.get(answer.id).text]

    def replace() -> None:
        full[0] += chunk
        with store.transaction():
            store.db.execute("UPDATE messages SET text = ? WHERE id = ?", (full[0], answer.id))

    row(f"streaming flush into {label}: whole text replaced", _measure(replace, 300))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--conversations", type=int, default=10_000)
    arguments = parser.parse_args()
    rnd = random.Random(3)
    results: list[tuple[str, str, str]] = []

    def row(name: str, figures: tuple[float, float] | float, target: str = "") -> None:
        if isinstance(figures, tuple):
            text = f"{figures[0]:8.2f} ms  (p95 {figures[1]:.2f})"
        else:
            text = f"{figures:8.2f} ms"
        results.append((name, text, target))
        print(f"  {name:<58} {text:<28} {target}", flush=True)

    with tempfile.TemporaryDirectory(prefix="longcat-bench-") as folder:
        data_dir = Path(folder)
        print(
            f"Store benchmark: {arguments.messages:,} messages, "
            f"{arguments.conversations:,} conversations\n"
        )
        store = Store.open(data_dir)
        start = time.perf_counter()
        long_id = _populate(store, arguments.messages, arguments.conversations, rnd)
        row(
            f"insert {arguments.messages:,} messages, one transaction (with FTS)",
            (time.perf_counter() - start) * 1000,
        )
        size = sum(p.stat().st_size for p in data_dir.iterdir()) / 1e6
        print(f"  {'(database and log on disk: ' + f'{size:.0f} MB)':<58}")

        conversation = store.conversations.create(SETTINGS)
        parent: list[MessageId | None] = [None]

        def send() -> None:
            parent[0] = store.messages.add_user_message(conversation.id, parent[0], "hello").id

        row("add one message (its own durable transaction)", _measure(send, 200))

        row(
            "open a conversation: its last 200 messages",
            _measure(lambda: store.messages.visible_thread(long_id, limit=200), 200),
            "target < 5 ms",
        )
        oldest = store.messages.visible_thread(long_id, limit=200)[0].id
        row(
            "page back: the 200 messages before those",
            _measure(lambda: store.messages.messages_before(long_id, oldest, 200), 200),
        )
        listed = len(store.conversations.list())
        row(
            f"list all {listed:,} conversations (pinned first, recent first)",
            _measure(store.conversations.list, 50),
            "target < 20 ms",
        )
        row(
            "list the first 200 (a page, for a model that fetches more)",
            _measure(lambda: store.conversations.list(limit=200), 50),
        )
        for query in ("lighthouse", "database", "network latency", "数据库", "灯塔"):
            count = len(store.search(query))
            row(
                f"search {query!r} (top 50 ranked + titles; {count} hits)",
                _measure(lambda q=query: store.search(q), 30),  # type: ignore[misc]
                "target < 20 ms",
            )
        row(
            "search 2 characters '数据' (recent-message scan)",
            _measure(lambda: store.search("数据"), 30),
        )
        row("search 1 character 'q' (recent-message scan)", _measure(lambda: store.search("q"), 30))

        for label, length in (("a new answer", 0), ("a 100 KB answer", 100_000)):
            _bench_flushes(store, conversation.id, parent[0], label, length, row)
        store.close()

        def reopen() -> None:
            Store.open(data_dir).close()

        row("open the store (start-up; no migration)", _measure(reopen, 10))


if __name__ == "__main__":
    main()
