"""Answer snapshot: the cost of folding one event, early and late in a long answer.

python -m benchmarks.bench_fold [--quick] [--repeat N] [--json PATH]

A stream of text pieces with a few parallel tool calls is folded event by event; the cost per
event over the last tenth of the stream, against the first tenth, says whether folding stays
flat as the answer grows (a string rebuilt per event would make it grow with the text).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from benchmarks.common import Figure, bench_arguments, report
from longcat_desktop.domain.answer import AnswerSnapshot, fold
from longcat_desktop.domain.events import StreamEvent, TextDelta, ToolCallDelta


def _events(count: int) -> list[StreamEvent]:
    events: list[StreamEvent] = []
    for number in range(count):
        if number % 50 == 49:
            index = number % 3
            events.append(ToolCallDelta(index, f"call_{index}", "f", '"piece", '))
        else:
            events.append(TextDelta(f" token{number}"))
    return events


def _tenths(events: list[StreamEvent]) -> tuple[float, float]:
    """Microseconds per event over the first and the last tenth."""
    tenth = len(events) // 10
    snapshot = AnswerSnapshot()
    start = start_last = time.perf_counter()
    first = 0.0
    for position, event in enumerate(events):
        if position == tenth:
            first = time.perf_counter() - start
        if position == len(events) - tenth:
            start_last = time.perf_counter()
        snapshot = fold(snapshot, event)
    last = time.perf_counter() - start_last
    assert len(str(snapshot.text)) > 0
    return first / tenth * 1e6, last / tenth * 1e6


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    count = 5_000 if quick else 50_000
    repeat = repeat or (1 if quick else 5)
    events = _events(count)
    firsts: list[float] = []
    lasts: list[float] = []
    for _ in range(repeat):
        first, last = _tenths(events)
        firsts.append(first)
        lasts.append(last)
    return [
        Figure(
            "fold.last_over_first",
            f"fold {count:,} events: cost per event, last tenth / first tenth",
            "x",
            [last / first for first, last in zip(firsts, lasts, strict=True)],
            budget=1.5,
            note="flat cost: about 1",
        ),
        Figure("fold.first_us_per_event", "  first tenth", "us", firsts),
        Figure("fold.last_us_per_event", "  last tenth", "us", lasts),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Answer snapshot", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
