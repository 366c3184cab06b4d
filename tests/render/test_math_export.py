"""HTML export: the text as written, formulas as MathML with their TeX annotated."""

from __future__ import annotations

from longcat_desktop.render.math_export import mathml, text_with_mathml
from tests.render.corpus import MATH_ANSWER


def test_each_formula_becomes_mathml_with_its_tex() -> None:
    html = text_with_mathml("Roots of $x^2=4$ are\n$$x=\\pm 2$$\nand \\(a<b\\).")
    assert html.startswith("Roots of <math ")
    assert html.count("<math ") == 3
    assert 'display="block"' in html
    assert '<annotation encoding="application/x-tex">x^2=4</annotation>' in html
    assert '<annotation encoding="application/x-tex">a&lt;b</annotation>' in html
    assert "$" not in html


def test_text_code_and_prices_stay_escaped_source() -> None:
    text = "Costs $5 and $10; `$x$` is code; <b>not markup</b>\n```\n$$y$$\n```"
    html = text_with_mathml(text)
    assert "<math" not in html
    assert "&lt;b&gt;not markup&lt;/b&gt;" in html
    assert "`$x$`" in html


def test_a_formula_in_code_before_the_same_formula_outside_is_left_alone() -> None:
    html = text_with_mathml("`$x$` versus $x$")
    assert html.startswith("`$x$` versus <math ")


def test_display_blocks_replace_their_lines() -> None:
    html = text_with_mathml("Before\n\n$$\na+b\n$$\n\nAfter")
    assert html.startswith("Before\n\n<math ")
    assert html.endswith("</math>\n\nAfter")


def test_tex_latex2mathml_cannot_convert_stays_as_source() -> None:
    assert mathml("\\frac{a}{", display=False) is None
    assert text_with_mathml("Broken $\\frac{a}{$ here") == "Broken $\\frac{a}{$ here"


def test_a_realistic_answer_converts_every_formula() -> None:
    html = text_with_mathml(MATH_ANSWER)
    assert html.count("<math ") == 5
    assert "It costs $5 and $10" in html
