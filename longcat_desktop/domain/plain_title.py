"""A conversation's title from its first message: one line of plain text, Markdown removed.

Regular expressions, not a Markdown parser: a title is one short line, and the store (which
makes titles) stays free of the renderer.
"""

from __future__ import annotations

import re

# Lines that carry no words of their own: fences, rules, table separators.
_SKIP = re.compile(r"^\s*(?:`{3,}|~{3,}|[-*_](?:\s*[-*_]){2,}\s*$|\|?[\s:|-]+\|[\s:|-]*$)")
_BLOCK_MARKS = re.compile(
    r"^\s*(?:>\s*)*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)?(?:>\s*)*"
)
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_STAR = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
# Underscores only at word edges: snake_case names keep theirs.
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def first_line(text: str) -> str:
    """The first line with words in it, Markdown marks removed, spaces collapsed."""
    for line in text.splitlines():
        if not line.strip() or _SKIP.match(line):
            continue
        plain = strip_marks(line)
        if any(character.isalnum() for character in plain):
            return plain
    return ""


def strip_marks(line: str) -> str:
    """One line of Markdown as the words a reader sees."""
    line = _BLOCK_MARKS.sub("", line, count=1)
    line = _CLOSING_HASHES.sub("", line)
    kept: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return f"\0{len(kept) - 1}\0"

    # Code and escaped characters keep their characters: "*args" in backticks is no emphasis.
    line = _CODE.sub(lambda m: keep(m.group(2).strip()), line)
    line = _ESCAPE.sub(lambda m: keep(m.group(1)), line)
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    for pattern in (_STRONG, _STRIKE):
        line = pattern.sub(lambda m: m.group(m.lastindex or 0), line)
    line = _EMPHASIS_STAR.sub(r"\1", line)
    line = _EMPHASIS_UNDERSCORE.sub(r"\1", line)
    line = re.sub(r"\0(\d+)\0", lambda m: kept[int(m.group(1))], line)
    return " ".join(line.split())
