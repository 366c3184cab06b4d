"""Named secrets live in the keyring beside the API key, never in a file."""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError

from longcat_desktop.store.named_secrets import NamedSecrets
from longcat_desktop.store.secrets import SERVICE_NAME, USERNAME


def test_values_round_trip_through_the_keyring_apart_from_the_api_key() -> None:
    secrets = NamedSecrets()
    assert secrets.get("mcp/gh/env/TOKEN") is None
    assert secrets.set("mcp/gh/env/TOKEN", "ghp_value")
    assert NamedSecrets().get("mcp/gh/env/TOKEN") == "ghp_value"
    assert keyring.get_password(SERVICE_NAME, USERNAME) is None
    secrets.delete("mcp/gh/env/TOKEN")
    assert NamedSecrets().get("mcp/gh/env/TOKEN") is None


class _NoKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("none")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("none")

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyringError("none")


def test_without_a_keyring_a_value_lives_for_this_run_only() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(_NoKeyring())
    try:
        secrets = NamedSecrets()
        assert not secrets.set("sync/password", "hunter22")
        assert secrets.get("sync/password") == "hunter22"
        assert NamedSecrets().get("sync/password") is None
    finally:
        keyring.set_keyring(previous)
