"""Colours for code that grows at its end: lines, once settled, are never lexed again.

A fence that is still streaming is split into runs of CHUNK_LINES lines. A run settles (its
HTML is final, and the view inserts it once) when its lines are complete and its colours are
known to be those of the whole block; everything after the last settled run is lexed again on
each update, from the lexer state where the settled runs end. That work is bounded by a few
runs, however long the block grows.

Colours of a line can depend on lines before it (inside a multi-line string or comment) and,
for lexers that match such a construct with one regular expression, on lines after it: an
unterminated ``/*`` is lexed as operators until its ``*/`` arrives. So:

* For Pygments' regex lexers the lexer's state stack is noted at each line start between two
  tokens (`lex_with_states`), and lexing resumes from it: exactly what lexing the whole block
  would give there.
* A run settles only if appending the ends of common multi-line constructs (PROBE) to the
  text so far changes no colour in it: an open comment or string keeps its lines unsettled
  until it is closed.
* Lexers whose state cannot be seen (hand-written ones, or ones that rewrite the token stream,
  except C and C++, whose renaming of type names is repeated here) lex each run on its own,
  as earlier versions did for every language; a construct crossing a run edge may then show
  other colours until the fence closes and the block is lexed whole.

The probe cannot close every construct: a heredoc ends with a word of its own, embedded
script and style end with tags. Lexers that have them may show other colours while a fence
streams. A fence closed is rendered from the whole code as before, except for the languages
whose settled lines are known exact (WHOLE_FROM_SETTLED, checked by the tests; no run settled
by force): only what follows those lines is lexed again (`RecentCode.whole`), for the same
colours, and a 4,000-line block closes without lexing it all once more.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain

from pygments.lexer import ExtendedRegexLexer, Lexer, RegexLexer
from pygments.lexers.c_cpp import CFamilyLexer
from pygments.token import Error, Keyword, Name, Whitespace, _TokenType

from longcat_desktop.render.highlight import CodeHighlighter, lexer_for, shared_highlighter

CHUNK_LINES = 8
# Past this many unsettled lines the runs settle anyway (an unclosed string, a lexer the probe
# always disturbs): colours may then differ until the fence closes, but the cost stays bounded.
MAX_OPEN_LINES = 160
# Ends of the constructs lexers match across lines in one regular expression, one after the
# other: whichever is open, one of them closes it, and the colours before it change.
PROBE = "*/\"\"\"'''`-->]]>*)-}</script></style>```"
RECENT = 8
# Lexers (by name) whose multi-line constructs all end in a piece of PROBE or are states.
WHOLE_FROM_SETTLED = frozenset(
    {"Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "Kotlin", "C#", "Scala", "CSS",
     "SQL", "XML", "TOML", "Haskell", "Diff", "C", "C++"}
)  # fmt: skip
# Grown codes kept for `RecentCode.whole`: each holds its settled tokens (a few MB for 4,000
# lines), and the last ones grown are the ones about to close.
WATCHED = 4

Token = tuple[int, _TokenType, str]
Stack = tuple[str, ...]
ROOT: Stack = ("root",)


def has_visible_state(lexer: Lexer) -> bool:
    """Whether `lex_with_states` lexes exactly as this lexer does."""
    kind = type(lexer)
    return (
        isinstance(lexer, RegexLexer)
        and not isinstance(lexer, ExtendedRegexLexer)
        and kind.get_tokens_unprocessed
        in (RegexLexer.get_tokens_unprocessed, CFamilyLexer.get_tokens_unprocessed)
        and kind.get_tokens is Lexer.get_tokens
        and not lexer.filters
    )


def _c_type(lexer: CFamilyLexer, ttype: _TokenType, value: str) -> _TokenType:
    """What CFamilyLexer makes of a name after its regular expressions (C and C++ only
    rename standard, C99, C11 and Linux type names), as Pygments 2.x does."""
    if ttype is not Name:
        return ttype
    if (
        (lexer.stdlibhighlighting and value in lexer.stdlib_types)
        or (lexer.c99highlighting and value in lexer.c99_types)
        or (lexer.c11highlighting and value in lexer.c11_atomic_types)
        or (lexer.platformhighlighting and value in lexer.linux_types)
    ):
        return Keyword.Type
    return ttype


def lex_with_states(
    lexer: RegexLexer, text: str, stack: Stack = ROOT
) -> tuple[list[Token], dict[int, Stack]]:
    """Pygments' RegexLexer loop, also noting the state stack at every line start that falls
    between two tokens. The loop is Pygments' own (2.x), so the tokens are the same."""
    tokens: list[Token] = []
    states: dict[int, Stack] = {0: stack} if text else {}
    tokendefs = lexer._tokens
    statestack = list(stack)
    statetokens = tokendefs[statestack[-1]]
    pos = 0
    size = len(text)
    while pos < size:
        for rexmatch, action, new_state in statetokens:
            m = rexmatch(text, pos)
            if m:
                if action is not None:
                    if type(action) is _TokenType:
                        tokens.append((pos, action, m.group()))
                    else:
                        tokens.extend(action(lexer, m))
                pos = m.end()
                if new_state is not None:
                    _transition(statestack, new_state)
                    statetokens = tokendefs[statestack[-1]]
                break
        else:
            if text[pos] == "\n":
                # Pygments' recovery at a line end: back to the root state.
                statestack = ["root"]
                statetokens = tokendefs["root"]
                tokens.append((pos, Whitespace, "\n"))
            else:
                tokens.append((pos, Error, text[pos]))
            pos += 1
        if pos < size and text[pos - 1] == "\n":
            states[pos] = tuple(statestack)
    if isinstance(lexer, CFamilyLexer):
        tokens = [(pos, _c_type(lexer, ttype, value), value) for pos, ttype, value in tokens]
    return tokens, states


def _transition(statestack: list[str], new_state: object) -> None:
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(statestack) > 1:
                    statestack.pop()
            elif state == "#push":
                statestack.append(statestack[-1])
            else:
                statestack.append(state)
    elif isinstance(new_state, int):
        if abs(new_state) >= len(statestack):
            del statestack[1:]
        else:
            del statestack[new_state:]
    elif new_state == "#push":
        statestack.append(statestack[-1])
    else:
        raise ValueError(f"wrong state definition: {new_state!r}")


def _clip(tokens: list[Token], start: int, end: int) -> Iterator[tuple[_TokenType, str]]:
    """The (type, text) pairs of tokens within [start, end), cut at both edges."""
    for pos, ttype, value in tokens:
        stop = pos + len(value)
        if stop <= start:
            continue
        if pos >= end:
            break
        yield ttype, value[max(0, start - pos) : end - pos]


def _first_difference(ours: list[Token], probed: list[Token], end: int) -> int:
    """Where the probed lexing first differs from ours (`end` if nowhere before it)."""
    for mine, theirs in zip(ours, probed, strict=False):
        if mine != theirs:
            return min(mine[0], theirs[0])
    return end


def _line_starts(text: str) -> list[int]:
    starts = [0]
    found = text.find("\n")
    while found != -1:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return starts


class GrowingCode:
    """The coloured lines of one fence's code as it grows; `update` with each longer code."""

    def __init__(self, highlighter: CodeHighlighter, language: str) -> None:
        self._highlighter = highlighter
        self.language = language
        self._lexer = lexer_for(language)
        self._stateful = has_visible_state(self._lexer)
        self.code = ""
        self.chunks: list[str] = []
        """HTML of each settled run of CHUNK_LINES lines, in order; never changes."""
        self.live = ""
        """HTML of the code after the settled runs; replaced by each update."""
        self._settled = 0  # characters of code the settled runs cover, their last "\n" included
        self._stack = ROOT
        # The settled code's tokens, neighbours of one type joined, while they are exactly
        # those of the whole block (None once a run settled by force, or lexed alone).
        exact = self._stateful and self._lexer.name in WHOLE_FROM_SETTLED
        self._tokens: list[tuple[_TokenType, str]] | None = [] if exact else None

    def continues(self, code: str) -> bool:
        return code.startswith(self.code)

    def update(self, code: str) -> None:
        """Take the code so far, which must continue the code of the last update."""
        if not self.continues(code):
            raise ValueError("the code does not continue the code seen so far")
        self.code = code
        rest = code[self._settled :]
        if self._stateful:
            self._update_stateful(rest)
        else:
            self._update_chunked(rest)

    def _update_chunked(self, rest: str) -> None:
        lines = rest.split("\n")
        while len(lines) > CHUNK_LINES:
            run, lines = lines[:CHUNK_LINES], lines[CHUNK_LINES:]
            self.chunks.append(self._highlighter.html(self._lexer.get_tokens("\n".join(run))))
            self._settled += sum(len(line) + 1 for line in run)
        self.live = self._highlighter.html(self._lexer.get_tokens("\n".join(lines)))

    def _update_stateful(self, rest: str) -> None:
        assert isinstance(self._lexer, RegexLexer)
        tokens, states = lex_with_states(self._lexer, rest, self._stack)
        starts = _line_starts(rest)
        # starts[-1] begins the last line, which may still grow: it never settles.
        runs = (len(starts) - 1) // CHUNK_LINES
        if runs:
            probed, _ = lex_with_states(self._lexer, rest + PROBE, self._stack)
            stable = _first_difference(tokens, probed, len(rest))
            forced = len(starts) - 1 > MAX_OPEN_LINES
            while runs and not (
                starts[runs * CHUNK_LINES] in states
                and (forced or starts[runs * CHUNK_LINES] <= stable)
            ):
                runs -= 1
            if not runs and forced:
                runs = (len(starts) - 1) // CHUNK_LINES
            edge = starts[runs * CHUNK_LINES]
            if forced and runs and (edge > stable or edge not in states):
                self._tokens = None
        for run in range(runs):
            start = starts[run * CHUNK_LINES]
            end = starts[(run + 1) * CHUNK_LINES] - 1  # the run's last "\n" is the block edge
            self.chunks.append(self._highlighter.html(_clip(tokens, start, end)))
        if runs:
            if self._tokens is not None:
                _join_into(self._tokens, _clip(tokens, 0, starts[runs * CHUNK_LINES]))
            edge = starts[runs * CHUNK_LINES]
            self._settled += edge
            self._stack = states.get(edge, ROOT)
            if edge not in states:
                rest = rest[edge:]
                tokens, _ = lex_with_states(self._lexer, rest, self._stack)
                edge = 0
            self.live = self._highlighter.html(_clip(tokens, edge, len(rest)))
        else:
            self.live = self._highlighter.html((ttype, value) for _, ttype, value in tokens)

    def whole(self, code: str) -> str | None:
        """HTML of the whole `code`, which continues this one, as lexing it all would give;
        None if the settled lines' tokens are not known to be exactly those."""
        if self._tokens is None or not code.startswith(self.code[: self._settled]):
            return None
        assert isinstance(self._lexer, RegexLexer)
        rest, _ = lex_with_states(self._lexer, code[self._settled :], self._stack)
        return self._highlighter.html(chain(self._tokens, ((t, v) for _, t, v in rest)))


def _join_into(
    tokens: list[tuple[_TokenType, str]], more: Iterable[tuple[_TokenType, str]]
) -> None:
    for ttype, value in more:
        if tokens and tokens[-1][0] is ttype:
            tokens[-1] = (ttype, tokens[-1][1] + value)
        elif value:
            tokens.append((ttype, value))


class RecentCode:
    """The few codes last grown, so that rendering an open fence again continues from them."""

    def __init__(self, highlighter: CodeHighlighter) -> None:
        self._highlighter = highlighter
        self._recent: OrderedDict[int, GrowingCode] = OrderedDict()
        self._watched: OrderedDict[int, GrowingCode] = OrderedDict()

    def watch(self, growing: GrowingCode) -> None:
        """Let `whole` continue from a code grown elsewhere (a streaming fence's own)."""
        self._watched[id(growing)] = growing
        self._watched.move_to_end(id(growing))
        if len(self._watched) > WATCHED:
            self._watched.popitem(last=False)

    def whole(self, code: str, language: str) -> str | None:
        """HTML of a whole closed block from a code grown up to it, if one is known."""
        for growing in reversed([*self._recent.values(), *self._watched.values()]):
            if growing.language == language and growing.code and code.startswith(growing.code):
                html = growing.whole(code)
                if html is not None:
                    return html
        return None

    def grown(self, code: str, language: str) -> GrowingCode:
        for key, growing in reversed(self._recent.items()):
            if growing.language == language and growing.continues(code):
                self._recent.move_to_end(key)
                break
        else:
            growing = GrowingCode(self._highlighter, language)
            self._recent[id(growing)] = growing
            if len(self._recent) > RECENT:
                self._recent.popitem(last=False)
        growing.update(code)
        return growing


@lru_cache(maxsize=4)
def shared_recent_code(style_name: str) -> RecentCode:
    """One set of recently grown codes per style, like the highlighter's cache."""
    return RecentCode(shared_highlighter(style_name))
