"""Streaming a long Markdown answer through the real app: ChatService, ConversationPage, ChatView.

    python -m benchmarks.bench_streaming [--quick] [--repeat N] [--json PATH]

The app (AppSession: services and main window) runs offscreen on a qasync loop; the local
LongCat test server runs in a child process and sends a realistic answer (paragraphs, lists,
tables, code blocks, quotes) one token per SSE event:

* as fast as it can: 50,000 tokens;
* paced at 2,000 tokens/s: 20,000 tokens (10 s; the pace is the server's delay between
  events, so the delivered rate is reported too);
* paced at 200 tokens/s: 2,000 tokens (10 s);
* a code block of 4,000 lines (about 40,000 tokens) at 2,000 tokens/s.

Figures: tokens/s rendered (tokens over the time from the first token's arrival to the end of
the last refresh); the time from the last token's arrival to the answer fully rendered and
painted; the cost of one refresh (the page's handler: render, layout, scroll; plus the paint of
the frame that follows), median over the refreshes of the 1,000 tokens up to token 1,000,
10,000 and 50,000 (for the code block: its start, and its last line), in CPU time of the UI
thread, and the ratio of the last to the first; the lag of a 5 ms precise QTimer in the UI
thread while streaming; the share of one core the whole process used (its CPU time over the
wall time from the first token, and from three quarters of the answer, to the answer rendered).

Every figure is defined at any speed: where fewer than MIN_REFRESHES refreshes fall in a window
(a fast run coalesces many tokens into each refresh), the MIN_REFRESHES refreshes nearest to
its point stand in; the timer lag counts the wait after the last tick too.
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
    code_answer_tokens,
    percentile,
    report,
    until,
    with_app,
)
from longcat_desktop.domain.ids import ConversationId, MessageId

POINTS = (1_000, 10_000, 50_000)
WINDOW = 1_000
MIN_REFRESHES = 3


@dataclass
class Pace:
    name: str
    tokens: int
    rate: float | None  # tokens/s, None: as fast as the server can
    code_lines: int = 0  # > 0: the answer is one code block this long; `tokens` is ignored

    @property
    def delay(self) -> float:
        return 0.0 if self.rate is None else 1.0 / self.rate

    def answer(self, seed: int) -> tuple[list[str], int | None]:
        """The tokens to stream, and where a code block's closing fence starts (if any)."""
        if self.code_lines:
            return code_answer_tokens(self.code_lines, seed)
        return answer_tokens(self.tokens, seed=seed), None


FULL = (
    Pace("max", 50_000, None),
    Pace("2000", 20_000, 2_000),
    Pace("200", 2_000, 200),
    Pace("code", 40_000, 2_000, code_lines=4_000),
)
QUICK = (
    Pace("max", 1_500, None),
    Pace("2000", 600, 2_000),
    Pace("200", 60, 200),
    Pace("code", 1_200, 2_000, code_lines=120),
)


@dataclass
class Run:
    tokens: int = 0
    first_token: float = 0.0
    first_token_cpu: float = 0.0  # process CPU time then
    rendered_cpu: float = 0.0
    # (tokens, wall time, process CPU time) when three quarters of the answer had arrived
    last_quarter: tuple[int, float, float] = (0, 0.0, 0.0)
    expected: int = 0  # tokens the server will send
    fence_closes: int | None = None  # token index where a code block's closing fence starts
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
                        run.first_token_cpu = time.process_time()
                    run.tokens += 1
                    run.last_token = now
                    if run.tokens == run.expected * 3 // 4:
                        run.last_quarter = (run.tokens, now, time.process_time())
                yield event


async def stream_once(
    h: AppHarness,
    server: ServerProcess,
    pace: Pace,
    seed: int,
    delay: float | None = None,
    tokens: Sequence[str] | None = None,
) -> Run:
    """One answer streamed into a new conversation; `delay` overrides the pace's, `tokens`
    the answer."""
    delay = pace.delay if delay is None else delay
    services = h.session.services
    chat, page = services.chat, h.window.page
    if tokens is None:
        tokens, fence_closes = pace.answer(seed)
    else:
        fence_closes = None
    run = Run(fence_closes=fence_closes, expected=len(tokens))
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
            run.rendered_cpu = time.process_time()
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
        await until(lambda: bool(finished), timeout=max(120, len(tokens) / 100))
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
    # A plain answer: the server's cost per event does not depend on what the text says.
    trial = await stream_once(h, server, probe, seed=99)
    interval = (trial.last_token - trial.first_token) / max(1, trial.tokens - 1)
    # The probe's interval is noisy on a busy machine: never cut the delay below half.
    return max(pace.delay / 2, pace.delay - (interval - pace.delay))


def refresh_near(run: Run, point: int) -> float:
    """Median cost of the refreshes in the WINDOW tokens up to `point`, or of the
    MIN_REFRESHES refreshes nearest to it where fewer fall there."""
    if not run.refreshes:
        raise ValueError("the answer was never refreshed")
    costs = [
        handler + frame
        for position, handler, frame in run.refreshes
        if point - WINDOW < position <= point
    ]
    if len(costs) < MIN_REFRESHES:
        nearest = sorted(run.refreshes, key=lambda refresh: abs(refresh[0] - point))
        costs = [handler + frame for _, handler, frame in nearest[:MIN_REFRESHES]]
    return statistics.median(costs)


def refresh_ratio(run: Run, first: int, last: int) -> float:
    # A refresh costs some microseconds at the least: the ratio is always finite.
    return refresh_near(run, last) / max(1e-6, refresh_near(run, first))


def cpu_share(run: Run, last_quarter: bool = False) -> float:
    """Percent of one core the process used from the first token (or from three quarters of
    the answer) to the answer rendered."""
    _, began, began_cpu = run.last_quarter
    if not last_quarter or not began:
        began, began_cpu = run.first_token, run.first_token_cpu
    return 100 * (run.rendered_cpu - began_cpu) / max(1e-6, run.rendered - began)


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
            "code": "at 2,000 tokens/s",
        }
        sent = done[0].tokens
        what = f"{pace.code_lines:,}-line code block, " if pace.code_lines else ""
        where = f"{what}{sent:,} tokens {label[pace.name]}"
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
        if pace.code_lines:
            # The block's start, and its last line: the same for every run of one size.
            closes = done[0].fence_closes or sent
            points = [min(WINDOW, closes // 4), closes]
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
                    [refresh_ratio(r, points[0], points[-1]) for r in done],
                    budget=1.5,
                )
            )
        figures.append(
            Figure(
                f"{key}.timer_lag_p99_ms",
                "  lag of a 5 ms UI timer, 99th percentile",
                "ms",
                [percentile(r.lags, 0.99) * 1000 for r in done],
                budget=16 if pace.rate == 2_000 else None,
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
        figures.append(
            Figure(
                f"{key}.cpu_percent",
                "  CPU of the whole process, share of one core",
                "%",
                [cpu_share(r) for r in done],
                budget=80 if pace.rate == 2_000 else None,
            )
        )
        figures.append(
            Figure(
                f"{key}.cpu_percent_end",
                "  the same over the last quarter of the answer",
                "%",
                [cpu_share(r, last_quarter=True) for r in done],
                budget=80 if pace.rate == 2_000 else None,
            )
        )
    return figures


MATH_FULL = (Pace("max", 50_000, None), Pace("2000", 20_000, 2_000))
MATH_QUICK = (Pace("max", 1_500, None), Pace("2000", 600, 2_000))


def run_math(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    """A math-heavy answer (a formula every ~100 tokens, inline and display): the refresh cost
    stays flat and the UI responsive while formulas are typeset in the background."""
    import tempfile

    from benchmarks.math_text import math_tokens
    from longcat_desktop.render import math_images

    paces = MATH_QUICK if quick else MATH_FULL
    repeat = repeat or (1 if quick else 3)
    runs: dict[str, list[Run]] = {pace.name: [] for pace in paces}
    with tempfile.TemporaryDirectory(prefix="longcat-bench-") as folder, ServerProcess() as server:

        async def body(h: AppHarness) -> None:
            delays = {pace.name: await calibrate(h, server, pace) for pace in paces}
            for index in range(repeat):
                for pace in paces:
                    tokens = math_tokens(pace.tokens, seed=index + 1)
                    done = await stream_once(h, server, pace, index + 1, delays[pace.name], tokens)
                    runs[pace.name].append(done)
                    # Formulas still queued would slow the next run down.
                    await until(lambda: math_images.formulas_pending() == 0, timeout=300)

        with_app(Path(folder), server, body)

    first, last = (500, 1_500) if quick else (1_000, 50_000)
    fast, paced = runs["max"], runs["2000"]
    where = f"{paces[0].tokens:,}-token math answer"
    return [
        Figure(
            "stream_math.max.rendered_tokens_per_s",
            f"streaming a {where} as fast as possible: tokens/s rendered",
            "tokens/s",
            [r.tokens / max(1e-9, r.rendered - r.first_token) for r in fast],
        ),
        Figure(
            f"stream_math.max.refresh_ms@{first}",
            f"  refresh cost near token {first:,}",
            "ms",
            [refresh_near(r, first) * 1000 for r in fast],
        ),
        Figure(
            f"stream_math.max.refresh_ms@{last}",
            f"  refresh cost near token {last:,}",
            "ms",
            [refresh_near(r, last) * 1000 for r in fast],
        ),
        Figure(
            "stream_math.max.refresh_ratio",
            f"  refresh cost ratio, token {last:,} / token {first:,}",
            "x",
            [refresh_near(r, last) / refresh_near(r, first) for r in fast],
            budget=1.5,
        ),
        Figure(
            "stream_math.2000.timer_lag_p99_ms",
            "  at 2,000 tokens/s: lag of a 5 ms UI timer, 99th percentile",
            "ms",
            [percentile(r.lags, 0.99) * 1000 for r in paced],
            budget=16,
        ),
        Figure(
            "stream_math.2000.timer_lag_max_ms",
            "  at 2,000 tokens/s: lag of a 5 ms UI timer, worst",
            "ms",
            [max(r.lags, default=0.0) * 1000 for r in paced],
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Streaming", figures, args.json)
    math_figures = run_math(args.quick, args.repeat)
    report("Streaming a math-heavy answer", math_figures, None)
    return [*figures, *math_figures]


if __name__ == "__main__":
    main()
