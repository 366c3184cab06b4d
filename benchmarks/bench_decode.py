"""Decode overhead: our client against a bare httpx loop over the same stream (bench_stream).

python -m benchmarks.bench_decode [--quick] [--repeat N] [--json PATH]
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from benchmarks.bench_stream import measure
from benchmarks.common import Figure, bench_arguments, report


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    events = 2_000 if quick else 50_000
    repeat = repeat or (1 if quick else 5)
    samples: dict[str, list[dict[str, float | str]]] = {}
    for _ in range(repeat):
        for row in asyncio.run(measure(events, 1)):
            samples.setdefault(str(row["format"]), []).append(row)
    figures: list[Figure] = []
    for fmt, rows in samples.items():
        figures += [
            Figure(
                f"decode.{fmt}.ratio",
                f"decode {events:,} events ({fmt}): ours / bare httpx loop",
                "x",
                [float(r["ratio"]) for r in rows],
                note="higher is better; target >= 0.80",
            ),
            Figure(
                f"decode.{fmt}.ours_events_per_s",
                "  our client",
                "events/s",
                [float(r["ours_events_per_s"]) for r in rows],
            ),
            Figure(
                f"decode.{fmt}.bare_events_per_s",
                "  bare httpx aiter_lines + json.loads",
                "events/s",
                [float(r["bare_events_per_s"]) for r in rows],
            ),
        ]
    return figures


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Decode overhead", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
