"""One import of a conversation file: read off the UI thread, written conversation by conversation.

The file is read, parsed and converted on a worker thread (a large export takes seconds there);
the database is written on the store's thread, one conversation per transaction, giving the
loop back after each so that the window repaints, shows progress and hears Cancel.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.user_text import localized, store_error_text
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.importers import ImportCancelledError, Tally, read_import
from longcat_desktop.store.store import Store

if TYPE_CHECKING:
    import asyncio

# How long the writing goes on between two looks at the event loop: short enough for a
# smooth progress bar and an immediate Cancel, long enough that yielding costs little.
_SLICE_SECONDS = 0.03


class ImportJob(QObject):
    # Conversations done, out of how many (0 of 0 while the file is being read).
    progress = Signal(int, int)
    # The summary line, then one line per conversation skipped, in the interface's language.
    finished = Signal(str, list)
    # The file could not be imported at all; the sentence says why. Nothing was added.
    failed = Signal(str)

    def __init__(
        self,
        store: Store,
        path: Path,
        settings: ConversationSettings,
        tasks: TaskOwner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self._store = store
        self._settings = settings
        self._tasks = tasks
        self._stop = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self.tally: Tally | None = None
        self.on_added: Callable[[], None] | None = None

    def start(self) -> None:
        self._task = self._tasks.spawn(self._run(), name="import")

    def cancel(self) -> None:
        """Stop after the conversation being written; those written already stay."""
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        import asyncio

        self.progress.emit(0, 0)
        try:
            plan = await asyncio.to_thread(
                read_import, self.path, self._settings, self._stop.is_set
            )
        except ImportCancelledError:
            self.finished.emit(localized(Tally(0).summary_cancelled()), [])
            return
        except StoreError as error:
            self.failed.emit(store_error_text(error))
            return
        except BaseException:
            # Cancelled by its owner (the app quitting): the worker thread stops soon too.
            self._stop.set()
            raise
        tally = Tally(len(plan.candidates))
        self.progress.emit(0, tally.total)
        steps = self._store.import_steps(plan)
        slice_end = time.monotonic() + _SLICE_SECONDS
        try:
            for tally in steps:
                if self._stop.is_set():
                    break
                if time.monotonic() >= slice_end:
                    self.progress.emit(tally.done, tally.total)
                    await asyncio.sleep(0)
                    slice_end = time.monotonic() + _SLICE_SECONDS
        except StoreError as error:
            # The database failed (disk full): what was written stays, and the user hears why.
            self.tally = tally
            self._announce_added(tally)
            self.failed.emit(store_error_text(error))
            return
        finally:
            steps.close()
        self.tally = tally
        self._announce_added(tally)
        self.progress.emit(tally.done, tally.total)
        cancelled = self._stop.is_set() and tally.done < tally.total
        summary = tally.summary_cancelled() if cancelled else tally.summary(plan)
        self.finished.emit(localized(summary), [localized(line) for line in tally.skipped_lines()])

    def _announce_added(self, tally: Tally) -> None:
        if tally.added and self.on_added is not None:
            self.on_added()
