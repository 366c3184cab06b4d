"""One ChatClient per wire format for the current connection settings and key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from longcat_desktop.domain import ApiFormat
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store.settings import ProxyMode

if TYPE_CHECKING:
    import asyncio

    from longcat_desktop.api import ChatClient


@dataclass(frozen=True, slots=True)
class ConnectionConfig:
    base_url: str
    # "system" uses the environment's proxy variables, "none" ignores them, "url" uses proxy_url.
    proxy_mode: ProxyMode = ProxyMode.SYSTEM
    proxy_url: str = ""
    max_retries: int = 2


class ClientPool:
    """Reuses clients (their connections and TLS set-up) until the settings or key change.

    A client replaced by a change is closed as soon as no answer streams on it any more: at
    once when idle, otherwise when its last answer ends. Its connections (and the old key in
    its headers) do not linger until quit.
    """

    def __init__(self, config: ConnectionConfig) -> None:
        self._config = config
        self._key: str | None = None
        # Its own owner: the session cancels its tasks at quit, but a close must run to its end.
        self._tasks = TaskOwner()
        self._current: dict[ApiFormat, ChatClient] = {}
        # Answers streaming on each client, by id(client); replaced clients wait here for 0.
        self._users: dict[int, int] = {}
        self._retired: dict[int, ChatClient] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        return f"ClientPool(base_url={self._config.base_url!r})"

    @property
    def config(self) -> ConnectionConfig:
        return self._config

    def configure(self, config: ConnectionConfig) -> None:
        if config != self._config:
            self._config = config
            self._retire()

    def set_key(self, key: str | None) -> None:
        if key != self._key:
            self._key = key
            self._retire()

    @property
    def has_key(self) -> bool:
        return bool(self._key)

    def client(self, api_format: ApiFormat) -> ChatClient:
        """Raises AuthenticationError when there is no usable key."""
        existing = self._current.get(api_format)
        if existing is not None:
            return existing
        client = make_client(self._config, self._key or "", api_format)
        self._current[api_format] = client
        return client

    @asynccontextmanager
    async def using(self, api_format: ApiFormat) -> AsyncIterator[ChatClient]:
        """The current client, kept open until the block ends even if a change replaces it."""
        client = self.client(api_format)
        self._users[id(client)] = self._users.get(id(client), 0) + 1
        try:
            yield client
        finally:
            left = self._users[id(client)] - 1
            if left:
                self._users[id(client)] = left
            else:
                del self._users[id(client)]
                if self._retired.pop(id(client), None) is not None:
                    self._close_soon(client)

    @property
    def retired(self) -> int:
        """Replaced clients still open because an answer streams on them."""
        return len(self._retired)

    def _retire(self) -> None:
        for client in self._current.values():
            if self._users.get(id(client)):
                self._retired[id(client)] = client
            else:
                self._close_soon(client)
        self._current.clear()

    def _close_soon(self, client: ChatClient) -> None:
        task = self._tasks.spawn(client.aclose(), name="close-client")
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        """Close every client, those still in use included (quit ends their answers first)."""
        clients = [*self._current.values(), *self._retired.values()]
        self._current.clear()
        self._retired.clear()
        for client in clients:
            await client.aclose()
        if self._closing:
            import asyncio

            await asyncio.gather(*self._closing, return_exceptions=True)


def make_client(config: ConnectionConfig, key: str, api_format: ApiFormat) -> ChatClient:
    # httpx is imported with the first client, after the window is up, not at start-up.
    from longcat_desktop.api import ChatClient

    proxy = config.proxy_url if config.proxy_mode is ProxyMode.URL and config.proxy_url else None
    return ChatClient(
        base_url=config.base_url,
        api_key=key,
        api_format=api_format,
        max_retries=config.max_retries,
        proxy=proxy,
        trust_env=config.proxy_mode is ProxyMode.SYSTEM,
    )
