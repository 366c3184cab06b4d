"""One ChatClient per wire format for the current connection settings and key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from longcat_desktop.domain import ApiFormat

if TYPE_CHECKING:
    from longcat_desktop.api import ChatClient


@dataclass(frozen=True, slots=True)
class ConnectionConfig:
    base_url: str
    # "system" uses the environment's proxy variables, "none" ignores them, "url" uses proxy_url.
    proxy_mode: str = "system"
    proxy_url: str = ""
    max_retries: int = 2


class ClientPool:
    """Reuses clients (their connections and TLS set-up) until the settings or key change.

    Clients replaced by a change keep serving the answers that already use them and are
    closed with the pool.
    """

    def __init__(self, config: ConnectionConfig) -> None:
        self._config = config
        self._key: str | None = None
        self._current: dict[ApiFormat, ChatClient] = {}
        self._retired: list[ChatClient] = []

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

    def _retire(self) -> None:
        self._retired.extend(self._current.values())
        self._current.clear()

    async def aclose(self) -> None:
        self._retire()
        clients, self._retired = self._retired, []
        for client in clients:
            await client.aclose()


def make_client(config: ConnectionConfig, key: str, api_format: ApiFormat) -> ChatClient:
    # httpx is imported with the first client, after the window is up, not at start-up.
    from longcat_desktop.api import ChatClient

    proxy = config.proxy_url if config.proxy_mode == "url" and config.proxy_url else None
    return ChatClient(
        base_url=config.base_url,
        api_key=key,
        api_format=api_format,
        max_retries=config.max_retries,
        proxy=proxy,
        trust_env=config.proxy_mode == "system",
    )
