"""Secrets other than the API key, by name, in the OS keyring: values that tool servers need
(tokens in their environment or headers) and, later, sync credentials.

Never in a file: when no keyring works, a value is kept in memory for this run only, and
`persisted` says so. Every call may block on the keyring daemon: call from a worker thread.
"""

from __future__ import annotations

import contextlib
import threading

from longcat_desktop.store.secrets import SERVICE_NAME

# Entries live beside the API key, under names that cannot collide with its "api-key".
_PREFIX = "secret:"


class NamedSecrets:
    def __init__(self) -> None:
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        with self._lock:
            if name in self._session:
                return self._session[name]
        try:
            import keyring

            return keyring.get_password(SERVICE_NAME, _PREFIX + name)
        except Exception:
            return None

    def set(self, name: str, value: str) -> bool:
        """Store `value`; False when no keyring took it and it is kept for this run only."""
        try:
            import keyring

            keyring.set_password(SERVICE_NAME, _PREFIX + name, value)
        except Exception:
            with self._lock:
                self._session[name] = value
            return False
        with self._lock:
            self._session.pop(name, None)
        return True

    def delete(self, name: str) -> None:
        with self._lock:
            self._session.pop(name, None)
        with contextlib.suppress(Exception):
            import keyring

            keyring.delete_password(SERVICE_NAME, _PREFIX + name)
