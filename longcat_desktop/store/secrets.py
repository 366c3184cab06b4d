"""The API key: in the OS keyring only, or for this session only, never in a file.

LONGCAT_API_KEY in the environment overrides the keyring (for scripts and CI). When no keyring
works, the key is held in memory for this run and the result says so in words for the user.
`keyring` is imported on first use: importing it costs about 70 ms of start-up.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

SERVICE_NAME = "LongCat Desktop"
USERNAME = "api-key"
ENVIRONMENT_VARIABLE = "LONGCAT_API_KEY"

NO_KEYRING_MESSAGE = "No system keyring is available: the key is kept for this session only."
ENVIRONMENT_MESSAGE = (
    f"The key comes from the environment variable {ENVIRONMENT_VARIABLE}, which overrides the "
    "saved key."
)


class KeySource(StrEnum):
    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SESSION = "session"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class KeyLookup:
    # repr=False: a lookup printed in a log or a traceback must not show the key.
    key: str | None = field(repr=False)
    source: KeySource
    # A sentence for the user when something is not as it should be.
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class SaveResult:
    # True when the key is in the OS keyring; False when it is kept for this session only.
    persisted: bool
    warning: str | None = None


def _keyring_failure(error: Exception) -> str:
    from keyring.errors import NoKeyringError

    if isinstance(error, NoKeyringError):
        return NO_KEYRING_MESSAGE
    detail = str(error) or type(error).__name__
    return f"The system keyring failed ({detail}): the key is kept for this session only."


class SecretStore:
    """One per app run. Holds no state but a session-only key when the keyring fails."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._session_key: str | None = None

    def load(self) -> KeyLookup:
        from_environment = self._environ.get(ENVIRONMENT_VARIABLE, "").strip()
        if from_environment:
            return KeyLookup(from_environment, KeySource.ENVIRONMENT)
        if self._session_key is not None:
            return KeyLookup(self._session_key, KeySource.SESSION, NO_KEYRING_MESSAGE)
        try:
            import keyring

            key = keyring.get_password(SERVICE_NAME, USERNAME)
        except Exception as error:  # Any backend failure means the same to the user.
            return KeyLookup(None, KeySource.NONE, _keyring_failure(error))
        if not key:
            return KeyLookup(None, KeySource.NONE)
        return KeyLookup(key, KeySource.KEYRING)

    def save(self, key: str) -> SaveResult:
        """Keep the key in the keyring, replacing any earlier one; else for this session."""
        key = key.strip()
        if not key:
            raise ValueError("an empty key cannot be saved; use delete()")
        try:
            import keyring

            keyring.set_password(SERVICE_NAME, USERNAME, key)
        except Exception as error:
            self._session_key = key
            return SaveResult(persisted=False, warning=_keyring_failure(error))
        self._session_key = None
        overridden = ENVIRONMENT_MESSAGE if self._environ.get(ENVIRONMENT_VARIABLE) else None
        return SaveResult(persisted=True, warning=overridden)

    def delete(self) -> SaveResult:
        """Forget the key everywhere we keep it. Deleting a key that is not there is fine."""
        self._session_key = None
        try:
            import keyring
            from keyring.errors import PasswordDeleteError

            # Nothing stored is nothing to delete.
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE_NAME, USERNAME)
        except Exception as error:
            return SaveResult(persisted=False, warning=_keyring_failure(error))
        return SaveResult(persisted=True)
