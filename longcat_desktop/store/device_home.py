"""Where a data folder lives: a fingerprint of this machine and the database file's place.

Sync names each data folder by a random device id kept in the database. A copy of the whole
folder (on another computer, or elsewhere on this one) carries that id along; the fingerprint
tells the copy apart, so that it takes an id of its own (SyncLedger.device_id).
"""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

# systemd's id of this installation, and the older D-Bus copy of it.
_MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def machine_identity() -> str:
    """The installation's machine id where the system has one; else the host name."""
    for path in _MACHINE_ID_FILES:
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return text
    return socket.gethostname()


def device_home(database: Path) -> str:
    """A fingerprint of this machine and the database file's resolved path. Hashed: the
    database need not record where it was, only whether it has moved."""
    place = os.fsencode(Path(database).resolve())
    identity = machine_identity().encode("utf-8", "surrogateescape")
    return hashlib.sha256(identity + b"\0" + place).hexdigest()
