"""Server-Sent Events decoded from bytes, incrementally, following the WHATWG rules."""

from __future__ import annotations

from typing import NamedTuple

_BOM = b"\xef\xbb\xbf"


class SseEvent(NamedTuple):
    """One dispatched event. A named tuple: one is made per token, and it builds fastest."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class SseDecoder:
    """Turns network reads into events; the same bytes give the same events however split.

    Lines are cut on bytes, never on decoded text: a read may end inside a multi-byte
    character, and `str.splitlines` would also break on U+2028 or U+0085 inside JSON strings.
    """

    __slots__ = (
        "_bom_pending",
        "_data",
        "_event",
        "_head",
        "_last_id",
        "_partial",
        "_reconnection_time",
        "_retry",
        "_skip_lf",
    )

    def __init__(self) -> None:
        # Until three bytes have arrived we cannot tell whether the stream opens with a BOM.
        self._bom_pending = True
        self._head = b""
        # The previous read ended in CR: a LF opening this read is the second half of a CRLF.
        self._skip_lf = False
        # Pieces of the line still waiting for its end; a list so a long line costs O(n).
        self._partial: list[bytes] = []
        self._data: list[str] = []
        self._event = ""
        # The last event ID outlives the event that set it, as the spec requires.
        self._last_id: str | None = None
        # `retry` set while reading the current event, reported with it when it is dispatched.
        self._retry: int | None = None
        self._reconnection_time: int | None = None

    @property
    def last_event_id(self) -> str | None:
        return self._last_id

    @property
    def reconnection_time(self) -> int | None:
        """The last valid `retry` value in milliseconds, whether or not an event carried it."""
        return self._reconnection_time

    def feed(self, data: bytes) -> list[SseEvent]:
        if self._bom_pending:
            data = self._strip_bom(data)
        if not data:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if data[:1] == b"\n":
                data = data[1:]
                if not data:
                    return []
        if b"\r" in data:
            # A CR that ends this read already ends its line, so an event closed by CR CR is
            # dispatched at once; only a LF opening the next read must then be skipped.
            self._skip_lf = data[-1:] == b"\r"
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = data.rfind(b"\n")
        if end < 0:
            self._partial.append(data)
            return []
        complete = data[:end]
        if self._partial:
            self._partial.append(complete)
            complete = b"".join(self._partial)
            self._partial.clear()
        if end + 1 < len(data):
            self._partial.append(data[end + 1 :])
        # Decoding whole lines at once is safe: LF never occurs inside a UTF-8 sequence, so
        # a broken sequence is replaced the same way whatever line it is decoded with.
        return self._lines(complete.decode("utf-8", "replace").split("\n"))

    def close(self) -> list[SseEvent]:
        """End of stream: whatever was not closed by a blank line is discarded."""
        self._partial.clear()
        self._data.clear()
        self._event = ""
        self._retry = None
        self._head = b""
        self._skip_lf = False
        return []

    def _strip_bom(self, data: bytes) -> bytes:
        head = self._head + data
        if len(head) < len(_BOM) and _BOM.startswith(head):
            self._head = head
            return b""
        self._bom_pending = False
        self._head = b""
        return head[len(_BOM) :] if head.startswith(_BOM) else head

    def _lines(self, lines: list[str]) -> list[SseEvent]:
        # Locals rather than attributes inside the loop: this runs for every line of a stream.
        events: list[SseEvent] = []
        data = self._data
        event_name = self._event
        retry = self._retry
        for line in lines:
            if not line:
                if data:
                    joined = data[0] if len(data) == 1 else "\n".join(data)
                    data = []
                    # Empty data is never dispatched, even when the lines were bare `data`:
                    # an SDK bug once handed such events on to a JSON parser.
                    if joined:
                        events.append(
                            SseEvent(joined, event_name or "message", self._last_id, retry)
                        )
                event_name = ""
                retry = None
                continue
            # The usual line first: it is nearly every line of a chat stream.
            if line.startswith("data:"):
                data.append(line[6:] if line.startswith("data: ") else line[5:])
                continue
            if line.startswith("event:"):
                # Anthropic-format streams name every event: the second most common line.
                event_name = line[7:] if line.startswith("event: ") else line[6:]
                continue
            if line[0] == ":":
                continue
            name, colon, value = line.partition(":")
            if colon and value[:1] == " ":
                value = value[1:]
            if name == "data":
                data.append(value)
            elif name == "event":
                event_name = value
            elif name == "id":
                if "\0" not in value:
                    self._last_id = value
            elif name == "retry" and value.isascii() and value.isdigit():
                retry = self._reconnection_time = int(value)
        self._data = data
        self._event = event_name
        self._retry = retry
        return events
