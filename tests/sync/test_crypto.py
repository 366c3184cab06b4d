"""Sealed objects open only with the key and the name they were sealed under."""

from __future__ import annotations

import pytest

from longcat_desktop.sync.crypto import KeyParameters, OpenError, SyncKey


@pytest.fixture(scope="module")
def key() -> SyncKey:
    return SyncKey.derive("passphrase", KeyParameters.new(1 << 10))


def test_an_object_opens_under_its_own_name(key: SyncKey) -> None:
    sealed = key.seal("changes/a/1.bin", "对话 and text".encode())
    assert key.open("changes/a/1.bin", sealed) == "对话 and text".encode()
    assert "对话".encode() not in sealed


def test_the_same_payload_seals_differently_each_time(key: SyncKey) -> None:
    assert key.seal("x", b"same") != key.seal("x", b"same")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],
        lambda data: data[: len(data) // 2],
        lambda data: data[:20] + bytes([data[20] ^ 1]) + data[21:],
        lambda data: b"",
        lambda data: b"\x02" + data[1:],
    ],
    ids=["last-byte-missing", "half", "one-bit-flipped", "empty", "unknown-version"],
)
def test_a_damaged_object_does_not_open(key: SyncKey, damage: object) -> None:
    sealed = key.seal("changes/a/1.bin", b"payload" * 100)
    with pytest.raises(OpenError):
        key.open("changes/a/1.bin", damage(sealed))  # type: ignore[operator]


def test_an_object_under_another_name_does_not_open(key: SyncKey) -> None:
    sealed = key.seal("changes/a/1.bin", b"payload")
    with pytest.raises(OpenError):
        key.open("changes/a/2.bin", sealed)


def test_another_passphrase_or_salt_gives_another_key(key: SyncKey) -> None:
    parameters = KeyParameters.new(1 << 10)
    right = SyncKey.derive("passphrase", parameters)
    assert right.verify(right.key_check())
    assert not SyncKey.derive("Passphrase", parameters).verify(right.key_check())
    assert not key.verify(right.key_check())


@pytest.mark.parametrize(
    "kdf",
    [
        {"name": "argon2", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": 1024, "r": 8, "p": 1},
        {"name": "scrypt", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": 1 << 30, "r": 8, "p": 1},
        {"name": "scrypt", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": 1000, "r": 8, "p": 1},
        {"name": "scrypt", "salt": "AAAA", "n": 1024, "r": 8, "p": 1},
        {"name": "scrypt", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": "1024", "r": 8, "p": 1},
    ],
    ids=["other-kdf", "huge-n", "n-not-power-of-two", "short-salt", "n-as-text"],
)
def test_key_parameters_a_server_could_abuse_are_refused(kdf: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        KeyParameters.from_json(kdf)


def test_the_key_shows_nothing_when_printed(key: SyncKey) -> None:
    assert repr(key) == "SyncKey(…)"
