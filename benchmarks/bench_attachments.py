"""Attachments: where blobs are kept, pasting a 4K screenshot, a conversation of 200 images.

    python -m benchmarks.bench_attachments [--quick] [--repeat N] [--json PATH]

Storage (no app): N contents of about 1 MB written one by one, each durably before the next,
as SQLite blobs in the store (what the app does) and as files in a folder (write, fsync,
rename, fsync the folder); then all read back. In the real app (offscreen, the local test
server in a child process): Ctrl+V of a 3840 x 2160 screenshot in the composer, timed to the
chip being shown (before any processing) and to the prepared chip with its thumbnail (the
work done in a worker thread); then a conversation of 200 messages with one photo each is
opened (timed to the page being built) and scrolled to its start, and the process's memory is
taken.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import (
    AppHarness,
    Figure,
    PaintWatch,
    ServerProcess,
    bench_arguments,
    percentile,
    report,
    rss_mb,
    until,
    with_app,
)

FULL = (40, 200)  # blobs for the storage comparison, images in the conversation
QUICK = (4, 6)


def _storage(count: int) -> list[Figure]:
    from longcat_desktop.domain.attachments import Attachment, AttachmentKind, PreparedAttachment
    from longcat_desktop.domain.chat import ApiFormat
    from longcat_desktop.domain.conversation import ConversationSettings
    from longcat_desktop.store import Store
    from longcat_desktop.store.attachments import content_hash

    blobs = [random.randbytes(1_000_000) for _ in range(count)]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Store.open(root / "db") as store:
            conversation = store.conversations.create(
                ConversationSettings("LongCat-2.0", ApiFormat.OPENAI)
            )
            started = time.perf_counter()
            for index, data in enumerate(blobs):
                attachment = Attachment(
                    content_hash(data), AttachmentKind.IMAGE, f"{index}.png", "image/png", len(data)
                )
                store.attachments.add_to_draft(
                    conversation.id, PreparedAttachment(attachment, data)
                )
            sqlite_write = (time.perf_counter() - started) * 1000 / count
            started = time.perf_counter()
            for attachment in store.attachments.draft(conversation.id):
                store.attachments.data(attachment.sha256)
            sqlite_read = (time.perf_counter() - started) * 1000 / count
        files = root / "files"
        files.mkdir()
        started = time.perf_counter()
        for data in blobs:
            name = content_hash(data)
            temporary = files / f"{name}.tmp"
            with temporary.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(files / name)
            directory = os.open(files, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        files_write = (time.perf_counter() - started) * 1000 / count
        started = time.perf_counter()
        for data in blobs:
            (files / content_hash(data)).read_bytes()
        files_read = (time.perf_counter() - started) * 1000 / count
    return [
        Figure("attach.store.sqlite_write_ms", "1 MB blob written durably (SQLite)", "ms",
               [sqlite_write]),
        Figure("attach.store.files_write_ms", "1 MB file written durably (folder)", "ms",
               [files_write]),
        Figure("attach.store.sqlite_read_ms", "1 MB blob read (SQLite)", "ms", [sqlite_read]),
        Figure("attach.store.files_read_ms", "1 MB file read (folder)", "ms", [files_read]),
    ]  # fmt: skip


def _photo(index: int) -> bytes:
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

    rnd = random.Random(index)
    image = QImage(1280, 960, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 1280, 960)
    gradient.setColorAt(0, QColor(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    gradient.setColorAt(1, QColor(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    painter.fillRect(image.rect(), gradient)
    for _ in range(40):
        painter.fillRect(
            rnd.randrange(1280), rnd.randrange(960), rnd.randrange(200), rnd.randrange(200),
            QColor(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256), 120),
        )  # fmt: skip
    painter.end()
    from tests.services.images import encoded

    return encoded(image, "JPEG", 85)


def build(folder: Path, images: int) -> None:
    """A data folder with one conversation of `images` messages, a photo each, written as the
    app writes them."""
    from PySide6.QtGui import QGuiApplication

    from longcat_desktop.domain.chat import ApiFormat
    from longcat_desktop.domain.conversation import ConversationSettings
    from longcat_desktop.services.attachment_processing import prepare_bytes
    from longcat_desktop.store import Store

    app = QGuiApplication.instance() or QGuiApplication(["build"])
    assert app is not None
    with Store.open(folder) as store:
        conversation = store.conversations.create(
            ConversationSettings("LongCat-2.0", ApiFormat.OPENAI), title="Photos"
        )
        for index in range(images):
            store.attachments.add_to_draft(
                conversation.id, prepare_bytes(_photo(index), f"photo-{index}.jpg")
            )
            with store.transaction():
                leaf = store.messages.current_leaf(conversation.id)
                message = store.messages.add_user_message(
                    conversation.id, leaf, f"Photo {index}: what is in it?"
                )
                store.attachments.move_draft_to_message(conversation.id, message.id)


def run(quick: bool = False, repeat: int | None = None) -> list[Figure]:
    blobs, images = QUICK if quick else FULL
    figures = _storage(blobs)
    shown: list[float] = []
    prepared: list[float] = []
    opened: list[float] = []
    rss_before: list[float] = []
    rss_after: list[float] = []
    scroll: list[float] = []
    rounds = repeat or (1 if quick else 3)
    with tempfile.TemporaryDirectory() as data, ServerProcess() as server:
        # Written by another process, so its work leaves nothing in this one's memory.
        subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_attachments", "--build", data, str(images)],
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )

        async def body(h: AppHarness) -> None:
            from PySide6.QtCore import QEvent, QMimeData, Qt
            from PySide6.QtGui import QGuiApplication
            from PySide6.QtTest import QTest
            from PySide6.QtWidgets import QApplication

            from tests.services.images import screenshot_like

            window = h.window
            composer = window.composer
            conversation_id = next(
                s.id for s in h.session.services.conversations.summaries() if s.title
            )
            other = h.session.services.conversations.create()
            assert other is not None
            for _ in range(rounds):
                window.open_conversation(other.id)
                # The previous round's 200 message widgets are deleted before the clock starts.
                await asyncio.sleep(0.1)
                QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                gc.collect()
                await asyncio.sleep(0.1)
                rss_before.append(rss_mb())
                started = time.perf_counter()
                window.open_conversation(conversation_id)
                opened.append((time.perf_counter() - started) * 1000)
                # Every message built (the view asks for older pages as it is scrolled up).
                while window.page._load_older():
                    pass
                await asyncio.sleep(0.1)
                gc.collect()
                rss_after.append(rss_mb())
                # Scrolled from the newest message to the first, half a screen at a time.
                bar = window.chat_view.verticalScrollBar()
                step = max(1, window.chat_view.viewport().height() // 2)
                bar.setValue(bar.maximum())
                await asyncio.sleep(0.05)
                watch = PaintWatch(window)

                def painted(watch: PaintWatch = watch) -> bool:
                    return watch.painted

                try:
                    while bar.value() > bar.minimum():
                        watch.arm()
                        started = time.perf_counter()
                        bar.setValue(max(bar.value() - step, bar.minimum()))
                        await until(painted, timeout=10, step=0)
                        scroll.append((watch.painted_at - started) * 1000)
                finally:
                    watch.remove()
            screenshot = screenshot_like(3840, 2160)
            for _ in range(rounds):
                created = h.session.services.conversations.create()
                assert created is not None
                window.open_conversation(created.id)
                mime = QMimeData()
                mime.setImageData(screenshot)
                QGuiApplication.clipboard().setMimeData(mime)
                composer.edit.setFocus()
                started = time.perf_counter()
                QTest.keyClick(composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
                await until(lambda: composer.chips.isVisible() and composer.chips.chips)
                shown.append((time.perf_counter() - started) * 1000)
                await until(
                    lambda: (
                        composer.chips.chips
                        and not composer.chips.chips[0].data.pending
                        and composer.chips.chips[0].data.thumbnail
                    ),
                    timeout=60,
                )
                prepared.append((time.perf_counter() - started) * 1000)
            # The clipboard owns the pasted data: give it back before the app goes.
            QGuiApplication.clipboard().clear()

        with_app(Path(data), server, body)
    figures += [
        Figure("attach.paste_to_chip_ms", "Ctrl+V of a 4K screenshot to a visible chip", "ms",
               shown, budget=150),
        Figure("attach.paste_to_thumbnail_ms", "  to the prepared chip with its thumbnail",
               "ms", prepared),
        Figure("attach.open_ms", f"opening a conversation of {images} images", "ms", opened,
               budget=150),
        Figure("attach.scroll_frame_ms", f"scrolling through the {images} images: step to frame",
               "ms", scroll, budget=16,
               note=f"p95 {percentile(scroll, 0.95):.1f} ms over {len(scroll)} steps"
               if scroll else ""),
        Figure("attach.rss_all_shown_mb", f"RSS with all {images} images' messages built",
               "MB", rss_after, budget=200,
               note="RSS before opening: " + ", ".join(f"{v:.0f}" for v in rss_before) + " MB"),
    ]  # fmt: skip
    return figures


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["--build"]:
        build(Path(given[1]), int(given[2]))
        return []
    args = bench_arguments(__doc__.splitlines()[0], argv)
    figures = run(args.quick, args.repeat)
    report("Attachments", figures, args.json)
    return figures


if __name__ == "__main__":
    main()
