"""Streaming Markdown: finished top-level blocks are rendered once, only the open tail again.

When is a block finished? Only complete lines (up to the last newline) are trusted: a partial
line can still turn into something else ("#" into "#tag", "|-" into "|-x"). If the complete
lines of the tail parse into two or more top-level blocks, every block but the last is final:
CommonMark closes a top-level block for good once a later line starts a new one, and the two
rules that reach back across blocks are excluded by the dialect (no link reference
definitions, no raw HTML blocks). The last block stays open because later lines may still
extend it (a loose list after a blank line, table rows, an unclosed fence). The test suite
checks this with random splits of realistic answers: the streamed result must equal the
result of rendering the whole text at once.

A fence closed by its closing line is final at once, and a fence still open that is the whole
tail is extended line by line (`open_fence`), not parsed and rendered again whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from longcat_desktop.render.markup import CodeBlock, HtmlRenderer, RenderedBlock
from longcat_desktop.render.math_syntax import display_math_open
from longcat_desktop.render.open_fence import OpenFence, closes_fence, open_fence_token
from longcat_desktop.render.parser import (
    Block,
    normalize_newlines,
    shared_parser,
    top_level_blocks,
)
from longcat_desktop.render.theme import RenderTheme


@dataclass(frozen=True, slots=True)
class RenderUpdate:
    """What changed with one append: blocks that just became final, and the new open tail.

    `finished` blocks never change again and come in document order after the ones of earlier
    updates. The open tail is a settled part followed by `tail`: `settled` is HTML that joins
    the settled part and stays until the tail block is finished or replaced; `tail` replaces
    the previous `tail`. With `keep_settled` false the settled part so far is dropped first.
    """

    finished: tuple[RenderedBlock, ...]
    tail: RenderedBlock
    settled: str = ""
    keep_settled: bool = False


def _join(blocks: Sequence[RenderedBlock]) -> RenderedBlock:
    if len(blocks) == 1:
        return blocks[0]
    return RenderedBlock(
        "".join(block.html for block in blocks),
        tuple(code for block in blocks for code in block.code_blocks),
    )


def render_blocks(
    renderer: HtmlRenderer, blocks: Sequence[Block], first_code_index: int
) -> list[RenderedBlock]:
    rendered: list[RenderedBlock] = []
    code_index = first_code_index
    for block in blocks:
        result = renderer.render(block.tokens, code_index)
        code_index += len(result.code_blocks)
        rendered.append(result)
    return rendered


def render_markdown(text: str, theme: RenderTheme) -> RenderedBlock:
    """The whole text at once: what a stored message shows, and what streaming must end at."""
    md = shared_parser()
    blocks = top_level_blocks(md.parse(normalize_newlines(text)))
    return _join(render_blocks(HtmlRenderer(theme), blocks, 0))


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return offset


class IncrementalRenderer:
    """Renders one message as it streams. Pure Python: no Qt needed."""

    def __init__(self, theme: RenderTheme, parser: MarkdownIt | None = None) -> None:
        self._md = parser or shared_parser()
        self._renderer = HtmlRenderer(theme)
        self._text = ""
        self._pending_cr = False
        self._tail_offset = 0
        # Length of the complete-line prefix of the tail last examined for finished blocks,
        # so a refresh without a new line break skips that parse.
        self._checked_length = 0
        self._finished: list[RenderedBlock] = []
        self._finished_codes: list[CodeBlock] = []
        self._tail = RenderedBlock("")
        self._fence: OpenFence | None = None

    @property
    def theme(self) -> RenderTheme:
        return self._renderer.theme

    @property
    def text(self) -> str:
        """The text so far, with line breaks normalised to ``\\n``."""
        return self._text + ("\n" if self._pending_cr else "")

    @property
    def finished(self) -> Sequence[RenderedBlock]:
        return tuple(self._finished)

    @property
    def tail(self) -> RenderedBlock:
        return self._tail

    @property
    def html(self) -> str:
        """The HTML of the whole message so far (costs a join over all blocks)."""
        settled = self._fence.html if self._fence is not None else ""
        return "".join(block.html for block in self._finished) + settled + self._tail.html

    @property
    def code_blocks(self) -> tuple[CodeBlock, ...]:
        return (*self._finished_codes, *self._tail.code_blocks)

    def code_block(self, index: int) -> str:
        """The raw code of the index-th code block, for the view's copy link."""
        finished = len(self._finished_codes)
        if index < finished:
            return self._finished_codes[index].code
        return self._tail.code_blocks[index - finished].code

    def append(self, chunk: str) -> RenderUpdate:
        self._append_text(chunk)
        if self._fence is not None:
            extended = self._fence.extend(self._text, self._pending_cr)
            if extended is not None:
                self._tail = extended.live
                return RenderUpdate((), self._tail, extended.settled, keep_settled=True)
            self._fence = None
        newly_finished = self._finish_blocks()
        tail_source = self._text[self._tail_offset :]
        if self._pending_cr:
            tail_source += "\n"
        tail_blocks = top_level_blocks(self._md.parse(tail_source))
        if len(tail_blocks) == 1 and open_fence_token(list(tail_blocks[0].tokens)):
            fence = self._open_fence(tail_source, tail_blocks[0].start_line)
            if fence is not None:
                return RenderUpdate(tuple(newly_finished), self._tail, fence)
        self._tail = (
            _join(render_blocks(self._renderer, tail_blocks, len(self._finished_codes)))
            if tail_blocks
            else RenderedBlock("")
        )
        return RenderUpdate(tuple(newly_finished), self._tail)

    def _append_text(self, chunk: str) -> None:
        # A "\r\n" may be split between two chunks; hold a trailing "\r" back until we know.
        if self._pending_cr:
            chunk = "\r" + chunk
            self._pending_cr = False
        if chunk.endswith("\r"):
            chunk = chunk[:-1]
            self._pending_cr = True
        self._text += normalize_newlines(chunk)

    def _open_fence(self, tail_source: str, start_line: int) -> str | None:
        """Follow the tail's open fence line by line from now on; the HTML of its settled
        part, or None while its opening line is still incomplete."""
        start = self._tail_offset + _offset_of_line(tail_source, start_line)
        opener_end = self._text.find("\n", start) + 1
        if not opener_end:
            return None
        fence = OpenFence(
            self._md,
            self.theme,
            self._text[start:opener_end],
            opener_end,
            len(self._finished_codes),
        )
        extended = fence.extend(self._text, self._pending_cr)
        if extended is None:
            return None
        self._fence = fence
        self._tail = extended.live
        return extended.settled

    def _finish_blocks(self) -> list[RenderedBlock]:
        complete_end = self._text.rfind("\n") + 1
        if complete_end - self._tail_offset <= self._checked_length:
            return []
        source = self._text[self._tail_offset : complete_end]
        self._checked_length = len(source)
        blocks = top_level_blocks(self._md.parse(source))
        final = len(blocks) if blocks and _closed_fence(blocks[-1], source) else len(blocks) - 1
        # While a display formula is open, a line inside it could read as a block of its own
        # (a list item in an aligned environment): nothing is finished until it closes.
        if final < 1 or display_math_open(source):
            return []
        done = render_blocks(self._renderer, blocks[:final], len(self._finished_codes))
        for block in done:
            self._finished.append(block)
            self._finished_codes.extend(block.code_blocks)
        if final < len(blocks):
            self._tail_offset += _offset_of_line(source, blocks[-1].start_line)
        else:
            self._tail_offset = complete_end
        self._checked_length = complete_end - self._tail_offset
        return done


def _closed_fence(block: Block, source: str) -> bool:
    """Whether a block is a fence with its closing line, which no later line can extend."""
    if len(block.tokens) != 1 or block.tokens[0].type != "fence":
        return False
    token = block.tokens[0]
    if not token.map or token.map[1] - token.map[0] < 2:
        return False
    lines = source.split("\n")
    last = token.map[1] - 1
    return last < len(lines) - 1 and closes_fence(lines[last], token.markup)
