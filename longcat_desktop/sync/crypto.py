"""Keys and sealed objects: AES-256-GCM, the key from the passphrase with scrypt.

A sealed object is version byte, 12-byte random nonce, then ciphertext with its 16-byte tag.
The associated data binds an object to its name on the server, so an object moved or copied
under another name, truncated or changed in any byte fails to open. Payloads are compressed
before sealing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import zlib
from dataclasses import dataclass
from typing import Any

_VERSION = b"\x01"
_NONCE = 12
_KEY_CHECK_TEXT = b"longcat-desktop sync key check v1"
_AAD_PREFIX = b"longcat-desktop-sync/1\x00"
# Names of content-addressed objects come from a key of their own, derived from the sync key,
# so a name reveals nothing about the content (not even "these two devices hold one image").
_NAME_KEY_LABEL = b"longcat-desktop-sync/names/1"

# scrypt with N=2**15, r=8: about 32 MiB and a tenth of a second, once per session.
DEFAULT_N = 1 << 15


class OpenError(Exception):
    """An object that is not what this key sealed under this name."""


@dataclass(frozen=True, slots=True)
class KeyParameters:
    salt: bytes
    n: int
    r: int
    p: int

    @classmethod
    def new(cls, n: int = DEFAULT_N) -> KeyParameters:
        return cls(os.urandom(16), n, 8, 1)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": "scrypt",
            "salt": base64.b64encode(self.salt).decode("ascii"),
            "n": self.n,
            "r": self.r,
            "p": self.p,
        }

    @classmethod
    def from_json(cls, value: Any) -> KeyParameters:
        """Raises ValueError for parameters this version does not use."""
        if not isinstance(value, dict) or value.get("name") != "scrypt":
            raise ValueError("unknown key derivation")
        n, r, p = value.get("n"), value.get("r"), value.get("p")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (n, r, p)):
            raise ValueError("malformed scrypt parameters")
        assert isinstance(n, int)
        assert isinstance(r, int)
        assert isinstance(p, int)
        # Bounds keep a hostile server from making us allocate gigabytes.
        if not (2 <= n <= 1 << 20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
            raise ValueError("scrypt parameters out of range")
        salt = base64.b64decode(str(value.get("salt", "")), validate=True)
        if len(salt) < 16:
            raise ValueError("salt too short")
        return cls(salt, n, r, p)


class SyncKey:
    """The key derived from a passphrase; seals and opens objects."""

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        self._name_key = hmac.new(key, _NAME_KEY_LABEL, hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "SyncKey(…)"

    @classmethod
    def derive(cls, passphrase: str, parameters: KeyParameters) -> SyncKey:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        kdf = Scrypt(
            salt=parameters.salt, length=32, n=parameters.n, r=parameters.r, p=parameters.p
        )
        return cls(kdf.derive(passphrase.encode("utf-8")))

    def seal(self, name: str, payload: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, zlib.compress(payload, 6), _aad(name))
        return _VERSION + nonce + sealed

    def open(self, name: str, data: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag

        if len(data) < 1 + _NONCE + 16 or data[:1] != _VERSION:
            raise OpenError(name)
        try:
            compressed = self._aead.decrypt(data[1 : 1 + _NONCE], data[1 + _NONCE :], _aad(name))
            return zlib.decompress(compressed)
        except (InvalidTag, zlib.error) as error:
            raise OpenError(name) from error

    def content_name(self, sha256: str) -> str:
        """The server name for the content with this SHA-256 (hex): the same on every device
        with this key, and unrelated to the hash itself."""
        return hmac.new(self._name_key, sha256.encode("ascii"), hashlib.sha256).hexdigest()

    def key_check(self) -> bytes:
        return self.seal("keycheck", _KEY_CHECK_TEXT)

    def verify(self, check: bytes) -> bool:
        try:
            return self.open("keycheck", check) == _KEY_CHECK_TEXT
        except OpenError:
            return False


def new_passphrase() -> str:
    """A random passphrase of 120 bits, in groups easy to copy by hand."""
    import secrets

    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(6)]
    return "-".join(groups)


def _aad(name: str) -> bytes:
    return _AAD_PREFIX + name.encode("utf-8")
