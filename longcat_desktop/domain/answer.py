"""An answer as it streams: every stream event folds into one immutable snapshot.

`fold(snapshot, event)` is the only place that knows what each event means, and it matches
every event type: a new type is a mypy error here until it is handled, so none is dropped.

A stream can hold 50,000 events and more. Building the text anew for each one would cost the
whole text per event, so text grows in an append-only log of pieces that successive snapshots
share; each snapshot is a view of the log's first pieces. Folding costs O(1) amortised per
event (plus the number of tool calls for a tool-call piece); the pieces are joined only when
someone reads the text, and then only the pieces not joined before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never

from longcat_desktop.domain.chat import ToolCall
from longcat_desktop.domain.events import (
    ChatResult,
    ReasoningDelta,
    ReasoningSignature,
    Retrying,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from longcat_desktop.domain.user_texts import UserText

# Finish reasons that mean the model was stopped mid-answer: a tool call may be cut off.
CUT_OFF_FINISH_REASONS = frozenset({"length", "max_tokens", "model_context_window_exceeded"})


def _join(pieces: list[str]) -> str:
    # One named place for joining, so the tests can count what the text costs.
    return "".join(pieces)


def whole_characters(text: str) -> str:
    """`text` with the halves of a character joined again.

    A server that writes \\u escapes can put the two halves of a surrogate pair (an emoji)
    into two events; each decodes to a lone surrogate, which UTF-8 cannot encode. A half
    with no partner becomes U+FFFD.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


class _Log:
    """Pieces shared by the snapshots of one answer; only ever appended to."""

    __slots__ = ("joined", "joined_count", "pieces")

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces
        # The text of the first `joined_count` pieces, so a second read costs nothing.
        self.joined = ""
        self.joined_count = 0

    def text(self, count: int) -> str:
        if count == self.joined_count:
            return self.joined
        if count < self.joined_count:
            # An earlier snapshot read after a later one: rare, and not worth caching.
            return _join(self.pieces[:count])
        self.joined += _join(self.pieces[self.joined_count : count])
        self.joined_count = count
        return self.joined


@dataclass(frozen=True, slots=True, eq=False)
class StreamedText:
    """Text that grows piece by piece; `str()` gives it, and it compares equal to a str."""

    _log: _Log
    _count: int
    _length: int

    @staticmethod
    def of(text: str = "") -> StreamedText:
        return StreamedText(_Log([text] if text else []), 1 if text else 0, len(text))

    def plus(self, piece: str) -> StreamedText:
        if not piece:
            return self
        log = self._log
        if self._count == 0:
            # Every answer starts a log of its own: the shared empty text never grows.
            log = _Log([])
        elif self._count != len(log.pieces):
            # This snapshot was folded further before: start a log of its own so the
            # later snapshots keep their text. Never happens when folding a stream in order.
            log = _Log(log.pieces[: self._count])
        log.pieces.append(piece)
        return StreamedText(log, self._count + 1, self._length + len(piece))

    def since(self, earlier: StreamedText) -> str:
        """What was appended after `earlier`, which must be an earlier state of this text."""
        if earlier._log is self._log and earlier._count <= self._count:
            return _join(self._log.pieces[earlier._count : self._count])
        return str(self)[len(earlier) :]

    @property
    def piece_count(self) -> int:
        return self._count

    def __str__(self) -> str:
        return self._log.text(self._count)

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StreamedText):
            return self._length == other._length and str(self) == str(other)
        if isinstance(other, str):
            return self._length == len(other) and str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"StreamedText({str(self)!r})"


EMPTY_TEXT = StreamedText.of()
_NO_USAGE = Usage()


@dataclass(frozen=True, slots=True)
class ToolCallState:
    """A tool call being assembled from its pieces; `index` is its place in the answer."""

    index: int
    id: str | None
    name: str | None
    arguments: StreamedText

    def to_call(self) -> ToolCall:
        """The call as sent back to the model; a server that left out id or name gets ""."""
        return ToolCall(self.id or "", self.name or "", whole_characters(str(self.arguments)))


@dataclass(frozen=True, slots=True)
class AnswerSnapshot:
    """Everything one answer's events said so far. Make the next one with `fold`."""

    text: StreamedText = EMPTY_TEXT
    reasoning: StreamedText = EMPTY_TEXT
    # Each thinking block's signature replaces the previous one.
    reasoning_signature: str | None = None
    # Ordered by index, whatever order their pieces arrived in.
    tool_calls: tuple[ToolCallState, ...] = ()
    usage: Usage = _NO_USAGE
    # The last Retrying while nothing of the answer has arrived; None once something has.
    retrying: Retrying | None = None
    # The stream's last event; None while it is still streaming.
    end: StreamEnd | None = None

    @property
    def ended(self) -> bool:
        return self.end is not None

    @property
    def complete(self) -> bool:
        return self.end is not None and self.end.complete

    @property
    def finish_reason(self) -> str | None:
        return None if self.end is None else self.end.finish_reason

    @property
    def interruption(self) -> UserText | None:
        return None if self.end is None else self.end.interruption

    @property
    def tool_calls_whole(self) -> bool:
        """True when the answer ended normally, so every tool call in it arrived whole.

        A call cut off by max_tokens, by Stop or by a dropped connection must never run.
        """
        return self.complete and self.finish_reason not in CUT_OFF_FINISH_REASONS

    def result(self) -> ChatResult:
        return ChatResult(
            text=whole_characters(str(self.text)),
            reasoning=whole_characters(str(self.reasoning)),
            finish_reason=self.finish_reason,
            usage=self.usage,
            tool_calls=tuple(call.to_call() for call in self.tool_calls),
            reasoning_signature=self.reasoning_signature,
        )


def fold(snapshot: AnswerSnapshot, event: StreamEvent) -> AnswerSnapshot:
    """The snapshot after `event`. Pure: `snapshot` itself never changes."""
    # Positional construction: this runs once per token, and keywords cost a measurable share.
    s = snapshot
    match event:
        case TextDelta():
            return AnswerSnapshot(
                s.text.plus(event.text),
                s.reasoning,
                s.reasoning_signature,
                s.tool_calls,
                s.usage,
                None,
                s.end,
            )
        case ReasoningDelta():
            return AnswerSnapshot(
                s.text,
                s.reasoning.plus(event.text),
                s.reasoning_signature,
                s.tool_calls,
                s.usage,
                None,
                s.end,
            )
        case ReasoningSignature():
            return AnswerSnapshot(
                s.text, s.reasoning, event.signature, s.tool_calls, s.usage, None, s.end
            )
        case ToolCallDelta():
            return AnswerSnapshot(
                s.text,
                s.reasoning,
                s.reasoning_signature,
                _with_piece(s.tool_calls, event),
                s.usage,
                None,
                s.end,
            )
        case Usage():
            return AnswerSnapshot(
                s.text, s.reasoning, s.reasoning_signature, s.tool_calls, event, s.retrying, s.end
            )
        case Retrying():
            return AnswerSnapshot(
                s.text, s.reasoning, s.reasoning_signature, s.tool_calls, s.usage, event, s.end
            )
        case StreamEnd():
            return AnswerSnapshot(
                s.text, s.reasoning, s.reasoning_signature, s.tool_calls, s.usage, None, event
            )
        case _:
            assert_never(event)


def fold_all(events: Iterable[StreamEvent], start: AnswerSnapshot | None = None) -> AnswerSnapshot:
    snapshot = AnswerSnapshot() if start is None else start
    for event in events:
        snapshot = fold(snapshot, event)
    return snapshot


def _with_piece(
    calls: tuple[ToolCallState, ...], piece: ToolCallDelta
) -> tuple[ToolCallState, ...]:
    for position, call in enumerate(calls):
        if call.index == piece.index:
            # The first piece of an index names the call; a later id or name never renames it.
            updated = ToolCallState(
                call.index,
                call.id or piece.id,
                call.name or piece.name,
                call.arguments.plus(piece.arguments),
            )
            return (*calls[:position], updated, *calls[position + 1 :])
        if call.index > piece.index:
            return (*calls[:position], _new_call(piece), *calls[position:])
    return (*calls, _new_call(piece))


def _new_call(piece: ToolCallDelta) -> ToolCallState:
    return ToolCallState(piece.index, piece.id, piece.name, StreamedText.of(piece.arguments))
