"""One sync of a data folder, as `--sync-now` runs it and as the app's sync service does.

The database is opened with a connection of its own. When nothing else has the folder open, the
usual way (Store.open: upgrade, recovery). When the app has it open (it holds the folder's lock),
a second connection beside the app's: SQLite's WAL lets both work, every sync write is a short
transaction and waits its turn (busy timeout), and nothing of the app's start-up recovery runs,
so an answer streaming in the app is left alone. A second lock file keeps two syncs of the same
folder from running at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.store.database import Database, connect
from longcat_desktop.store.datadir_lock import DataDirLock
from longcat_desktop.store.errors import AlreadyRunningError, StoreError
from longcat_desktop.store.migrations import SCHEMA_VERSION, user_version
from longcat_desktop.store.named_secrets import NamedSecrets
from longcat_desktop.store.opening import DATABASE_NAME
from longcat_desktop.store.settings import (
    PROXY_MODE,
    PROXY_URL,
    SETTINGS_NAME,
    SYNC_URL,
    SYNC_USER,
    ProxyMode,
    Settings,
)
from longcat_desktop.store.store import Store
from longcat_desktop.store.sync_changes import SyncLedger
from longcat_desktop.sync.crypto import DEFAULT_N
from longcat_desktop.sync.engine import KeyCache, SyncEngine, SyncResult
from longcat_desktop.sync.webdav import SyncError, WebDav

if TYPE_CHECKING:
    import httpx

PASSWORD_SECRET = "sync-password"
PASSPHRASE_SECRET = "sync-passphrase"
PASSWORD_VARIABLE = "LONGCAT_SYNC_PASSWORD"
PASSPHRASE_VARIABLE = "LONGCAT_SYNC_PASSPHRASE"
SYNC_LOCK_NAME = "sync.lock"


@dataclass(frozen=True, slots=True)
class SyncConfig:
    url: str
    user: str
    password: str = field(repr=False)
    passphrase: str = field(repr=False)
    proxy: str | None = None
    trust_env: bool = True


def proxy_from_settings(settings: Settings) -> tuple[str | None, bool]:
    """(proxy URL, whether the environment's proxy variables apply), as for the API client."""
    mode = settings.get(PROXY_MODE)
    url = settings.get(PROXY_URL)
    return (url if mode is ProxyMode.URL and url else None), mode is ProxyMode.SYSTEM


def config_for(
    data_dir: Path,
    *,
    url: str | None = None,
    user: str | None = None,
    secrets: NamedSecrets | None = None,
    environ: Mapping[str, str] = os.environ,
) -> SyncConfig:
    """The saved settings, with `url` and `user` overriding them; secrets from the environment
    when set there, else from the keyring."""
    settings = Settings.load(data_dir / SETTINGS_NAME)
    proxy, trust_env = proxy_from_settings(settings)
    return make_config(
        url if url is not None else settings.get(SYNC_URL),
        user if user is not None else settings.get(SYNC_USER),
        proxy=proxy,
        trust_env=trust_env,
        secrets=secrets,
        environ=environ,
    )


def make_config(
    url: str,
    user: str,
    *,
    proxy: str | None,
    trust_env: bool,
    secrets: NamedSecrets | None = None,
    environ: Mapping[str, str] = os.environ,
) -> SyncConfig:
    """Raises SyncError when the address or the passphrase is missing. May block on the
    keyring: call off the UI thread."""
    address = url.strip()
    if not address:
        raise SyncError(texts.SYNC_NOT_SET_UP)
    secrets = secrets or NamedSecrets()
    password = environ.get(PASSWORD_VARIABLE) or secrets.get(PASSWORD_SECRET) or ""
    passphrase = environ.get(PASSPHRASE_VARIABLE) or secrets.get(PASSPHRASE_SECRET) or ""
    if not passphrase:
        raise SyncError(texts.SYNC_NO_PASSPHRASE)
    return SyncConfig(
        url=address,
        user=user,
        password=password,
        passphrase=passphrase,
        proxy=proxy,
        trust_env=trust_env,
    )


@contextmanager
def open_ledger(data_dir: Path) -> Iterator[SyncLedger]:
    """The folder's database for one sync. Raises SyncError or StoreError."""
    try:
        sync_lock = DataDirLock.acquire(data_dir, SYNC_LOCK_NAME)
    except AlreadyRunningError:
        raise SyncError(texts.SYNC_ALREADY_RUNNING) from None
    try:
        try:
            app_lock: DataDirLock | None = DataDirLock.acquire(data_dir)
        except AlreadyRunningError:
            app_lock = None
        if app_lock is not None:
            # Nobody has the folder open: open it fully, then let the app start if it wants.
            try:
                store = Store.open(data_dir)
            finally:
                app_lock.release()
            db = store.db
        else:
            db = _second_connection(data_dir / DATABASE_NAME)
        # The sync runs in a worker or a command of its own, never on the UI thread: its writes
        # wait out the app's short ones rather than fail beside a busy app.
        db.wait_for_locks(SYNC_LOCK_WAIT_MS)
        try:
            yield SyncLedger(db)
        finally:
            db.close()
    finally:
        sync_lock.release()


SYNC_LOCK_WAIT_MS = 2000


def _second_connection(path: Path) -> Database:
    connection = connect(path)
    try:
        found = user_version(connection)
        if found != SCHEMA_VERSION:
            raise SyncError(texts.SYNC_DATABASE_VERSION(found, SCHEMA_VERSION))
    except BaseException:
        connection.close()
        raise
    return Database(connection, path)


def sync_once(
    data_dir: Path,
    config: SyncConfig,
    *,
    keys: KeyCache | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    new_key_n: int = DEFAULT_N,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
    clock: Callable[[], float] = time.time,
) -> SyncResult:
    """Run one sync and record its outcome in the folder. Raises SyncError or StoreError."""
    dav = WebDav(
        config.url,
        config.user,
        config.password,
        proxy=config.proxy,
        trust_env=config.trust_env,
        timeout=timeout,
        transport=transport,
    )
    try:
        with open_ledger(data_dir) as ledger:
            engine = SyncEngine(
                ledger, dav, config.passphrase, keys=keys, new_key_n=new_key_n, cancelled=cancelled
            )
            try:
                result = engine.run()
            except (SyncError, StoreError) as error:
                text = getattr(error, "user_text", None) or texts.UserText(str(error))
                _record(ledger, clock(), False, text)
                raise
            _record(ledger, clock(), not result.damaged, result.summary())
            return result
    finally:
        dav.close()


def _record(ledger: SyncLedger, when: float, ok: bool, text: texts.UserText) -> None:
    # The outcome is also what the caller reports; the data is what counts.
    with contextlib.suppress(StoreError):
        ledger.record_outcome(when, ok, text)


def run_command(
    data_dir: Path,
    *,
    url: str | None = None,
    user: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """`--sync-now`: one line on `out` and 0, or one line on `err` and 1 (2: not set up)."""
    try:
        config = config_for(data_dir, url=url, user=user)
    except SyncError as error:
        print(str(error), file=err)
        return 2
    try:
        result = sync_once(data_dir, config)
    except (SyncError, StoreError) as error:
        print(str(error), file=err)
        return 1
    if result.damaged:
        print(str(result.summary()), file=err)
        return 1
    print(str(result.summary()), file=out)
    return 0
