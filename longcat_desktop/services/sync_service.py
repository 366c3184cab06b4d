"""Sync while the app runs: when asked, after changes, every few minutes, at start and at quit.

A sync runs in a worker thread with a database connection of its own (sync/command.py), so the
window never waits for the network or for a merge; the merge writes in short transactions. What
the window needs afterwards (a new list, a changed thread) it hears through `dataChanged`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.services.settings_service import SettingsService
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.user_text import localized
from longcat_desktop.store import settings as options
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.named_secrets import NamedSecrets
from longcat_desktop.store.settings import ProxyMode
from longcat_desktop.store.store import Store
from longcat_desktop.store.sync_changes import SyncLedger, SyncOutcome

if TYPE_CHECKING:
    import asyncio

    from longcat_desktop.sync.command import SyncConfig
    from longcat_desktop.sync.engine import KeyCache, SyncResult

log = logging.getLogger(__name__)

# How often local changes are looked for (a cheap query), i.e. the debounce after an edit.
CHANGE_CHECK_MS = 15_000
# How often other devices' changes are fetched while the app is open.
PERIOD_MS = 5 * 60_000
# The sync at quit gets this long before the app closes regardless.
QUIT_SYNC_SECONDS = 10.0

SyncRunner = Callable[..., "SyncResult"]


class SyncState(Enum):
    OFF = "off"
    IDLE = "idle"
    SYNCING = "syncing"
    FAILED = "failed"


class SyncService(QObject):
    stateChanged = Signal()
    # The sync changed conversations here: lists and threads should be read again.
    dataChanged = Signal()

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        settings: SettingsService,
        tasks: TaskOwner,
        *,
        secrets: NamedSecrets | None = None,
        environ: Mapping[str, str] = os.environ,
        runner: SyncRunner | None = None,
        run_options: Mapping[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ledger = SyncLedger(store.db)
        self._data_dir = data_dir
        self._settings = settings
        self._tasks = tasks
        self._secrets = secrets or NamedSecrets()
        self._environ = environ
        self._runner = runner
        self._run_options = dict(run_options or {})
        self._keys: KeyCache | None = None
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._cancelled = False
        self.state = SyncState.OFF if not self.configured else SyncState.IDLE
        self.message = ""
        self._check = QTimer(self, interval=CHANGE_CHECK_MS)
        self._check.timeout.connect(self._check_changes)
        self._period = QTimer(self, interval=PERIOD_MS)
        self._period.timeout.connect(self.sync_now)

    # -- what the window shows ----------------------------------------------------------------

    @property
    def url(self) -> str:
        return str(self._settings.get(options.SYNC_URL))

    @property
    def user(self) -> str:
        return str(self._settings.get(options.SYNC_USER))

    @property
    def configured(self) -> bool:
        return bool(self.url.strip())

    @property
    def automatic(self) -> bool:
        return bool(self._settings.get(options.SYNC_AUTOMATIC))

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def last_outcome(self) -> SyncOutcome | None:
        try:
            return self._ledger.last_outcome()
        except StoreError:
            return None

    def last_outcome_text(self) -> str:
        outcome = self.last_outcome()
        return "" if outcome is None else localized(outcome.text)

    @staticmethod
    def new_passphrase() -> str:
        from longcat_desktop.sync.crypto import new_passphrase

        return new_passphrase()

    # -- scheduling ---------------------------------------------------------------------------

    def start(self) -> None:
        """At start: sync once, then keep syncing while the app is open (if automatic)."""
        self._apply_schedule()
        if self.configured and self.automatic:
            self.sync_now()

    def _apply_schedule(self) -> None:
        if self.configured and self.automatic:
            self._check.start()
            self._period.start()
        else:
            self._check.stop()
            self._period.stop()

    def set_automatic(self, automatic: bool) -> None:
        self._settings.update({options.SYNC_AUTOMATIC.key: automatic})
        self._apply_schedule()

    def _check_changes(self) -> None:
        if self.running:
            return
        try:
            pending = self._ledger.pending()
        except StoreError:
            return
        if pending:
            self.sync_now()

    def sync_now(self) -> None:
        """Start a sync; one already running is followed by another when it ends."""
        if not self.configured:
            return
        if self.running:
            self._again = True
            return
        self._task = self._tasks.spawn(self._run(), name="sync")

    # -- setting up and tearing down ----------------------------------------------------------

    def connect_storage(self, url: str, user: str, password: str, passphrase: str) -> None:
        """Save the address, the user, and the secrets (in the keyring), then sync.

        An empty password or passphrase keeps the one stored before.
        """
        self._tasks.spawn(self._connect(url, user, password, passphrase), name="sync-connect")

    async def _connect(self, url: str, user: str, password: str, passphrase: str) -> None:
        import asyncio

        from longcat_desktop.sync.command import PASSPHRASE_SECRET, PASSWORD_SECRET

        def save() -> None:
            if password:
                self._secrets.set(PASSWORD_SECRET, password)
            if passphrase:
                self._secrets.set(PASSPHRASE_SECRET, passphrase)

        await asyncio.to_thread(save)
        self._keys = None
        self._settings.update({options.SYNC_URL.key: url.strip(), options.SYNC_USER.key: user})
        self._set_state(SyncState.IDLE, "")
        self._apply_schedule()
        self.sync_now()

    def disconnect_storage(self) -> None:
        """Stop syncing: forget the address and the secrets. Nothing is deleted anywhere."""
        from longcat_desktop.sync.command import PASSPHRASE_SECRET, PASSWORD_SECRET

        self._cancelled = True
        self._settings.update({options.SYNC_URL.key: "", options.SYNC_USER.key: ""})
        self._apply_schedule()
        self._keys = None

        def forget() -> None:
            self._secrets.delete(PASSWORD_SECRET)
            self._secrets.delete(PASSPHRASE_SECRET)

        async def forget_off_thread() -> None:
            import asyncio

            await asyncio.to_thread(forget)

        self._tasks.spawn(forget_off_thread(), name="sync-forget")
        try:
            self._ledger.forget_server()
        except StoreError as error:
            log.warning("Sync state not reset: %s", error)
        self._set_state(SyncState.OFF, "")

    # -- one sync -----------------------------------------------------------------------------

    def _set_state(self, state: SyncState, message: str) -> None:
        self.state = state
        self.message = message
        self.stateChanged.emit()

    def _config(self) -> SyncConfig:
        from longcat_desktop.sync.command import make_config

        proxy_mode = self._settings.get(options.PROXY_MODE)
        proxy_url = str(self._settings.get(options.PROXY_URL))
        return make_config(
            str(self._settings.get(options.SYNC_URL)),
            str(self._settings.get(options.SYNC_USER)),
            proxy=proxy_url if proxy_mode is ProxyMode.URL and proxy_url else None,
            trust_env=proxy_mode is ProxyMode.SYSTEM,
            secrets=self._secrets,
            environ=self._environ,
        )

    def _sync_in_thread(self) -> SyncResult:
        from longcat_desktop.sync.command import sync_once
        from longcat_desktop.sync.engine import KeyCache

        if self._keys is None:
            self._keys = KeyCache()
        runner = self._runner or sync_once
        return runner(
            self._data_dir,
            self._config(),
            keys=self._keys,
            cancelled=lambda: self._cancelled,
            **self._run_options,
        )

    async def _run(self) -> None:
        import asyncio

        from longcat_desktop.sync.engine import SyncCancelled
        from longcat_desktop.sync.webdav import SyncError

        self._cancelled = False
        while True:
            self._again = False
            self._set_state(SyncState.SYNCING, "")
            started = time.monotonic()
            try:
                result = await asyncio.to_thread(self._sync_in_thread)
            except SyncCancelled:
                self._set_state(SyncState.IDLE if self.configured else SyncState.OFF, "")
                return
            except (SyncError, StoreError) as error:
                text: UserText | str = getattr(error, "user_text", None) or str(error)
                log.warning("Sync failed: %s", error)
                self._set_state(SyncState.FAILED, localized(text))
            else:
                log.info("Synced in %.2f s: %s", time.monotonic() - started, result.summary())
                if result.changed_here:
                    self.dataChanged.emit()
                if result.damaged:
                    self._set_state(SyncState.FAILED, localized(result.summary()))
                else:
                    self._set_state(SyncState.IDLE, localized(result.summary()))
            if not self._again or not self.configured:
                return

    async def shutdown(self) -> None:
        """At quit: one last sync of what changed here (bounded in time), then stop."""
        import asyncio

        self._check.stop()
        self._period.stop()
        if self.running:
            assert self._task is not None
            self._again = False
            await asyncio.wait({self._task}, timeout=QUIT_SYNC_SECONDS)
        if not (self.configured and self.automatic):
            return
        try:
            pending = self._ledger.pending()
        except StoreError:
            return
        if pending and not self.running:
            self.sync_now()
        if self._task is not None and not self._task.done():
            done, _ = await asyncio.wait({self._task}, timeout=QUIT_SYNC_SECONDS)
            if not done:
                # The worker stops at its next step; the app does not wait for it.
                self._cancelled = True
