from __future__ import annotations

import pytest

from longcat_desktop.render.links import copy_href, parse_copy_href, safe_href


@pytest.mark.parametrize(
    "url", ["http://example.com", "https://example.com/a?b=c", "mailto:a@b.c", " HTTPS://X.ORG "]
)
def test_safe_schemes(url: str) -> None:
    assert safe_href(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "vbscript:x",
        "ftp://x.org",
        "relative/path",
        "//evil.example/x",
        "",
        "http://[::1",
    ],
)
def test_unsafe_or_relative(url: str) -> None:
    assert safe_href(url) is None


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("mailto:a@b.c?attach=/home/me/.ssh/id_rsa", "mailto:a@b.c"),
        ("mailto:a@b.c?body=hello&bcc=x@y.z", "mailto:a@b.c"),
        ("MAILTO:a@b.c#fragment", "mailto:a@b.c"),
        ("mailto:a@b.c,d@e.f?subject=x", "mailto:a@b.c,d@e.f"),
        ("mailto:a@b.c%3Fattach=/etc/passwd", "mailto:a@b.c"),
        ("mailto:a@b.c%23x", "mailto:a@b.c"),
        ("mailto:?to=a@b.c", "mailto:"),
    ],
)
def test_mail_links_keep_only_their_addresses(url: str, kept: str) -> None:
    assert safe_href(url) == kept


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=c#d", "http://example.com/?attach=x", "https://x.org/#f"]
)
def test_web_links_keep_their_query_and_fragment(url: str) -> None:
    assert safe_href(url) == url


def test_copy_href_round_trip() -> None:
    assert parse_copy_href(copy_href(7)) == 7


@pytest.mark.parametrize(
    "href",
    ["https://example.com", "copy-code:", "copy-code:x", "copy-code:-1", "copy-code:١", "copy"],
)
def test_other_hrefs_are_not_copy_links(href: str) -> None:
    assert parse_copy_href(href) is None
