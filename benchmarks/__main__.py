"""Every benchmark of issue 5, each in a fresh process, and one table of the results.

    python -m benchmarks [--quick] [--repeat N] [--only NAME ...] [--out PATH]

Runs offscreen against the local LongCat test server. Prints each benchmark's table as it
finishes, then a summary of medians (with min and max) against the budgets, and writes every
figure with its samples to benchmarks/results/latest.json (git-ignored) for comparing runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import RESULTS, ROOT, Figure, figure_from_json, format_table, machine

BENCHMARKS = (
    "startup",
    "streaming",
    "open",
    "sidebar",
    "memory",
    "decode",
    "fold",
    "attachments",
    "sync",
    "tools",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("LONGCAT_API_KEY", None)
    figures: list[Figure] = []
    failed: list[str] = []
    timings: dict[str, float] = {}
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="longcat-bench-") as folder:
        for name in args.only:
            out = Path(folder) / f"{name}.json"
            command = [sys.executable, "-m", f"benchmarks.bench_{name}", "--json", str(out)]
            if args.quick:
                command.append("--quick")
            if args.repeat:
                command += ["--repeat", str(args.repeat)]
            began = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, env=env, check=False)
            timings[name] = time.perf_counter() - began
            if done.returncode != 0 or not out.exists():
                failed.append(name)
                print(f"!! benchmark {name} failed (exit {done.returncode})", flush=True)
                continue
            figures += [figure_from_json(item) for item in json.loads(out.read_text())]

    info = machine()
    print(f"\n== Summary ({'quick' if args.quick else 'full'} sizes) ==")
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['arch']}, "
        f"Python {info['python']}, PySide6 {info['pyside6']}, QPA {info['qpa'] or 'offscreen'}"
    )
    print(format_table(figures))
    over = [f.key for f in figures if f.within_budget is False]
    print(f"\n{len(over)} figure(s) over budget" + (f": {', '.join(over)}" if over else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "started": started,
                "quick": args.quick,
                "machine": info,
                "seconds": timings,
                "failed": failed,
                "figures": [f.as_json() for f in figures],
            },
            indent=1,
        )
    )
    print(f"written: {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
