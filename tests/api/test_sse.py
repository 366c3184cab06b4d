"""The SSE decoder, rule by rule, and the same result for any split of the same bytes."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longcat_desktop.api.sse import SseDecoder, SseEvent

BOM = b"\xef\xbb\xbf"


def decode(raw: bytes, cuts: list[int] | None = None) -> list[SseEvent]:
    """Feeds `raw` in reads split at `cuts` (positions), then closes."""
    decoder = SseDecoder()
    events: list[SseEvent] = []
    start = 0
    for cut in sorted(set(cuts or [])):
        events += decoder.feed(raw[start:cut])
        start = cut
    events += decoder.feed(raw[start:])
    events += decoder.close()
    return events


def bytewise(raw: bytes) -> list[SseEvent]:
    return decode(raw, list(range(len(raw) + 1)))


# --- line endings -------------------------------------------------------------------------


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_each_line_ending_ends_lines(newline: bytes) -> None:
    raw = b"data: one" + newline + b"data: two" + newline + newline + b"data: three" + newline * 2
    expected = [SseEvent("one\ntwo"), SseEvent("three")]
    assert decode(raw) == expected
    assert bytewise(raw) == expected


def test_mixed_line_endings_in_one_stream() -> None:
    raw = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"
    assert decode(raw) == [SseEvent("a\nb\nc"), SseEvent("d")]


def test_crlf_split_between_reads_is_one_line_ending() -> None:
    # Were the LF read as a second line ending, it would dispatch after "a" alone.
    assert decode(b"data: a\r\ndata: b\r\n\r\n", [8]) == [SseEvent("a\nb")]


def test_cr_at_end_of_read_ends_the_line_at_once() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a\r\r") == [SseEvent("a")]


def test_event_ended_by_cr_cr_split_between_them_dispatches_without_more_input() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\r") == [SseEvent("a")]


def test_lf_after_a_read_ending_in_cr_is_skipped_only_once() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\n") == []
    assert decoder.feed(b"\n") == [SseEvent("a")]


def test_empty_read_between_cr_and_lf_does_not_break_the_pair() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"") == []
    assert decoder.feed(b"\ndata: b\r\n\r\n") == [SseEvent("a\nb")]


def test_cr_lf_cr_is_two_line_endings() -> None:
    assert decode(b"data: a\r\n\r") == [SseEvent("a")]


# --- BOM ----------------------------------------------------------------------------------


def test_leading_bom_is_stripped() -> None:
    assert decode(BOM + b"data: x\n\n") == [SseEvent("x")]


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_leading_bom_split_across_reads_is_stripped(cut: int) -> None:
    assert decode(BOM + b"data: x\n\n", [cut]) == [SseEvent("x")]


def test_only_one_bom_is_stripped() -> None:
    # The second BOM makes the first line's field name "\ufeffdata", an unknown field.
    assert decode(BOM + BOM + b"data: x\n\ndata: y\n\n") == [SseEvent("y")]


def test_bom_later_in_stream_is_kept_as_text() -> None:
    assert decode(b"data: \xef\xbb\xbfx\n\n") == [SseEvent("\ufeffx")]


def test_stream_shorter_than_a_bom_that_is_not_one() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"\xef") == []
    # "\xef" + LF: a line holding one broken character, an unknown field; nothing to dispatch.
    assert decoder.feed(b"\ndata: z\n\n") == [SseEvent("z")]


def test_bom_prefix_alone_then_close() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"\xef\xbb") == []
    assert decoder.close() == []


def test_partial_bom_followed_by_other_bytes_is_text() -> None:
    # "\xef" then "d": not a BOM, so the line is "\xefdata: z", an unknown field name.
    assert decode(b"\xefdata: z\n\ndata: w\n\n", [1]) == [SseEvent("w")]


# --- fields -------------------------------------------------------------------------------


def test_comments_are_ignored() -> None:
    assert decode(b": ping\n:\ndata: a\n: mid-event comment\n\n") == [SseEvent("a")]


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (b"data", ""),
        (b"data:", ""),
        (b"data: x", "x"),
        (b"data:x", "x"),
        (b"data:  x", " x"),
        (b"data: x ", "x "),
        (b"data:: x", ": x"),
    ],
)
def test_data_line_forms(line: bytes, value: str) -> None:
    # A second line makes even an empty value visible: "" joined with "end".
    assert decode(line + b"\ndata: end\n\n") == [SseEvent(value + "\nend")]


def test_multiple_data_lines_are_joined_with_lf() -> None:
    assert decode(b"data: a\ndata:\ndata: c\n\n") == [SseEvent("a\n\nc")]


def test_two_empty_data_lines_are_one_lf_and_dispatched() -> None:
    assert decode(b"data\ndata\n\n") == [SseEvent("\n")]


@pytest.mark.parametrize(
    "raw",
    [
        b"data\n\n",
        b"data:\n\n",
        b"event: x\n\n",
        b"id: 1\n\n",
        b"event: message_stop\ndata:\n\n",
        b"id: 7\n: keep-alive\n\n",
        b"retry: 10\n\n",
        b"\n\n\n",
    ],
)
def test_events_with_empty_data_are_not_dispatched(raw: bytes) -> None:
    assert decode(raw) == []


def test_event_name_applies_to_one_event_only() -> None:
    raw = b"event: ping\ndata: {}\n\ndata: b\n\n"
    assert decode(raw) == [SseEvent("{}", event="ping"), SseEvent("b")]


def test_empty_event_name_means_message() -> None:
    assert decode(b"event:\ndata: a\n\n") == [SseEvent("a", event="message")]


def test_event_name_of_undispatched_event_does_not_leak() -> None:
    assert decode(b"event: error\n\ndata: a\n\n") == [SseEvent("a")]


def test_field_name_without_colon_has_empty_value() -> None:
    assert decode(b"event\ndata: a\n\n") == [SseEvent("a")]


def test_id_persists_across_events() -> None:
    raw = b"id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n"
    assert [event.id for event in decode(raw)] == ["1", "1", "2"]


def test_id_set_on_undispatched_event_still_counts() -> None:
    raw = b"id: 5\n\ndata: a\n\n"
    assert decode(raw) == [SseEvent("a", id="5")]


def test_id_with_nul_is_ignored() -> None:
    raw = b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n"
    assert [event.id for event in decode(raw)] == ["1", "1"]


def test_empty_id_resets_last_event_id() -> None:
    raw = b"id: 1\ndata: a\n\nid\ndata: b\n\n"
    assert [event.id for event in decode(raw)] == ["1", ""]


def test_last_event_id_is_readable_on_the_decoder() -> None:
    decoder = SseDecoder()
    decoder.feed(b"id: abc\n\n")
    assert decoder.last_event_id == "abc"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"3000", 3000),
        (b"0", 0),
        (b"30x", None),
        (b"-1", None),
        (b"", None),
        (b"1.5", None),
        ("\u0663".encode(), None),
        (b" 5", 5),
        (b"  5", None),
    ],
)
def test_retry_takes_ascii_digits_only(value: bytes, expected: int | None) -> None:
    decoder = SseDecoder()
    events = decoder.feed(b"retry:" + value + b"\ndata: a\n\n")
    assert events == [SseEvent("a", retry=expected)]
    assert decoder.reconnection_time == expected


def test_retry_belongs_to_its_event_but_reconnection_time_persists() -> None:
    decoder = SseDecoder()
    events = decoder.feed(b"retry: 100\ndata: a\n\ndata: b\n\nretry: 9\n\n")
    assert events == [SseEvent("a", retry=100), SseEvent("b")]
    assert decoder.reconnection_time == 9


def test_unknown_fields_are_ignored() -> None:
    assert decode(b"foo: bar\nDATA: x\nData: y\ndata: z\n\n") == [SseEvent("z")]


def test_field_names_are_case_sensitive_and_exact() -> None:
    assert decode(b"data : x\ndata: y\n\n") == [SseEvent("y")]


# --- end of stream ------------------------------------------------------------------------


def test_unfinished_event_is_discarded_at_close() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a\n\ndata: b\n") == [SseEvent("a")]
    assert decoder.close() == []


def test_unterminated_last_line_is_discarded_at_close() -> None:
    decoder = SseDecoder()
    assert decoder.feed(b"data: a") == []
    assert decoder.close() == []


def test_close_forgets_the_unfinished_event() -> None:
    decoder = SseDecoder()
    decoder.feed(b"event: x\ndata: a\n")
    decoder.close()
    assert decoder.feed(b"data: b\n\n") == [SseEvent("b")]


# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_unicode_line_separators_do_not_split_lines(separator: str) -> None:
    payload = json.dumps({"text": f"a{separator}b"}, ensure_ascii=False)
    raw = f"data: {payload}\n\n".encode()
    (event,) = decode(raw)
    assert json.loads(event.data) == {"text": f"a{separator}b"}


@pytest.mark.parametrize("text", ["é", "中文", "😀", "\u2028"])
def test_multibyte_character_split_across_reads(text: str) -> None:
    raw = f"data: {text}\n\n".encode()
    for cut in range(len(raw) + 1):
        assert decode(raw, [cut]) == [SseEvent(text)], cut
    assert bytewise(raw) == [SseEvent(text)]


@pytest.mark.parametrize(
    ("raw", "data"),
    [
        (b"data: \xff\n\n", "\ufffd"),
        (b"data: a\xe4\xb8\n\n", "a\ufffd"),
        (b"data: \xe4\xb8\nevent: x\n\n", "\ufffd"),
        (b"data: \xc3\x28\n\n", "\ufffd("),
    ],
)
def test_invalid_utf8_becomes_replacement_character(raw: bytes, data: str) -> None:
    (event,) = decode(raw)
    assert event.data == data
    assert bytewise(raw) == decode(raw)


def test_nul_in_data_is_kept() -> None:
    assert decode(b"data: a\x00b\n\n") == [SseEvent("a\x00b")]


def test_long_line_in_many_small_reads() -> None:
    payload = b"x" * 100_000
    raw = b"data: " + payload + b"\n\n"
    assert decode(raw, list(range(0, len(raw), 7))) == [SseEvent(payload.decode())]


def test_many_events_in_one_read() -> None:
    raw = b"".join(b"data: %d\n\n" % i for i in range(1000))
    assert [event.data for event in decode(raw)] == [str(i) for i in range(1000)]


# --- any split, same events ---------------------------------------------------------------


def reference_decode(raw: bytes) -> list[SseEvent]:
    """A deliberately naive reading of the WHATWG rules over the whole stream at once."""
    if raw.startswith(BOM):
        raw = raw[3:]
    pieces = re.split(rb"\r\n|\r|\n", raw)
    lines = pieces[:-1]  # the last piece has no line ending, so it never counts
    events: list[SseEvent] = []
    data: list[str] = []
    name = ""
    last_id: str | None = None
    retry: int | None = None
    for raw_line in lines:
        line = raw_line.decode("utf-8", "replace")
        if line == "":
            if data and "\n".join(data):
                events.append(SseEvent("\n".join(data), name or "message", last_id, retry))
            data, name, retry = [], "", None
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            field, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            field, value = line, ""
        if field == "data":
            data.append(value)
        elif field == "event":
            name = value
        elif field == "id" and "\x00" not in value:
            last_id = value
        elif field == "retry" and value and all(c in "0123456789" for c in value):
            retry = int(value)
    return events


cuts_strategy = st.lists(st.integers(min_value=0, max_value=4000), max_size=30)

text_strategy = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30
) | st.sampled_from(["\u2028", "\x85", "中文", "😀", "", " ", ":", "[DONE]"])


@st.composite
def event_blocks(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    lines: list[bytes] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["data", "data", "event", "id", "retry", "comment", "other"]))
        value = draw(text_strategy).encode()
        if kind == "comment":
            lines.append(b":" + value)
        elif kind == "retry":
            lines.append(b"retry: " + str(draw(st.integers(0, 10_000))).encode())
        elif kind == "other":
            lines.append(b"x-field: " + value)
        else:
            separator = draw(st.sampled_from([b": ", b":", b""])) if value == b"" else b": "
            lines.append(kind.encode() + separator + value)
    return newline.join(lines) + newline * draw(st.integers(1, 2))


@st.composite
def openai_stream(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    parts: list[bytes] = []
    for text in draw(st.lists(text_strategy, max_size=8)):
        chunk = {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        body = json.dumps(chunk, ensure_ascii=draw(st.booleans())).encode()
        parts.append(b"data: " + body + newline + newline)
        if draw(st.booleans()):
            parts.append(b": keep-alive" + newline + newline)
    parts.append(b"data: [DONE]" + newline + newline)
    return draw(st.sampled_from([b"", BOM])) + b"".join(parts)


@st.composite
def anthropic_stream(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    with_names = draw(st.booleans())
    parts: list[bytes] = []
    for text in draw(st.lists(text_strategy, max_size=8)):
        payload = {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": text},
        }
        if with_names:
            parts.append(b"event: content_block_delta" + newline)
        parts.append(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + newline * 2)
    parts.append(b"event: message_stop" + newline + b'data: {"type":"message_stop"}' + newline * 2)
    return b"".join(parts)


streams = openai_stream() | anthropic_stream() | st.lists(event_blocks(), max_size=6).map(b"".join)

noise = st.lists(
    st.sampled_from(
        [
            b"data",
            b"event",
            b"id",
            b"retry",
            b":",
            b" ",
            b"\r",
            b"\n",
            b"\r\n",
            BOM,
            b"\x00",
            b"\xe4\xb8\xad",
            b"\xe2\x80\xa8",
            b"\xc2\x85",
            b"\xff",
            b"\xe4",
            b"1",
            b"x",
            b"{}",
        ]
    )
    | st.binary(max_size=8),
    max_size=60,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(raw=streams, cuts=cuts_strategy)
def test_any_split_of_a_stream_gives_the_same_events(raw: bytes, cuts: list[int]) -> None:
    whole = decode(raw)
    assert decode(raw, [cut % (len(raw) + 1) for cut in cuts]) == whole
    assert whole == reference_decode(raw)


@settings(deadline=None)
@given(raw=streams)
def test_byte_by_byte_gives_the_same_events(raw: bytes) -> None:
    assert bytewise(raw) == decode(raw)


@settings(max_examples=500, deadline=None)
@given(raw=noise, cuts=cuts_strategy)
def test_arbitrary_bytes_never_raise_and_match_the_reference(raw: bytes, cuts: list[int]) -> None:
    events = decode(raw, [cut % (len(raw) + 1) for cut in cuts])
    assert events == reference_decode(raw)
    assert all(event.data for event in events)


@settings(deadline=None)
@given(raw=st.binary(max_size=300), cuts=cuts_strategy)
def test_random_binary_never_raises(raw: bytes, cuts: list[int]) -> None:
    assert decode(raw, [cut % (len(raw) + 1) for cut in cuts]) == reference_decode(raw)


@settings(deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.lists(text_strategy, min_size=1, max_size=3),
            st.sampled_from(["message", "delta", "中文"]),
        ),
        max_size=5,
    ),
    newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    cuts=cuts_strategy,
)
def test_encoded_events_decode_to_themselves(
    events: list[tuple[list[str], str]], newline: bytes, cuts: list[int]
) -> None:
    raw = b""
    expected: list[SseEvent] = []
    for lines, name in events:
        raw += b"event: " + name.encode() + newline
        raw += b"".join(b"data: " + line.encode() + newline for line in lines) + newline
        if "\n".join(lines):
            expected.append(SseEvent("\n".join(lines), name))
    assert decode(raw, [cut % (len(raw) + 1) for cut in cuts]) == expected
