"""Attachment contents on the server: one sealed object per content, under blobs/.

The name is an HMAC of the content's SHA-256 under a key derived from the sync key, so every
device finds a content under the same name without the name telling anything about it; the
associated data binds the object to that name. Inside: a 4-byte length, a JSON header (what
the store keeps with the bytes: kind, media type, size of an image, a document's text, the
thumbnail), then the bytes. A content is imported only when its bytes hash to the SHA-256 that
the change set named.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from longcat_desktop.store.sync_changes import BlobContent
from longcat_desktop.sync.crypto import OpenError, SyncKey
from longcat_desktop.sync.webdav import WebDav

BLOBS = "blobs/"
_SUFFIX = ".bin"
_LENGTH = 4


class DamagedBlob(Exception):
    """A content that is missing on the server, does not open, or is not what was named."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def blob_name(key: SyncKey, sha256: str) -> str:
    return f"{BLOBS}{key.content_name(sha256)}{_SUFFIX}"


def pack(content: BlobContent) -> bytes:
    header: dict[str, Any] = {
        "sha256": content.sha256,
        "kind": content.kind,
        "media_type": content.media_type,
        "width": content.width,
        "height": content.height,
        "text": content.text,
        "thumbnail": None
        if content.thumbnail is None
        else base64.b64encode(content.thumbnail).decode("ascii"),
    }
    encoded = json.dumps(header, ensure_ascii=False).encode("utf-8")
    return len(encoded).to_bytes(_LENGTH, "big") + encoded + content.data


def unpack(sha256: str, payload: bytes) -> BlobContent:
    """Raises ValueError unless the payload is well formed and its bytes hash to `sha256`."""
    length = int.from_bytes(payload[:_LENGTH], "big")
    if len(payload) < _LENGTH + length:
        raise ValueError("truncated content")
    try:
        header = json.loads(payload[_LENGTH : _LENGTH + length])
        thumbnail = header["thumbnail"]
        content = BlobContent(
            sha256=str(header["sha256"]),
            kind=str(header["kind"]),
            media_type=str(header["media_type"]),
            data=payload[_LENGTH + length :],
            width=_optional_int(header["width"]),
            height=_optional_int(header["height"]),
            text=str(header["text"]),
            thumbnail=None if thumbnail is None else base64.b64decode(thumbnail, validate=True),
        )
    except (KeyError, TypeError, UnicodeDecodeError, AttributeError) as error:
        raise ValueError("malformed content header") from error
    if content.sha256 != sha256 or hashlib.sha256(content.data).hexdigest() != sha256:
        raise ValueError("content does not match its hash")
    return content


def _optional_int(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def upload(dav: WebDav, key: SyncKey, content: BlobContent, *, owner: str) -> None:
    """Put the content on the server; one already there under its name is the same content."""
    name = blob_name(key, content.sha256)
    dav.create(name, key.seal(name, pack(content)), owner=owner)


def download(dav: WebDav, key: SyncKey, sha256: str) -> BlobContent:
    """The content, verified. Raises DamagedBlob when it cannot be had as named."""
    name = blob_name(key, sha256)
    data = dav.get(name)
    if data is None:
        raise DamagedBlob(name)
    try:
        return unpack(sha256, key.open(name, data))
    except (OpenError, ValueError) as error:
        raise DamagedBlob(name) from error
