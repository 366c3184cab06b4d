"""What of a typed or pasted message is kept: its indentation, not the blank space around it."""

from __future__ import annotations

import re

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t\f\v]*(?:\r\n|\r|\n))+")


def message_text(typed: str) -> str:
    """The text to store for `typed`, or "" when it is only white space.

    Pasted code keeps the indentation of its first line ("    def f():"); blank lines before
    it and white space after the last visible character are dropped.
    """
    trimmed = typed.rstrip()
    return _LEADING_BLANK_LINES.sub("", trimmed)
