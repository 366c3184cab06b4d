"""Math-heavy answers for the benchmarks: prose, lists and code with a formula every ~100 tokens.

Formulas alternate between inline (``$...$`` and ``\\(...\\)`` in a sentence) and display
(``$$...$$`` and ``\\[...\\]`` on their own lines), and every one is different, so none is
served from the image cache of an earlier one.
"""

from __future__ import annotations

import random

from benchmarks.bench_render import _code, _list, _paragraph, tokenize

_TEMPLATES = (
    r"x_{{{i}}}^2 + \frac{{a_{{{i}}}}}{{b}} = c",
    r"\sum_{{k=1}}^{{{i}}} k^2 = \frac{{{i}({i}+1)(2\cdot{i}+1)}}{{6}}",
    r"\int_0^{{{i}}} e^{{-t^2}}\,dt",
    r"\sqrt{{{i} + \alpha^2}} \le \beta_{{{i}}}",
    r"\begin{{pmatrix}} {i} & 1 \\ 0 & {i} \end{{pmatrix}}",
    r"\lim_{{n\to\infty}} \left(1 + \frac{{{i}}}{{n}}\right)^n = e^{{{i}}}",
)


def formula(index: int) -> str:
    return _TEMPLATES[index % len(_TEMPLATES)].format(i=index + 2)


def _inline(index: int, prose: str) -> str:
    tex = formula(index)
    written = f"${tex}$" if index % 4 == 0 else f"\\({tex}\\)"
    return f"{prose} So we get {written} for this step."


def _display(index: int) -> str:
    tex = formula(index)
    return f"$$\n{tex}\n$$" if index % 4 == 1 else f"\\[ {tex} \\]"


def math_answer(approx_tokens: int, seed: int = 1, every: int = 100) -> str:
    """An answer of about approx_tokens tokens with a formula about every `every` tokens."""
    rnd = random.Random(seed)
    blocks: list[str] = []
    tokens = since_formula = formulas = 0
    while tokens < approx_tokens:
        kind = len(blocks) % 9
        if kind == 4:
            block = _list(rnd)
        elif kind == 7:
            block = _code(rnd, 6)
        else:
            block = _paragraph(rnd)
        if since_formula >= every - 40 and kind != 7:
            odd = formulas % 2
            block = f"{block}\n\n{_display(formulas)}" if odd else _inline(formulas, block)
            formulas += 1
            since_formula = 0
        blocks.append(block)
        count = len(tokenize(block))
        tokens += count
        since_formula += count
    return "\n\n".join(blocks) + "\n"


def math_tokens(tokens: int, seed: int = 1) -> list[str]:
    """Exactly `tokens` stream tokens of a math-heavy answer, ending with a line break."""
    pieces = tokenize(math_answer(tokens + 200, seed=seed))[:tokens]
    if pieces and not pieces[-1].endswith("\n"):
        pieces.append("\n")
    return pieces
