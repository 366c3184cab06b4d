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
    percentile,
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


MATH_ANSWERS = 10  # of 50 formulas each: all within the page a conversation opens with


def _build_math(folder: Path) -> None:
    """A conversation of ten exchanges whose answers hold 500 formulas, and a short one."""
    from benchmarks.common import MODEL, fill_store
    from benchmarks.math_text import math_answer
    from longcat_desktop.domain.chat import ApiFormat
    from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
    from longcat_desktop.store import Store

    store = Store.open(folder)
    try:
        settings = ConversationSettings(model=MODEL, api_format=ApiFormat.OPENAI)
        conversation = store.conversations.create(settings).id
        parent = None
        for index in range(MATH_ANSWERS):
            question = store.messages.add_user_message(conversation, parent, f"Question {index}")
            answer = store.messages.start_assistant_message(
                conversation, question.id, model=MODEL, api_format=ApiFormat.OPENAI
            )
            writer = store.writer(answer.id)
            writer.append_text(math_answer(4_950, seed=index))
            writer.finish(MessageStatus.COMPLETE)
            parent = answer.id
        fill_store(store, 1, 6, seed=12)
    finally:
        store.close()


def run_math(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    """Opening a conversation with 500 formulas: cold (nothing typeset yet) and warm."""
    from benchmarks.common import TimerLag
    from longcat_desktop.render import math_images
    from longcat_desktop.store.migrations import SCHEMA_VERSION

    repeat = repeat or (1 if quick else 7)
    cold: dict[str, float] = {}
    warm: list[float] = []
    with (
        # The schema version in the name: a database cached by an older build is not reused.
        cached_data_dir(
            f"open-math-{MATH_ANSWERS * 50}f-v{SCHEMA_VERSION}", _build_math
        ) as data_dir,
        ServerProcess() as server,
    ):

        async def body(h: AppHarness) -> int:
            summaries = h.session.services.conversations.summaries()
            counts = {s.id: len(h.store.messages.visible_thread(s.id)) for s in summaries}
            math_id = next(cid for cid, n in counts.items() if n == 2 * MATH_ANSWERS)
            short_id = next(cid for cid in counts if cid != math_id)
            await open_and_paint(h, short_id)
            lag = TimerLag()
            started = time.perf_counter()
            cold["paint"], cold["cpu"] = await open_and_paint(h, math_id)
            # From the first paint on: what the user feels while the formulas come in.
            lag.start()
            await until(lambda: math_images.formulas_pending() == 0, timeout=300, step=0.01)
            cold["typeset"] = time.perf_counter() - started
            lag.stop()
            cold["lag_max"] = max(lag.lags, default=0.0)
            cold["lag_p99"] = percentile(lag.lags, 0.99)
            for _ in range(repeat):
                await open_and_paint(h, short_id)
                wall, _cpu = await open_and_paint(h, math_id)
                warm.append(wall)
            return sum(
                document.html.count('src="math:')
                for rendered in h.window.page._rendered.values()
                for document in (rendered.body,)
            )

        formulas = with_app(data_dir, server, body)
    note = f"{formulas} formulas shown"
    return [
        Figure(
            "open_math.warm_first_paint_ms",
            "open a conversation with 500 formulas, typeset before, to first paint",
            "ms",
            [s * 1000 for s in warm],
            budget=150,
            note=note,
        ),
        Figure(
            "open_math.cold_first_paint_ms",
            "  the first time (formulas not typeset yet): to first paint",
            "ms",
            [cold["paint"] * 1000],
        ),
        Figure(
            "open_math.cold_typeset_s",
            "  the first time: until every formula is typeset",
            "s",
            [cold["typeset"]],
        ),
        Figure(
            "open_math.cold_timer_lag_max_ms",
            "  the first time: lag of a 5 ms UI timer after first paint while typesetting, worst",
            "ms",
            [cold["lag_max"] * 1000],
        ),
        Figure(
            "open_math.cold_timer_lag_p99_ms",
            "  the first time: that lag, 99th percentile",
            "ms",
            [cold["lag_p99"] * 1000],
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Opening conversations", figures, args.json)
    math_figures = run_math(args.quick, args.repeat)
    report("Opening a conversation with formulas", math_figures, None)
    return [*figures, *math_figures]


if __name__ == "__main__":
    main()
