from __future__ import annotations

from longcat_desktop.render.parser import create_parser, normalize_newlines, top_level_blocks


def test_top_level_blocks_group_tokens_and_know_their_lines() -> None:
    tokens = create_parser().parse("# T\n\npara\n\n- a\n- b\n\n```\nx\n```\n")
    blocks = top_level_blocks(tokens)
    assert [b.tokens[0].type for b in blocks] == [
        "heading_open",
        "paragraph_open",
        "bullet_list_open",
        "fence",
    ]
    assert [b.start_line for b in blocks] == [0, 2, 4, 7]
    assert sum(len(b.tokens) for b in blocks) == len(tokens)


def test_fences_know_whether_they_are_closed() -> None:
    md = create_parser()
    (closed,) = md.parse("```py\nx\n```\n")
    (still_open,) = md.parse("```py\nx\n")
    (quoted,) = [t for t in md.parse("> ```\n> x\n> ```\n") if t.type == "fence"]
    assert closed.meta["closed"] is True
    assert still_open.meta["closed"] is False
    assert quoted.meta["closed"] is True


def test_raw_html_and_reference_definitions_are_off() -> None:
    md = create_parser()
    types = {t.type for t in md.parse("<div>\nx\n</div>\n\n[r]: http://x\n")}
    assert "html_block" not in types
    assert md.validateLink("javascript:alert(1)") is False


def test_normalize_newlines_matches_markdown_it() -> None:
    assert normalize_newlines("a\r\nb\rc\0") == "a\nb\nc\ufffd"
