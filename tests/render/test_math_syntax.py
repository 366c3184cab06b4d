"""Which text is TeX math: the delimiter rules, case by case."""

from __future__ import annotations

from dataclasses import replace

import pytest

from longcat_desktop.render.incremental import IncrementalRenderer, render_markdown
from longcat_desktop.render.math_syntax import (
    Formula,
    display_math_open,
    formula_for,
    formula_urls,
)
from longcat_desktop.render.parser import create_parser
from longcat_desktop.render.theme import DARK_THEME, LIGHT_THEME, RenderTheme
from tests.render.corpus import MATH_ANSWER


def formulas(text: str) -> list[tuple[str, bool]]:
    """(TeX, display) of every formula found in text, in order."""
    found = []
    for url in _urls(render_markdown(text, LIGHT_THEME).html):
        formula = formula_for(url)
        assert formula is not None
        found.append((formula.tex.strip(), formula.display))
    return found


def _urls(html: str) -> list[str]:
    # formula_urls drops repeats; here every occurrence counts.
    return [part.split('"', 1)[0] for part in html.split('src="')[1:]]


CASES = [
    # (Markdown, formulas expected as (TeX, display))
    ("$ax^2+bx+c=0$", [("ax^2+bx+c=0", False)]),
    (r"$$x=\frac{-b\pm\sqrt{b^2-4ac}}{2a}$$", [(r"x=\frac{-b\pm\sqrt{b^2-4ac}}{2a}", True)]),
    (r"\(a = 1\)", [("a = 1", False)]),
    (r"\[ x_1 + x_2 = -b \]", [("x_1 + x_2 = -b", True)]),
    ("$$\na+b\n$$", [("a+b", True)]),
    ("\\[\nx\n\\]", [("x", True)]),
    (
        "$$\n\\begin{aligned}\na &= b\n\\end{aligned}\n$$",
        [("\\begin{aligned}\na &= b\n\\end{aligned}", True)],
    ),
    ("Inline $$\\sum x$$ display", [("\\sum x", True)]),
    ("text \\[y\\] more", [("y", True)]),
    ("one $a$ and two $b$", [("a", False), ("b", False)]),
    # Prices, shell variables and code are never math.
    ("It costs $5 and $10.", []),
    ("Between $5 and $ 10", []),
    ("echo $HOME and $PATH", []),
    ("`$x$` in code", []),
    ("It costs $10; `$HOME` is a path", []),
    ("```\n$x$ and $$y$$\n```", []),
    ("    $x$ indented code", []),
    ("$ x$ opens with a space", []),
    ("$x $ closes after a space", []),
    ("$x$5 closes before a digit", []),
    # Escaped dollars are dollars.
    (r"\$x\$ is text", []),
    (r"a \$ b $c$", [("c", False)]),
    # Unclosed formulas (still streaming, or cut off) stay text.
    ("$x + y", []),
    ("$$\nx + y", []),
    (r"\(a + b", []),
    (r"\[ a + b", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_delimiters(text: str, expected: list[tuple[str, bool]]) -> None:
    assert formulas(text) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("It costs $5 and $10.", "It costs $5 and $10."),
        (r"\$x\$ is text", "$x$ is text"),
        (r"\[ a + b", r"\[ a + b"),
        (r"\(a + b", r"\(a + b"),
        ("$x + y", "$x + y"),
        ("It costs $10; `$HOME` too", "It costs $10; <span"),
    ],
)
def test_text_that_is_not_math_shows_as_written(text: str, shown: str) -> None:
    html = render_markdown(text, LIGHT_THEME).html
    assert shown in html
    assert "<img" not in html


def test_a_formula_is_an_image_of_our_own_markup_never_model_html() -> None:
    html = render_markdown('$<script>"x"</script>$', LIGHT_THEME).html
    assert "<script" not in html
    (url,) = formula_urls(html)
    formula = formula_for(url)
    assert formula is not None
    assert formula.tex == '<script>"x"</script>'


def test_the_image_name_depends_on_source_display_size_and_colour() -> None:
    def url(markdown: str, theme: RenderTheme = LIGHT_THEME) -> str:
        (found,) = formula_urls(render_markdown(markdown, theme).html)
        return found

    base = url("$x$")
    assert url("$x$") == base
    assert url("$y$") != base
    assert url("$$x$$") != base
    assert url("$x$", replace(LIGHT_THEME, base_font_size=14.0)) != base
    assert url("$x$", replace(LIGHT_THEME, text=DARK_THEME.text)) != base


def test_formula_source_restores_delimiters_for_copying() -> None:
    assert Formula("x^2", False, 10.5, "#000000").source == "$x^2$"
    assert Formula(" x^2 ", True, 10.5, "#000000").source == "$$x^2$$"


def test_a_formula_streams_as_source_until_closed() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    shown = []
    for chunk in ["The root $\\sqrt", "{2}", "$ is irrational."]:
        renderer.append(chunk)
        shown.append("<img" in renderer.html)
    assert shown == [False, False, True]
    assert renderer.html == render_markdown(renderer.text, LIGHT_THEME).html


def test_math_tokens_carry_the_tex() -> None:
    tokens = create_parser().parse("$a$ \\(b\\)\n\n$$c$$\n")
    kinds = [t.type for t in tokens]
    assert "math_block" in kinds
    inline = [c for t in tokens if t.children for c in t.children if c.type.startswith("math")]
    assert [(c.type, c.content) for c in inline] == [("math_inline", "a"), ("math_paren", "b")]


def test_a_single_newline_is_a_line_break() -> None:
    html = render_markdown("Line one\nLine two\n\n第一行\n第二行", LIGHT_THEME).html
    assert "Line one<br />Line two" in html
    assert "第一行<br />第二行" in html


def test_formula_blocks_stream_line_by_line_to_the_same_result() -> None:
    text = MATH_ANSWER + "\n\\[ y \\]\n\nafter\n"
    renderer = IncrementalRenderer(LIGHT_THEME)
    for line in text.splitlines(keepends=True):
        renderer.append(line)
    assert renderer.text == text
    assert renderer.html == render_markdown(text, LIGHT_THEME).html


def test_a_display_formula_with_list_like_lines_streams_to_the_same_result() -> None:
    # "- c" and "1. e" would start a list, ending the paragraph the open formula parses as.
    text = (
        "Before\n\n$$\n\\begin{aligned}\na &= b \\\\\n- c &= d \\\\\n1. e &= f\n"
        "\\end{aligned}\n$$\n\nAfter\n\n\\[\nx\n- y\n\\]\n\nEnd\n"
    )
    renderer = IncrementalRenderer(LIGHT_THEME)
    for line in text.splitlines(keepends=True):
        renderer.append(line)
    assert renderer.html == render_markdown(text, LIGHT_THEME).html
    assert len(formula_urls(renderer.html)) == 2


@pytest.mark.parametrize(
    ("source", "open_"),
    [
        ("$$\nx\n", True),
        ("$$\nx\n$$\n", False),
        ("$$x$$\n", False),
        ("\\[\nx\n", True),
        ("\\[ x \\]\n", False),
        ("$$\nx\n\nafter a blank line\n", False),
        ("text with $5\n", False),
        ("$$\n" + "x\n" * 100, False),
    ],
)
def test_display_math_open(source: str, open_: bool) -> None:
    assert display_math_open(source) is open_
