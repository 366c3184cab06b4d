"""Opening conversations: a 2,000-message conversation to first paint; switching between two.

    python -m benchmarks.bench_open [--quick] [--repeat N] [--json PATH]

The data folder holds two long conversations of 2,000 realistic messages each (user questions,
Markdown answers with lists, tables and code) and a few short ones, generated once through the
store API and cached in benchmarks/results/data/. In the real app (offscreen, qasync), each
measurement starts with a short conversation open, calls the main window's
`open_conversation` (what a click in the sidebar does) and ends when a frame of the window has
been painted after it: wall-clock time, and the CPU time of the UI thread for the same span.
Switching goes from one long conversation straight to the other.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

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
from longcat_desktop.domain.ids import ConversationId

FULL = 2_000
QUICK = 100


async def open_and_paint(h: AppHarness, conversation_id: ConversationId) -> tuple[float, float]:
    """Wall and CPU seconds from the click to the painted window."""
    watch = PaintWatch(h.window)
    try:
        await asyncio.sleep(0.05)  # nothing pending from before
        watch.arm()
        started, cpu = time.perf_counter(), time.thread_time()
        h.window.open_conversation(conversation_id)
        await until(lambda: watch.painted, timeout=30, step=0)
        return watch.painted_at - started, time.thread_time() - cpu
    finally:
        watch.remove()


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    length = QUICK if quick else FULL
    repeat = repeat or (1 if quick else 7)
    name = f"open-2x{length}m"

    def build(folder: Path) -> None:
        from longcat_desktop.store import Store

        build_database(2, length, long_thread=length)(folder)  # conversation 1: long
        store = Store.open(folder)
        try:
            from benchmarks.common import fill_store

            fill_store(store, 1, length, seed=9)  # conversation 3: the other long one
            fill_store(store, 3, 12, seed=10)  # short ones, most recent
        finally:
            store.close()

    results: dict[str, list[float]] = {"open": [], "open_cpu": [], "switch": [], "switch_cpu": []}
    with (
        cached_data_dir(name, build) as data_dir,
        ServerProcess() as server,
        tempfile.TemporaryDirectory(),
    ):

        async def body(h: AppHarness) -> int:
            summaries = h.session.services.conversations.summaries()
            counts = {s.id: len(h.store.messages.visible_thread(s.id)) for s in summaries}
            long_ids = sorted((cid for cid, n in counts.items() if n >= length), key=int)
            short_id = next(cid for cid, n in counts.items() if 0 < n < 50)
            first, second = long_ids[0], long_ids[1]
            for _ in range(repeat):
                await open_and_paint(h, short_id)
                wall, cpu = await open_and_paint(h, first)
                results["open"].append(wall)
                results["open_cpu"].append(cpu)
                wall, cpu = await open_and_paint(h, second)
                results["switch"].append(wall)
                results["switch_cpu"].append(cpu)
            return len(h.window.chat_view.message_ids())

        shown = with_app(data_dir, server, body)
    note = f"the view shows the newest {shown} messages; older ones load on scrolling up"
    return [
        Figure(
            "open.first_paint_ms",
            f"open a {length:,}-message conversation to first paint",
            "ms",
            [s * 1000 for s in results["open"]],
            budget=150,
            note=note,
        ),
        Figure(
            "open.first_paint_cpu_ms",
            "  UI-thread CPU time of that",
            "ms",
            [s * 1000 for s in results["open_cpu"]],
        ),
        Figure(
            "open.switch_ms",
            f"switch between two {length:,}-message conversations",
            "ms",
            [s * 1000 for s in results["switch"]],
            budget=150,
        ),
        Figure(
            "open.switch_cpu_ms",
            "  UI-thread CPU time of that",
            "ms",
            [s * 1000 for s in results["switch_cpu"]],
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Opening conversations", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
