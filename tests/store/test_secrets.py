"""The API key: keyring only, the environment first, a plain answer when no keyring works."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backends.fail
import pytest
from keyring.errors import KeyringError

from longcat_desktop.store import KeySource, SecretStore
from longcat_desktop.store.secrets import NO_KEYRING_MESSAGE, SERVICE_NAME, USERNAME
from tests.fakes.memory_keyring import MemoryKeyring


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        keyring.set_keyring(previous)


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keyring is locked")


def test_save_load_replace_delete(memory_keyring: MemoryKeyring) -> None:
    secrets = SecretStore(environ={})
    assert secrets.load().source is KeySource.NONE
    assert secrets.save("  sk-first  ").persisted
    assert memory_keyring.passwords == {(SERVICE_NAME, USERNAME): "sk-first"}
    assert secrets.load().key == "sk-first"
    secrets.save("sk-second")
    lookup = secrets.load()
    assert (lookup.key, lookup.source, lookup.warning) == ("sk-second", KeySource.KEYRING, None)
    assert secrets.delete().persisted
    assert secrets.load().key is None
    assert secrets.delete().persisted  # deleting nothing is fine


def test_the_environment_overrides_the_keyring() -> None:
    secrets = SecretStore(environ={"LONGCAT_API_KEY": "sk-from-env"})
    result = secrets.save("sk-saved")
    assert result.persisted
    assert result.warning is not None
    assert "LONGCAT_API_KEY" in result.warning
    lookup = secrets.load()
    assert (lookup.key, lookup.source) == ("sk-from-env", KeySource.ENVIRONMENT)


def test_a_lookup_never_shows_the_key_when_printed() -> None:
    secrets = SecretStore(environ={"LONGCAT_API_KEY": "sk-secret-value"})
    assert "sk-secret-value" not in repr(secrets.load())


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_key_is_kept_for_the_session_only() -> None:
    secrets = SecretStore(environ={})
    lookup = secrets.load()
    assert (lookup.key, lookup.source, lookup.warning) == (None, KeySource.NONE, NO_KEYRING_MESSAGE)
    result = secrets.save("sk-session")
    assert not result.persisted
    assert result.warning == NO_KEYRING_MESSAGE
    lookup = secrets.load()
    assert (lookup.key, lookup.source, lookup.warning) == (
        "sk-session",
        KeySource.SESSION,
        NO_KEYRING_MESSAGE,
    )
    secrets.delete()
    assert secrets.load().key is None


def test_a_failing_keyring_is_reported_not_raised() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    try:
        secrets = SecretStore(environ={})
        assert "locked" in (secrets.load().warning or "")
        result = secrets.save("sk-x")
        assert not result.persisted
        assert "session only" in (result.warning or "")
        assert secrets.load().key == "sk-x"
    finally:
        keyring.set_keyring(previous)


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        SecretStore(environ={}).save("   ")
