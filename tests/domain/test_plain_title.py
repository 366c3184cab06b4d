"""Titles are plain text: the first line of the first message without its Markdown marks."""

from __future__ import annotations

import pytest

from longcat_desktop.domain.plain_title import first_line


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("Explain **SSE** in one line", "Explain SSE in one line"),
        ("# How do *closures* work?", "How do closures work?"),
        ("## Heading ##", "Heading"),
        ("> quoted __question__", "quoted question"),
        ("- first item\n- second", "first item"),
        ("1. Step one", "Step one"),
        ("- [x] done task", "done task"),
        ("Use `*args` and `**kwargs`", "Use *args and **kwargs"),
        ("See [the docs](https://example.com) now", "See the docs now"),
        ("![diagram](x.png) explained", "diagram explained"),
        ("Visit <https://longcat.chat>", "Visit https://longcat.chat"),
        ("~~old~~ new", "old new"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("a _word_ emphasised", "a word emphasised"),
        (r"Escaped \*stars\*", "Escaped *stars*"),
        ("Solve $x^2 = 4$", "Solve $x^2 = 4$"),
        ("\n\n```python\nprint('hi')\n```", "print('hi')"),
        ("---\nAfter a rule", "After a rule"),
        ("  many   spaces\there  ", "many spaces here"),
        ("解释一下 **SSE**", "解释一下 SSE"),
        ("", ""),
        ("**\n\nReal line", "Real line"),
    ],
)
def test_first_line_is_plain_text(message: str, title: str) -> None:
    assert first_line(message) == title
