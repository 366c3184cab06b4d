"""Streaming must end exactly where rendering the whole text at once ends."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from benchmarks.bench_render import tokenize
from longcat_desktop.render.incremental import IncrementalRenderer, render_markdown
from longcat_desktop.render.markup import RenderedBlock
from longcat_desktop.render.parser import create_parser
from longcat_desktop.render.theme import LIGHT_THEME
from tests.render.corpus import ANSWERS, CODES, GROWING_TABLE, OPEN_FENCE, fenced, long_fence


def stream(chunks: list[str]) -> IncrementalRenderer:
    renderer = IncrementalRenderer(LIGHT_THEME)
    for chunk in chunks:
        renderer.append(chunk)
    return renderer


def split(text: str, cuts: list[int]) -> list[str]:
    points = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in pairwise(points)]


def assert_same_as_whole(renderer: IncrementalRenderer, text: str) -> None:
    whole = render_markdown(text, LIGHT_THEME)
    assert renderer.html == whole.html
    assert renderer.code_blocks == whole.code_blocks


documents = st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=3).flatmap(
    lambda parts: st.sampled_from(["\n\n", "\n", ""]).map(lambda sep: sep.join(parts))
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), text=documents)
def test_random_splits_of_realistic_answers_end_like_the_whole(
    data: st.DataObject, text: str
) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=40))
    assert_same_as_whole(stream(split(text, cuts)), text)


_PIECES = [
    "#", "# ", "-", "- ", "* ", "1. ", "2) ", ">", "> ", "`", "```", "~~~", "    ", "\t",
    "|", "| a ", "|---", ":--", "---", "===", "\n", "\n\n", "\r\n", "\r", "a", "b c", "[x]",
    "(http://e.com)", "![i](u)", "<b>", "~~", "**", "_", "\\", "&amp;", "中文", "[r]: /u",
]  # fmt: skip


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), parts=st.lists(st.sampled_from(_PIECES), max_size=50))
def test_random_splits_of_markdown_syntax_soup_end_like_the_whole(
    data: st.DataObject, parts: list[str]
) -> None:
    text = "".join(parts)
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=20))
    assert_same_as_whole(stream(split(text, cuts)), text)


def test_every_intermediate_state_equals_the_whole_of_its_prefix() -> None:
    # Before the end too: what the user sees after each refresh is the prefix rendered.
    text = ANSWERS[0]
    renderer = IncrementalRenderer(LIGHT_THEME)
    for end in range(1, len(text) + 1):
        renderer.append(text[end - 1])
        assert renderer.html == render_markdown(text[:end], LIGHT_THEME).html, end


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("para\n#", "tag is not a heading\n"),  # "#" alone is a heading, "#tag" is not
        ("para\n| a |\n|-", "x\n"),  # a table delimiter row until the x arrives
        ("para\n-", "-- setext\n"),
        ("text\r", "\nmore\r\n"),  # CRLF split between two appends
        ("- a\n\n", "  continued\n\nafter\n"),
    ],
)
def test_partial_lines_never_finish_a_block_early(first: str, then: str) -> None:
    assert_same_as_whole(stream([first, then]), first + then)


def test_finished_blocks_are_reported_once_in_order() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    text = "# A\n\npara\n\n- x\n\nend\n"
    finished: list[RenderedBlock] = []
    for char in text:
        finished.extend(renderer.append(char).finished)
    assert len(finished) == 3
    assert "".join(b.html for b in finished) + renderer.tail.html == renderer.html


def test_open_fence_stays_in_the_tail_across_blank_lines() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    update = renderer.append(OPEN_FENCE)
    assert len(renderer.finished) == 1  # only the paragraph before the fence
    assert update.tail.code_blocks[0].code.startswith("#!/bin/sh")
    assert renderer.code_block(0).endswith("done")


def test_table_grows_row_by_row_in_the_tail() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    for line in GROWING_TABLE.splitlines(keepends=True):
        update = renderer.append(line)
        assert not renderer.finished
    assert update.tail.html.count("<tr>") == 4


def test_tail_work_does_not_depend_on_what_came_before() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    renderer.append("para\n\n" * 500)
    update = renderer.append("tail\n")
    assert len(renderer.finished) == 500
    assert update.tail.html.count("<p ") == 1


def test_code_block_lookup_spans_finished_blocks_and_tail() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    renderer.append("```\none\n```\n\ntext\n\n```py\ntwo")
    assert renderer.code_block(0) == "one"
    assert renderer.code_block(1) == "two"
    with pytest.raises(IndexError):
        renderer.code_block(2)


def test_text_is_normalised() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    renderer.append("a\r")
    assert renderer.text == "a\n"
    renderer.append("\nb")
    assert renderer.text == "a\nb"


class CountingParser(MarkdownIt):
    """The shared dialect, counting the characters each parse reads."""

    def __init__(self) -> None:
        super().__init__()
        dialect = create_parser()
        self.__dict__.update(dialect.__dict__)
        self.parsed = 0

    def parse(self, src: str, env: Any = None) -> list[Token]:
        self.parsed += len(src)
        return super().parse(src, env)


def work_per_refresh(lines: int) -> tuple[int, int]:
    """Most characters parsed, and most HTML produced, in one refresh of a streaming fence
    that is `lines` lines long (a few lines streamed token by token)."""
    parser = CountingParser()
    renderer = IncrementalRenderer(LIGHT_THEME, parser)
    renderer.append(long_fence(lines))
    parsed = produced = 0
    for token in tokenize(long_fence(lines + 12)[len(long_fence(lines)) :]):
        parser.parsed = 0
        update = renderer.append(token)
        parsed = max(parsed, parser.parsed)
        produced = max(produced, len(update.settled) + len(update.tail.html))
    return parsed, produced


def test_a_refresh_of_a_long_open_fence_costs_what_a_short_one_does() -> None:
    short, long = work_per_refresh(200), work_per_refresh(3_000)
    assert long[0] <= short[0] * 1.2  # its lines are a digit longer
    assert long[1] <= short[1] * 1.2
    # Less than a 100-line fence rendered whole, whatever the length.
    assert long[1] < len(render_markdown(long_fence(100), LIGHT_THEME).html)


@pytest.mark.parametrize("language", sorted(CODES))
def test_a_long_fence_streamed_equals_the_whole_at_every_step(language: str) -> None:
    text = fenced(CODES[language] * 2, language)
    renderer = IncrementalRenderer(LIGHT_THEME)
    for end in range(1, len(text) + 1):
        renderer.append(text[end - 1])
        if end % 7 == 0 or end > len(text) - 40:
            assert renderer.html == render_markdown(text[:end], LIGHT_THEME).html, end
    assert_same_as_whole(renderer, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), language=st.sampled_from(sorted(CODES)))
def test_random_splits_of_long_fences_end_like_the_whole(
    data: st.DataObject, language: str
) -> None:
    text = fenced(CODES[language] * 2, language) + fenced(CODES[language], "")
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=40))
    assert_same_as_whole(stream(split(text, cuts)), text)


def test_a_fence_is_final_once_its_closing_line_arrives() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    renderer.append("```py\nx = 1\n``")
    assert not renderer.finished
    update = renderer.append("`\n")
    assert len(update.finished) == 1
    assert not renderer.tail.html
    assert update.finished[0].code_blocks[0].code == "x = 1"


def test_the_open_fence_keeps_its_copy_link_and_label() -> None:
    renderer = IncrementalRenderer(LIGHT_THEME)
    renderer.append("Intro.\n\n```go\n" + "x := 1\n" * 100)
    assert renderer.html.count('href="copy-code:0"') == 1
    assert renderer.html.count(">go</span>") == 1
    assert renderer.code_block(0) == ("x := 1\n" * 100)[:-1]
