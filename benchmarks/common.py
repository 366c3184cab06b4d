"""What every benchmark shares: figures and their summary, data sets, the fake server, the app.

A benchmark module's `run(size, repeat)` returns a list of `Figure`s; `report()` prints them
and, with `--json PATH`, writes them for `python -m benchmarks` to collect. Sizes are "full"
(the figures of issue 5) or "quick" (a smoke run for the test suite).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from longcat_desktop.domain.ids import ConversationId, MessageId

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LONGCAT_NO_CRASH_DIALOG", "1")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from longcat_desktop.session import AppSession
    from longcat_desktop.store import Store

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
MODEL = "LongCat-2.0"


# -- figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured quantity: its samples (one per repeat or per event) and its budget.

    `budget` is an upper bound in `unit` (or a ratio for "x"); None means reported only.
    """

    key: str
    label: str
    unit: str
    samples: list[float]
    budget: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def low(self) -> float:
        return min(self.samples) if self.samples else float("nan")

    @property
    def high(self) -> float:
        return max(self.samples) if self.samples else float("nan")

    @property
    def within_budget(self) -> bool | None:
        if self.budget is None or not self.samples:
            return None
        return self.median < self.budget

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(median=self.median, min=self.low, max=self.high, ok=self.within_budget)
        return data


def figure_from_json(data: dict[str, Any]) -> Figure:
    return Figure(
        key=data["key"],
        label=data["label"],
        unit=data["unit"],
        samples=[float(v) for v in data["samples"]],
        budget=data.get("budget"),
        note=data.get("note", ""),
        extra=data.get("extra", {}),
    )


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _number(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "-"
    if unit in ("tokens/s", "events/s"):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_table(figures: Sequence[Figure]) -> str:
    header = f"{'figure':<58} {'median':>10} {'min':>10} {'max':>10}  {'unit':<9} budget"
    lines = [header, "-" * len(header)]
    for fig in figures:
        budget = "" if fig.budget is None else f"< {_number(fig.budget, fig.unit)}"
        verdict = {True: "  ok", False: "  OVER", None: ""}[fig.within_budget]
        lines.append(
            f"{fig.label[:58]:<58} {_number(fig.median, fig.unit):>10} "
            f"{_number(fig.low, fig.unit):>10} {_number(fig.high, fig.unit):>10}  "
            f"{fig.unit:<9} {budget}{verdict}"
        )
        if fig.note:
            lines.append(f"    {fig.note}")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from PySide6 import __version__ as pyside
    except ImportError:  # pragma: no cover
        pyside = "?"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "arch": platform.machine(),
        "python": platform.python_version(),
        "pyside6": pyside,
        "platform": platform.platform(),
        "qpa": os.environ.get("QT_QPA_PLATFORM", ""),
    }


def bench_arguments(description: str, argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    return parser.parse_args(argv)


def report(title: str, figures: Sequence[Figure], json_path: Path | None) -> None:
    print(f"\n== {title} ==")
    print(format_table(figures), flush=True)
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps([f.as_json() for f in figures], indent=1))


def max_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident memory of this process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return max_rss_mb()


# -- generated content ------------------------------------------------------------------------


def realistic_answer(tokens: int, seed: int = 1) -> str:
    """Markdown as a model writes it: headings, paragraphs, lists, code, tables, quotes."""
    from benchmarks.bench_render import generate_answer

    return generate_answer(tokens, seed=seed)


def answer_tokens(tokens: int, seed: int = 1) -> list[str]:
    """Exactly `tokens` stream tokens of a realistic answer."""
    from benchmarks.bench_render import generate_answer, tokenize

    pieces = tokenize(generate_answer(tokens + 200, seed=seed))[:tokens]
    if pieces and not pieces[-1].endswith("\n"):
        pieces.append("\n")
    return pieces


def code_answer_tokens(lines: int, seed: int = 1) -> tuple[list[str], int]:
    """Stream tokens of an answer that is mostly one Python code block of about `lines` lines
    (functions with docstrings, comments, multi-line strings), and the index of the token
    that starts its closing fence."""
    from benchmarks.bench_render import tokenize

    rnd = random.Random(seed)
    body: list[str] = []
    number = 0
    while len(body) < lines:
        number += 1
        word = rnd.choice(_SHORT_WORDS)
        body += [
            f"def handle_{word}_{number}(request: Request, retries: int = {number % 5}) -> str:",
            f'    """Answer one {word} request.',
            "",
            f"    Tries {number % 5} times, then gives up.",
            '    """',
            f"    for attempt in range(retries):  # {short_text(rnd, 5)}",
            f'        value = compute("{word}", attempt) * {number}',
            f"        if value > {number * 10}:",
            "            return str(value)",
            '    query = f"""',
            f"        SELECT * FROM {word} WHERE id = {{request.id}}",
            '    """',
            "    return query",
            "",
        ]
    head = tokenize("Here is the whole module:\n\n```python\n" + "\n".join(body[:lines]) + "\n")
    tail = tokenize("```\n\nThat is all.\n")
    return head + tail, len(head)


_QUESTIONS = (
    "How do I retry a request when the server answers 429?",
    "Can you show me a table of the options and their defaults?",
    "Why does the layout jump when the font changes?",
    "Explain the difference between a mutex and a semaphore, with code.",
    "Summarise the previous answer in three bullet points.",
    "What is the fastest way to search a large SQLite table?",
)


class MessagePool:
    """A few hundred distinct, realistic answers to cycle through: cheap to generate."""

    def __init__(self, seed: int = 11, size: int = 120) -> None:
        rnd = random.Random(seed)
        from benchmarks.bench_render import _code, _list, _paragraph, _table

        self.answers: list[str] = []
        for index in range(size):
            kind = index % 10
            if kind < 4:  # short prose
                text = "\n\n".join(_paragraph(rnd) for _ in range(rnd.randint(1, 2)))
            elif kind < 7:  # prose, a list and a small code block
                text = "\n\n".join(
                    [_paragraph(rnd), _list(rnd), _code(rnd, rnd.randint(4, 10)), _paragraph(rnd)]
                )
            elif kind < 9:  # a table
                text = "\n\n".join([_paragraph(rnd), _table(rnd, rnd.randint(3, 8))])
            else:  # a long answer: a full section or two
                text = realistic_answer(rnd.randint(600, 1200), seed=index)
            self.answers.append(text + "\n")

    def question(self, index: int) -> str:
        return f"{_QUESTIONS[index % len(_QUESTIONS)]} (#{index})"

    def answer(self, index: int) -> str:
        return self.answers[index % len(self.answers)]


_SHORT_WORDS = (
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "that",
    "for",
    "it",
    "with",
    "as",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "from",
    "at",
    "or",
    "an",
    "have",
    "not",
    "database",
    "transaction",
    "index",
    "query",
    "cache",
    "memory",
    "thread",
    "network",
    "latency",
    "request",
    "response",
    "server",
    "client",
    "stream",
    "token",
    "model",
    "answer",
    "question",
    "error",
    "retry",
    "timeout",
    "buffer",
    "queue",
    "lock",
    "python",
    "rust",
    "sqlite",
    "window",
    "layout",
    "render",
    "font",
    "colour",
    "theme",
    "search",
    "result",
    "snippet",
    "rank",
    "lighthouse",
    "harbour",
    "recipe",
    "garden",
    "violin",
    "mountain",
    "river",
    "journey",
    "planet",
    "museum",
)


def short_text(rnd: random.Random, words: int) -> str:
    weights = [1.0 / (rank + 1) for rank in range(len(_SHORT_WORDS))]
    return " ".join(rnd.choices(_SHORT_WORDS, weights=weights, k=words)).capitalize() + "."


def fill_store(
    store: Store,
    conversations: int,
    messages: int,
    *,
    realistic: bool = True,
    long_thread: int = 0,
    seed: int = 5,
) -> list[ConversationId]:
    """Conversations with alternating user/assistant messages, through the store's API.

    The first `long_thread` messages go to the first conversation; the rest are spread evenly.
    Returns the conversation ids, oldest activity first.
    """
    from longcat_desktop.domain.chat import ApiFormat
    from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus

    rnd = random.Random(seed)
    pool = MessagePool() if realistic else None
    settings = ConversationSettings(model=MODEL, api_format=ApiFormat.OPENAI)
    ids: list[ConversationId] = []
    with store.transaction():
        for _ in range(conversations):
            ids.append(store.conversations.create(settings).id)
        leaves: dict[ConversationId, MessageId | None] = dict.fromkeys(ids)
        rest = max(1, len(ids) - (1 if long_thread else 0))
        for index in range(messages):
            if index < long_thread:
                conversation = ids[0]
            else:
                offset = 1 if long_thread else 0
                conversation = ids[offset + (index - long_thread) % rest]
            parent = leaves[conversation]
            if parent is None or index % 2 == 0:
                text = pool.question(index) if pool else short_text(rnd, rnd.randint(6, 30))
                message_id = store.messages.add_user_message(conversation, parent, text).id
            else:
                text = pool.answer(index) if pool else short_text(rnd, rnd.randint(10, 120))
                answer = store.messages.start_assistant_message(
                    conversation, parent, model=MODEL, api_format=ApiFormat.OPENAI
                )
                writer = store.writer(answer.id)
                writer.append_text(text)
                writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
                message_id = answer.id
            leaves[conversation] = message_id
    return ids


@contextmanager
def cached_data_dir(name: str, build: Callable[[Path], None], keep: bool = True) -> Iterator[Path]:
    """A fresh temporary data folder holding a copy of a generated database.

    The database is built once (by `build(folder)`) and kept in benchmarks/results/ under
    `name`, which should encode its size; later runs copy it, which takes well under a second.
    """
    from longcat_desktop.store.opening import DATABASE_NAME

    cache = RESULTS / "data" / name
    if not (cache / DATABASE_NAME).exists():
        building = cache.with_name(name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        started = time.perf_counter()
        build(building)
        print(f"  (generated {name} in {time.perf_counter() - started:.1f} s)", flush=True)
        for extra in building.iterdir():
            if extra.name != DATABASE_NAME:
                if extra.is_dir():
                    shutil.rmtree(extra)
                else:
                    extra.unlink()
        if keep:
            shutil.rmtree(cache, ignore_errors=True)
            building.rename(cache)
        else:
            cache = building
    with tempfile.TemporaryDirectory(prefix="longcat-bench-") as folder:
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        shutil.copy2(cache / DATABASE_NAME, data_dir / DATABASE_NAME)
        yield data_dir
    if not keep:
        shutil.rmtree(cache, ignore_errors=True)


def build_database(conversations: int, messages: int, **options: Any) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        from longcat_desktop.store import Store

        store = Store.open(folder)
        try:
            fill_store(store, conversations, messages, **options)
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            store.close()

    return build


# -- the fake server, in its own process ------------------------------------------------------


class ServerProcess:
    """The local LongCat test server in a child process, so that its work never competes with
    the UI thread for this process's GIL. Scenarios are sent over its stdin."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.serve"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self._process.stdout is not None
        hello = json.loads(self._process.stdout.readline())
        self.url: str = hello["url"]
        self.api_key: str = hello["key"]

    def push(self, deltas: Sequence[str], delay: float = 0.0) -> None:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.write(json.dumps({"deltas": list(deltas), "delay": delay}) + "\n")
        self._process.stdin.flush()
        self._process.stdout.readline()  # pushed

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# -- the app, in this process -----------------------------------------------------------------


def qt_app() -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    return app


class AppHarness:
    """The real AppSession (services and main window) offscreen, built inside the running loop
    as the app does. Use `with_app(data_dir, server, body)`."""

    def __init__(self, store: Store, session: AppSession) -> None:
        self.store = store
        self.session = session
        self.window = session.window

    async def settle(self, seconds: float = 0.05) -> None:
        """Let queued events, timers and paints run."""
        await asyncio.sleep(seconds)


def with_app(
    data_dir: Path,
    server: ServerProcess,
    body: Callable[[AppHarness], Coroutine[Any, Any, T]],
    timeout: float = 1800,
) -> T:
    """Runs `body` with a started app, on one qasync loop run, and takes the app down after."""
    import qasync

    from longcat_desktop.services.tasks import install_asyncgen_hooks
    from longcat_desktop.session import AppSession
    from longcat_desktop.store import Store

    app = qt_app()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    install_asyncgen_hooks(loop)
    errors: list[BaseException] = []

    async def main() -> T:
        store = Store.open(data_dir)
        session = AppSession(
            store,
            data_dir,
            errors.append,
            base_url=server.url,
            environ={"LONGCAT_API_KEY": server.api_key},
        )
        session.window.resize(1120, 800)
        session.start()
        try:
            await until(lambda: session.clients.has_key, timeout=20)
            await asyncio.sleep(0.2)  # the model list arrives, the last conversation opens
            return await asyncio.wait_for(body(AppHarness(store, session)), timeout)
        finally:
            await session.aclose()
            session.window.close()
            session.window.deleteLater()
            store.close()
            await asyncio.sleep(0)

    try:
        result: T = loop.run_until_complete(main())
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)
    if errors:
        import traceback

        for error in errors:
            traceback.print_exception(error)
        raise RuntimeError(f"the app reported errors: {errors!r}")
    return result


async def until(condition: Callable[[], object], timeout: float = 60, step: float = 0.002) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {condition}")
        await asyncio.sleep(step)


class PaintWatch:
    """Notes when the top-level `window` has painted a frame.

    Widgets are painted when their top-level window handles an UpdateRequest (Qt's repaint
    manager syncs the backing store there); a filter on that one window delivers the event
    itself and notes the time after it. A filter on the whole application would see every
    event and cost more than what it measures.
    """

    def __init__(self, window: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        watch = self
        update, paint = QEvent.Type.UpdateRequest, QEvent.Type.Paint

        class _Filter(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                kind = event.type()
                if kind == update:
                    started = time.thread_time()
                    type(window).event(window, event)
                    watch.frame_cpu.append(time.thread_time() - started)
                    if watch.armed:
                        watch.painted_at = time.perf_counter()
                        watch.armed = False
                    return True
                if kind == paint and watch.armed:
                    watch.painted_at = time.perf_counter()
                    watch.armed = False
                return False

        self.armed = False
        self.painted_at = 0.0
        self.frame_cpu: list[float] = []
        self._filter = _Filter()
        self._window = window
        window.installEventFilter(self._filter)

    def arm(self) -> None:
        self.armed = True
        self.painted_at = 0.0

    @property
    def painted(self) -> bool:
        return not self.armed and self.painted_at > 0

    def remove(self) -> None:
        self._window.removeEventFilter(self._filter)


class TimerLag:
    """A 5 ms repeating precise timer in the UI thread; lag is how late each tick comes."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.lags: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lags.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        # The wait since the last tick counts too: a UI thread busy until the end of a run
        # that is shorter than one tick still reports how late that tick is.
        self._tick()
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lags.append(max(0.0, now - self._last - self.interval))
        self._last = now
