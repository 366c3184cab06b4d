"""Which link targets stay clickable, and the anchors of the per-code-block copy links."""

from __future__ import annotations

from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
COPY_SCHEME = "copy-code"


def safe_href(url: str) -> str | None:
    """The URL if it may become a clickable link, else None.

    Relative URLs are refused too: a chat message has no base URL they could resolve against,
    and the view would hand them to the system as local paths.
    """
    stripped = url.strip()
    try:
        scheme = urlsplit(stripped).scheme.lower()
    except ValueError:
        return None
    if scheme not in SAFE_SCHEMES:
        return None
    return stripped


def copy_href(index: int) -> str:
    return f"{COPY_SCHEME}:{index}"


def parse_copy_href(href: str) -> int | None:
    """The code block index of a copy link the view intercepted, or None for any other link."""
    scheme, sep, rest = href.partition(":")
    if not sep or scheme != COPY_SCHEME or not rest.isdigit() or not rest.isascii():
        return None
    return int(rest)
