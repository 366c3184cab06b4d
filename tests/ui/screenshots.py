"""Screenshots of the real window: `python -m tests.ui.screenshots [OUT_DIR]`.

Builds the whole app (AppSession, as app.py does) on a fresh data folder with sample
conversations, against the local LongCat test server, with an in-memory keyring, and saves:

    main-light.png   the main window, light theme
    main-dark.png    the same, dark theme
    settings.png     the settings dialog after a successful "Test connection"
    settings-sync.png  its Sync page
    math.png         an answer with typeset formulas, light theme

Run it under a display (`xvfb-run -a -s "-screen 0 1280x800x24" python -m tests.ui.screenshots
docs/screenshots`); tests/ui/test_screenshots.py does exactly that. OUT_DIR defaults to
$LONGCAT_SCREENSHOT_DIR, else docs/screenshots.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WINDOW_SIZE = (1280, 800)
KEY = "lc-screenshot-key"
MODELS = ["LongCat-2.0", "LongCat-2.5-Preview"]

QUESTION_1 = "How do I sort a list of records by two keys in Python, newest first?"
ANSWER_1 = """\
Use `sorted()` with a **key function** that returns a tuple. Python compares tuples item by \
item, so the first key decides and the second breaks ties.

| Approach | Stable | Speed | Good for |
|---|---|---|---|
| `sorted(key=…)` | yes | fast | most cases |
| `operator.attrgetter` | yes | fastest | plain attributes |
| two passes of `sort()` | yes | fast | mixed directions |

```python
from operator import attrgetter

records.sort(key=attrgetter("name"))             # secondary key first
records.sort(key=attrgetter("created"), reverse=True)  # then the primary key
```

Because Python's sort is *stable*, the second pass keeps the name order within each date.
"""

QUESTION_2 = "Is the two-pass version slower for a million records?"
REASONING_2 = (
    "Two passes of Timsort over a million items: each is O(n log n), but the second pass "
    "runs over data that is already partly ordered, so Timsort finds runs quickly. The key "
    "function is called once per item per pass."
)
ANSWER_2 = """\
Only a little. Each pass is *O(n log n)*, and the second one is cheaper because Timsort \
detects the runs the first pass left behind. On a million records expect roughly **1.3×** \
the time of a single pass."""

QUESTION_3 = "Can you benchmark it on my data?"

QUESTION_MATH = "How do I solve $ax^2 + bx + c = 0$?"
REASONING_MATH = "Complete the square, then read off the discriminant and Vieta's formulas."
ANSWER_MATH = r"""Divide by \(a\) and complete the square. The two roots are

$$x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}$$

The **discriminant** \(\Delta = b^2 - 4ac\) tells you what kind of roots to expect:

- \(\Delta > 0\): two real roots
- \(\Delta = 0\): one double root, \(x = -\frac{b}{2a}\)
- \(\Delta < 0\): two complex roots, \(x = \frac{-b \pm i\sqrt{-\Delta}}{2a}\)

By Vieta's formulas the roots also satisfy

\[ x_1 + x_2 = -\frac{b}{a}, \qquad x_1 x_2 = \frac{c}{a} \]

For example, $x^2 - 5x + 6 = 0$ has $x_1 = 2$ and $x_2 = 3$: they sum to 5
and multiply to 6, as the formulas say.
"""


def _seed(data_dir: Path) -> None:
    from longcat_desktop.domain import ApiFormat
    from longcat_desktop.domain.conversation import ConversationSettings, ErrorDetails
    from longcat_desktop.domain.conversation import MessageStatus as Status
    from longcat_desktop.domain.events import Usage
    from longcat_desktop.domain.ids import MessageId
    from longcat_desktop.store import Store
    from longcat_desktop.store.streaming import StreamingMessageWriter

    # Relative to today, so the list shows "Yesterday", weekdays and times as a user sees them.
    now = [time.time() - 4 * 86400]

    def clock() -> float:
        return now[0]

    def later(seconds: float) -> None:
        now[0] += seconds

    store = Store.open(data_dir, clock=clock)
    settings = ConversationSettings(MODELS[0], ApiFormat.OPENAI)
    try:
        for title, pinned in (
            ("Trip to Lisbon: 4-day plan", True),
            ("SQL window functions", False),
            ("Regex for ISO dates", False),
            ("Birthday poem for Mia", False),
            ("Explain Rust lifetimes", False),
        ):
            created = store.conversations.create(settings, title=title)
            user = store.messages.add_user_message(created.id, None, title)
            answer = store.messages.start_assistant_message(
                created.id, user.id, model=MODELS[0], api_format=ApiFormat.OPENAI
            )
            writer = store.writer(answer.id)
            writer.append_text("…")
            writer.finish(Status.COMPLETE, finish_reason="stop")
            if pinned:
                store.conversations.set_pinned(created.id, True)
            later(3600 * 17)

        maths = store.conversations.create(settings, title="Solving quadratic equations")
        asked = store.messages.add_user_message(maths.id, None, QUESTION_MATH)
        solved = store.messages.start_assistant_message(
            maths.id, asked.id, model=MODELS[0], api_format=ApiFormat.OPENAI
        )
        writer = StreamingMessageWriter(store.db, solved.id, monotonic=clock, clock=clock)
        writer.append_reasoning(REASONING_MATH)
        later(6.2)
        writer.append_text(ANSWER_MATH)
        later(3.4)
        writer.finish(
            Status.COMPLETE, finish_reason="stop", usage=Usage(input_tokens=24, output_tokens=310)
        )
        later(3600)

        main = store.conversations.create(settings, title="Sorting records in Python")

        def exchange(
            parent: MessageId | None,
            question: str,
            answer: str,
            *,
            reasoning: str = "",
            seconds: float = 4.0,
            status: Status = Status.COMPLETE,
            error: ErrorDetails | None = None,
            tokens: int = 0,
        ) -> MessageId:
            user = store.messages.add_user_message(main.id, parent, question)
            later(0.6)
            started = store.messages.start_assistant_message(
                main.id, user.id, model=MODELS[0], api_format=ApiFormat.OPENAI
            )
            writer = store.writer(started.id)
            if reasoning:
                later(0.4)
                writer.append_reasoning(reasoning)
            if answer:
                later(0.5)
                writer.append_text(answer)
            later(seconds)
            usage = Usage(input_tokens=180, output_tokens=tokens) if tokens else None
            writer.finish(
                status, finish_reason="stop" if error is None else None, usage=usage, error=error
            )
            later(40)
            return started.id

        first = exchange(None, QUESTION_1, ANSWER_1, seconds=3.1, tokens=214)
        second = exchange(
            first, QUESTION_2, ANSWER_2, reasoning=REASONING_2, seconds=2.2, tokens=118
        )
        exchange(
            second,
            QUESTION_3,
            "",
            seconds=0.3,
            status=Status.ERROR,
            error=ErrorDetails(
                message="Service temporarily unavailable",
                type="server_error",
                code="service_unavailable",
                status=503,
            ),
        )
    finally:
        store.close()


async def _until(condition: Callable[[], object], timeout: float = 15) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out waiting for {condition}")
        await asyncio.sleep(0.02)


async def _settle(seconds: float = 0.4) -> None:
    """Let layouts, fonts and the theme's repaint finish before a grab."""
    await asyncio.sleep(seconds)


async def _capture(out_dir: Path, data_dir: Path) -> list[Path]:
    import keyring
    from PySide6.QtWidgets import QApplication

    from longcat_desktop.services import options
    from longcat_desktop.services.tasks import install_asyncgen_hooks
    from longcat_desktop.session import AppSession
    from longcat_desktop.store import Store
    from longcat_desktop.store.secrets import SERVICE_NAME, USERNAME
    from tests.fakes.longcat_server import LongCatServer
    from tests.fakes.memory_keyring import MemoryKeyring

    install_asyncgen_hooks(asyncio.get_running_loop())
    backend = MemoryKeyring()
    backend.passwords[(SERVICE_NAME, USERNAME)] = KEY
    keyring.set_keyring(backend)
    errors: list[BaseException] = []
    saved: list[Path] = []
    with LongCatServer(api_key=KEY, models=MODELS) as server:
        store = Store.open(data_dir)
        session = AppSession(store, data_dir, errors.append, base_url=server.url, environ={})
        window = session.window
        try:
            session.services.settings.update({options.THEME.key: "light"}, save=False)
            window.resize(*WINDOW_SIZE)
            session.start()
            await _until(lambda: window.conversation_id is not None)
            await _until(lambda: window.model_picker.combo.count() == len(MODELS))
            await _until(lambda: window.model_picker.info_label.text())
            await _until(lambda: "Connected" in window.connection_status())
            target = next(
                s.id
                for s in session.services.conversations.summaries()
                if s.title == "Sorting records in Python"
            )
            window.open_conversation(target)
            window.composer.set_draft("")
            window.activateWindow()
            window.composer.focus_input()
            await _settle(0.8)
            # The light shot starts at the question: its answer has the table and the code.
            first = window.chat_view.message_ids()[0]
            window.chat_view.scroll_to_message(first, highlight=False)
            await _settle()
            # Staged: the floating "Jump to latest" would cover part of the answer.
            window.chat_view.jump_button.hide()

            light = out_dir / "main-light.png"
            window.grab().save(str(light))
            saved.append(light)

            session.services.settings.update({options.THEME.key: "dark"}, save=False)
            await _settle(0.8)
            window.chat_view.jump_to_latest()
            await _settle()
            dark = out_dir / "main-dark.png"
            window.grab().save(str(dark))
            saved.append(dark)

            session.services.settings.update({options.THEME.key: "light"}, save=False)
            await _settle()
            window.open_settings()
            dialog = window.settings_flow.dialog
            assert dialog is not None
            dialog.test_button.click()
            await _until(lambda: dialog.test_result.isVisibleTo(dialog))
            await _settle()
            settings_png = out_dir / "settings.png"
            dialog.grab().save(str(settings_png))
            saved.append(settings_png)
            sync_titles = [dialog.nav.item(i).text() for i in range(dialog.nav.count())]
            if "Sync" in sync_titles:
                dialog.show_page(sync_titles.index("Sync"))
                await _settle()
                sync_png = out_dir / "settings-sync.png"
                dialog.grab().save(str(sync_png))
                saved.append(sync_png)
            dialog.reject()

            saved.append(await _capture_math(window, session, out_dir))
        finally:
            window.close()
            await session.aclose()
            store.close()
            QApplication.processEvents()
    if errors:
        raise RuntimeError(f"the app reported errors: {errors!r}")
    return saved


async def _capture_math(window: Any, session: Any, out_dir: Path) -> Path:
    """The quadratic-formula answer, every formula typeset."""
    from longcat_desktop.render import math_images

    target = next(
        s.id
        for s in session.services.conversations.summaries()
        if s.title == "Solving quadratic equations"
    )
    window.open_conversation(target)
    await _settle(0.5)
    await _until(lambda: math_images.formulas_pending() == 0)
    await _settle()
    window.chat_view.scroll_to_message(window.chat_view.message_ids()[0], highlight=False)
    await _settle()
    window.chat_view.jump_button.hide()
    path = out_dir / "math.png"
    window.grab().save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(
        args[0] if args else os.environ.get("LONGCAT_SCREENSHOT_DIR", "docs/screenshots")
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.pop("LONGCAT_API_KEY", None)

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("LongCat Desktop")
    app.setOrganizationName("LongCat")
    # As app.py does: closing the window must not stop the loop while the session still
    # closes its connections (with more than one open, that takes a turn of the loop).
    app.setQuitOnLastWindowClosed(False)
    with tempfile.TemporaryDirectory(prefix="longcat-shots-") as temp:
        data_dir = Path(temp) / "data"
        data_dir.mkdir()
        _seed(data_dir)
        saved = qasync.run(_capture(out_dir, data_dir))
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
