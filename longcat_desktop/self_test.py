"""`longcat-desktop --self-test`: does this installation (or bundle) have everything it needs?

Runs without a screen (app.py selects Qt's offscreen platform first) and without the network or
the keyring: it opens a database in a temporary folder, writes a conversation with a Markdown
answer into it, builds the real main window on the qasync loop, lets it show that conversation,
and checks what a missing module, plugin or data file would break: SQLite full-text search, the
Markdown renderer and Pygments' lexers, SVG icons, the app icon, both translations, TLS
certificates, the keyring backends, QtNetwork's local sockets. Each check prints one line;
the exit code is 0 only if all passed.
"""

from __future__ import annotations

import asyncio
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from longcat_desktop.domain.ids import ConversationId
    from longcat_desktop.session import AppSession
    from longcat_desktop.store import Store

from longcat_desktop import __version__

SAMPLE_QUESTION = "How do I read a file line by line in Python?"
SAMPLE_ANSWER = """\
## Reading a file

Open it in a `with` block, then loop over the **file object**:

```python
with open("notes.txt", encoding="utf-8") as handle:
    for line in handle:
        print(line.rstrip())
```

| Way | Memory |
|-----|--------|
| `for line in handle` | one line at a time |
| `handle.readlines()` | the whole file |

- works for *any* size of file
- see the [documentation](https://docs.python.org/3/tutorial/inputoutput.html)
"""
SEARCH_WORD = "readlines"
TIMEOUT_S = 60.0


class Checks:
    """Runs checks, prints one line for each, remembers failures."""

    def __init__(self, out: Callable[[str], None]) -> None:
        self.out = out
        self.passed = 0
        self.failed: list[str] = []

    def check(self, name: str, body: Callable[[], str]) -> bool:
        try:
            detail = body()
        except Exception as error:  # every failure is reported, none ends the run
            self.failed.append(name)
            self.out(f"  FAIL {name}: {type(error).__name__}: {error}")
            for line in traceback.format_exc().rstrip().splitlines()[-6:]:
                self.out(f"         {line}")
            return False
        self.passed += 1
        self.out(f"  ok   {name}" + (f": {detail}" if detail else ""))
        return True


def run_self_test(app: QApplication, out: Callable[[str], None] = print) -> int:
    import qasync

    from longcat_desktop.services.tasks import install_asyncgen_hooks

    started = time.perf_counter()
    out(f"LongCat Desktop {__version__} self-test")
    checks = Checks(out)
    # Closing the test window must not end the loop the checks run on.
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    install_asyncgen_hooks(loop)
    try:
        with tempfile.TemporaryDirectory(prefix="longcat-self-test-") as folder:
            loop.run_until_complete(asyncio.wait_for(_run(app, Path(folder), checks), TIMEOUT_S))
    except Exception as error:
        checks.failed.append("the run itself")
        out(f"  FAIL the run itself: {type(error).__name__}: {error}")
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    seconds = time.perf_counter() - started
    if checks.failed:
        out(f"self-test FAILED: {', '.join(checks.failed)} ({seconds:.1f} s)")
        return 1
    out(f"self-test passed: {checks.passed} checks in {seconds:.1f} s")
    return 0


async def _run(app: QApplication, data_dir: Path, checks: Checks) -> None:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    checks.check(
        "Qt",
        lambda: (
            f"Qt {qVersion()}, PySide6 {pyside_version}, platform {app.platformName()},"
            f" Python {platform.python_version()} on {sys.platform}"
        ),
    )
    checks.check("app icon", _app_icon)
    checks.check("SVG icons", _svg_icons)
    checks.check("translations", lambda: _translations(app))
    checks.check("Markdown rendering", _markdown)
    checks.check("libraries loaded on first use", _late_libraries)
    checks.check("TLS certificates", _tls)
    checks.check("keyring backends", _keyring)
    checks.check("local socket", lambda: _local_socket(data_dir))

    from longcat_desktop.store import Store

    store: Store | None = None

    def open_store() -> str:
        nonlocal store
        store = Store.open(data_dir / "data")
        return f"{store.db.path.name} in a temporary folder, search index {store.report.tokenizer}"

    if not checks.check("database", open_store) or store is None:
        return
    try:
        await _window_checks(store, data_dir / "data", checks)
    finally:
        store.close()


async def _window_checks(store: Store, data_dir: Path, checks: Checks) -> None:
    from longcat_desktop.session import AppSession

    errors: list[BaseException] = []
    session: AppSession | None = None

    def build() -> str:
        nonlocal session
        session = AppSession(store, data_dir, errors.append, environ={})
        session.window.resize(1000, 700)
        session.window.show()
        return "services and main window built"

    if not checks.check("main window", build) or session is None:
        return
    window = session.window
    try:
        conversation_id = _write_sample(session, store)
        checks.check("search", lambda: _search(store))
        window.open_conversation(conversation_id)
        deadline = time.monotonic() + 10
        # Polled: no signal says "this message is on screen".
        while time.monotonic() < deadline and _rendered_answer(window) is None:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        checks.check("conversation shown", lambda: _shown(window))
        checks.check("window drawn", lambda: _drawn(window))
    finally:
        window.close()
        await session.aclose()
        window.deleteLater()
        await asyncio.sleep(0)
    if errors:
        checks.check("no unexpected errors", lambda: _raise(errors[0]))


def _write_sample(session: AppSession, store: Store) -> ConversationId:
    from longcat_desktop.domain.conversation import MessageStatus

    conversation = session.services.conversations.create()
    assert conversation is not None, "could not create a conversation"
    question = store.messages.add_user_message(conversation.id, None, SAMPLE_QUESTION)
    answer = store.messages.start_assistant_message(
        conversation.id,
        question.id,
        model=conversation.settings.model,
        api_format=conversation.settings.api_format,
    )
    writer = store.writer(answer.id)
    writer.append_text(SAMPLE_ANSWER)
    writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
    return conversation.id


def _raise(error: BaseException) -> str:
    raise error


def _app_icon() -> str:
    from PySide6.QtWidgets import QApplication

    from longcat_desktop.desktop_entry import icon_pngs

    icon = QApplication.windowIcon()
    sizes = sorted(size.width() for size in icon.availableSizes())
    if icon.isNull() or not sizes:
        raise RuntimeError("the application has no window icon")
    if icon.pixmap(48, 48).isNull():
        raise RuntimeError("the 48 px icon cannot be drawn")
    missing = set(icon_pngs()) - set(sizes)
    if missing:
        raise RuntimeError(f"sizes missing: {sorted(missing)}")
    return f"{len(sizes)} sizes, {sizes[0]} to {sizes[-1]} px"


def _svg_icons() -> str:
    from longcat_desktop.ui.icons import ICON_NAMES, render_pixmap

    image = render_pixmap("settings", 24, "#000000").toImage()
    if not any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24)):
        raise RuntimeError("the settings icon rendered empty")
    return f"{len(ICON_NAMES)} icons, drawn by QtSvg"


def _translations(app: QApplication) -> str:
    from PySide6.QtCore import QCoreApplication

    from longcat_desktop.i18n import CHINESE_SIMPLIFIED, Translations, catalogue_path

    translations = Translations(app)
    try:
        if not translations.apply(CHINESE_SIMPLIFIED):
            raise RuntimeError(f"{catalogue_path(CHINESE_SIMPLIFIED).name} did not load")
        translated = QCoreApplication.translate("SettingsDialog", "Settings")
        if translated == "Settings":
            raise RuntimeError("the Chinese catalogue does not translate 'Settings'")
        files = [Path(path).name for path in translations.installed_files]
    finally:
        translations.close()
    return f"English, 简体中文 ({', '.join(files)}; “Settings” is “{translated}”)"


def _markdown() -> str:
    from longcat_desktop.render.document import StreamingDocument
    from longcat_desktop.render.theme import LIGHT_THEME

    document = StreamingDocument(LIGHT_THEME)
    document.set_text(SAMPLE_ANSWER)
    html = document.document.toHtml()
    text = document.document.toPlainText()
    problems = [
        what
        for what, ok in (
            ("heading", "Reading a file" in text),
            ("table", "<table" in html and "one line at a time" in text),
            ("code block", document.code_block_count == 1),
            ("link", "docs.python.org" in html),
            # Pygments colours keywords; without its lexers the code stays one colour.
            ("highlighting", html.count("color:") > 6),
        )
        if not ok
    ]
    if problems:
        raise RuntimeError(f"missing from the rendered answer: {', '.join(problems)}")
    return "heading, table, link and a highlighted Python block"


def _late_libraries() -> str:
    """What the app loads only when a feature is first used is in the installation: the MCP
    client and schema checks (tools), the TeX typesetter with its font (math), the PDF reader
    (attachments), AES-GCM (sync) and the image readers (attached photos)."""
    import importlib

    from PySide6.QtGui import QImageReader

    for name in (
        "longcat_desktop.tools.connection",
        "mcp.client.session",
        "mcp.client.stdio",
        "mcp.client.streamable_http",
        "jsonschema",
        "pypdf",
        "cryptography.hazmat.primitives.ciphers.aead",
    ):
        importlib.import_module(name)
    from ziamath.zmath import Latex

    svg = Latex(r"\frac{a}{b}").svg()
    if "<svg" not in svg:
        raise RuntimeError("the TeX typesetter drew nothing")
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"jpeg", "gif", "webp", "png"} - formats
    if missing:
        raise RuntimeError(f"no image reader for {', '.join(sorted(missing))}")
    return "MCP client, JSON Schema, TeX typesetter, PDF reader, AES-GCM, JPEG/GIF/WebP"


def _tls() -> str:
    import ssl

    import certifi
    import httpx

    bundle = Path(certifi.where())
    context = ssl.create_default_context(cafile=str(bundle))
    count = len(context.get_ca_certs())
    if count < 10:
        raise RuntimeError(f"only {count} CA certificates in {bundle}")
    return f"{ssl.OPENSSL_VERSION}, {count} CA certificates, httpx {httpx.__version__}"


def _keyring() -> str:
    """The backends this platform needs are present; none is called (no prompt, no D-Bus)."""
    import importlib

    import keyring

    needed = {
        "linux": ["keyring.backends.SecretService", "keyring.backends.kwallet"],
        "win32": ["keyring.backends.Windows"],
        "darwin": ["keyring.backends.macOS"],
    }.get(sys.platform, ["keyring.backends.SecretService"])
    for name in needed:
        importlib.import_module(name)
    backends = ", ".join(name.rsplit(".", 1)[-1] for name in needed)
    return f"{keyring.__name__} with {backends}"


def _local_socket(data_dir: Path) -> str:
    from longcat_desktop.single_instance import SingleInstance

    instance = SingleInstance(data_dir)
    try:
        instance.listen(lambda: None)
        if not instance.wake_other():
            raise RuntimeError("the single-instance socket did not answer")
    finally:
        instance.close()
    return "single-instance wake-up works"


def _search(store: Store) -> str:
    hits = store.search(SEARCH_WORD)
    if not hits:
        raise RuntimeError(f"searching for {SEARCH_WORD!r} found nothing")
    return f"found {SEARCH_WORD!r} in the sample answer"


def _rendered_answer(window: object) -> str | None:
    from PySide6.QtWidgets import QTextEdit, QWidget

    assert isinstance(window, QWidget)
    for view in window.findChildren(QTextEdit):
        html = view.document().toHtml()
        if "one line at a time" in view.toPlainText() and "<table" in html:
            return html
    return None


def _shown(window: object) -> str:
    html = _rendered_answer(window)
    if html is None:
        raise RuntimeError("the sample answer is not on screen")
    return "the sample answer is in the chat view, with its table and code"


def _drawn(window: object) -> str:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    image = window.grab().toImage()
    step = max(1, image.width() // 64)
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }
    if image.isNull() or len(colours) < 8:
        raise RuntimeError("the window drew as a blank image")
    return f"{image.width()}x{image.height()} px, {len(colours)} colours sampled"
