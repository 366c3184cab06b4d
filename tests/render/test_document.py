"""The QTextDocument side: streamed documents equal documents rendered in one go."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from benchmarks.bench_render import tokenize
from longcat_desktop.render.code_html import open_code, open_code_head, pre
from longcat_desktop.render.document import StreamingDocument
from longcat_desktop.render.growing_code import GrowingCode
from longcat_desktop.render.highlight import CodeHighlighter
from longcat_desktop.render.incremental import render_markdown
from longcat_desktop.render.theme import DARK_THEME, LIGHT_THEME
from tests.render.corpus import (
    ANSWERS,
    CHINESE_ANSWER,
    CODES,
    SORTING_ANSWER,
    fenced,
    long_fence,
)
from tests.render.qt_structure import document_structure

pytestmark = pytest.mark.usefixtures("qapp")


def one_go(text: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(render_markdown(text, LIGHT_THEME).html)
    return document


def streamed(text: str, cuts: list[int]) -> StreamingDocument:
    document = StreamingDocument(LIGHT_THEME)
    points = [0, *sorted(cuts), len(text)]
    for a, b in pairwise(points):
        document.append(text[a:b])
    return document


def assert_same_document(actual: QTextDocument, expected: QTextDocument) -> None:
    assert actual.toPlainText() == expected.toPlainText()
    assert actual.toHtml() == expected.toHtml()
    assert document_structure(actual) == document_structure(expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), text=st.sampled_from(ANSWERS))
def test_streamed_document_equals_one_go(data: st.DataObject, text: str) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=40))
    assert_same_document(streamed(text, cuts).document, one_go(text))


_BLOCKS = [
    "| a | b |\n|--|--|\n| 1 | 2 |\n",
    "| a | b |\n|--|--|\nrow\n",
    "```py\nx\n```\n",
    "> q\n",
    ">\n",
    "1. a\n2. b\n",
    "- x\n  - y\n",
    "-\n",
    "#\n",
    "***\n",
    "para\n",
    "\n",
    "\n\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), parts=st.lists(st.sampled_from(_BLOCKS + ANSWERS), max_size=12))
def test_streamed_block_soup_equals_one_go(data: st.DataObject, parts: list[str]) -> None:
    # Qt imports some HTML differently at the start of a document and after other blocks
    # (empty cells, empty list items, headings, tables first); this keeps those in check.
    text = "".join(parts)
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=20))
    assert_same_document(streamed(text, cuts).document, one_go(text))


def test_token_by_token_equals_one_go() -> None:
    text = SORTING_ANSWER + "\n" + CHINESE_ANSWER
    assert_same_document(streamed(text, list(range(len(text)))).document, one_go(text))


def test_set_text_equals_one_go_and_can_continue() -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.set_text(SORTING_ANSWER)
    assert_same_document(document.document, one_go(SORTING_ANSWER))
    document.append("\n\nmore *text*")
    assert_same_document(document.document, one_go(SORTING_ANSWER + "\n\nmore *text*"))


def test_set_text_replaces_previous_content() -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.append("# old\n\nstuff\n\n```\nold code\n```\n")
    document.set_text("new")
    assert document.document.toPlainText() == "new"
    assert document.code_block_count == 0


def test_code_blocks_are_available_for_copying() -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.append("```python\nprint(1)\n```\n\n")
    document.append("```\nsecond\n")
    assert document.code_block_count == 2
    assert document.code_block(0) == "print(1)"
    assert document.code_block(1) == "second"
    with pytest.raises(IndexError):
        document.code_block(2)
    with pytest.raises(IndexError):
        document.code_block(-1)


def test_copy_anchor_is_in_the_document() -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.set_text("```sh\nls\n```\n")
    assert 'href="copy-code:0"' in document.document.toHtml()


def test_set_theme_rerenders_in_new_colours() -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.set_text("text\n\n```python\nx = 1\n```\n")
    document.set_theme(DARK_THEME)
    assert document.theme is DARK_THEME
    expected = QTextDocument()
    expected.setHtml(render_markdown(document.text, DARK_THEME).html)
    assert_same_document(document.document, expected)


def test_clear() -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.append("abc\n\ndef")
    document.clear()
    assert document.document.isEmpty()
    assert document.text == ""


def test_uses_a_given_document_and_disables_undo() -> None:
    target = QTextDocument()
    document = StreamingDocument(replace(LIGHT_THEME, base_font_size=14), target)
    document.append("hello")
    assert document.document is target
    assert not target.isUndoRedoEnabled()
    assert target.toPlainText() == "hello"


def test_no_stray_list_marker_after_a_table() -> None:
    # Removing a tail that began with a list once left the list format on the empty block
    # Qt keeps after a table: a stray "1." that toHtml() does not show.
    text = "| a |\n|---|\n| 1 |\n\n1. one\n2. two\n"
    document = streamed(text, list(range(len(text))))
    assert document_structure(document.document) == document_structure(one_go(text))


def test_render_package_never_needs_qtwidgets() -> None:
    # QtWidgets is imported by this test module, so check the package's own imports.
    import ast
    from pathlib import Path

    import longcat_desktop.render as package

    for path in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "QtWidgets" not in (node.module or ""), path
            elif isinstance(node, ast.Import):
                assert all("QtWidgets" not in a.name for a in node.names), path
    assert QApplication.instance() is not None


def inserted_per_refresh(lines: int) -> int:
    """Most characters one refresh removes from and inserts into the document, while a fence
    `lines` lines long streams a few more lines token by token."""
    document = StreamingDocument(LIGHT_THEME)
    document.append(long_fence(lines))
    document.document.documentLayout()  # as in a view: Qt reports changes to its layout
    changed: list[int] = []
    document.document.contentsChange.connect(
        lambda _position, removed, added: changed.append(removed + added)
    )
    most = 0
    for token in tokenize(long_fence(lines + 12)[len(long_fence(lines)) :]):
        changed.clear()
        document.append(token)
        most = max(most, sum(changed))
    return most


def test_a_refresh_of_a_long_open_fence_changes_what_a_short_one_does() -> None:
    short, long = inserted_per_refresh(200), inserted_per_refresh(2_000)
    assert long <= short * 1.2  # its lines are a digit longer
    assert long < len(long_fence(40))


@pytest.mark.parametrize("language", sorted(CODES))
def test_a_streamed_long_fence_equals_one_go_while_it_streams(language: str) -> None:
    text = fenced(CODES[language] * 2, language)
    document = StreamingDocument(LIGHT_THEME)
    for end, token in enumerate(tokenize(text), start=1):
        document.append(token)
        if end % 9 == 0:
            assert_same_document(document.document, one_go(document.text))
    assert_same_document(document.document, one_go(text))


def test_an_open_fence_in_runs_looks_like_one_block_of_lines() -> None:
    # Empty lines at the edges of runs, where Qt drops a line break of each <pre>.
    lines = ["x = 1", "", "y = 2", "z = 3", "", "", "w = 4", "v = 5", "", "u = 6", "t = 7"] * 3
    code = "\n".join([*lines, "end"])
    growing = GrowingCode(CodeHighlighter(LIGHT_THEME.pygments_style), "python")
    for end in range(1, len(code) + 1, 3):
        growing.update(code[:end])
    growing.update(code)
    assert len(growing.chunks) >= 3
    runs = open_code(LIGHT_THEME, "python", 0, growing.chunks, growing.live)
    body = CodeHighlighter(LIGHT_THEME.pygments_style).highlight(code, "python")
    gap = LIGHT_THEME.block_gap_px
    one_block = open_code_head(LIGHT_THEME, "python", 0) + pre(
        LIGHT_THEME,
        body,
        f"margin-top:0px; margin-bottom:{gap}px; ",
        f"background-color:{LIGHT_THEME.code_background}; ",
    )
    expected, actual = QTextDocument(), QTextDocument()
    expected.setHtml("<p>before</p>" + one_block + "<p>after</p>")
    actual.setHtml("<p>before</p>" + runs + "<p>after</p>")
    assert actual.toPlainText() == expected.toPlainText()
    assert visible_structure(actual) == visible_structure(expected)


def visible_structure(document: QTextDocument) -> list[Any]:
    """The structure without what paints nothing here: the blocks' own character formats (no
    list markers; after an empty line one <pre> carries the colour of the token before it, a
    new run its own), and a character background equal to its block's (Qt gives it to the
    first line of each <pre>)."""
    rows = []
    for text, block, _char, *rest, fragments in document_structure(document):
        shown = [(part, [p for p in props if p not in block]) for part, props in fragments]
        rows.append((text, block, *rest, shown))
    return rows


def test_a_long_streaming_fence_keeps_one_label_and_copy_link_for_all_its_code() -> None:
    document = StreamingDocument(LIGHT_THEME)
    text = long_fence(300)
    for token in tokenize(text):
        document.append(token)
    shown = document.document.toHtml()
    assert shown.count('href="copy-code:0"') == 1
    assert document.document.toPlainText().count("python") == 1
    assert document.code_block_count == 1
    assert document.code_block(0) == text.split("```python\n", 1)[1].removesuffix("\n")
