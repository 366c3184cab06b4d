"""Reading a file to import: the size cap, the ChatGPT/Claude zip archives, and JSON parsing.

Meant for a worker thread: nothing here touches the database.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.store.errors import ImportFormatError, StorageAccessError
from longcat_desktop.store.export_json import parse

# The most JSON text one import reads: 512 MiB. The heaviest ChatGPT users' conversations.json
# runs to a few hundred MB, and our own exports will carry attachments; above this, Python's
# parsed objects (5 to 10 times the text) would take more memory than a desktop can spare, so
# the file is refused from its size before any of it is read.
MAX_IMPORT_BYTES = 512 * 1024 * 1024
# The name of the conversations in the ChatGPT and Claude.ai data export archives.
CONVERSATIONS_MEMBER = "conversations.json"
_ZIP_MAGIC = b"PK\x03\x04"
_MB = 1024 * 1024


def read_document(path: Path, limit: int = MAX_IMPORT_BYTES) -> Any:
    """The parsed JSON of `path`, or of the conversations.json in it if it is a zip archive."""
    return parse(read_bytes(path, limit))


def read_bytes(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    try:
        with path.open("rb") as file:
            head = file.read(len(_ZIP_MAGIC))
            if head == _ZIP_MAGIC:
                return _read_member(file, limit)
            _check_size(os.fstat(file.fileno()).st_size, limit)
            # Read at most one byte past the cap: a file still growing is refused, not read whole.
            data = head + file.read(limit + 1 - len(head))
    except OSError as error:
        raise StorageAccessError(
            texts.IMPORT_FILE_UNREADABLE(path, error.strerror or error)
        ) from error
    _check_size(len(data), limit)
    return data


def _read_member(file: Any, limit: int) -> bytes:
    """The conversations.json of a data export archive (the shallowest, if several)."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.rsplit("/", 1)[-1] == CONVERSATIONS_MEMBER
            ]
            if not members:
                raise ImportFormatError(texts.IMPORT_NO_CONVERSATIONS_JSON)
            member = min(members, key=lambda info: info.filename.count("/"))
            _check_size(member.file_size, limit)
            with archive.open(member) as stream:
                # The stated size may lie: never inflate more than the cap allows.
                data: bytes = stream.read(limit + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise ImportFormatError(texts.IMPORT_ARCHIVE_DAMAGED(error)) from error
    _check_size(len(data), limit)
    return data


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise ImportFormatError(texts.IMPORT_TOO_LARGE(_megabytes(size), _megabytes(limit)))


def _megabytes(size: int) -> str:
    return f"{size / _MB:.0f}" if size >= _MB else f"{size / _MB:.2f}"
