"""Which link targets stay clickable, and the anchors of the per-code-block copy links."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
COPY_SCHEME = "copy-code"


def safe_href(url: str) -> str | None:
    """The URL if it may become a clickable link, else None.

    Relative URLs are refused too: a chat message has no base URL they could resolve against,
    and the view would hand them to the system as local paths. A mail link keeps only its
    addresses (see `_mail_only`).
    """
    stripped = url.strip()
    try:
        scheme = urlsplit(stripped).scheme.lower()
    except ValueError:
        return None
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme == "mailto":
        return _mail_only(stripped)
    return stripped


def _mail_only(url: str) -> str:
    """A mailto link without its query and fragment.

    Mail clients act on header fields in the query: `?attach=/home/me/.ssh/id_rsa` attaches a
    local file, `?body=` or `?bcc=` write for the user. A link in a model's answer may only
    open an empty message to its addresses. An encoded "?" or "#" (%3F, %23) ends the
    addresses too, as some clients decode the whole link before reading it.
    """
    addresses = unquote(urlsplit(url).path)
    for end in ("?", "#"):
        addresses = addresses.split(end, 1)[0]
    return "mailto:" + quote(addresses, safe="@,.+-_!~*'$&;=")


def copy_href(index: int) -> str:
    return f"{COPY_SCHEME}:{index}"


def parse_copy_href(href: str) -> int | None:
    """The code block index of a copy link the view intercepted, or None for any other link."""
    scheme, sep, rest = href.partition(":")
    if not sep or scheme != COPY_SCHEME or not rest.isdigit() or not rest.isascii():
        return None
    return int(rest)
