"""Cold start: process start to the first painted main window, and memory.

    python -m benchmarks.bench_startup [--quick] [--repeat N] [--json PATH]

Each run spawns a fresh `python -m benchmarks.startup_child` (the real app's `main()`, with
its single-instance check, data-folder lock, store, services and window) against a data folder
holding 1,000 conversations and 20,000 messages (generated once through the store API and
cached in benchmarks/results/data/), with the local test server as base URL. The time is from
just before the parent spawns the process to the end of the window's first painted frame
(the disk cache is warm and the bytecode compiled, as in an installed app: one unmeasured
run goes first). Memory is the child's peak RSS
(ru_maxrss) at first paint, and again after a second of settling (the last conversation
opened, the model list fetched).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import (
    ROOT,
    Figure,
    ServerProcess,
    bench_arguments,
    build_database,
    cached_data_dir,
    report,
)

PYCACHE = ROOT / "benchmarks" / "results" / "pycache"
FULL = (1_000, 20_000)
QUICK = (20, 200)


def spawn(
    data_dir: Path, server: ServerProcess, settle: float = 1.0
) -> dict[str, dict[str, float]]:
    env = {
        **os.environ,
        # Bytecode as an installed app has it (pip and PyInstaller compile every module): kept
        # under benchmarks/results/ by the warm-up run, never next to the sources.
        "PYTHONPYCACHEPREFIX": str(PYCACHE),
        "PYTHONDONTWRITEBYTECODE": "",
        "QT_QPA_PLATFORM": "offscreen",
        "LONGCAT_API_KEY": server.api_key,
        "LONGCAT_NO_CRASH_DIALOG": "1",
        "LONGCAT_BENCH_SETTLE": str(settle),
        "PYTHONPATH": str(ROOT),
    }
    started = time.time()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.startup_child",
            "--data-dir",
            str(data_dir),
            "--base-url",
            server.url,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    events: dict[str, dict[str, float]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            events[data.pop("event")] = data
    if "painted" not in events:
        raise RuntimeError(f"the app did not paint: {done.stdout}\n{done.stderr}")
    for data in events.values():
        if "time" in data:
            data["elapsed"] = data["time"] - started
    return events


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    conversations, messages = QUICK if quick else FULL
    repeat = repeat or (1 if quick else 7)
    settle = 0.1 if quick else 1.0
    seconds, cpu, peak, settled, settled_rss = [], [], [], [], []
    name = f"startup-{conversations}c-{messages}m"
    with (
        cached_data_dir(name, build_database(conversations, messages)) as data_dir,
        ServerProcess() as server,
    ):
        if not quick:
            spawn(data_dir, server, settle=0.2)  # warm the disk and bytecode caches; not counted
        for _ in range(repeat):
            events = spawn(data_dir, server, settle)
            painted = events["painted"]
            seconds.append(painted["elapsed"])
            cpu.append(painted["cpu"])
            peak.append(painted["max_rss_mb"])
            settled.append(events["settled"]["max_rss_mb"])
            settled_rss.append(events["settled"]["rss_mb"])
    size = f"{conversations:,} conversations, {messages:,} messages"
    return [
        Figure(
            "startup.first_paint_s",
            f"cold start to first painted window ({size})",
            "s",
            seconds,
            budget=0.6,
        ),
        Figure("startup.first_paint_cpu_s", "  CPU time of the process by then", "s", cpu),
        Figure(
            "startup.peak_rss_mb", "peak memory (ru_maxrss) at first paint", "MB", peak, budget=120
        ),
        Figure(
            "startup.settled_peak_rss_mb",
            f"peak memory {settle:g} s after start (conversation open, models fetched)",
            "MB",
            settled,
            budget=120,
        ),
        Figure("startup.settled_rss_mb", "  resident memory then", "MB", settled_rss),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Cold start", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
