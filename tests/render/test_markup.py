from __future__ import annotations

import re

import pytest

from longcat_desktop.render.incremental import render_markdown
from longcat_desktop.render.links import parse_copy_href
from longcat_desktop.render.theme import DARK_THEME, LIGHT_THEME, RenderTheme


def html_of(text: str, theme: RenderTheme = LIGHT_THEME) -> str:
    return render_markdown(text, theme).html


@pytest.mark.parametrize(("level", "scale"), [(1, 1.6), (2, 1.4), (3, 1.2), (6, 0.95)])
def test_headings_are_sized_from_the_base_font(level: int, scale: float) -> None:
    html = html_of("#" * level + " Title")
    size = f"{LIGHT_THEME.base_font_size * scale:.4g}pt"
    assert re.search(
        rf"<h{level} style=\"[^\"]*font-size:{re.escape(size)}[^\"]*\">Title</h{level}>", html
    )


def test_setext_heading() -> None:
    assert "<h2 " in html_of("Title\n---\n")


def test_paragraph_carries_theme_colour_and_size() -> None:
    html = html_of("Hello")
    assert html.startswith("<p ")
    assert f"color:{LIGHT_THEME.text}" in html
    assert f"color:{DARK_THEME.text}" in html_of("Hello", DARK_THEME)


def test_emphasis_strong_strikethrough() -> None:
    html = html_of("*a* **b** ~~c~~")
    assert "<em>a</em>" in html
    assert "<strong>b</strong>" in html
    assert "<s>c</s>" in html


def test_nested_and_ordered_lists() -> None:
    html = html_of("3. three\n4. four\n   - inner\n     1. deep\n")
    assert '<ol start="3"' in html
    assert html.count("<ul") == 1
    assert html.count("<ol") == 2
    assert "<li>three</li>" in html


def test_ordered_list_starting_at_one_uses_the_default_start() -> None:
    assert '<ol style="' in html_of("1. one\n")


def test_blockquote_is_muted_with_a_bar() -> None:
    html = html_of("> quoted")
    assert f"background-color:{LIGHT_THEME.border}" in html
    assert f"color:{LIGHT_THEME.muted}" in html
    assert "quoted" in html


def test_table_with_alignment_and_header_background() -> None:
    html = html_of("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
    assert "border-collapse:collapse" in html
    assert f"border-color:{LIGHT_THEME.border}" in html
    assert (
        f'<th align="left" style="background-color:{LIGHT_THEME.code_header_background}">' in html
    )
    assert '<td align="center">2</td>' in html
    assert '<td align="right">3</td>' in html


def test_horizontal_rule() -> None:
    html = html_of("a\n\n---\n\nb")
    assert f"background-color:{LIGHT_THEME.border}" in html
    assert "<hr" not in html


def test_inline_code_is_monospace_on_code_background() -> None:
    html = html_of("use `x < 1`")
    assert "x &lt; 1" in html
    assert f"background-color:{LIGHT_THEME.code_background}" in html
    assert "monospace" in html


def test_safe_links_keep_their_href() -> None:
    html = html_of("[a](https://example.com/?q=1&r=2) [m](mailto:me@example.com) <http://x.org>")
    assert '<a href="https://example.com/?q=1&amp;r=2"' in html
    assert '<a href="mailto:me@example.com"' in html
    assert '<a href="http://x.org"' in html
    assert f"color:{LIGHT_THEME.link}" in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](file:///etc/passwd)",
        "[x](data:text/html,hi)",
        "[x](ftp://example.com)",
        "[x](relative/path)",
        "[x](JAVASCRIPT:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_other_links_are_not_clickable(source: str) -> None:
    html = html_of(source)
    assert "<a " not in html
    assert "x" in html or "javascript" in html


def test_images_are_never_img_elements() -> None:
    html = html_of("![a cat](https://example.com/cat.png) ![](https://example.com/x.png)")
    assert "<img" not in html
    assert '<a href="https://example.com/cat.png"' in html
    assert ">a cat</a>" in html
    assert ">https://example.com/x.png</a>" in html


def test_image_with_unsafe_source_is_plain_alt_text() -> None:
    html = html_of("![secret](file:///etc/passwd)")
    assert "<img" not in html
    assert "<a " not in html
    assert "secret" in html


def test_image_inside_link_does_not_nest_anchors() -> None:
    html = html_of("[![logo](https://e.com/l.png)](https://e.com)")
    assert html.count("<a ") == 1
    assert "logo" in html


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        "<b>bold</b>",
        '<img src="http://evil.example/x.png">',
        '<a href="javascript:alert(1)">x</a>',
        "<div>\nblock html\n</div>",
        "<style>p{color:red}</style>",
    ],
)
def test_raw_html_is_shown_escaped(raw: str) -> None:
    html = html_of(f"before {raw} after\n\n{raw}\n")
    for tag in ("<script", "<b>", "<img", "<a ", "<div", "<style"):
        assert tag not in html
    assert "&lt;" in html


def test_entities_are_escaped_again() -> None:
    html = html_of("&lt;b&gt; &amp; &#60;i&#62;")
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;b&gt;" in html


def test_fenced_code_is_highlighted_with_inline_styles() -> None:
    result = render_markdown("```python\ndef f():\n    return 1\n```\n", LIGHT_THEME)
    html = result.html
    assert "class=" not in html
    assert re.search(r'<span style="[^"]*color:#[0-9a-fA-F]{6}[^"]*">def</span>', html)
    assert ">python<" in html
    assert '<a href="copy-code:0"' in html
    assert result.code_blocks[0].code == "def f():\n    return 1"
    assert result.code_blocks[0].language == "python"


def test_dark_theme_uses_its_pygments_style() -> None:
    light = html_of("```python\ndef f(): pass\n```\n")
    dark = html_of("```python\ndef f(): pass\n```\n", DARK_THEME)
    assert light != dark
    assert DARK_THEME.code_background in dark


def test_code_blocks_are_numbered_in_order() -> None:
    result = render_markdown("```\none\n```\n\n    two\n\n```sh\nthree\n```\n", LIGHT_THEME)
    hrefs = re.findall(r'href="(copy-code:\d+)"', result.html)
    assert [parse_copy_href(h) for h in hrefs] == [0, 1, 2]
    assert [c.code for c in result.code_blocks] == ["one", "two", "three"]
    assert [c.language for c in result.code_blocks] == ["", "", "sh"]


def test_unknown_language_and_code_with_markup_is_escaped() -> None:
    result = render_markdown("```nosuchlang\n<script>x</script>\n```\n", LIGHT_THEME)
    assert "<script>" not in result.html
    assert "&lt;script&gt;" in result.html
    assert ">nosuchlang<" in result.html


def test_language_label_is_escaped() -> None:
    html = html_of('```<b>"x"\ncode\n```\n')
    assert "<b>" not in html


def test_open_fence_renders_without_tables() -> None:
    html = html_of("```python\nx = 1\n")
    assert "<table" not in html
    assert '<a href="copy-code:0"' in html
    closed = html_of("```python\nx = 1\n```\n")
    assert "<table" in closed


def test_empty_code_block_still_renders() -> None:
    result = render_markdown("```\n```\n", LIGHT_THEME)
    assert result.code_blocks[0].code == ""
    assert "&nbsp;" in result.html


def test_chinese_text_passes_through() -> None:
    html = html_of("## 标题\n\n中文段落，**加粗**。")
    assert "标题" in html
    assert "<strong>加粗</strong>" in html


def test_very_long_lines_are_kept_whole() -> None:
    word = "x" * 20_000
    html = html_of(f"{word}\n\n```\n{word}\n```\n")
    assert html.count(word) == 2
    assert "white-space:pre-wrap" in html


def test_reference_definitions_are_plain_text() -> None:
    html = html_of("[a][ref]\n\n[ref]: https://example.com\n")
    assert "<a " not in html
    assert "[ref]: https://example.com" in html


def test_copy_label_comes_from_the_theme() -> None:
    from dataclasses import replace

    html = html_of("```\nx\n```\n", replace(LIGHT_THEME, copy_label="复制"))
    assert ">复制</a>" in html
