"""asyncio on the Qt loop for tests: pytest-qt drives Qt, not asyncio, so tests bring qasync.

A test runs its body as a coroutine with `run(loop, body())`, and waits inside it with
`await emitted(signal)` or `await until(condition)`. Blocking waits such as qtbot.waitSignal
must not be used inside the coroutine: they would re-enter the loop from within a task.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication

from longcat_desktop.services.tasks import install_asyncgen_hooks

T = TypeVar("T")


@pytest.fixture(scope="session")
def _session_qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    # One loop for the whole run: creating and closing a qasync loop per test left Qt timers
    # of the closed loop's objects behind, which crashed a later test's event processing.
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    previous_hooks = sys.get_asyncgen_hooks()
    install_asyncgen_hooks(loop)
    try:
        yield loop
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)
        sys.set_asyncgen_hooks(*previous_hooks)


@pytest.fixture
def qloop(_session_qloop: asyncio.AbstractEventLoop) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop, with every task a test left behind cancelled at its end."""
    loop = _session_qloop
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            run(loop, asyncio.gather(*pending, return_exceptions=True))
        # Outside a test that uses the loop, no loop runs (asyncio.run and anyio need that).
        asyncio.events._set_running_loop(None)


def run(loop: asyncio.AbstractEventLoop, body: Awaitable[T], timeout: float = 20) -> T:
    """Run the loop until `body` is done.

    Not qasync's run_until_complete: after its loop stops, that processes the pending Qt events
    once more with no running asyncio loop, so a task stepped there fails with "no running
    event loop" (the app never sees this: its loop runs once, for its whole life).
    """
    future = asyncio.ensure_future(asyncio.wait_for(body, timeout), loop=loop)
    future.add_done_callback(lambda _future: loop.stop())
    loop.run_forever()
    _keep_current(loop)
    if not future.done():
        future.cancel()
        raise RuntimeError("the event loop stopped before the test body finished")
    return future.result()


def _keep_current(loop: asyncio.AbstractEventLoop) -> None:
    """Let callbacks that Qt runs between two `run` calls see `loop` as the running loop.

    pytest-qt processes pending Qt events after each test phase. A task stepped there (a model
    list or an answer still in flight when a test body returns) would otherwise fail with "no
    running event loop", which cannot happen in the app, whose loop runs for its whole life.
    """
    asyncio.events._set_running_loop(loop)


async def emitted(
    signal: SignalInstance,
    predicate: Callable[..., bool] | None = None,
    timeout: float = 10,
) -> tuple[Any, ...]:
    """The arguments of the next emission of `signal` that satisfies `predicate`."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def handler(*args: Any) -> None:
        if not future.done() and (predicate is None or predicate(*args)):
            future.set_result(args)

    signal.connect(handler)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(handler)


async def until(condition: Callable[[], object], timeout: float = 10, what: str = "") -> None:
    """Wait until `condition()` is true, letting the loop run meanwhile."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.005)
