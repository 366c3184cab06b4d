"""Sync through a local WebDAV server (wsgidav, in a child process): the first sync of a large
history up and down, a sync with nothing to do, one new message, and the UI thread's timer lag
while a full sync runs in the worker thread, as the app runs it.

python -m benchmarks.bench_sync [--quick] [--repeat N] [--json PATH]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import (
    ROOT,
    Figure,
    TimerLag,
    bench_arguments,
    build_database,
    cached_data_dir,
    percentile,
    qt_app,
    report,
)

PASSPHRASE = "benchmark passphrase, not a secret"


class DavProcess:
    """tests/fakes/webdav_server.py in a child process, so it never takes this one's GIL."""

    def __init__(self, root: Path) -> None:
        code = (
            "import sys, time\n"
            "from pathlib import Path\n"
            "from tests.fakes.webdav_server import WebDavServer\n"
            "with WebDavServer(Path(sys.argv[1])) as server:\n"
            "    print(server.url, flush=True)\n"
            "    sys.stdin.read()\n"
        )
        self._process = subprocess.Popen(
            [sys.executable, "-c", code, str(root)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=10)


def _config(url: str) -> object:
    from longcat_desktop.sync.command import SyncConfig
    from tests.fakes.webdav_server import PASSWORD, USER

    return SyncConfig(url=url, user=USER, password=PASSWORD, passphrase=PASSPHRASE)


def _sync(data_dir: Path, url: str, keys: object) -> tuple[float, object]:
    from longcat_desktop.sync.command import sync_once

    started = time.perf_counter()
    result = sync_once(data_dir, _config(url), keys=keys)  # type: ignore[arg-type]
    return time.perf_counter() - started, result


def _add_message(data_dir: Path) -> None:
    from longcat_desktop.store import Store

    with Store.open(data_dir) as store:
        conversation = store.conversations.list(limit=1)[0]
        leaf = store.messages.current_leaf(conversation.id)
        store.messages.add_user_message(conversation.id, leaf, "One more question")


def _lag_during(data_dir: Path, url: str, keys: object) -> tuple[list[float], float]:
    """The full download in a worker thread while a 5 ms timer ticks in this (UI) thread."""
    from PySide6.QtCore import QEventLoop, QTimer

    app = qt_app()
    lag = TimerLag()
    loop = QEventLoop()
    took: list[float] = []

    def work() -> None:
        took.append(_sync(data_dir, url, keys)[0])

    worker = threading.Thread(target=work)
    poll = QTimer(interval=20)
    poll.timeout.connect(lambda: None if worker.is_alive() else loop.quit())
    lag.start()
    worker.start()
    poll.start()
    loop.exec()
    lag.stop()
    poll.stop()
    worker.join()
    app.processEvents()
    return lag.lags, took[0]


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    """Budgets apply to the full sizes only: a quick run on a busy machine just reports."""
    from longcat_desktop.sync.engine import KeyCache

    conversations, messages = (20, 400) if quick else (1_000, 20_000)
    repeat = repeat or (1 if quick else 3)
    first_up: list[float] = []
    first_down: list[float] = []
    noop: list[float] = []
    noop_requests: list[float] = []
    one_up: list[float] = []
    one_down: list[float] = []
    lag_p99: list[float] = []
    lag_worst: list[float] = []
    lagged_sync: list[float] = []
    size = f"{conversations}x{messages}"
    for _ in range(repeat):
        with (
            tempfile.TemporaryDirectory(prefix="longcat-bench-dav-") as root,
            cached_data_dir(f"sync-{size}", build_database(conversations, messages)) as laptop,
        ):
            server = DavProcess(Path(root) / "server")
            try:
                desktop = Path(root) / "desktop"
                third = Path(root) / "third"
                laptop_keys, desktop_keys = KeyCache(), KeyCache()
                seconds, _ = _sync(laptop, server.url, laptop_keys)
                first_up.append(seconds)
                seconds, _ = _sync(desktop, server.url, desktop_keys)
                first_down.append(seconds)
                for _ in range(5):
                    seconds, result = _sync(laptop, server.url, laptop_keys)
                    noop.append(seconds)
                    noop_requests.append(float(result.requests))  # type: ignore[attr-defined]
                _add_message(laptop)
                one_up.append(_sync(laptop, server.url, laptop_keys)[0])
                one_down.append(_sync(desktop, server.url, desktop_keys)[0])
                lags, took = _lag_during(third, server.url, KeyCache())
                lag_p99.append(percentile(lags, 0.99) * 1000)
                lag_worst.append(max(lags, default=0.0) * 1000)
                lagged_sync.append(took)
            finally:
                server.close()
    return [
        Figure(
            "sync.first_upload_s",
            f"first sync, {conversations:,} conversations / {messages:,} messages: upload",
            "s",
            first_up,
            budget=None if quick else 30.0,
        ),
        Figure("sync.first_download_s", "  the same, into an empty second folder", "s", first_down),
        Figure(
            "sync.noop_ms",
            "sync with nothing to do",
            "ms",
            [s * 1000 for s in noop],
            None if quick else 300.0,
        ),
        Figure("sync.noop_requests", "  its HTTP requests", "requests", noop_requests),
        Figure(
            "sync.one_message_up_ms",
            "one new message: upload",
            "ms",
            [s * 1000 for s in one_up],
            None if quick else 1000.0,
        ),
        Figure(
            "sync.one_message_down_ms",
            "one new message: download on the other device",
            "ms",
            [s * 1000 for s in one_down],
            None if quick else 1000.0,
        ),
        Figure(
            "sync.timer_lag_p99_ms",
            "5 ms UI timer lag during a full download in the worker thread: p99",
            "ms",
            lag_p99,
            None if quick else 16.0,
        ),
        Figure("sync.timer_lag_worst_ms", "  worst", "ms", lag_worst),
        Figure("sync.lagged_download_s", "  that download", "s", lagged_sync),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    report("sync", run(args.quick, args.repeat), args.json)


if __name__ == "__main__":
    main()
