"""The answer snapshot: every stream event folds into it, at a cost that stays flat."""

from __future__ import annotations

import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longcat_desktop.domain import answer
from longcat_desktop.domain.answer import (
    AnswerSnapshot,
    StreamedText,
    ToolCallState,
    fold,
    fold_all,
)
from longcat_desktop.domain.chat import ToolCall
from longcat_desktop.domain.errors import RateLimitError
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

RETRY = Retrying(attempt=1, delay=2.0, error=RateLimitError("slow down", status=429))

# One event of every type, with the part of the snapshot it must change.
EXAMPLES: list[tuple[StreamEvent, typing.Callable[[AnswerSnapshot], object], object]] = [
    (TextDelta("Hi"), lambda s: s.text, "Hi"),
    (ReasoningDelta("Hmm"), lambda s: s.reasoning, "Hmm"),
    (ReasoningSignature("sig"), lambda s: s.reasoning_signature, "sig"),
    (
        ToolCallDelta(0, "call_1", "get_time", '{"tz"'),
        lambda s: s.tool_calls,
        (ToolCallState(0, "call_1", "get_time", StreamedText.of('{"tz"')),),
    ),
    (Usage(10, 3), lambda s: s.usage, Usage(10, 3)),
    (RETRY, lambda s: s.retrying, RETRY),
    (StreamEnd("stop", complete=True), lambda s: s.end, StreamEnd("stop", complete=True)),
]
INTERRUPTED = UserText("The connection was lost.")


def test_an_empty_snapshot_says_nothing() -> None:
    snapshot = AnswerSnapshot()
    assert snapshot.text == ""
    assert not snapshot.text
    assert snapshot.reasoning == ""
    assert snapshot.reasoning_signature is None
    assert snapshot.tool_calls == ()
    assert snapshot.usage == Usage()
    assert snapshot.retrying is None
    assert (snapshot.ended, snapshot.complete, snapshot.finish_reason) == (False, False, None)
    assert snapshot.result() == ChatResult("", "", None, Usage())


def test_the_examples_cover_every_event_type() -> None:
    assert {type(event) for event, _, _ in EXAMPLES} == set(typing.get_args(StreamEvent))


@pytest.mark.parametrize(("event", "part", "expected"), EXAMPLES)
def test_every_event_type_changes_its_part_of_the_snapshot(
    event: StreamEvent, part: typing.Callable[[AnswerSnapshot], object], expected: object
) -> None:
    before = AnswerSnapshot()
    after = fold(before, event)
    assert part(after) == expected
    assert part(before) != expected


def test_text_and_reasoning_grow_in_order() -> None:
    events: list[StreamEvent] = [
        ReasoningDelta("Let me "),
        ReasoningDelta("think."),
        TextDelta("The answer "),
        TextDelta(""),
        TextDelta("is 42."),
    ]
    snapshot = fold_all(events)
    assert str(snapshot.text) == "The answer is 42."
    assert str(snapshot.reasoning) == "Let me think."
    assert len(snapshot.text) == len("The answer is 42.")


def test_a_later_signature_or_usage_replaces_the_earlier() -> None:
    snapshot = fold_all(
        [ReasoningSignature("a"), Usage(5, 1), ReasoningSignature("b"), Usage(5, 9)]
    )
    assert snapshot.reasoning_signature == "b"
    assert snapshot.usage == Usage(5, 9)


def test_retrying_lasts_until_the_answer_arrives() -> None:
    waiting = fold_all([RETRY, Usage(3, None)])
    assert waiting.retrying == RETRY
    for content in (TextDelta("a"), ReasoningDelta("b"), ToolCallDelta(0, "c", "f")):
        assert fold(waiting, content).retrying is None


@pytest.mark.parametrize(
    ("end", "whole"),
    [
        (StreamEnd("stop", complete=True), True),
        (StreamEnd("tool_calls", complete=True), True),
        (StreamEnd("tool_use", complete=True), True),
        (StreamEnd(None, complete=True), True),
        (StreamEnd("length", complete=True), False),
        (StreamEnd("max_tokens", complete=True), False),
        (StreamEnd("model_context_window_exceeded", complete=True), False),
        (StreamEnd(None, complete=False, interruption=INTERRUPTED), False),
    ],
)
def test_tool_calls_are_whole_only_when_the_answer_ended_normally(
    end: StreamEnd, whole: bool
) -> None:
    snapshot = fold_all([ToolCallDelta(0, "c", "f", "{}"), end])
    assert snapshot.tool_calls_whole is whole
    assert (snapshot.finish_reason, snapshot.complete) == (end.finish_reason, end.complete)
    assert snapshot.interruption == end.interruption


def test_a_stream_still_running_has_no_whole_calls() -> None:
    assert not fold_all([ToolCallDelta(0, "c", "f", "{}")]).tool_calls_whole


def test_parallel_calls_interleaved_are_ordered_by_index() -> None:
    events: list[StreamEvent] = [
        TextDelta("Checking both."),
        ToolCallDelta(1, "call_b", "get_weather", ""),
        ToolCallDelta(0, "call_a", "get_time", ""),
        ToolCallDelta(1, arguments='{"city": "Bei'),
        ToolCallDelta(0, arguments='{"tz": '),
        ToolCallDelta(2, "call_c", "list_files"),
        ToolCallDelta(1, arguments='jing"}'),
        ToolCallDelta(0, arguments='"UTC"}'),
        StreamEnd("tool_calls", complete=True),
    ]
    snapshot = fold_all(events)
    assert [call.index for call in snapshot.tool_calls] == [0, 1, 2]
    assert snapshot.result().tool_calls == (
        ToolCall("call_a", "get_time", '{"tz": "UTC"}'),
        ToolCall("call_b", "get_weather", '{"city": "Beijing"}'),
        ToolCall("call_c", "list_files", ""),
    )


def test_indexes_need_not_start_at_zero_or_be_dense() -> None:
    # Anthropic-format indexes count every content block, text and thinking included.
    snapshot = fold_all([ToolCallDelta(5, "t5", "b", "{}"), ToolCallDelta(2, "t2", "a", "{}")])
    assert [call.id for call in snapshot.tool_calls] == ["t2", "t5"]


def test_a_later_id_or_name_never_renames_a_call() -> None:
    snapshot = fold_all(
        [ToolCallDelta(0, "call_1", "f", "{"), ToolCallDelta(0, "call_2", "g", "}")]
    )
    assert snapshot.result().tool_calls == (ToolCall("call_1", "f", "{}"),)


def test_a_call_whose_id_comes_late_takes_it() -> None:
    snapshot = fold_all([ToolCallDelta(0, arguments="{"), ToolCallDelta(0, "c", "f", "}")])
    assert snapshot.tool_calls[0] == ToolCallState(0, "c", "f", StreamedText.of("{}"))


def test_a_call_without_id_or_name_reads_as_empty_strings() -> None:
    snapshot = fold_all([ToolCallDelta(0, arguments="{}")])
    assert snapshot.result().tool_calls == (ToolCall("", "", "{}"),)


def test_the_result_carries_everything() -> None:
    snapshot = fold_all(
        [
            ReasoningDelta("r"),
            ReasoningSignature("sig"),
            TextDelta("t"),
            ToolCallDelta(0, "c", "f", '{"a": 1}'),
            Usage(7, 2),
            StreamEnd("tool_calls", complete=True),
        ]
    )
    assert snapshot.result() == ChatResult(
        text="t",
        reasoning="r",
        finish_reason="tool_calls",
        usage=Usage(7, 2),
        tool_calls=(ToolCall("c", "f", '{"a": 1}'),),
        reasoning_signature="sig",
    )


def test_fold_never_changes_the_snapshot_it_was_given() -> None:
    base = fold_all([TextDelta("Hello"), ToolCallDelta(0, "c", "f", "{")])
    left = fold_all([TextDelta(", left"), ToolCallDelta(0, arguments="1}")], base)
    right = fold_all([TextDelta(", right"), ToolCallDelta(0, arguments="2}")], base)
    assert (str(base.text), str(left.text), str(right.text)) == (
        "Hello",
        "Hello, left",
        "Hello, right",
    )
    assert [str(s.tool_calls[0].arguments) for s in (base, left, right)] == ["{", "{1}", "{2}"]
    # Reading an earlier snapshot after a later one still gives the earlier text.
    assert str(fold(base, TextDelta("!")).text) == "Hello!"
    assert str(base.text) == "Hello"


def test_since_gives_only_what_was_appended() -> None:
    first = fold_all([TextDelta("a"), TextDelta("b")])
    later = fold_all([TextDelta("c"), TextDelta("d")], first)
    assert later.text.since(first.text) == "cd"
    assert later.text.since(later.text) == ""
    assert later.text.since(AnswerSnapshot().text) == "abcd"


def test_streamed_text_compares_and_hashes_like_its_string() -> None:
    text = StreamedText.of("ab").plus("c")
    assert text == "abc"
    assert text == StreamedText.of("abc")
    assert text != "abd"
    assert hash(text) == hash(StreamedText.of("abc"))
    assert repr(text) == "StreamedText('abc')"


def test_snapshots_compare_by_content() -> None:
    events: list[StreamEvent] = [TextDelta("a"), TextDelta("b"), Usage(1, 2)]
    assert fold_all(events) == fold_all([TextDelta("ab"), Usage(1, 2)])


class _CountingJoin:
    def __init__(self) -> None:
        self.calls = 0
        self.pieces = 0

    def __call__(self, pieces: list[str]) -> str:
        self.calls += 1
        self.pieces += len(pieces)
        return "".join(pieces)


def test_folding_50000_events_joins_nothing_and_shares_one_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    joins = _CountingJoin()
    monkeypatch.setattr(answer, "_join", joins)
    logs: list[object] = []
    real_log = answer._Log

    def counting_log(pieces: list[str]) -> object:
        logs.append(pieces)
        return real_log(pieces)

    monkeypatch.setattr(answer, "_Log", counting_log)
    snapshot = AnswerSnapshot()
    for number in range(50_000):
        snapshot = fold(snapshot, TextDelta(f"{number} "))
        snapshot = fold(snapshot, ToolCallDelta(0, "c" if number == 0 else None, "f", "x"))
    # One log for the text and one for the call's arguments, not one per event.
    assert len(logs) == 2
    assert joins.calls == 0
    text = str(snapshot.text)
    assert (joins.calls, joins.pieces) == (1, 50_000)
    assert text.startswith("0 1 2 ")
    assert text.endswith("49999 ")
    assert str(snapshot.text) is text
    assert joins.calls == 1
    assert len(str(snapshot.tool_calls[0].arguments)) == 50_000


def test_reading_the_text_as_it_grows_joins_each_piece_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    joins = _CountingJoin()
    monkeypatch.setattr(answer, "_join", joins)
    snapshot = AnswerSnapshot()
    for number in range(50_000):
        snapshot = fold(snapshot, TextDelta("x"))
        if number % 1_000 == 999:
            assert len(str(snapshot.text)) == number + 1
    assert (joins.calls, joins.pieces) == (50, 50_000)


_pieces = st.text(max_size=4)
_event = st.one_of(
    st.builds(TextDelta, _pieces),
    st.builds(ReasoningDelta, _pieces),
    st.builds(
        ToolCallDelta,
        st.integers(0, 3),
        st.sampled_from([None, "id"]),
        st.sampled_from([None, "name"]),
        _pieces,
    ),
)


@given(st.lists(_event, max_size=40))
def test_the_fold_keeps_every_piece_in_order(events: list[StreamEvent]) -> None:
    snapshot = fold_all(events)
    assert str(snapshot.text) == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert str(snapshot.reasoning) == "".join(
        e.text for e in events if isinstance(e, ReasoningDelta)
    )
    pieces = [e for e in events if isinstance(e, ToolCallDelta)]
    indexes = sorted({p.index for p in pieces})
    assert [call.index for call in snapshot.tool_calls] == indexes
    for call in snapshot.tool_calls:
        mine = [p for p in pieces if p.index == call.index]
        assert str(call.arguments) == "".join(p.arguments for p in mine)
        assert call.id == next((p.id for p in mine if p.id), None)
