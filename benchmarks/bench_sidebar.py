"""Sidebar and search: 10,000 conversations listed; search as you type over 100,000 messages.

    python -m benchmarks.bench_sidebar [--quick] [--repeat N] [--json PATH]

The data folder (10,000 conversations, 100,000 messages of generated English and Chinese-free
text, built once through the store API and cached in benchmarks/results/data/; about 30 s the
first time) is opened by the real app, offscreen.

* Listing: the sidebar is emptied, then the main window's `refresh_list()` (store query, rows,
  model reset) runs and the window paints: wall-clock time to the painted list. The store's
  own query is reported beside it.
* Listing with folders: the same conversations filed into 100 folders (evenly, most recent
  spread over all of them), every folder open, then every folder closed; the same measurement.
* Search as you type: the words are typed into the search field one key at a time (QTest key
  clicks); for each keystroke, the time until the results list is updated and painted. That
  includes the sidebar's debounce (SEARCH_DEBOUNCE_MS, now 0: the search runs on the next turn
  of the event loop, coalescing keys that arrived meanwhile); the search itself (the debounced
  signal to painted results) is reported beside it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence

from benchmarks.common import (
    AppHarness,
    Figure,
    PaintWatch,
    ServerProcess,
    bench_arguments,
    build_database,
    cached_data_dir,
    report,
    until,
    with_app,
)

FULL = (10_000, 100_000)
QUICK = (300, 3_000)
QUERIES = ("lighthouse", "network latency", "retry timeout")
FOLDERS = 100


def ms(seconds: list[float]) -> list[float]:
    return [s * 1000 for s in seconds]


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    conversations, messages = QUICK if quick else FULL
    repeat = repeat or (1 if quick else 5)
    name = f"sidebar-{conversations}c-{messages}m"
    results: dict[str, list[float]] = {
        "list": [],
        "store_list": [],
        "list_folders_open": [],
        "list_folders_closed": [],
        "store_list_folders": [],
        "keystroke": [],
        "search": [],
        "first_key": [],
    }
    with (
        cached_data_dir(name, build_database(conversations, messages, realistic=False)) as data,
        ServerProcess() as server,
    ):

        async def body(h: AppHarness) -> tuple[int, int]:
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest

            window, sidebar = h.window, h.window.sidebar
            watch = PaintWatch(window)

            async def painted_list() -> float:
                sidebar.set_rows([])
                await asyncio.sleep(0.05)
                watch.arm()
                started = time.perf_counter()
                window.refresh_list()
                await until(lambda: watch.painted, step=0)
                return watch.painted_at - started

            try:
                for _ in range(repeat):
                    started = time.perf_counter()
                    h.store.conversations.list()
                    results["store_list"].append(time.perf_counter() - started)
                    results["list"].append(await painted_list())

                folders = [h.store.folders.create(f"Folder {n:03}") for n in range(FOLDERS)]
                ids = [summary.id for summary in h.store.conversations.list()]
                with h.store.transaction():
                    for position, conversation_id in enumerate(ids):
                        h.store.folders.move([conversation_id], folders[position % FOLDERS])
                for collapsed, key in ((False, "list_folders_open"), (True, "list_folders_closed")):
                    with h.store.transaction():
                        for folder in folders:
                            h.store.folders.set_collapsed(folder, collapsed)
                    for _ in range(repeat):
                        started = time.perf_counter()
                        h.window.services.conversations.folders.page(201)
                        results["store_list_folders"].append(time.perf_counter() - started)
                        results[key].append(await painted_list())
                with h.store.transaction():
                    for folder in folders:
                        h.store.folders.delete(folder)
                window.refresh_list()

                hits_changed: list[float] = []
                searched: list[float] = []
                sidebar.results_model.modelReset.connect(
                    lambda: hits_changed.append(time.perf_counter())
                )
                sidebar.searchChanged.connect(lambda _q: searched.append(time.perf_counter()))
                field = sidebar.search_field
                for _ in range(repeat):
                    for query in QUERIES:
                        field.clear()
                        await asyncio.sleep(0.1)
                        for index, char in enumerate(query):
                            hits_changed.clear()
                            searched.clear()
                            started = time.perf_counter()
                            QTest.keyClicks(field, char)
                            await until(lambda: bool(hits_changed), step=0)
                            watch.arm()
                            await until(lambda: watch.painted, step=0)
                            results["keystroke"].append(watch.painted_at - started)
                            if searched:
                                results["search"].append(watch.painted_at - searched[0])
                            if index == 0:
                                results["first_key"].append(watch.painted_at - started)
                    field.clear()
                    QTest.keyClick(field, Qt.Key.Key_Escape)
            finally:
                watch.remove()
            return h.store.conversations.count(), sidebar.list_model.rowCount()

        total, listed = with_app(data, server, body)
    return [
        Figure(
            "sidebar.list_ms",
            f"list {total:,} conversations to a painted sidebar",
            "ms",
            ms(results["list"]),
            budget=100,
            note=f"the list model holds the first {listed:,} rows; more load as it scrolls down"
            if listed < total
            else "",
        ),
        Figure(
            "sidebar.store_list_ms", "  the store's query alone", "ms", ms(results["store_list"])
        ),
        Figure(
            "sidebar.list_folders_open_ms",
            f"  the same in {FOLDERS} folders, all open",
            "ms",
            ms(results["list_folders_open"]),
            budget=100,
        ),
        Figure(
            "sidebar.list_folders_closed_ms",
            f"  the same in {FOLDERS} folders, all closed",
            "ms",
            ms(results["list_folders_closed"]),
            budget=100,
        ),
        Figure(
            "sidebar.store_list_folders_ms",
            "  the folder service's first page alone",
            "ms",
            ms(results["store_list_folders"]),
        ),
        Figure(
            "search.keystroke_ms",
            f"search as you type over {messages:,} messages: keystroke to painted results",
            "ms",
            ms(results["keystroke"]),
            budget=50,
            note=f"median over every keystroke of {', '.join(map(repr, QUERIES))}; "
            f"p95 {statistics.quantiles(ms(results['keystroke']), n=20)[-1]:.1f} ms"
            if len(results["keystroke"]) > 1
            else "",
        ),
        Figure(
            "search.search_ms",
            "  of which the search itself (debounced query to painted results)",
            "ms",
            ms(results["search"]),
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Sidebar and search", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
