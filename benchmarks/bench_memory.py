"""Memory growth: 20 conversations of 200 messages opened, 10 answers streamed, then cycles.

    python -m benchmarks.bench_memory [--quick] [--repeat N] [--json PATH]

In the real app (offscreen, qasync, the local test server in a child process): open each of
20 conversations of 200 realistic messages in turn, then stream 10 answers of 2,000 tokens
(as fast as the server sends) into one of them, and take the process's resident memory and
peak (ru_maxrss). Then repeat a cycle (open all 20 one after another, then a new empty
conversation, so the last one's widgets are closed) and note the RSS after each cycle, after
a garbage collection and once deleted widgets are gone; growth is the last cycle's RSS minus
the first's.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import (
    AppHarness,
    Figure,
    ServerProcess,
    answer_tokens,
    bench_arguments,
    build_database,
    cached_data_dir,
    max_rss_mb,
    report,
    rss_mb,
    until,
    with_app,
)

FULL = (20, 200, 10, 2_000, 4)  # conversations, messages each, answers, tokens, cycles
QUICK = (3, 20, 2, 200, 3)


async def _quiet(h: AppHarness) -> float:
    await asyncio.sleep(0.05)  # deleteLater() runs at the loop's level
    gc.collect()
    await asyncio.sleep(0.05)
    return rss_mb()


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    conversations, per, answers, tokens, cycles = QUICK if quick else FULL
    if repeat:
        cycles = max(cycles, repeat)
    name = f"memory-{conversations}x{per}m"
    after_load: list[float] = []
    peak: list[float] = []
    per_cycle: list[float] = []
    widgets: list[int] = []
    with (
        cached_data_dir(
            name, build_database(conversations, conversations * per, realistic=True)
        ) as data,
        ServerProcess() as server,
        tempfile.TemporaryDirectory(),
    ):
        from longcat_desktop.ui.message_widget import MessageWidget

        async def body(h: AppHarness) -> None:
            services, window = h.session.services, h.window
            ids = [s.id for s in services.conversations.summaries()][:conversations]
            for cid in ids:
                window.open_conversation(cid)
                await asyncio.sleep(0.02)
            chat = services.chat
            for index in range(answers):
                server.push(answer_tokens(tokens, seed=index + 1))
                chat.send(ids[-1], f"Answer number {index}, please.")
                await asyncio.sleep(0.05)
                await until(lambda: not chat.is_streaming(ids[-1]), timeout=120)
            after_load.append(await _quiet(h))
            peak.append(max_rss_mb())
            for _ in range(cycles):
                for cid in ids:
                    window.open_conversation(cid)
                    await asyncio.sleep(0.01)
                created = services.conversations.create()
                assert created is not None
                window.open_conversation(created.id)
                services.conversations.delete(created.id)
                per_cycle.append(await _quiet(h))
                widgets.append(len(h.window.findChildren(MessageWidget)))

        with_app(Path(data), server, body)
    growth = per_cycle[-1] - per_cycle[0]
    return [
        Figure(
            "memory.after_load_rss_mb",
            f"RSS after opening {conversations} x {per}-message conversations "
            f"and streaming {answers} answers",
            "MB",
            after_load,
            budget=200,
        ),
        Figure("memory.peak_rss_mb", "  peak RSS (ru_maxrss) by then", "MB", peak, budget=200),
        Figure(
            "memory.cycle_growth_mb",
            f"RSS growth over {cycles} open/close cycles (last - first)",
            "MB",
            [growth],
            note="RSS after each cycle: "
            + ", ".join(f"{v:.1f}" for v in per_cycle)
            + " MB; message widgets alive: "
            + ", ".join(map(str, widgets)),
            extra={"rss_per_cycle_mb": per_cycle, "message_widgets": widgets},
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Memory", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
