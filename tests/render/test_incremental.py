"""Streaming must end exactly where rendering the whole text at once ends."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from longcat_desktop.render.incremental import IncrementalRenderer, render_markdown
from longcat_desktop.render.markup import RenderedBlock
from longcat_desktop.render.theme import LIGHT_THEME
from tests.render.corpus import ANSWERS, GROWING_TABLE, OPEN_FENCE


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
