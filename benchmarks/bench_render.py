"""Refresh cost of streaming a long Markdown answer into a StreamingDocument.

    python -m benchmarks.bench_render [--tokens 20000] [--per-refresh 8] [--widget]

Streams a generated answer (paragraphs, nested lists, tables, code, quotes) in batches, as the
chat view's 16 ms timer would deliver them, and prints the cost of one refresh (render, Qt
update and layout) near token 1,000, 10,000 and 20,000, next to the naive
`setMarkdown(whole)` per refresh at the same points. Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QTextDocument

from longcat_desktop.render import LIGHT_THEME, StreamingDocument

TEXT_WIDTH = 720
WINDOW_TOKENS = 1_000  # tokens measured from each point on: about two sections

_WORDS = [
    "the",
    "value",
    "of",
    "each",
    "request",
    "is",
    "checked",
    "before",
    "the",
    "client",
    "sends",
    "it",
    "and",
    "a",
    "retry",
    "waits",
    "for",
    "the",
    "server",
    "to",
    "recover",
    "so",
    "that",
    "streaming",
    "stays",
    "smooth",
    "while",
    "the",
    "model",
    "answers",
    "with",
    "long",
    "explanations",
    "about",
    "caching",
    "layout",
    "sorting",
    "parsing",
    "tokens",
    "latency",
    "memory",
    "threads",
    "queues",
    "and",
    "the",
    "user",
    "keeps",
    "reading",
    "without",
    "any",
    "freeze",
]


def _sentence(rnd: random.Random) -> str:
    words = rnd.choices(_WORDS, k=14)
    if rnd.random() < 0.3:
        i = rnd.randrange(len(words))
        words[i] = f"`{words[i]}()`"
    if rnd.random() < 0.3:
        i = rnd.randrange(len(words))
        words[i] = f"**{words[i]}**"
    if rnd.random() < 0.1:
        words.append("([docs](https://example.com/docs))")
    return " ".join(words).capitalize() + "."


def _paragraph(rnd: random.Random) -> str:
    return " ".join(_sentence(rnd) for _ in range(3))


def _code(rnd: random.Random, lines: int) -> str:
    body = ["```python", "def handle(request: Request, retries: int = 3) -> Response:"]
    for i in range(lines):
        body.append(f'    value_{i} = compute("{rnd.choice(_WORDS)}", {i}) * {i + 1}  # step')
        if i % 4 == 3:
            body.append(f"    if value_{i} > {i * 10}:")
            body.append(f"        return Response(value_{i})")
    body += ["    return Response(None)", "```"]
    return "\n".join(body)


def _table(rnd: random.Random, rows: int) -> str:
    lines = ["| Option | Default | Effect |", "|:--|:--:|--:|"]
    lines += [
        f"| `{rnd.choice(_WORDS)}_{i}` | {rnd.randint(0, 100)} | {_sentence(rnd)} |"
        for i in range(rows)
    ]
    return "\n".join(lines)


def _list(rnd: random.Random) -> str:
    items = []
    for i in range(4):
        items.append(f"{i + 1}. {_sentence(rnd)}")
        if i == 1:
            items += [f"   - {_sentence(rnd)}" for _ in range(2)]
    return "\n".join(items)


def _section(rnd: random.Random, number: int) -> str:
    """One section of the answer; every section has the same shape, so the content mix
    near token 1,000 and near token 20,000 is the same and only the length differs."""
    return "\n\n".join(
        [
            f"## {number}. {_sentence(rnd)[:-1]}",
            _paragraph(rnd),
            _list(rnd),
            _code(rnd, 10),
            _paragraph(rnd),
            _table(rnd, 5),
            "> " + _sentence(rnd),
        ]
    )


def generate_answer(approx_tokens: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    sections: list[str] = []
    tokens = 0
    while tokens < approx_tokens:
        sections.append(_section(rnd, len(sections) + 1))
        tokens += len(tokenize(sections[-1]))
    return "\n\n".join(sections) + "\n"


def tokenize(text: str) -> list[str]:
    """Roughly what a model streams: words with their leading space, punctuation apart."""
    return re.findall(r"\s*\w+|\s*[^\w\s]+|\s+", text)


def _batches(tokens: list[str], per_refresh: int) -> Iterator[tuple[int, str]]:
    for start in range(0, len(tokens), per_refresh):
        yield start + per_refresh, "".join(tokens[start : start + per_refresh])


def _summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _layout(document: QTextDocument) -> None:
    # The view would lay out and paint the changed part; documentSize() forces that layout.
    document.documentLayout().documentSize()


class Samples:
    """Wall-clock and CPU seconds per refresh; CPU time is what to trust on a busy machine."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []


def stream(
    tokens: list[str],
    per_refresh: int,
    points: list[int],
    show: Callable[[QTextDocument], Callable[[], None]] | None,
) -> tuple[dict[int, Samples], float, StreamingDocument]:
    sd = StreamingDocument(LIGHT_THEME)
    sd.document.setTextWidth(TEXT_WIDTH)
    pump = show(sd.document) if show else (lambda: None)
    samples = {point: Samples() for point in points}
    total = 0.0
    for position, batch in _batches(tokens, per_refresh):
        started, cpu_started = time.perf_counter(), time.thread_time()
        sd.append(batch)
        _layout(sd.document)
        pump()
        elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
        total += cpu
        for point in points:
            if point < position <= point + WINDOW_TOKENS:
                samples[point].wall.append(elapsed)
                samples[point].cpu.append(cpu)
    return samples, total, sd


def naive(tokens: list[str], per_refresh: int, point: int, repeats: int) -> list[float]:
    document = QTextDocument()
    document.setUndoRedoEnabled(False)
    document.setTextWidth(TEXT_WIDTH)
    text = "".join(tokens[:point])
    costs = []
    for i in range(repeats):
        text += "".join(tokens[point + i * per_refresh : point + (i + 1) * per_refresh])
        started = time.thread_time()
        document.setMarkdown(text)
        _layout(document)
        costs.append(time.thread_time() - started)
    return costs


def stored_message(lines: int) -> str:
    text = generate_answer(lines * 12, seed=7)
    return "\n".join(text.splitlines()[:lines]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=20_000)
    parser.add_argument("--per-refresh", type=int, default=8, help="tokens per 16 ms refresh")
    parser.add_argument("--naive-repeats", type=int, default=10)
    parser.add_argument("--widget", action="store_true", help="show it in a QTextBrowser too")
    args = parser.parse_args()

    show: Callable[[QTextDocument], Callable[[], None]] | None = None
    if args.widget:
        from PySide6.QtWidgets import QApplication

        app: QGuiApplication = QApplication([])
        show = _widget_view
    else:
        app = QGuiApplication([])

    tokens = tokenize(generate_answer(args.tokens + WINDOW_TOKENS))
    tokens = tokens[: args.tokens + WINDOW_TOKENS]
    points = [p for p in (1_000, 10_000, 20_000, 50_000) if p + WINDOW_TOKENS <= len(tokens)]
    print(
        f"answer: {len(tokens)} tokens, {len(''.join(tokens))} chars, "
        f"{args.per_refresh} tokens per refresh, text width {TEXT_WIDTH}px"
        + (", shown in a QTextBrowser" if args.widget else "")
    )

    samples, total, sd = stream(tokens, args.per_refresh, points, show)
    refreshes = -(-len(tokens) // args.per_refresh)
    print("\nCPU ms per refresh over the 1,000 tokens from each point (wall-clock in brackets)")
    print(
        f"{'at token':>9} {'ours median':>18} {'ours p95':>18} "
        f"{'naive median':>13} {'naive p95':>10}"
    )
    medians: list[float] = []
    for point in points:
        median, p95 = _summary(samples[point].cpu)
        wall_median, wall_p95 = _summary(samples[point].wall)
        n_median, n_p95 = _summary(naive(tokens, args.per_refresh, point, args.naive_repeats))
        medians.append(median)
        print(
            f"{point:>9,} {median * 1000:>7.2f} ({wall_median * 1000:>6.2f}) ms "
            f"{p95 * 1000:>7.2f} ({wall_p95 * 1000:>6.2f}) ms "
            f"{n_median * 1000:>10.2f} ms {n_p95 * 1000:>7.2f} ms"
        )
    print(f"\nratio last/first (median CPU): {medians[-1] / medians[0]:.2f}")
    print(
        f"sustained: {len(tokens) / total:,.0f} tokens/s of rendering "
        f"({refreshes} refreshes, {total / refreshes * 1000:.2f} ms CPU mean per refresh)"
    )
    naive_at_last = _summary(naive(tokens, 1, points[-1], args.naive_repeats))[0]
    print(f"naive setMarkdown per token at {points[-1]:,}: {1 / naive_at_last:,.0f} tokens/s")
    final = QTextDocument()
    final.setHtml(sd.html)
    print(
        f"final plain text equals one-go render: {final.toPlainText() == sd.document.toPlainText()}"
    )

    stored = stored_message(2_000)
    loader = StreamingDocument(LIGHT_THEME)
    loader.document.setTextWidth(TEXT_WIDTH)
    costs = []
    for _ in range(5):
        started = time.thread_time()
        loader.set_text(stored)
        _layout(loader.document)
        costs.append(time.thread_time() - started)
    print(
        f"\nset_text of a stored message ({stored.count(chr(10))} lines, {len(stored)} chars), "
        f"with layout: median {statistics.median(costs) * 1000:.1f} ms CPU"
    )
    del app


def _widget_view(document: QTextDocument) -> Callable[[], None]:
    """Show the document in a QTextBrowser; the returned pump paints it after each refresh."""
    from PySide6.QtWidgets import QTextBrowser

    browser = QTextBrowser()
    browser.resize(TEXT_WIDTH + 40, 800)
    browser.setDocument(document)
    browser.show()
    app = QGuiApplication.instance()

    def pump() -> None:
        browser.viewport().repaint()
        if app is not None:
            app.processEvents()

    _keep_alive.append(browser)
    return pump


_keep_alive: list[object] = []


if __name__ == "__main__":
    main()
