"""Importing through the service: read off the UI thread, progress, Cancel, clear failures."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_import import write_export
from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.services import import_job
from longcat_desktop.services.conversation_service import ConversationService
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store import importers
from longcat_desktop.store.store import Store
from tests.qt_async import emitted, run
from tests.store.importers.helpers import CHATGPT


@pytest.fixture
def service(tmp_path: Path, qloop: asyncio.AbstractEventLoop) -> Iterator[ConversationService]:
    store = Store.open(tmp_path / "data")
    tasks = TaskOwner(qloop)
    try:
        yield ConversationService(
            store, lambda: ConversationSettings("LongCat-2.0", ApiFormat.OPENAI), tasks=tasks
        )
    finally:
        run(qloop, tasks.wait_cancelled())
        store.close()


def _store(service: ConversationService) -> Store:
    return service._store


def test_the_file_is_read_on_a_worker_thread_and_written_with_progress(
    service: ConversationService, qloop: asyncio.AbstractEventLoop, monkeypatch: Any
) -> None:
    readers: list[threading.Thread] = []
    real = importers.read_import

    def recording(*args: Any, **kwargs: Any) -> Any:
        readers.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(import_job, "read_import", recording)
    progress: list[tuple[int, int]] = []
    changes: list[bool] = []
    service.listChanged.connect(lambda: changes.append(True))

    async def body() -> tuple[Any, ...]:
        job = service.import_file(CHATGPT)
        job.progress.connect(lambda done, total: progress.append((done, total)))
        return await emitted(job.finished)

    summary, skipped = run(qloop, body())
    assert readers
    assert readers[0] is not threading.main_thread()
    assert summary.startswith("Imported 3 of 4 conversations from chatgpt_conversations.json")
    assert skipped == ["Skipped “Broken one”: the conversation has no message mapping"]
    assert progress[-1] == (4, 4)
    assert changes
    assert _store(service).conversations.count() == 3


def test_a_file_that_is_no_export_fails_with_the_reason_and_adds_nothing(
    service: ConversationService, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)

    async def body() -> tuple[Any, ...]:
        return await emitted(service.import_file(path).failed)

    (reason,) = run(qloop, body())
    assert reason == "The file is not a conversation export: its JSON is nested too deeply."
    assert _store(service).conversations.count() == 0


def test_cancel_keeps_whole_conversations_and_stops_the_rest(
    service: ConversationService, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    path = tmp_path / "conversations.json"
    write_export(path, 300, 3, turns=3)

    async def body() -> tuple[Any, ...]:
        job = service.import_file(path)
        job.progress.connect(lambda done, total: job.cancel() if done else None)
        return await emitted(job.finished)

    summary, _ = run(qloop, body())
    store = _store(service)
    count = store.conversations.count()
    assert 0 < count < 300
    assert summary.startswith(f"Import cancelled: {count} of 300 conversations imported")
    # Each conversation is all or nothing: every one written has all its messages.
    sizes = store.db.query("SELECT count(*) FROM messages GROUP BY conversation_id")
    assert {size for (size,) in sizes} == {7}


def test_the_loop_keeps_turning_while_a_large_file_imports(
    service: ConversationService, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    path = tmp_path / "conversations.json"
    write_export(path, 200, 4, turns=4)
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(qloop.time())
            await asyncio.sleep(0.005)

    async def body() -> tuple[Any, ...]:
        tick = asyncio.ensure_future(ticker())
        try:
            return await emitted(service.import_file(path).finished, timeout=60)
        finally:
            tick.cancel()

    started = qloop.time()
    run(qloop, body(), timeout=60)
    assert _store(service).conversations.count() == 200
    # Not a timing budget: only that the loop ran all along, not once at the end.
    assert len(ticks) > 3
    assert ticks[1] - started < (qloop.time() - started) / 2
