"""Persistence: SQLite conversations, settings, and secrets in the OS keyring. No Qt, no httpx.

What the services layer uses:
    Store.open(data_dir) -> Store          conversations, messages, search, writer(), export
    DataDirLock.acquire(data_dir)          one running copy per data folder
    Settings.load(path)                    declared options with defaults and warnings
    SecretStore().load()/save()/delete()   the API key, in the keyring only
    importers.read_import(path, settings)  an export (ours, ChatGPT's, Claude's) read and
      -> store.import_steps(plan)          converted off the UI thread, then written one
                                           conversation (transaction) at a time
Errors meant for the user are StoreError subclasses (errors.py).
"""

from longcat_desktop.store.datadir_lock import DataDirLock
from longcat_desktop.store.errors import (
    AlreadyRunningError,
    CorruptDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    ImportFormatError,
    MigrationError,
    NewerDatabaseError,
    SettingsSaveError,
    StorageAccessError,
    StorageIOError,
    StoreError,
)
from longcat_desktop.store.export_json import ImportResult
from longcat_desktop.store.opening import DATABASE_NAME, OpenReport
from longcat_desktop.store.secrets import KeyLookup, KeySource, SaveResult, SecretStore
from longcat_desktop.store.settings import SETTINGS_NAME, Settings
from longcat_desktop.store.store import Store
from longcat_desktop.store.streaming import StreamingMessageWriter

__all__ = [
    "DATABASE_NAME",
    "SETTINGS_NAME",
    "AlreadyRunningError",
    "CorruptDatabaseError",
    "DataDirLock",
    "DatabaseBusyError",
    "DiskFullError",
    "ImportFormatError",
    "ImportResult",
    "KeyLookup",
    "KeySource",
    "MigrationError",
    "NewerDatabaseError",
    "OpenReport",
    "SaveResult",
    "SecretStore",
    "Settings",
    "SettingsSaveError",
    "StorageAccessError",
    "StorageIOError",
    "Store",
    "StoreError",
    "StreamingMessageWriter",
]
