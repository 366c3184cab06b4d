"""How a stream ended, by the rule both formats share."""

from __future__ import annotations

from longcat_desktop.api.shapes import load_json
from longcat_desktop.domain.errors import ProtocolError
from longcat_desktop.domain.events import StreamEnd
from longcat_desktop.domain.user_texts import ENDED_EARLY as INTERRUPTED


def stream_end(finish_reason: str | None, *, ended: bool) -> StreamEnd:
    """`ended` is the server's own end marker ([DONE], message_stop).

    A finish reason also makes the answer complete: some servers never send the end marker.
    """
    complete = ended or finish_reason is not None
    return StreamEnd(finish_reason, complete, None if complete else INTERRUPTED)


def error_event_payload(data: str) -> object:
    """The payload of an `event: error`, which need not be JSON: then its text is the message."""
    try:
        return load_json(data)
    except ProtocolError:
        return data
