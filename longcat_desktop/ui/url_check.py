"""Whether a base URL would send the API key unencrypted over a network."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_local_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_insecure_url(url: str) -> bool:
    """True for plain http to anything but this machine (localhost, 127.x, ::1)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "http":
        return False
    return not is_local_host(parts.hostname or "")
