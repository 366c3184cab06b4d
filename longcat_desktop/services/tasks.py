"""Ownership of asyncio tasks: every task has an owner that can cancel it and hears its failure."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    # Only for annotations: asyncio itself loads after the window's first frame.
    import asyncio

T = TypeVar("T")

log = logging.getLogger(__name__)

ErrorHook = Callable[[BaseException], None]


class TaskOwner:
    """Starts tasks on one loop, keeps them alive until they end, and cancels them on demand.

    asyncio holds only weak references to tasks, so an unowned task can vanish mid-answer;
    holding them here also lets shutdown cancel whatever is still running.
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop | None = None, on_error: ErrorHook | None = None
    ) -> None:
        # None: the thread's event loop when the first task starts. The app builds its
        # services, and paints its first frame, before that loop exists; tests make one first.
        self._loop = loop
        self._on_error = on_error
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            import asyncio

            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                self._loop = asyncio.get_event_loop()
        return self._loop

    def spawn(self, coroutine: Coroutine[Any, Any, T], *, name: str) -> asyncio.Task[T]:
        task = self.loop.create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        if self._on_error is not None:
            self._on_error(error)
        else:
            log.error("Task %s failed", task.get_name(), exc_info=error)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def wait_cancelled(self) -> None:
        """Cancel everything and wait until each task has run its cleanup."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            import asyncio

            await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def running(self) -> int:
        return len(self._tasks)


def install_asyncgen_hooks(loop: asyncio.AbstractEventLoop) -> None:
    """Let `loop` finalise abandoned async generators, as asyncio's own run_forever does.

    qasync's loop skips this, so a generator left suspended (httpcore's byte stream after a
    cancelled answer) would be closed by the garbage collector outside any loop and complain.
    """
    import sys

    firstiter = getattr(loop, "_asyncgen_firstiter_hook", None)
    finalizer = getattr(loop, "_asyncgen_finalizer_hook", None)
    if firstiter is not None and finalizer is not None:
        sys.set_asyncgen_hooks(firstiter=firstiter, finalizer=finalizer)
