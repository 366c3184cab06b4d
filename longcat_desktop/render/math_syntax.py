"""Where TeX math is in an answer: the delimiter rules, and the formulas' names in our HTML.

Dollars follow Pandoc's rule, which keeps prices and shell variables out: an opening ``$``
is not followed by a space, a closing ``$`` is not preceded by a space nor followed by a
digit, and ``\\$`` is a dollar. ``$$...$$`` and ``\\[...\\]`` are display math, on their own
lines or inside a paragraph; ``\\(...\\)`` is inline. Code spans and code blocks are never
math, and a formula without its closing delimiter (still streaming, or cut off) stays text.

Formulas appear in the HTML as ``<img src="math:KEY">``: KEY names the source, the display
mode, the size and the colour, so an image typeset once serves every message showing it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.texmath.index import RuleDictType, make_block_func, make_inline_func

MATH_SCHEME = "math"

INLINE_KINDS = frozenset({"math_inline", "math_paren"})
DISPLAY_INLINE_KINDS = frozenset({"math_inline_double", "math_bracket_inline"})
BLOCK_KINDS = frozenset({"math_block", "math_bracket"})

_PAREN: RuleDictType = {
    "name": "math_paren",
    "rex": re.compile(r"^\\\((.+?)\\\)", re.DOTALL),
    "tmpl": "{0}",
    "tag": "\\(",
}
# "\[ ... \]" inside a line of text: display math written mid-paragraph.
_BRACKET_INLINE: RuleDictType = {
    "name": "math_bracket_inline",
    "rex": re.compile(r"^\\\[(.+?)\\\]", re.DOTALL),
    "tmpl": "{0}",
    "tag": "\\[",
}
_BRACKET_BLOCK: RuleDictType = {
    "name": "math_bracket",
    "rex": re.compile(r"^\\\[([\s\S]+?)\\\][ \t]*$", re.MULTILINE),
    "tmpl": "{0}",
    "tag": "\\[",
}


def add_math_rules(md: MarkdownIt) -> None:
    """Teach a parser the four delimiters (tokens of the kinds above, content = TeX)."""
    dollarmath_plugin(
        md,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    md.inline.ruler.at(
        "math_inline",
        _without_code_inside(
            math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True)
        ),
    )
    # Before "escape", which would otherwise turn "\(" into "(" and lose the formula.
    md.inline.ruler.before("escape", "math_paren", make_inline_func(_PAREN))
    md.inline.ruler.before("escape", "math_bracket_inline", make_inline_func(_BRACKET_INLINE))
    md.block.ruler.before("fence", "math_bracket", _with_line_map(make_block_func(_BRACKET_BLOCK)))
    md.inline.ruler.before("escape", "math_unclosed", _keep_unclosed_delimiter)


BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]


def _without_code_inside(rule: InlineRule) -> InlineRule:
    """No formula across a backtick: in "costs $10; `$HOME`" the dollars belong to a price and
    to code, and TeX has no use for backticks."""

    def checked(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if "`" not in state.src[start : state.pos]:
            return True
        state.pos = start
        if len(state.tokens) > count:
            # Only the formula: the text token pushed before it carries the pending text.
            state.tokens.pop()
        return False

    return checked


def _with_line_map(rule: BlockRule) -> BlockRule:
    """texmath's block rule leaves out the lines its token spans, which streaming needs to
    know where the next block starts."""

    def mapped(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        count = len(state.tokens)
        if not rule(state, start, end, silent):
            return False
        for token in state.tokens[count:]:
            token.map = [start, state.line]
        return True

    return mapped


def _keep_unclosed_delimiter(state: StateInline, silent: bool) -> bool:
    """A "\\(" or "\\[" that opens no formula (not closed yet, say, while it streams) keeps
    its backslash: shown as "(" it would read as a destroyed formula."""
    pair = state.src[state.pos : state.pos + 2]
    if pair not in ("\\(", "\\)", "\\[", "\\]"):
        return False
    if not silent:
        state.pending += pair
    state.pos += 2
    return True


@dataclass(frozen=True, slots=True)
class Formula:
    """One formula as the renderer asked for it: what to typeset, how big, in what colour."""

    tex: str
    display: bool
    size_pt: float
    colour: str

    @property
    def source(self) -> str:
        """The TeX with the delimiters it is usually written with, for copying."""
        tex = self.tex.strip()
        return f"$${tex}$$" if self.display else f"${tex}$"


# Every formula named so far, for the views (copying, typesetting). Small strings only: the
# images live in a bounded cache of their own.
_FORMULAS: dict[str, Formula] = {}


def formula_key(formula: Formula) -> str:
    digest = hashlib.blake2b(
        f"{int(formula.display)}\0{formula.size_pt:.3f}\0{formula.colour}\0{formula.tex}".encode(),
        digest_size=12,
    ).hexdigest()
    key = f"{MATH_SCHEME}:{digest}"
    _FORMULAS.setdefault(key, formula)
    return key


def formula_for(url: str) -> Formula | None:
    """The formula an image URL of our HTML names, if it is one."""
    return _FORMULAS.get(url)


_KEY_PATTERN = re.compile(rf'src="({MATH_SCHEME}:[0-9a-f]+)"')


def formula_urls(html: str) -> list[str]:
    """The formula images an HTML fragment of ours shows, in order, without repeats."""
    if f'"{MATH_SCHEME}:' not in html:
        return []
    return list(dict.fromkeys(_KEY_PATTERN.findall(html)))


def inline_html(tex: str, *, display: bool, size_pt: float, colour: str) -> str:
    """A formula inside a line of text. Vertical "middle" is what the typeset image's padding
    is made for: Qt centres such an image on half the x-height above the baseline."""
    key = formula_key(Formula(tex, display, size_pt, colour))
    return f'<img src="{key}" style="vertical-align:middle" />'


def block_html(tex: str, *, size_pt: float, colour: str, margin_px: int) -> str:
    """A display formula on its own lines, centred."""
    key = formula_key(Formula(tex, True, size_pt, colour))
    return (
        f'<p align="center" style="margin-top:0px; margin-bottom:{margin_px}px">'
        f'<img src="{key}" style="vertical-align:middle" /></p>'
    )


# A display formula longer than this is not waited for: its lines are taken as they parse.
_LONGEST_DISPLAY = 80


def display_math_open(source: str) -> bool:
    """Whether the lines end inside a display formula opened on a line of its own ("$$" or
    "\\[" with no closing yet).

    Until it closes, its lines parse as a paragraph that a line such as "- c &= d" would end,
    so streaming must not take any block as final meanwhile. Erring towards "open" (a "$$"
    line inside a code block, say) only delays caching.
    """
    lines = source.splitlines()
    opened: int | None = None
    for index, line in enumerate(lines):
        text = line.strip()
        if opened is None:
            dollars = text.startswith("$$") and not (len(text) > 2 and text.endswith("$$"))
            brackets = text.startswith("\\[") and "\\]" not in text
            if dollars or brackets:
                opened = index
        elif not text or text.endswith(("$$", "\\]")):
            opened = None
    return opened is not None and len(lines) - opened <= _LONGEST_DISPLAY
