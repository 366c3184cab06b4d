"""The API key: loaded and saved off the UI thread, because a keyring call can block on D-Bus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store.secrets import KeySource, SecretStore

if TYPE_CHECKING:
    import asyncio

__all__ = ["CredentialService", "KeySource"]

T = TypeVar("T")


async def _off_thread(call: Callable[..., T], *args: object) -> T:
    # asyncio is imported here, not at the top: the window paints before the loop exists.
    import asyncio

    return await asyncio.to_thread(call, *args)


class CredentialService(QObject):
    """Knows whether there is a key and where it comes from; hands it only to the client pool."""

    # Emitted after every load, save or delete, whether or not the key changed.
    keyStateChanged = Signal()

    def __init__(self, secrets: SecretStore, tasks: TaskOwner, parent: QObject | None = None):
        super().__init__(parent)
        self._secrets = secrets
        self._tasks = tasks
        self._key: str | None = None
        self.source = KeySource.NONE
        self.warning: str | None = None
        self.loaded = False

    def __repr__(self) -> str:
        return f"CredentialService(source={self.source.value!r})"

    @property
    def key(self) -> str | None:
        return self._key

    @property
    def has_key(self) -> bool:
        return bool(self._key)

    def load(self) -> asyncio.Task[None]:
        return self._tasks.spawn(self._load(), name="key-load")

    def save(self, key: str) -> asyncio.Task[None]:
        return self._tasks.spawn(self._save(key.strip()), name="key-save")

    def delete(self) -> asyncio.Task[None]:
        return self._tasks.spawn(self._delete(), name="key-delete")

    async def _load(self) -> None:
        lookup = await _off_thread(self._secrets.load)
        self._key, self.source, self.warning = lookup.key, lookup.source, lookup.warning
        self.loaded = True
        self.keyStateChanged.emit()

    async def _save(self, key: str) -> None:
        if not key:
            await self._delete()
            return
        result = await _off_thread(self._secrets.save, key)
        # The environment variable still wins over what was saved; load says which applies.
        lookup = await _off_thread(self._secrets.load)
        self._key, self.source = lookup.key, lookup.source
        self.warning = result.warning or lookup.warning
        self.loaded = True
        self.keyStateChanged.emit()

    async def _delete(self) -> None:
        result = await _off_thread(self._secrets.delete)
        lookup = await _off_thread(self._secrets.load)
        self._key, self.source = lookup.key, lookup.source
        self.warning = result.warning or lookup.warning
        self.keyStateChanged.emit()
