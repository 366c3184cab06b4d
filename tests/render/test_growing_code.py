"""A streaming fence's settled lines: lexed once, in the colours of the whole block."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from longcat_desktop.render.growing_code import (
    CHUNK_LINES,
    MAX_OPEN_LINES,
    GrowingCode,
    has_visible_state,
    lex_with_states,
)
from longcat_desktop.render.highlight import CodeHighlighter, lexer_for
from tests.render.corpus import CODES

C_SOURCE = """#include <stdint.h>
#define MAX(a, b) \\
    ((a) > (b) ? (a) : (b))
/* a comment
   over lines */
static uint32_t count(const char *s, size_t n) {
    int64_t total = 0;  // size_t and uint32_t are types
    for (size_t i = 0; i < n; i++) total += s[i] == 'x';
    return (uint32_t)MAX(total, 0);
}
"""

Styled = list[tuple[str, str]]


def styled(markup: str) -> Styled:
    """Each character of highlighted HTML with the style it is shown in."""
    chars: Styled = []
    for match in re.finditer(r'<span style="([^"]*)">(.*?)</span>|([^<]+)', markup, re.S):
        css, inside, plain = match.groups()
        text = html.unescape(inside if inside is not None else plain)
        chars += [(char, css or "") for char in text]
    return chars


def lines_of(chars: Styled) -> list[Styled]:
    lines: list[Styled] = [[]]
    for char, css in chars:
        if char == "\n":
            lines.append([])
        else:
            lines[-1].append((char, css))
    return lines


def settled_lines(growing: GrowingCode) -> list[Styled]:
    return [line for chunk in growing.chunks for line in lines_of(styled(chunk))]


def grow(code: str, steps: list[int], language: str) -> GrowingCode:
    growing = GrowingCode(CodeHighlighter("default"), language)
    for end in steps:
        growing.update(code[:end])
    return growing


@pytest.mark.parametrize("language", [*sorted(CODES), "c", "cpp"])
def test_lexing_with_states_gives_pygments_own_tokens(language: str) -> None:
    lexer = lexer_for(language)
    assert has_visible_state(lexer)
    code = CODES.get(language, C_SOURCE) * 3
    tokens, states = lex_with_states(lexer, code)
    assert tokens == list(lexer.get_tokens_unprocessed(code))
    assert all(code[offset - 1] == "\n" for offset in states if offset)


@pytest.mark.parametrize("language", sorted(CODES))
def test_settled_lines_have_the_colours_of_the_whole_block(language: str) -> None:
    # Character by character: every state of a streamed fence, lines settled at each step.
    code = CODES[language] * 3
    whole = lines_of(styled(CodeHighlighter("default").highlight(code, language)))
    growing = GrowingCode(CodeHighlighter("default"), language)
    for end in range(1, len(code) + 1):
        growing.update(code[:end])
        settled = settled_lines(growing)
        assert settled == whole[: len(settled)], end
    assert len(settled_lines(growing)) >= len(whole) - 2 * CHUNK_LINES


@pytest.mark.parametrize("language", sorted(CODES))
def test_an_open_comment_or_string_keeps_its_lines_open(language: str) -> None:
    opening = {"python": '"""', "js": "/*"}[language]
    code = "x = 1\n" + opening + "\n" + "inside\n" * (3 * CHUNK_LINES)
    growing = grow(code, [len(code)], language)
    assert len(settled_lines(growing)) <= 1
    closing = {"python": '"""', "js": "*/"}[language]
    done = code + closing + "\n" + "y = 2\n" * (2 * CHUNK_LINES)
    growing.update(done)
    whole = lines_of(styled(CodeHighlighter("default").highlight(done, language)))
    settled = settled_lines(growing)
    assert len(settled) > 3 * CHUNK_LINES
    assert settled == whole[: len(settled)]


def test_unsettled_lines_stay_bounded_when_a_construct_never_closes() -> None:
    code = "/*\n" + "inside\n" * (4 * MAX_OPEN_LINES)
    growing = grow(code, list(range(0, len(code), 7)), "js")
    assert growing.live.count("\n") <= MAX_OPEN_LINES + CHUNK_LINES


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), language=st.sampled_from(sorted(CODES)))
def test_any_split_settles_like_one_update(data: st.DataObject, language: str) -> None:
    code = CODES[language] * 2
    cuts = sorted(data.draw(st.lists(st.integers(1, len(code)), max_size=30)))
    streamed = grow(code, [*cuts, len(code)], language)
    once = grow(code, [len(code)], language)
    assert (streamed.chunks, streamed.live) == (once.chunks, once.live)


def test_lexers_with_hidden_state_settle_runs_lexed_alone() -> None:
    lexer = lexer_for("json")
    assert not has_visible_state(lexer)
    code = "\n".join(f'{{"key_{i}": [1, 2, "three"]}}' for i in range(3 * CHUNK_LINES)) + "\n{"
    growing = grow(code, [*range(1, len(code) + 1, 5), len(code)], "json")
    assert len(growing.chunks) == 3
    shown = "\n".join(
        "".join(char for char, _ in styled(part)) for part in [*growing.chunks, growing.live]
    )
    assert shown == code


def test_update_refuses_code_that_does_not_continue() -> None:
    growing = grow("a = 1\n", [6], "python")
    with pytest.raises(ValueError):
        growing.update("b = 2\n")


@pytest.mark.parametrize("language", sorted(CODES))
def test_a_closed_block_from_its_grown_lines_equals_lexing_it_whole(language: str) -> None:
    code = CODES[language] * 3
    growing = GrowingCode(CodeHighlighter("default"), language)
    for end in range(1, len(code) + 1, 3):
        growing.update(code[:end])
        assert growing.whole(code[:end]) == CodeHighlighter("default").highlight(
            code[:end], language
        ), end
    assert len(growing.chunks) > 2
    assert growing.whole(code) == CodeHighlighter("default").highlight(code, language)
    assert growing.whole("different") is None


def test_a_closed_block_is_lexed_again_when_its_lines_were_settled_by_force() -> None:
    code = "/*\n" + "inside\n" * (2 * MAX_OPEN_LINES)
    growing = grow(code, list(range(0, len(code), 7)), "js")
    assert growing.chunks
    assert growing.whole(code) is None


C_LIKE = """/* header comment
 * more
 */
package main // line
func main() {
    s := `raw
string over
lines`
    x := "str \\" esc"
    /* inline */ y := 'c'
}
"""


@pytest.mark.parametrize(
    "language", ["go", "rust", "java", "ts", "csharp", "kotlin", "scala", "c", "cpp"]
)
def test_closed_blocks_of_c_like_languages_equal_lexing_them_whole(language: str) -> None:
    code = C_LIKE * 5
    growing = GrowingCode(CodeHighlighter("default"), language)
    for end in range(1, len(code) + 1, 2):
        growing.update(code[:end])
        whole = growing.whole(code[:end])
        assert whole == CodeHighlighter("default").highlight(code[:end], language), end
    assert growing.chunks


def test_a_heredoc_the_probe_cannot_close_is_lexed_whole_when_closed() -> None:
    code = "cat <<EOF\nhello\n$x\n" + "text\n" * (3 * CHUNK_LINES) + "EOF\necho done\n"
    growing = grow(code, list(range(1, len(code) + 1, 4)), "bash")
    assert growing.chunks
    assert growing.whole(code) is None
