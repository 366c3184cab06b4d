"""A local LongCat API server for tests: both wire formats, byte-level control over what it sends.

It speaks the endpoints of the published API page (``/openai/v1/chat/completions``,
``/anthropic/v1/messages``, the model list and model details under both prefixes) over real
HTTP/1.1 on 127.0.0.1, so the client under test runs its real transport. Each chat request takes
the next queued :class:`Scenario` (or the default one), which scripts the reply and everything a
real network can do to it: byte splits, line endings, keep-alives, missing terminators, errors in
the middle, dropped and stalled connections, HTTP error statuses.

By hand::

    python -m tests.fakes.longcat_server [--port N] [--key K] [--delay S]

Standard library only, on purpose: the fake must not share code (or bugs) with the HTTP stack of
the client it tests.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import email.utils
import http.server
import json
import re
import secrets
import select
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
import urllib.parse
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

__all__ = [
    "DEFAULT_MODELS",
    "DEFAULT_REASONING",
    "DEFAULT_TEXT",
    "Headers",
    "LongCatServer",
    "RecordedRequest",
    "Scenario",
    "ScriptedToolCall",
    "model_details",
    "split_words",
]

# What the platform serves since LongCat-2.0 (the Flash models and 2.0-Preview are retired).
DEFAULT_MODELS: tuple[str, ...] = ("LongCat-2.0", "LongCat-2.5-Preview")
DEFAULT_TEXT = "Hello! I'm doing well, thank you for asking. How can I help you today?"
DEFAULT_REASONING = "The user greets me and asks how I am. A short, friendly answer fits."
MAX_TOKENS_LIMIT = 131072

Format = Literal["openai", "anthropic"]
ErrorShape = Literal["auto", "openai", "anthropic", "string", "html"]
Framing = Literal["chunked", "close"]
LineEnding = Literal["\n", "\r\n", "\r"]

# Default (message, OpenAI type, code) per status, from the published error table where it has
# one. The Anthropic shape maps the type through _ANTHROPIC_TYPES.
_ERROR_DEFAULTS: dict[int, tuple[str, str, str]] = {
    400: ("Invalid parameter value", "invalid_request_error", "invalid_parameter"),
    401: ("Invalid API key provided", "authentication_error", "invalid_api_key"),
    402: ("Token quota used up", "billing_error", "insufficient_balance"),
    403: ("API key has insufficient quota", "permission_error", "insufficient_quota"),
    404: ("The requested resource was not found", "not_found_error", "not_found"),
    405: ("Method not allowed", "invalid_request_error", "method_not_allowed"),
    429: (
        "Rate limit exceeded. Please try again in 60 seconds",
        "rate_limit_error",
        "rate_limit_exceeded",
    ),
    500: ("Internal server error", "server_error", "internal_error"),
    502: ("Bad gateway", "server_error", "bad_gateway"),
    503: ("Service temporarily unavailable", "server_error", "service_unavailable"),
    529: ("Overloaded", "overloaded_error", "overloaded"),
}
_ANTHROPIC_TYPES = {"server_error": "api_error"}
_REASONS = {529: "Site Overloaded"}

# Word-ish tokens: a run of word characters or one other character, each with the whitespace
# before it, and any trailing whitespace on its own. Joining the pieces gives back the text.
_WORDISH = re.compile(r"\s*\w+|\s*[^\w\s]|\s+")


def split_words(text: str) -> list[str]:
    """Split ``text`` the way the fake streams it by default: ``"Hello!"`` -> ``["Hello", "!"]``."""
    return _WORDISH.findall(text)


@dataclass(frozen=True)
class ScriptedToolCall:
    """A tool call the fake's answer makes, after its reasoning and text."""

    name: str
    arguments: str = ""
    """The JSON text of the arguments, streamed in ``pieces`` (``""``: a tool without input)."""
    id: str | None = None
    """Default: ``call_<n>`` (OpenAI) / ``toolu_<n>`` (Anthropic), n counting from 0."""
    pieces: Sequence[str] | None = None
    """Explicit argument fragments (their join must be ``arguments``); default: 5 characters
    each, so fragments end inside escapes and words."""

    def __post_init__(self) -> None:
        if self.pieces is not None and "".join(self.pieces) != self.arguments:
            raise ValueError("the pieces of a scripted tool call must join to its arguments")

    def argument_pieces(self) -> list[str]:
        if self.pieces is not None:
            return [piece for piece in self.pieces if piece]
        return [self.arguments[i : i + 5] for i in range(0, len(self.arguments), 5)]

    def call_id(self, chat_format: Format, position: int) -> str:
        if self.id is not None:
            return self.id
        return f"call_{position}" if chat_format == "openai" else f"toolu_{position}"


@dataclass(frozen=True)
class Scenario:
    """What the server does with one request. Every field has a harmless default.

    "After N deltas" counts the reasoning and text delta events written so far (0 means before
    the first one); an N beyond the last delta means after the last delta, before the finish.
    """

    # -- The answer ---------------------------------------------------------------------------
    text: str = DEFAULT_TEXT
    """The reply. Ignored when ``deltas`` is given."""
    deltas: Sequence[str] | None = None
    """Explicit text deltas; default: ``split_words(text)``."""
    reasoning: str = ""
    """Reasoning text (sent before the reply); ignored when ``reasoning_deltas`` is given."""
    reasoning_deltas: Sequence[str] | None = None
    reasoning_mode: Literal["auto", "always", "never"] = "auto"
    """auto: reasoning only when the request has ``thinking: {"type": "enabled"}``."""
    openai_reasoning_fields: Sequence[str] = ("reasoning_content",)
    """Which delta/message fields carry reasoning in OpenAI format (``"reasoning"`` too, say)."""
    signature: str = "c2lnbmF0dXJlLW9mLXRoZS10aGlua2luZw=="
    """Anthropic ``signature_delta`` value closing the thinking block."""
    finish_reason: str | None = None
    """OpenAI ``finish_reason`` (e.g. ``"length"``); default ``"tool_calls"`` when the answer
    makes tool calls, else ``"stop"``."""
    stop_reason: str | None = None
    """Anthropic ``stop_reason`` (e.g. ``"max_tokens"``); default ``"tool_use"`` when the
    answer makes tool calls, else ``"end_turn"``."""
    tool_calls: Sequence[ScriptedToolCall] = ()
    """Tool calls made after the text: OpenAI ``delta.tool_calls`` pieces keyed by index,
    Anthropic ``tool_use`` blocks with ``input_json_delta`` fragments. Argument fragments count
    as deltas for the ``..._after`` fields, so a drop can cut a call short."""
    interleave_tool_calls: bool = False
    """OpenAI: the first piece of every call, then the argument fragments taken in turn from
    each call, so the indexes interleave as parallel calls do."""
    prompt_tokens: int | None = None
    """Usage input tokens; default: the number of words in the request's messages and system."""
    completion_tokens: int | None = None
    """Usage output tokens; default: the number of deltas (reasoning + text)."""
    delta_input_tokens: int | None = None
    """Also put ``input_tokens`` in Anthropic's ``message_delta`` usage (as the live API does;
    a later count wins over message_start's). None: output tokens only, as published."""
    response_id: str | None = None
    """``id`` of the answer; default: a fresh ``chatcmpl-...`` / ``msg_...``."""
    created: int | None = None
    """OpenAI ``created`` timestamp; default: now."""

    # -- Bytes and pacing ---------------------------------------------------------------------
    headers_delay: float = 0.0
    """Seconds before the status line: a first-byte stall (ends early if the client leaves)."""
    delay: float = 0.0
    """Seconds between stream events."""
    piece_size: int | Sequence[int] | None = None
    """Write the body in pieces of this many bytes (a sequence is cycled), each flushed on its
    own, cutting anywhere: inside UTF-8 sequences, CRLFs, JSON. None: one write per event."""
    piece_delay: float = 0.0
    """Seconds between pieces, so the client's reads see them apart."""
    eol: LineEnding = "\n"
    """Line ending of the SSE stream: LF, CRLF or lone CR."""
    bom: bool = False
    """Start the stream with a UTF-8 BOM."""
    ping_every: int = 0
    """Write a keep-alive after every Nth event (0: never). Also one before the first event."""
    anthropic_ping: Literal["comment", "event"] = "comment"
    """Keep-alive style on the Anthropic path: ``: ping`` or ``event: ping`` with data."""
    anthropic_event_lines: bool = True
    """Whether Anthropic events carry ``event:`` lines (the type is in the JSON either way)."""
    framing: Framing = "chunked"
    """Streamed body framing: chunked transfer, or close-delimited (``Connection: close``)."""
    ignore_stream: bool = False
    """Answer a streamed request with one whole JSON reply, as servers that ignore
    ``stream: true`` do."""
    raw_stream: bytes | None = None
    """Send exactly these bytes as the streamed body instead of generated events."""
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    """Added to the response headers (any response of this scenario)."""

    # -- How the stream ends ------------------------------------------------------------------
    send_done: bool = True
    """OpenAI ``data: [DONE]`` / Anthropic ``message_stop``."""
    send_finish: bool = True
    """OpenAI chunk with ``finish_reason`` / Anthropic ``message_delta``."""
    error_after: int | None = None
    """After N deltas, an error event (``data: {"error": ...}`` / ``event: error``), then a
    properly terminated body with nothing after it."""
    stream_error_type: str | None = None
    """Type in the mid-stream error; default ``server_error`` / ``overloaded_error``."""
    stream_error_message: str = "The server is overloaded, please try again later"
    openai_error_event_line: bool = False
    """Also put ``event: error`` before the OpenAI mid-stream error data."""
    drop_after: int | None = None
    """After N deltas, close the connection: with chunked framing the body is cut short (the
    client sees an incomplete chunked read); with close framing it is a clean end of body."""
    drop_tail: bytes = b""
    """Bytes written just before the drop, e.g. half an event."""
    drop_rst: bool = False
    """Drop with a TCP reset instead of a FIN."""
    stall_after: int | None = None
    """After N deltas, send nothing (socket open) for ``stall_seconds``, then carry on."""
    stall_seconds: float | None = None
    """None: stall until the client goes away or the server stops."""

    # -- HTTP error instead of an answer ------------------------------------------------------
    status: int = 200
    """Anything but 200 sends an error body of ``error_shape`` and no answer."""
    error_shape: ErrorShape = "auto"
    """auto: OpenAI shape on /openai, Anthropic shape on /anthropic; string:
    ``{"error": "message"}``; html: an nginx-style HTML page (text/html)."""
    error_message: str | None = None
    error_type: str | None = None
    error_code: str | None = None
    retry_after: str | None = None
    """``Retry-After`` header value."""
    error_retry_after: float | None = None
    """``retry_after`` field inside the ``error`` object."""
    error_body: bytes | None = None
    """Exact error body bytes, overriding the shape."""

    def __post_init__(self) -> None:
        for name in ("error_after", "drop_after", "stall_after"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must be >= 0, got {value}")
        sizes = self.piece_sizes()
        if sizes is not None and (not sizes or any(size <= 0 for size in sizes)):
            raise ValueError(f"piece_size must be positive, got {self.piece_size!r}")
        if self.eol not in ("\n", "\r\n", "\r"):
            raise ValueError(f"eol must be LF, CRLF or CR, got {self.eol!r}")
        if not 100 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP status, got {self.status}")

    @classmethod
    def http_error(cls, status: int, message: str | None = None, **fields: Any) -> Scenario:
        """An HTTP error answer, e.g. ``Scenario.http_error(429, retry_after="2")``."""
        return cls(status=status, error_message=message, **fields)

    def openai_finish(self) -> str:
        if self.finish_reason is not None:
            return self.finish_reason
        return "tool_calls" if self.tool_calls else "stop"

    def anthropic_stop(self) -> str:
        if self.stop_reason is not None:
            return self.stop_reason
        return "tool_use" if self.tool_calls else "end_turn"

    def text_deltas(self) -> list[str]:
        return list(self.deltas) if self.deltas is not None else split_words(self.text)

    def reply_text(self) -> str:
        return "".join(self.text_deltas())

    def reasoning_parts(self) -> list[str]:
        if self.reasoning_deltas is not None:
            return list(self.reasoning_deltas)
        return split_words(self.reasoning)

    def piece_sizes(self) -> tuple[int, ...] | None:
        if self.piece_size is None:
            return None
        if isinstance(self.piece_size, int):
            return (self.piece_size,)
        return tuple(self.piece_size)


class Headers(Mapping[str, str]):
    """Request headers as received, looked up case-insensitively. Repeated headers join with
    ", " on lookup; ``get_all`` keeps them apart."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._items = list(items)

    def get_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self._items if key.lower() == wanted]

    def raw_items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def __getitem__(self, name: str) -> str:
        values = self.get_all(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for key, _ in self._items:
            if key.lower() not in seen:
                seen.add(key.lower())
                yield key

    def __len__(self) -> int:
        return len({key.lower() for key, _ in self._items})

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@dataclass
class RecordedRequest:
    """One request as the server received it, and what became of its response."""

    method: str
    path: str
    query: str
    headers: Headers
    body: bytes
    json: Any
    """The parsed body, or None when it was empty or not JSON."""
    status: int | None = None
    """Status the server answered with (set once the answer starts)."""
    streamed: bool = False
    scenario: Scenario | None = None
    """The scenario used (chat and model requests only)."""
    disconnected: threading.Event = field(default_factory=threading.Event, repr=False)
    """Set when the client went away before the server finished its answer."""
    finished: threading.Event = field(default_factory=threading.Event, repr=False)
    """Set when the server is done with this request, however it ended."""

    @property
    def client_disconnected(self) -> bool:
        return self.disconnected.is_set()


def model_details(model_id: str) -> dict[str, Any]:
    """Details of a model, shaped like the published example of GET /v1/models/{model};
    LongCat-2.5 models read images too, the others text only."""
    inputs = ["text", "image"] if model_id.startswith("LongCat-2.5") else ["text"]
    return {
        "id": model_id,
        "name": model_id,
        "created": 1773331200,
        "context_length": 1048576,
        "architecture": {
            "input_modalities": inputs,
            "output_modalities": ["text"],
            "modality": "+".join(inputs) + "->text",
            "tokenizer": "Other",
            "instruct_type": None,
        },
        "supported_parameters": [
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
            "tools",
            "tool_choice",
        ],
        "pricing": {"prompt": "0", "completion": "0"},
    }


class _Gone(Exception):
    """The answer cannot go on: the client left (``by_client``) or the server is stopping."""

    def __init__(self, by_client: bool) -> None:
        super().__init__("client went away" if by_client else "server stopping")
        self.by_client = by_client


class _RequestError(Exception):
    """A request the real server would refuse with this status and message."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


class LongCatServer:
    """The fake LongCat server. Use as a context manager, or ``start()`` / ``stop()``."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        port: int = 0,
        models: Iterable[str] = DEFAULT_MODELS,
        default_scenario: Scenario | None = None,
    ) -> None:
        self.api_key = api_key if api_key is not None else "lc-test-" + secrets.token_hex(8)
        self.models: list[str] = list(models)
        """Model ids served by the list and details endpoints and accepted by chat."""
        self.model_details: dict[str, dict[str, Any]] = {}
        """Details overrides per model id; others come from :func:`model_details`."""
        self.default_scenario = default_scenario if default_scenario is not None else Scenario()
        """Used when the chat queue is empty."""
        self.disconnected = threading.Event()
        """Set when any client went away before its answer was finished."""
        self.errors: list[BaseException] = []
        """Unexpected exceptions in the fake's own handlers (bugs of the fake)."""
        self._port = port
        self._initial_models = list(self.models)
        self._initial_default = self.default_scenario
        self._lock = threading.Lock()
        self._recorded = threading.Condition(self._lock)
        self._chat_queue: deque[Scenario] = deque()
        self._models_queue: deque[Scenario] = deque()
        self._requests: list[RecordedRequest] = []
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._generation = 0
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._serve_thread: threading.Thread | None = None

    # -- Life cycle -----------------------------------------------------------------------------

    def start(self) -> LongCatServer:
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        self._httpd = _HTTPServer(self, ("127.0.0.1", self._port))
        # stop() waits for the accept loop to notice, once per poll: keep it short so that a
        # server per test stays cheap.
        self._serve_thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="longcat-fake-server",
            daemon=True,
        )
        self._serve_thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and end every connection, stalled streams included. Never hangs."""
        httpd = self._httpd
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        threads = self._abort_connections()
        for thread in threads:
            thread.join(timeout=2.0)
        if self._serve_thread is not None:
            self._serve_thread.join(timeout=2.0)
        self._httpd = None
        self._serve_thread = None

    def __enter__(self) -> LongCatServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, without a trailing slash or path."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return self.url + "/openai/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url + "/anthropic"

    # -- Scripting ------------------------------------------------------------------------------

    def push(self, *scenarios: Scenario) -> None:
        """Queue scenarios for the next chat requests, first pushed first used."""
        with self._lock:
            self._chat_queue.extend(scenarios)

    def push_models(self, *scenarios: Scenario) -> None:
        """Queue scenarios for the next model list/details requests (status, error body,
        headers_delay, extra_headers and piece_size apply)."""
        with self._lock:
            self._models_queue.extend(scenarios)

    @property
    def pending(self) -> int:
        """Chat scenarios still queued."""
        with self._lock:
            return len(self._chat_queue)

    def reset(self) -> None:
        """Forget queues and records, restore models and default scenario, and abort answers
        still in progress (their connections are closed)."""
        with self._lock:
            self._chat_queue.clear()
            self._models_queue.clear()
            self._requests.clear()
            self._generation += 1
        self._abort_connections()
        self.models = list(self._initial_models)
        self.model_details = {}
        self.default_scenario = self._initial_default
        self.disconnected.clear()
        self.errors.clear()

    # -- What happened --------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith(("/chat/completions", "/messages"))]

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            if not self._requests:
                raise LookupError("no request received yet")
            return self._requests[-1]

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until at least ``count`` requests have arrived."""
        with self._recorded:
            return self._recorded.wait_for(lambda: len(self._requests) >= count, timeout)

    def wait_for_disconnect(self, timeout: float = 5.0) -> bool:
        """Wait until a client went away before its answer was finished."""
        return self.disconnected.wait(timeout)

    # -- Internals used by the handler ----------------------------------------------------------

    def _abort_connections(self) -> list[threading.Thread]:
        with self._lock:
            connections = list(self._connections.items())
        for sock, _ in connections:
            # shutdown (not close) from this thread: it wakes the handler's blocking calls
            # without freeing a descriptor the handler thread still uses.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        return [thread for _, thread in connections]

    def _remember(self, sock: socket.socket, thread: threading.Thread) -> None:
        with self._lock:
            self._connections[sock] = thread

    def _forget(self, sock: socket.socket) -> None:
        with self._lock:
            self._connections.pop(sock, None)

    def _record(self, request: RecordedRequest) -> int:
        with self._recorded:
            self._requests.append(request)
            self._recorded.notify_all()
            return self._generation

    def _next_scenario(self, models: bool) -> Scenario:
        with self._lock:
            queue = self._models_queue if models else self._chat_queue
            if queue:
                return queue.popleft()
        return Scenario() if models else self.default_scenario

    def _still_current(self, generation: int) -> bool:
        return not self._stopping.is_set() and generation == self._generation


class _HTTPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: LongCatServer, address: tuple[str, int]) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        # Own thread bookkeeping instead of ThreadingMixIn's, so stop() can both wake and join
        # every connection thread with a timeout.
        sock: socket.socket = request

        def run() -> None:
            try:
                self.process_request_thread(request, client_address)
            finally:
                self.owner._forget(sock)

        thread = threading.Thread(target=run, name="longcat-fake-connection", daemon=True)
        self.owner._remember(sock, thread)
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError) or error is None:
            return  # a client or stop() closing a connection is normal here
        self.owner.errors.append(error)
        traceback.print_exc()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "longcat-fake/1.0"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # Every piece must leave as its own segment; Nagle would merge them.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; requests are recorded instead

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = bytearray()
            while True:
                size_line = self.rfile.readline(1024)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline(1024)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0  # the request then fails validation as an empty body
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        owner = self.server.owner
        raw_path, _, query = self.path.partition("?")
        path = urllib.parse.unquote(raw_path)
        body = self._read_body()
        parsed: Any = None
        if body:
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        record = RecordedRequest(
            method=self.command,
            path=path,
            query=query,
            headers=Headers((str(k), str(v)) for k, v in self.headers.items()),
            body=body,
            json=parsed,
        )
        generation = owner._record(record)
        out = _Output(self, owner, record, generation)
        try:
            _route(out, path, body)
        except _Gone as gone:
            if gone.by_client:
                record.disconnected.set()
                owner.disconnected.set()
            self.close_connection = True
        finally:
            record.finished.set()


# -- Writing bytes ------------------------------------------------------------------------------


class _Output:
    """Writes one response as raw bytes: status line, headers, then a body that is framed
    (length, chunked or close-delimited) and cut into pieces as the scenario says. Every wait
    and write first checks that the client is still there."""

    def __init__(
        self, handler: _Handler, owner: LongCatServer, record: RecordedRequest, generation: int
    ) -> None:
        self.handler = handler
        self.owner = owner
        self.record = record
        self.generation = generation
        self.sock: socket.socket = handler.connection
        self.scenario = Scenario()
        self.framing: Literal["length", "chunked", "close"] = "length"
        self._pending = bytearray()
        self._sizes: tuple[int, ...] | None = None
        self._size_index = 0
        self._pieces_sent = 0

    @property
    def path_format(self) -> Format:
        return "anthropic" if self.record.path.startswith("/anthropic/") else "openai"

    def use(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.record.scenario = scenario
        self._sizes = scenario.piece_sizes()

    # Watching the client.

    def _check(self) -> None:
        if not self.owner._still_current(self.generation):
            raise _Gone(by_client=False)
        if self._client_gone(0.0):
            raise self._gone()

    def _gone(self) -> _Gone:
        # An end of stream seen after stop() or reset() shut the socket is not the client's doing.
        return _Gone(by_client=self.owner._still_current(self.generation))

    def _client_gone(self, timeout: float) -> bool:
        """True if the client closed its end within ``timeout`` seconds."""
        try:
            readable, _, _ = select.select([self.sock], [], [], timeout)
        except (OSError, ValueError):
            return True
        if not readable:
            return False
        try:
            peeked = self.sock.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            return False
        except OSError:
            return True
        if peeked:
            # The client sent more bytes (a pipelined request?): it is still there. Wait out the
            # slice without select, which would keep reporting the same bytes.
            self.owner._stopping.wait(timeout)
            return False
        return True

    def pause(self, seconds: float | None) -> None:
        """Send nothing for ``seconds`` (None: until the client leaves or the server stops)."""
        self.flush()
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            self._check()
            remaining = 0.1 if deadline is None else deadline - time.monotonic()
            if remaining <= 0:
                return
            # Slices, so stop() and reset() are noticed even if the socket stays quiet.
            if self._client_gone(min(remaining, 0.1)):
                raise self._gone()

    def _send(self, data: bytes) -> None:
        self._check()
        try:
            self.sock.sendall(data)
        except OSError as error:
            raise self._gone() from error

    # Head and body.

    def send_head(
        self,
        status: int,
        content_type: str,
        *,
        framing: Literal["length", "chunked", "close"],
        length: int = 0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if self.scenario.headers_delay > 0:
            self.pause(self.scenario.headers_delay)
        self.framing = framing
        self.record.status = status
        lines = [
            f"HTTP/1.1 {status} {_reason(status)}",
            f"Date: {email.utils.formatdate(usegmt=True)}",
            f"Server: {self.handler.server_version}",
            f"Content-Type: {content_type}",
        ]
        if framing == "length":
            lines.append(f"Content-Length: {length}")
        elif framing == "chunked":
            lines.append("Transfer-Encoding: chunked")
        if framing == "close" or self.handler.close_connection:
            self.handler.close_connection = True
            lines.append("Connection: close")
        else:
            lines.append("Connection: keep-alive")
        if content_type.startswith("text/event-stream"):
            lines.append("Cache-Control: no-cache")
        lines.extend(
            f"{k}: {v}" for k, v in {**(headers or {}), **self.scenario.extra_headers}.items()
        )
        self._send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def write(self, data: bytes) -> None:
        if self._sizes is None:
            self._send_piece(data)
            return
        self._pending += data
        while self._pending:
            size = self._sizes[self._size_index % len(self._sizes)]
            if len(self._pending) < size:
                return
            self._size_index += 1
            piece = bytes(self._pending[:size])
            del self._pending[:size]
            self._send_piece(piece)

    def flush(self) -> None:
        if self._pending:
            piece = bytes(self._pending)
            self._pending.clear()
            self._send_piece(piece)

    def _send_piece(self, piece: bytes) -> None:
        if not piece:
            return
        if self.scenario.piece_delay > 0 and self._pieces_sent > 0:
            self.pause_raw(self.scenario.piece_delay)
        self._pieces_sent += 1
        if self.framing == "chunked":
            self._send(b"%x\r\n%s\r\n" % (len(piece), piece))
        else:
            self._send(piece)

    def pause_raw(self, seconds: float) -> None:
        """Like pause, without flushing (used between pieces)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            self._check()
            if self._client_gone(min(remaining, 0.1)):
                raise self._gone()

    def finish(self) -> None:
        self.flush()
        if self.framing == "chunked":
            self._send(b"0\r\n\r\n")

    def drop(self, tail: bytes, rst: bool) -> None:
        """End the connection now, whatever the framing promised."""
        self.flush()
        if tail:
            self._send_piece(tail)
        self.handler.close_connection = True
        if rst:
            # Linger 0: close() sends a reset instead of a FIN.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()

    # Whole responses.

    def send_json(self, status: int, payload: Any, *, compact: bool = True) -> None:
        self.send_bytes(status, "application/json", _dumps(payload, compact=compact))

    def send_bytes(
        self, status: int, content_type: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_head(status, content_type, framing="length", length=len(body), headers=headers)
        self.write(body)
        self.finish()

    def send_error(
        self,
        status: int,
        message: str | None = None,
        *,
        code: str | None = None,
        scenario: Scenario | None = None,
    ) -> None:
        """An error answer shaped for this path (or as the scenario says)."""
        sc = scenario if scenario is not None else Scenario()
        default_message, openai_type, default_code = _ERROR_DEFAULTS.get(
            status,
            (
                "Request failed",
                "server_error" if status >= 500 else "invalid_request_error",
                "error",
            ),
        )
        message = sc.error_message or message or default_message
        error_type = sc.error_type or openai_type
        code = sc.error_code or code or default_code
        headers = {"Retry-After": sc.retry_after} if sc.retry_after is not None else {}
        shape = sc.error_shape
        if shape == "auto":
            shape = self.path_format
        if sc.error_body is not None:
            content_type = "text/html" if sc.error_shape == "html" else "application/json"
            self.send_bytes(status, content_type, sc.error_body, headers)
            return
        if shape == "html":
            phrase = _reason(status)
            page = (
                f"<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
                f"<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
                "</body>\r\n</html>\r\n"
            )
            self.send_bytes(status, "text/html", page.encode(), headers)
            return
        payload: dict[str, Any]
        if shape == "string":
            payload = {"error": message}
        elif shape == "anthropic":
            inner: dict[str, Any] = {
                "type": sc.error_type or _ANTHROPIC_TYPES.get(error_type, error_type),
                "message": message,
            }
            if sc.error_retry_after is not None:
                inner["retry_after"] = sc.error_retry_after
            payload = {"type": "error", "error": inner}
        else:
            inner = {"message": message, "type": error_type, "code": code}
            if sc.error_retry_after is not None:
                inner["retry_after"] = sc.error_retry_after
            payload = {"error": inner}
        self.send_bytes(status, "application/json", _dumps(payload, compact=False), headers)


def _reason(status: int) -> str:
    if status in _REASONS:
        return _REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _dumps(payload: Any, *, compact: bool) -> bytes:
    # Raw UTF-8 (not \u escapes), so byte splits can land inside a character.
    separators = (",", ":") if compact else (", ", ": ")
    return json.dumps(payload, ensure_ascii=False, separators=separators).encode("utf-8")


# -- Routing and validation -------------------------------------------------------------------

_MODELS_PATH = re.compile(r"^/(openai|anthropic)/v1/models(?:/(.+))?$")


def _route(out: _Output, path: str, body: bytes) -> None:
    method = out.record.method
    chat_format: Format | None = None
    if path == "/openai/v1/chat/completions":
        chat_format = "openai"
    elif path == "/anthropic/v1/messages":
        chat_format = "anthropic"
    models_match = _MODELS_PATH.match(path.rstrip("/"))
    if chat_format is None and models_match is None:
        out.send_error(404, f"Unknown path: {path}", code="not_found")
        return
    wanted_method = "POST" if chat_format is not None else "GET"
    if method != wanted_method:
        out.send_error(405, f"Method {method} not allowed on {path}")
        return
    if not _authorized(out.record.headers, out.owner.api_key):
        out.send_error(401)
        return
    if models_match is not None:
        _serve_models(out, models_match.group(2))
        return
    assert chat_format is not None
    try:
        request = _validate_chat(chat_format, body, out.owner.models, _image_readers(out.owner))
    except _RequestError as error:
        out.send_error(error.status, error.message, code=error.code)
        return
    scenario = out.owner._next_scenario(models=False)
    out.use(scenario)
    if scenario.status != 200:
        out.send_error(scenario.status, scenario=scenario)
        return
    _serve_chat(out, chat_format, request, scenario)


def _authorized(headers: Headers, api_key: str) -> bool:
    scheme, _, token = headers.get("Authorization", "").strip().partition(" ")
    return scheme.lower() == "bearer" and token.strip() == api_key


def _serve_models(out: _Output, model_id: str | None) -> None:
    scenario = out.owner._next_scenario(models=True)
    out.use(scenario)
    if scenario.status != 200:
        out.send_error(scenario.status, scenario=scenario)
        return
    models = list(out.owner.models)
    if model_id is None:
        data = [{"id": m, "object": "model", "owned_by": "LongCat"} for m in models]
        out.send_json(200, {"object": "list", "data": data}, compact=False)
        return
    if model_id not in models:
        out.send_error(404, f"The model `{model_id}` does not exist", code="model_not_found")
        return
    details = out.owner.model_details.get(model_id) or model_details(model_id)
    out.send_json(200, details, compact=False)


def _image_readers(owner: LongCatServer) -> set[str]:
    readers = set()
    for model in owner.models:
        details = owner.model_details.get(model) or model_details(model)
        architecture = details.get("architecture") or {}
        if "image" in (architecture.get("input_modalities") or ()):
            readers.add(model)
    return readers


def _validate_chat(
    chat_format: Format, body: bytes, models: Sequence[str], image_readers: set[str]
) -> dict[str, Any]:
    """Refuse what the real server refuses, minimally; returns the parsed request."""
    try:
        request = json.loads(body)
    except ValueError:
        raise _RequestError(400, "Invalid JSON format", "invalid_json") from None
    if not isinstance(request, dict):
        raise _RequestError(400, "Request body must be a JSON object", "invalid_json")
    model = request.get("model")
    if not isinstance(model, str) or not model:
        raise _RequestError(400, "Missing required parameter: 'model'")
    if model not in models:
        raise _RequestError(400, f"Invalid model: {model}", "model_not_found")
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _RequestError(400, "Missing required parameter: 'messages'")
    roles = (
        {"system", "user", "assistant", "tool"}
        if chat_format == "openai"
        else {"user", "assistant"}
    )
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise _RequestError(400, f"messages[{index}] must be an object")
        role = message.get("role")
        if chat_format == "anthropic" and role == "system":
            raise _RequestError(
                400,
                f"messages[{index}].role: system messages go in the top-level 'system' parameter",
            )
        if role not in roles:
            raise _RequestError(400, f"messages[{index}].role: invalid role {role!r}")
        content = message.get("content")
        if _has_image(content) and model not in image_readers:
            raise _RequestError(
                400,
                f"messages[{index}].content: {model} does not read images; "
                "only text inputs are allowed",
            )
        calling = role == "assistant" and bool(message.get("tool_calls"))
        if not (_is_content(chat_format, role, content) or (calling and content is None)):
            raise _RequestError(400, f"messages[{index}].content: unsupported content")
    if chat_format == "openai":
        _check_openai_tool_turns(messages)
    else:
        _check_anthropic_tool_turns(messages)
    _check_tools(chat_format, request)
    if chat_format == "anthropic" and not _is_text_content(request.get("system", "")):
        raise _RequestError(400, "system: must be a string")
    if "stream" in request and not isinstance(request["stream"], bool):
        raise _RequestError(400, "stream: must be a boolean")
    max_tokens = request.get("max_tokens")
    if max_tokens is not None and (
        isinstance(max_tokens, bool)
        or not isinstance(max_tokens, int)
        or not 1 <= max_tokens <= MAX_TOKENS_LIMIT
    ):
        raise _RequestError(400, f"max_tokens: must be an integer from 1 to {MAX_TOKENS_LIMIT}")
    for name, upper in (("temperature", 2.0), ("top_p", 1.0)):
        value = request.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= upper
        ):
            raise _RequestError(400, f"{name}: must be a number from 0 to {upper:g}")
    return request


_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_TEXT_BLOCKS = ("text", "thinking", "redacted_thinking")


_IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
_DATA_URL = re.compile(r"^data:(image/[a-z]+);base64,([A-Za-z0-9+/]*={0,2})$")


def _has_image(content: Any) -> bool:
    if not isinstance(content, list):
        return False
    return any(
        isinstance(block, dict)
        and (
            block.get("type") in ("image", "image_url")
            or (block.get("type") == "tool_result" and _has_image(block.get("content")))
        )
        for block in content
    )


def _is_content(chat_format: Format, role: Any, content: Any) -> bool:
    if not isinstance(content, list):
        return _is_text_content(content)
    if chat_format == "openai":
        if role != "user":
            return _is_text_content(content)
        return all(_is_text_block(part) or _is_openai_image(part) for part in content)
    if role == "assistant":
        allowed: tuple[str, ...] = (*_TEXT_BLOCKS, "tool_use")
        return all(isinstance(block, dict) and block.get("type") in allowed for block in content)
    return all(
        _is_text_block(block) or _is_anthropic_image(block) or _is_tool_result(block)
        for block in content
    )


def _is_text_block(block: Any) -> bool:
    return isinstance(block, dict) and block.get("type") in _TEXT_BLOCKS


def _is_tool_result(block: Any) -> bool:
    if not isinstance(block, dict) or block.get("type") != "tool_result":
        return False
    content = block.get("content", "")
    if isinstance(content, str):
        return True
    return isinstance(content, list) and all(
        _is_text_block(part) or _is_anthropic_image(part) for part in content
    )


def _is_openai_image(part: Any) -> bool:
    if not isinstance(part, dict) or part.get("type") != "image_url":
        return False
    image_url = part.get("image_url")
    url = image_url.get("url") if isinstance(image_url, dict) else None
    if not isinstance(url, str):
        return False
    if url.startswith(("http://", "https://")):
        return True
    match = _DATA_URL.match(url)
    return match is not None and match.group(1) in _IMAGE_TYPES and _is_base64(match.group(2))


def _is_anthropic_image(block: Any) -> bool:
    if not isinstance(block, dict) or block.get("type") != "image":
        return False
    source = block.get("source")
    return (
        isinstance(source, dict)
        and source.get("type") == "base64"
        and source.get("media_type") in _IMAGE_TYPES
        and isinstance(source.get("data"), str)
        and _is_base64(source["data"])
    )


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except ValueError:
        return False
    return bool(text)


def _check_openai_tool_turns(messages: list[Any]) -> None:
    """Every call answered by a tool message before the next turn, and no answer uncalled."""
    waiting: list[str] = []
    for index, message in enumerate(messages):
        role = message.get("role")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in waiting:
                raise _RequestError(
                    400,
                    f"messages[{index}]: a 'tool' message must respond to a preceding message "
                    "with 'tool_calls'",
                )
            waiting.remove(call_id)
            continue
        if waiting:
            raise _RequestError(
                400,
                "An assistant message with 'tool_calls' must be followed by tool messages "
                f"responding to each 'tool_call_id'. Missing: {', '.join(waiting)}",
            )
        calls = message.get("tool_calls")
        if calls is None:
            continue
        if role != "assistant" or not isinstance(calls, list):
            raise _RequestError(400, f"messages[{index}].tool_calls: invalid")
        for call in calls:
            function = call.get("function") if isinstance(call, dict) else None
            if not (
                isinstance(call, dict)
                and isinstance(call.get("id"), str)
                and call.get("type") == "function"
                and isinstance(function, dict)
                and isinstance(function.get("name"), str)
                and isinstance(function.get("arguments"), str)
            ):
                raise _RequestError(400, f"messages[{index}].tool_calls: invalid tool call")
            try:
                json.loads(function["arguments"])
            except ValueError:
                raise _RequestError(
                    400, f"messages[{index}].tool_calls: arguments are not valid JSON"
                ) from None
            waiting.append(call["id"])
    if waiting:
        raise _RequestError(
            400,
            "An assistant message with 'tool_calls' must be followed by tool messages "
            f"responding to each 'tool_call_id'. Missing: {', '.join(waiting)}",
        )


def _check_anthropic_tool_turns(messages: list[Any]) -> None:
    """Each tool_use answered by a tool_result at the start of the very next user turn."""
    waiting: list[str] = []
    for index, message in enumerate(messages):
        content = message.get("content")
        blocks = content if isinstance(content, list) else []
        results = []
        for block in blocks:
            if block.get("type") != "tool_result":
                break
            results.append(block.get("tool_use_id"))
        if any(b.get("type") == "tool_result" for b in blocks[len(results) :]):
            raise _RequestError(
                400, f"messages[{index}]: tool_result blocks must come before any other content"
            )
        if results != waiting:
            if waiting:
                raise _RequestError(
                    400,
                    f"messages.{index}: `tool_use` ids were found without `tool_result` blocks "
                    f"immediately after: {', '.join(waiting)}",
                )
            raise _RequestError(
                400,
                f"messages.{index}: unexpected `tool_use_id` found in `tool_result` blocks",
            )
        waiting = []
        for block in blocks:
            if block.get("type") == "tool_use":
                if not (
                    isinstance(block.get("id"), str)
                    and isinstance(block.get("name"), str)
                    and isinstance(block.get("input"), dict)
                ):
                    raise _RequestError(400, f"messages[{index}]: invalid tool_use block")
                waiting.append(block["id"])
    if waiting:
        raise _RequestError(
            400,
            "`tool_use` ids were found without `tool_result` blocks immediately after: "
            + ", ".join(waiting),
        )


def _check_tools(chat_format: Format, request: dict[str, Any]) -> None:
    tools = request.get("tools")
    choice = request.get("tool_choice")
    if tools is None:
        if choice is not None:
            raise _RequestError(400, "tool_choice is only allowed when tools are specified")
        return
    if not isinstance(tools, list):
        raise _RequestError(400, "tools: must be an array")
    names = []
    for index, tool in enumerate(tools):
        if chat_format == "openai":
            function = tool.get("function") if isinstance(tool, dict) else None
            if tool.get("type") != "function" or not isinstance(function, dict):
                raise _RequestError(400, f"tools[{index}]: must be a function tool")
            schema = function.get("parameters", {})
        else:
            function = tool if isinstance(tool, dict) else {}
            schema = function.get("input_schema")
        name = function.get("name")
        if not isinstance(name, str) or not _TOOL_NAME.match(name):
            raise _RequestError(400, f"tools[{index}].name: must match {_TOOL_NAME.pattern}")
        if not isinstance(schema, dict):
            raise _RequestError(400, f"tools[{index}]: the input schema must be an object")
        names.append(name)
    if choice is None:
        return
    if chat_format == "openai":
        if choice in ("auto", "none", "required"):
            return
        function = choice.get("function") if isinstance(choice, dict) else None
        wanted = function.get("name") if isinstance(function, dict) else None
        valid = isinstance(choice, dict) and choice.get("type") == "function"
    else:
        kind = choice.get("type") if isinstance(choice, dict) else None
        if kind in ("auto", "any", "none"):
            return
        wanted = choice.get("name") if isinstance(choice, dict) else None
        valid = kind == "tool"
    if not valid or wanted not in names:
        raise _RequestError(400, f"tool_choice: invalid value {choice!r}")


def _is_text_content(content: Any) -> bool:
    if isinstance(content, str):
        return True
    if isinstance(content, list):
        # Text blocks, and the thinking blocks an Anthropic client sends back in history.
        return all(
            isinstance(block, dict)
            and block.get("type") in ("text", "thinking", "redacted_thinking")
            for block in content
        )
    return False


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            _text_of(b.get("content")) if b.get("type") == "tool_result" else str(b.get("text", ""))
            for b in content
            if isinstance(b, dict)
        )
    return ""


# -- Chat answers -----------------------------------------------------------------------------


@dataclass
class _Event:
    data: bytes
    kind: Literal["head", "delta", "tail"]


@dataclass
class _Answer:
    """The scenario resolved against one request."""

    model: str
    reasoning: list[str]
    text: list[str]
    prompt_tokens: int
    completion_tokens: int
    include_usage: bool


def _resolve(request: dict[str, Any], scenario: Scenario) -> _Answer:
    thinking = request.get("thinking")
    thinking_on = isinstance(thinking, dict) and thinking.get("type") == "enabled"
    show_reasoning = scenario.reasoning_mode == "always" or (
        scenario.reasoning_mode == "auto" and thinking_on
    )
    reasoning = scenario.reasoning_parts() if show_reasoning else []
    text = scenario.text_deltas()
    words = sum(len(_text_of(m.get("content")).split()) for m in request["messages"])
    words += len(_text_of(request.get("system", "")).split())
    options = request.get("stream_options")
    return _Answer(
        model=request["model"],
        reasoning=reasoning,
        text=text,
        prompt_tokens=scenario.prompt_tokens
        if scenario.prompt_tokens is not None
        else max(words, 1),
        completion_tokens=(
            scenario.completion_tokens
            if scenario.completion_tokens is not None
            else len(reasoning)
            + len(text)
            + sum(len(call.argument_pieces()) + 1 for call in scenario.tool_calls)
        ),
        include_usage=isinstance(options, dict) and options.get("include_usage") is True,
    )


def _serve_chat(out: _Output, chat_format: Format, request: dict[str, Any], sc: Scenario) -> None:
    answer = _resolve(request, sc)
    if request.get("stream") is not True or sc.ignore_stream:
        if chat_format == "openai":
            out.send_json(200, _openai_message(answer, sc))
        else:
            out.send_json(200, _anthropic_message(answer, sc), compact=False)
        return
    out.record.streamed = True
    framing: Framing = sc.framing
    out.send_head(200, "text/event-stream", framing=framing)
    if sc.raw_stream is not None:
        out.write(sc.raw_stream)
        out.finish()
        return
    events = (
        _openai_events(answer, sc) if chat_format == "openai" else _anthropic_events(answer, sc)
    )
    _stream(out, chat_format, events, sc)


def _stream(out: _Output, chat_format: Format, events: list[_Event], sc: Scenario) -> None:
    eol = sc.eol.encode()
    if chat_format == "anthropic" and sc.anthropic_ping == "event":
        ping = _sse(eol, {"type": "ping"}, "ping", compact=False)
    else:
        ping = b": ping" + eol + eol
    delta_at = [i for i, e in enumerate(events) if e.kind == "delta"]
    first_tail = next((i for i, e in enumerate(events) if e.kind == "tail"), len(events))

    def position(after: int | None) -> int | None:
        # Index of the event before which "after N deltas" happens.
        if after is None:
            return None
        if after == 0:
            return delta_at[0] if delta_at else first_tail
        if not delta_at:
            return first_tail
        return delta_at[min(after, len(delta_at)) - 1] + 1

    stall_at = position(sc.stall_after)
    error_at = position(sc.error_after)
    drop_at = position(sc.drop_after)

    if sc.bom:
        out.write(b"\xef\xbb\xbf")
    if sc.ping_every:
        out.write(ping)
    for index in range(len(events) + 1):
        if index == stall_at:
            out.pause(sc.stall_seconds)
        if index == error_at:
            out.write(_error_event(chat_format, sc, eol))
            out.finish()
            return
        if index == drop_at:
            out.drop(sc.drop_tail, sc.drop_rst)
            return
        if index == len(events):
            break
        if index > 0 and sc.delay > 0:
            out.pause(sc.delay)
        out.write(events[index].data)
        if sc.ping_every and (index + 1) % sc.ping_every == 0:
            out.write(ping)
    out.finish()


def _sse(eol: bytes, payload: Any, event: str | None, *, compact: bool) -> bytes:
    head = b"event: " + event.encode() + eol if event is not None else b""
    return head + b"data: " + _dumps(payload, compact=compact) + eol + eol


def _error_event(chat_format: Format, sc: Scenario, eol: bytes) -> bytes:
    if chat_format == "openai":
        payload = {
            "error": {
                "message": sc.stream_error_message,
                "type": sc.stream_error_type or "server_error",
                "code": None,
            }
        }
        event = "error" if sc.openai_error_event_line else None
        return _sse(eol, payload, event, compact=True)
    error = {"type": sc.stream_error_type or "overloaded_error", "message": sc.stream_error_message}
    return _sse(eol, {"type": "error", "error": error}, "error", compact=False)


def _answer_id(sc: Scenario, prefix: str) -> str:
    return sc.response_id if sc.response_id is not None else prefix + secrets.token_hex(12)


def _created(sc: Scenario) -> int:
    return sc.created if sc.created is not None else int(time.time())


def _openai_usage(answer: _Answer) -> dict[str, int]:
    return {
        "prompt_tokens": answer.prompt_tokens,
        "completion_tokens": answer.completion_tokens,
        "total_tokens": answer.prompt_tokens + answer.completion_tokens,
    }


def _openai_message(answer: _Answer, sc: Scenario) -> dict[str, Any]:
    text = "".join(answer.text)
    message: dict[str, Any] = {"role": "assistant", "content": text or None}
    if not sc.tool_calls:
        message["content"] = text
    if answer.reasoning:
        for name in sc.openai_reasoning_fields:
            message[name] = "".join(answer.reasoning)
    if sc.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.call_id("openai", position),
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for position, call in enumerate(sc.tool_calls)
        ]
    return {
        "id": _answer_id(sc, "chatcmpl-"),
        "object": "chat.completion",
        "created": _created(sc),
        "model": answer.model,
        "choices": [{"index": 0, "message": message, "finish_reason": sc.openai_finish()}],
        "usage": _openai_usage(answer),
    }


def _openai_events(answer: _Answer, sc: Scenario) -> list[_Event]:
    eol = sc.eol.encode()
    base: dict[str, Any] = {
        "id": _answer_id(sc, "chatcmpl-"),
        "object": "chat.completion.chunk",
        "created": _created(sc),
        "model": answer.model,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        payload = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        if answer.include_usage:
            payload["usage"] = None
        return _sse(eol, payload, None, compact=True)

    events = [_Event(chunk({"role": "assistant", "content": ""}), "head")]
    for part in answer.reasoning:
        events.append(_Event(chunk(dict.fromkeys(sc.openai_reasoning_fields, part)), "delta"))
    for part in answer.text:
        events.append(_Event(chunk({"content": part}), "delta"))
    events.extend(
        _Event(chunk({"tool_calls": [piece]}), kind) for piece, kind in _openai_pieces(sc)
    )
    if sc.send_finish:
        events.append(_Event(chunk({}, sc.openai_finish()), "tail"))
    if answer.include_usage:
        payload = {**base, "choices": [], "usage": _openai_usage(answer)}
        events.append(_Event(_sse(eol, payload, None, compact=True), "tail"))
    if sc.send_done:
        events.append(_Event(b"data: [DONE]" + eol + eol, "tail"))
    return events


def _openai_pieces(sc: Scenario) -> list[tuple[dict[str, Any], Literal["head", "delta"]]]:
    heads: list[tuple[dict[str, Any], Literal["head", "delta"]]] = []
    fragments: list[list[tuple[dict[str, Any], Literal["head", "delta"]]]] = []
    for index, call in enumerate(sc.tool_calls):
        function = {"name": call.name, "arguments": ""}
        first = {"index": index, "id": call.call_id("openai", index), "type": "function"}
        heads.append(({**first, "function": function}, "head"))
        fragments.append(
            [
                ({"index": index, "function": {"arguments": piece}}, "delta")
                for piece in call.argument_pieces()
            ]
        )
    if not sc.interleave_tool_calls:
        ordered: list[tuple[dict[str, Any], Literal["head", "delta"]]] = []
        for head, pieces in zip(heads, fragments, strict=True):
            ordered += [head, *pieces]
        return ordered
    interleaved = list(heads)
    longest = max((len(pieces) for pieces in fragments), default=0)
    for turn in range(longest):
        interleaved += [pieces[turn] for pieces in fragments if turn < len(pieces)]
    return interleaved


def _anthropic_input(arguments: str) -> Any:
    # A whole reply carries the input as an object; text that is not JSON cannot be one.
    try:
        return json.loads(arguments) if arguments.strip() else {}
    except ValueError:
        return {}


def _anthropic_message(answer: _Answer, sc: Scenario) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if answer.reasoning:
        content.append(
            {"type": "thinking", "thinking": "".join(answer.reasoning), "signature": sc.signature}
        )
    text = "".join(answer.text)
    if text or not sc.tool_calls:
        content.append({"type": "text", "text": text})
    content.extend(
        {
            "type": "tool_use",
            "id": call.call_id("anthropic", position),
            "name": call.name,
            "input": _anthropic_input(call.arguments),
        }
        for position, call in enumerate(sc.tool_calls)
    )
    return {
        "id": _answer_id(sc, "msg_"),
        "type": "message",
        "role": "assistant",
        "content": content,
        "model": answer.model,
        "stop_reason": sc.anthropic_stop(),
        "stop_sequence": None,
        "usage": {"input_tokens": answer.prompt_tokens, "output_tokens": answer.completion_tokens},
    }


def _delta_usage(answer: _Answer, sc: Scenario) -> dict[str, int]:
    if sc.delta_input_tokens is None:
        return {"output_tokens": answer.completion_tokens}
    return {"input_tokens": sc.delta_input_tokens, "output_tokens": answer.completion_tokens}


def _anthropic_events(answer: _Answer, sc: Scenario) -> list[_Event]:
    eol = sc.eol.encode()

    def event(payload: dict[str, Any]) -> bytes:
        name = payload["type"] if sc.anthropic_event_lines else None
        return _sse(eol, payload, name, compact=False)

    message: dict[str, Any] = {
        "id": _answer_id(sc, "msg_"),
        "type": "message",
        "role": "assistant",
        "content": [],
        "model": answer.model,
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": answer.prompt_tokens, "output_tokens": 0},
    }
    events = [_Event(event({"type": "message_start", "message": message}), "head")]
    index = 0
    if answer.reasoning:
        block: dict[str, Any] = {"type": "thinking", "thinking": "", "signature": ""}
        events.append(
            _Event(
                event({"type": "content_block_start", "index": 0, "content_block": block}), "head"
            )
        )
        for part in answer.reasoning:
            delta = {"type": "thinking_delta", "thinking": part}
            events.append(
                _Event(event({"type": "content_block_delta", "index": 0, "delta": delta}), "delta")
            )
        signature = {"type": "signature_delta", "signature": sc.signature}
        events.append(
            _Event(event({"type": "content_block_delta", "index": 0, "delta": signature}), "head")
        )
        events.append(_Event(event({"type": "content_block_stop", "index": 0}), "head"))
        index = 1
    if answer.text or not sc.tool_calls:
        text_block = {"type": "text", "text": ""}
        events.append(
            _Event(
                event({"type": "content_block_start", "index": index, "content_block": text_block}),
                "head",
            )
        )
        for part in answer.text:
            delta = {"type": "text_delta", "text": part}
            events.append(
                _Event(
                    event({"type": "content_block_delta", "index": index, "delta": delta}),
                    "delta",
                )
            )
        # Without tool calls this stop is the answer's tail, as before tools existed.
        kind: Literal["head", "tail"] = "head" if sc.tool_calls else "tail"
        events.append(_Event(event({"type": "content_block_stop", "index": index}), kind))
        index += 1
    for position, call in enumerate(sc.tool_calls):
        block = {
            "type": "tool_use",
            "id": call.call_id("anthropic", position),
            "name": call.name,
            "input": {},
        }
        events.append(
            _Event(
                event({"type": "content_block_start", "index": index, "content_block": block}),
                "head",
            )
        )
        for piece in call.argument_pieces():
            delta = {"type": "input_json_delta", "partial_json": piece}
            events.append(
                _Event(
                    event({"type": "content_block_delta", "index": index, "delta": delta}),
                    "delta",
                )
            )
        events.append(_Event(event({"type": "content_block_stop", "index": index}), "head"))
        index += 1
    if sc.send_finish:
        payload = {
            "type": "message_delta",
            "delta": {"stop_reason": sc.anthropic_stop(), "stop_sequence": None},
            # The published example has output tokens only; the count is the total so far.
            "usage": _delta_usage(answer, sc),
        }
        events.append(_Event(event(payload), "tail"))
    if sc.send_done:
        events.append(_Event(event({"type": "message_stop"}), "tail"))
    return events


# -- By hand ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.longcat_server",
        description="Serve a fake LongCat API on 127.0.0.1 until Ctrl+C.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--key", default=None, help="API key to accept (default: random)")
    parser.add_argument("--delay", type=float, default=0.03, help="seconds between stream events")
    parser.add_argument("--text", default=DEFAULT_TEXT, help="the reply")
    parser.add_argument("--reasoning", default=DEFAULT_REASONING, help="reasoning when thinking")
    args = parser.parse_args(argv)
    scenario = Scenario(text=args.text, reasoning=args.reasoning, delay=args.delay)
    with LongCatServer(api_key=args.key, port=args.port, default_scenario=scenario) as server:
        print(f"LongCat fake server at {server.url}", flush=True)
        print(f"  OpenAI base URL:    {server.openai_base_url}", flush=True)
        print(f"  Anthropic base URL: {server.anthropic_base_url}", flush=True)
        print(f"  API key:            {server.api_key}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
