"""The interface every wire format implements, so the HTTP client knows none of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from longcat_desktop.api.sse import SseEvent
from longcat_desktop.domain import ChatRequest, ChatResult, ModelDetails, ModelInfo, StreamEnd
from longcat_desktop.domain.events import StreamEvent


class StreamReducer(Protocol):
    """Folds one answer's SSE events into typed stream events. One reducer per answer."""

    @property
    def done(self) -> bool:
        """True once the server said the stream is over ([DONE], message_stop): stop reading."""

    def feed(self, event: SseEvent) -> list[StreamEvent]:
        """Events for one SSE event. Raises an ApiError subclass for an error payload in the
        stream and ProtocolError for data that cannot be understood."""

    def finish(self) -> StreamEnd:
        """The closing event, once the connection has ended or `done` became True."""


class FormatAdapter(Protocol):
    chat_path: str
    models_path: str

    def headers(self) -> Mapping[str, str]:
        """Headers this format needs beyond Authorization and content negotiation."""

    def build_body(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]: ...

    def new_reducer(self) -> StreamReducer: ...

    def completion_events(self, body: Any) -> list[StreamEvent]:
        """A non-streamed reply, already JSON-decoded, as the events a stream of it would give,
        ending with StreamEnd. Raises ProtocolError if malformed."""

    def parse_completion(self, body: Any) -> ChatResult:
        """A non-streamed reply folded into its result."""

    def parse_model_list(self, body: Any) -> list[ModelInfo]: ...

    def parse_model_details(self, body: Any) -> ModelDetails: ...
