"""A typed message keeps its indentation; only the blank space around it goes."""

from __future__ import annotations

import pytest

from longcat_desktop.domain.typed_text import message_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("    def f():\n        return 1", "    def f():\n        return 1"),
        ("\n\n  \n    x = 1\n", "    x = 1"),
        ("\r\n\t\r\n\tindented\t \r\n", "\tindented"),
        ("hello  ", "hello"),
        ("a\n\n\nb", "a\n\n\nb"),
        ("  two words", "  two words"),
        (" \n\t \n ", ""),
        ("", ""),
    ],
)
def test_indentation_stays_blank_lines_around_go(typed: str, kept: str) -> None:
    assert message_text(typed) == kept
