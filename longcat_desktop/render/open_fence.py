"""A top-level fence at the end of a streaming message, rendered at a cost that does not grow.

Parsing the whole tail on each refresh would cost as much as the fence is long. While the
open tail is one fence, only its lines since the last refresh are parsed, below its opening
line: a fence's content lines are opaque to Markdown, so this gives what parsing the whole
fence gives, and shows when one of them closes it. Its code grows through `GrowingCode`,
whose settled runs of lines are handed out once, for the view to insert once.

The HTML equals what `HtmlRenderer` gives for the same text: the header, the settled runs,
the live lines (`code_html.open_code`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from longcat_desktop.render.code_html import (
    fence_language,
    open_code_head,
    open_code_lines,
    text,
)
from longcat_desktop.render.growing_code import GrowingCode, shared_recent_code
from longcat_desktop.render.highlight import shared_highlighter
from longcat_desktop.render.markup import CodeBlock, RenderedBlock
from longcat_desktop.render.theme import RenderTheme


@dataclass(frozen=True, slots=True)
class FenceUpdate:
    """`settled`: HTML that joins the fence's settled part for good; `live`: the rest."""

    settled: str
    live: RenderedBlock


def closes_fence(line: str, markup: str) -> bool:
    """Whether `line` is a closing fence for an opening `markup` (CommonMark 4.5)."""
    body = line.lstrip(" ")
    if len(line) - len(body) > 3:
        return False
    run = len(body) - len(body.lstrip(markup[0]))
    return run >= len(markup) and not body[run:].strip(" \t")


def open_fence_token(tokens: list[Token]) -> Token | None:
    """The fence, if the tokens of a tail are exactly one fence still open."""
    if len(tokens) == 1 and tokens[0].type == "fence" and not tokens[0].meta.get("closed", True):
        return tokens[0]
    return None


@dataclass
class OpenFence:
    """The fence that is the whole open tail, from its opening line on."""

    parser: MarkdownIt
    theme: RenderTheme
    opener: str
    """The opening line, its line break included."""
    confirmed: int
    """Offset in the message text where the lines not yet known to be content begin."""
    code_index: int
    language: str = ""
    content: str = ""
    """Content of the lines before `confirmed`."""
    settled: list[str] = field(default_factory=list)
    """HTML of the header and each settled run, as handed out."""
    growing: GrowingCode | None = None

    @property
    def html(self) -> str:
        return "".join(self.settled)

    def extend(self, message: str, pending_break: bool) -> FenceUpdate | None:
        """The fence with the message text as it is now; None once it is no longer an open
        fence alone (a closing line came, or a line only a whole parse can judge)."""
        rest = message[self.confirmed :] + ("\n" if pending_break else "")
        token = open_fence_token(self.parser.parse(self.opener + rest))
        if token is None:
            return None
        growing = self.growing
        if growing is None:
            self.language = fence_language(token.info)
            style = self.theme.pygments_style
            growing = self.growing = GrowingCode(shared_highlighter(style), self.language)
            shared_recent_code(style).watch(growing)
        complete = message.count("\n", self.confirmed)
        lines = token.content.split("\n")
        content = self.content + token.content
        if complete:
            self.content += "\n".join(lines[:complete]) + "\n"
            self.confirmed = message.rindex("\n") + 1
        code = content[:-1] if content.endswith("\n") else content
        growing.update(code)
        added: list[str] = []
        if not self.settled:
            label = text(self.language or "code")
            added.append(open_code_head(self.theme, label, self.code_index))
        shown = len(self.settled) - 1 if self.settled else 0
        for number in range(shown, len(growing.chunks)):
            added.append(
                open_code_lines(self.theme, growing.chunks[number], first=not number, last=False)
            )
        self.settled.extend(added)
        live = open_code_lines(self.theme, growing.live, first=not growing.chunks, last=True)
        return FenceUpdate("".join(added), RenderedBlock(live, (CodeBlock(self.language, code),)))
