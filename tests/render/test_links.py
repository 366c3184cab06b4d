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


def test_copy_href_round_trip() -> None:
    assert parse_copy_href(copy_href(7)) == 7


@pytest.mark.parametrize(
    "href",
    ["https://example.com", "copy-code:", "copy-code:x", "copy-code:-1", "copy-code:١", "copy"],
)
def test_other_hrefs_are_not_copy_links(href: str) -> None:
    assert parse_copy_href(href) is None
