"""Streaming a long Markdown answer through the real app: ChatService, ConversationPage, ChatView.

    python -m benchmarks.bench_streaming [--quick] [--repeat N] [--json PATH]

The app (AppSession: services and main window) runs offscreen on a qasync loop; the local
LongCat test server runs in a child process and sends a realistic answer (paragraphs, lists,
tables, code blocks, quotes) one token per SSE event:

* as fast as it can: 50,000 tokens;
* paced at 2,000 tokens/s: 20,000 tokens (10 s; the pace is the server's delay between
  events, so the delivered rate is reported too);
* paced at 200 tokens/s: 2,000 tokens (10 s).

Figures: tokens/s rendered (tokens over the time from the first token's arrival to the end of
the last refresh); the time from the last token's arrival to the answer fully rendered and
painted; the cost of one refresh (the page's handler: render, layout, scroll; plus the paint of
the frame that follows), median over the 1,000 tokens up to token 1,000, 10,000 and 50,000, in
CPU time of the UI thread; and the lag of a 5 ms precise QTimer in the UI thread while streaming.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import (
    AppHarness,
    Figure,
    PaintWatch,
    ServerProcess,
    TimerLag,
    answer_tokens,
    bench_arguments,
    percentile,
    report,
    until,
    with_app,
)
from longcat_desktop.domain.ids import ConversationId, MessageId

POINTS = (1_000, 10_000, 50_000)
WINDOW = 1_000


@dataclass
class Pace:
    name: str
    tokens: int
    rate: float | None  # tokens/s, None: as fast as the server can

    @property
    def delay(self) -> float:
        return 0.0 if self.rate is None else 1.0 / self.rate


FULL = (Pace("max", 50_000, None), Pace("2000", 20_000, 2_000), Pace("200", 2_000, 200))
QUICK = (Pace("max", 1_500, None), Pace("2000", 600, 2_000), Pace("200", 60, 200))


@dataclass
class Run:
    tokens: int = 0
    first_token: float = 0.0
    last_token: float = 0.0
    rendered: float = 0.0
    painted: float = 0.0
    # (tokens received when the refresh ran, CPU seconds of the handler, CPU of next frame)
    refreshes: list[list[float]] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)


class CountingClient:
    """Wraps the app's ChatClient: counts text tokens and notes when they arrive."""

    def __init__(self, inner: Any, run: Run) -> None:
        self._inner = inner
        self._run = run

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def stream_chat(self, request: Any) -> AsyncIterator[Any]:
        from longcat_desktop.domain import TextDelta

        run = self._run
        async with aclosing(self._inner.stream_chat(request)) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    now = time.perf_counter()
                    if not run.tokens:
                        run.first_token = now
                    run.tokens += 1
                    run.last_token = now
                yield event


async def stream_once(
    h: AppHarness, server: ServerProcess, pace: Pace, seed: int, delay: float | None = None
) -> Run:
    """One answer streamed into a new conversation; `delay` overrides the pace's."""
    delay = pace.delay if delay is None else delay
    services = h.session.services
    chat, page = services.chat, h.window.page
    tokens = answer_tokens(pace.tokens, seed=seed)
    run = Run()
    pool = h.session.clients
    original_client = pool.client
    pool.client = lambda api_format: CountingClient(  # type: ignore[method-assign,assignment,return-value]
        original_client(api_format), run
    )

    conversation = services.conversations.create()
    assert conversation is not None
    h.window.open_conversation(conversation.id)
    await h.settle()

    current: list[list[float]] = []

    def timed_delta(cid: ConversationId, mid: MessageId, text: str, reasoning: str) -> None:
        started = time.thread_time()
        page._on_delta(cid, mid, text, reasoning)
        entry = [float(run.tokens), time.thread_time() - started, 0.0]
        run.refreshes.append(entry)
        if current and frames:
            current[0][2] += sum(frames)
        frames.clear()
        current[:] = [entry]

    finished: list[int] = []
    watch = PaintWatch(h.window)

    def answer_updated(cid: ConversationId, mid: MessageId) -> None:
        if cid == conversation.id and not chat.is_streaming(cid):
            run.rendered = time.perf_counter()
            watch.arm()
            finished.append(mid)

    chat.answerDelta.disconnect(page._on_delta)
    chat.answerDelta.connect(timed_delta)
    chat.answerUpdated.connect(answer_updated)
    frames = watch.frame_cpu
    frames.clear()
    lag = TimerLag()
    try:
        server.push(tokens, delay)
        answer_id = chat.send(conversation.id, "Write a long, detailed answer with code.")
        assert answer_id is not None
        h.window.chat_view.jump_to_latest()
        lag.start()
        await until(lambda: bool(finished), timeout=max(120, pace.tokens / 100))
        await until(lambda: watch.painted, timeout=10)
        run.painted = watch.painted_at
        lag.stop()
        run.lags = list(lag.lags)
        shown = page._rendered[answer_id].body.text
        if shown != "".join(tokens):
            raise AssertionError("the rendered answer differs from what was streamed")
    finally:
        watch.remove()
        chat.answerUpdated.disconnect(answer_updated)
        chat.answerDelta.disconnect(timed_delta)
        chat.answerDelta.connect(page._on_delta)
        pool.client = original_client  # type: ignore[method-assign]
    return run


async def calibrate(h: AppHarness, server: ServerProcess, pace: Pace) -> float:
    """The server's delay that gives the pace: its own cost per event comes on top."""
    if pace.rate is None:
        return 0.0
    probe = Pace(pace.name, min(pace.tokens, max(50, int(pace.rate * 0.4))), pace.rate)
    trial = await stream_once(h, server, probe, seed=99)
    interval = (trial.last_token - trial.first_token) / max(1, trial.tokens - 1)
    # The probe's interval is noisy on a busy machine: never cut the delay below half.
    return max(pace.delay / 2, pace.delay - (interval - pace.delay))


def refresh_near(run: Run, point: int) -> float:
    costs = [
        handler + frame
        for position, handler, frame in run.refreshes
        if point - WINDOW < position <= point
    ]
    return statistics.median(costs) if costs else float("nan")


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    import tempfile

    paces = QUICK if quick else FULL
    repeat = repeat or (1 if quick else 5)
    runs: dict[str, list[Run]] = {pace.name: [] for pace in paces}
    with tempfile.TemporaryDirectory(prefix="longcat-bench-") as folder, ServerProcess() as server:

        async def body(h: AppHarness) -> None:
            delays = {pace.name: await calibrate(h, server, pace) for pace in paces}
            for index in range(repeat):
                for pace in paces:
                    runs[pace.name].append(
                        await stream_once(h, server, pace, index + 1, delays[pace.name])
                    )

        with_app(Path(folder), server, body)

    figures: list[Figure] = []
    for pace in paces:
        done = runs[pace.name]
        label = {
            "max": "as fast as possible",
            "2000": "at 2,000 tokens/s",
            "200": "at 200 tokens/s",
        }
        where = f"{pace.tokens:,} tokens {label[pace.name]}"
        key = f"stream.{pace.name}"
        figures.append(
            Figure(
                f"{key}.rendered_tokens_per_s",
                f"streaming {where}: tokens/s rendered",
                "tokens/s",
                [r.tokens / max(1e-9, r.rendered - r.first_token) for r in done],
            )
        )
        if pace.rate is not None:
            figures.append(
                Figure(
                    f"{key}.delivered_tokens_per_s",
                    "  tokens/s the paced server delivered",
                    "tokens/s",
                    [r.tokens / max(1e-9, r.last_token - r.first_token) for r in done],
                )
            )
        figures.append(
            Figure(
                f"{key}.last_token_to_rendered_ms",
                "  last token to answer fully rendered and painted",
                "ms",
                [(r.painted - r.last_token) * 1000 for r in done],
            )
        )
        points = [p for p in POINTS if p <= pace.tokens]
        if pace.name == "max" and quick:
            points = [500, 1_500]
        for point in points:
            figures.append(
                Figure(
                    f"{key}.refresh_ms@{point}",
                    f"  refresh cost near token {point:,} (CPU: render+layout+paint)",
                    "ms",
                    [refresh_near(r, point) * 1000 for r in done],
                )
            )
        if len(points) >= 2:
            figures.append(
                Figure(
                    f"{key}.refresh_ratio",
                    f"  refresh cost ratio, token {points[-1]:,} / token {points[0]:,}",
                    "x",
                    [refresh_near(r, points[-1]) / refresh_near(r, points[0]) for r in done],
                    budget=1.5,
                )
            )
        figures.append(
            Figure(
                f"{key}.timer_lag_p99_ms",
                "  lag of a 5 ms UI timer, 99th percentile",
                "ms",
                [percentile(r.lags, 0.99) * 1000 for r in done],
                budget=16 if pace.name == "2000" else None,
            )
        )
        figures.append(
            Figure(
                f"{key}.timer_lag_max_ms",
                "  lag of a 5 ms UI timer, worst",
                "ms",
                [max(r.lags, default=0.0) * 1000 for r in done],
            )
        )
    return figures


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Streaming", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
