"""The HTTP client against the local LongCat server, in both wire formats."""

from __future__ import annotations

import asyncio
import gzip
import http.server
import json
import threading
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing, asynccontextmanager

import httpx
import pytest

from longcat_desktop import __version__
from longcat_desktop.api import (
    ApiConnectionError,
    ApiError,
    ApiFormat,
    AuthenticationError,
    BadRequestError,
    ChatClient,
    ChatRequest,
    Message,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ReasoningDelta,
    Retrying,
    ServerError,
    StreamEnd,
    StreamEvent,
    TextDelta,
    Timeouts,
    Usage,
    normalize_base_url,
)
from longcat_desktop.api.errors import decode_body
from tests.fakes.http_proxy import ForwardProxy
from tests.fakes.longcat_server import DEFAULT_TEXT, LongCatServer, Scenario
from tests.fakes.socks_proxy import SocksProxy

pytestmark = pytest.mark.anyio

FORMATS = [ApiFormat.OPENAI, ApiFormat.ANTHROPIC]
REQUEST = ChatRequest(
    model="LongCat-2.0",
    messages=[Message(role="user", content="Hello, how are you?")],
    system="Be brief.",
    max_tokens=1000,
    temperature=0.7,
)


class SleepRecorder:
    """Stands in for asyncio.sleep so backoff is observed rather than waited for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@asynccontextmanager
async def client_for(
    server: LongCatServer, api_format: ApiFormat, **options: object
) -> AsyncIterator[ChatClient]:
    options.setdefault("sleep", SleepRecorder())
    async with ChatClient(
        base_url=server.url,
        api_key=server.api_key,
        api_format=api_format,
        **options,  # type: ignore[arg-type]
    ) as client:
        yield client


async def collect(client: ChatClient, request: ChatRequest = REQUEST) -> list[StreamEvent]:
    async with aclosing(client.stream_chat(request)) as events:
        return [event async for event in events]


def text_of(events: list[StreamEvent]) -> str:
    return "".join(event.text for event in events if isinstance(event, TextDelta))


@pytest.fixture(params=FORMATS, ids=lambda f: f.value)
def api_format(request: pytest.FixtureRequest) -> ApiFormat:
    return ApiFormat(request.param)


# -- Streaming -------------------------------------------------------------------------------


async def test_streams_the_answer_in_pieces(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client)
    deltas = [event for event in events if isinstance(event, TextDelta)]
    assert len(deltas) > 5
    assert text_of(events) == DEFAULT_TEXT
    assert events[-1] == StreamEnd(
        finish_reason="stop" if api_format is ApiFormat.OPENAI else "end_turn", complete=True
    )
    usages = [event for event in events if isinstance(event, Usage)]
    assert usages[-1].output_tokens == len(deltas)


async def test_reasoning_streams_before_the_text(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(reasoning="Think first, then answer.", text="Answer."))
    thinking = ChatRequest(model=REQUEST.model, messages=REQUEST.messages, thinking=True)
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client, thinking)
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert reasoning == "Think first, then answer."
    assert text_of(events) == "Answer."
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextDelta))
    last_reasoning = max(i for i, e in enumerate(events) if isinstance(e, ReasoningDelta))
    assert last_reasoning < first_text
    assert longcat_server.last_request.json["thinking"] == {"type": "enabled"}


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
async def test_bytes_split_anywhere_give_the_same_answer(
    longcat_server: LongCatServer, api_format: ApiFormat, eol: str
) -> None:
    text = "Ünïcödé 你好，世界 — and emoji 🐱 across reads."
    longcat_server.push(Scenario(text=text, piece_size=(1, 2, 3, 5), eol=eol, bom=True))  # type: ignore[arg-type]
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client)
    assert text_of(events) == text
    assert isinstance(events[-1], StreamEnd)
    assert events[-1].complete


async def test_keep_alive_comments_are_ignored(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(ping_every=1, anthropic_ping="event"))
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client)
    assert text_of(events) == DEFAULT_TEXT


async def test_sends_the_headers_and_body_of_its_format(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    async with client_for(longcat_server, api_format) as client:
        await collect(client)
    recorded = longcat_server.last_request
    headers = recorded.headers
    assert headers["authorization"] == f"Bearer {longcat_server.api_key}"
    assert headers["accept"] == "text/event-stream"
    assert headers["accept-encoding"] == "identity"
    assert headers["user-agent"].startswith(f"LongCat-Desktop/{__version__}")
    assert "content-encoding" not in headers
    body = recorded.json
    assert body["model"] == "LongCat-2.0"
    assert body["stream"] is True
    assert body["max_tokens"] == 1000
    assert body["temperature"] == 0.7
    assert "top_p" not in body
    if api_format is ApiFormat.OPENAI:
        assert recorded.path == "/openai/v1/chat/completions"
        assert body["stream_options"] == {"include_usage": True}
        assert body["messages"][0] == {"role": "system", "content": "Be brief."}
        assert "anthropic-version" not in headers
    else:
        assert recorded.path == "/anthropic/v1/messages"
        assert headers["anthropic-version"] == "2023-06-01"
        assert body["system"] == "Be brief."
        assert all(m["role"] != "system" for m in body["messages"])


async def test_anthropic_requests_always_carry_max_tokens(longcat_server: LongCatServer) -> None:
    request = ChatRequest(model="LongCat-2.0", messages=[Message("user", "Hi")])
    async with client_for(longcat_server, ApiFormat.ANTHROPIC) as client:
        await collect(client, request)
    assert isinstance(longcat_server.last_request.json["max_tokens"], int)


# -- How streams end ------------------------------------------------------------------------


async def test_no_done_but_a_finish_reason_is_complete(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(send_done=False, framing="close"))
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client)
    assert text_of(events) == DEFAULT_TEXT
    end = events[-1]
    assert isinstance(end, StreamEnd)
    assert end.complete


async def test_no_terminator_at_all_is_interrupted(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(send_done=False, send_finish=False, framing="close"))
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client)
    assert text_of(events) == DEFAULT_TEXT
    end = events[-1]
    assert isinstance(end, StreamEnd)
    assert not end.complete


@pytest.mark.parametrize("framing", ["chunked", "close"])
async def test_a_dropped_connection_keeps_the_partial_answer(
    longcat_server: LongCatServer, api_format: ApiFormat, framing: str
) -> None:
    longcat_server.push(
        Scenario(drop_after=4, drop_tail=b'data: {"half', framing=framing)  # type: ignore[arg-type]
    )
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client)
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) == 4
    assert DEFAULT_TEXT.startswith(text_of(events))
    end = events[-1]
    assert isinstance(end, StreamEnd)
    assert not end.complete
    assert end.interruption


async def test_a_stall_after_text_ends_as_interrupted(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(stall_after=3))
    timeouts = Timeouts(connect=5, first_byte=5, idle=0.3)
    async with client_for(longcat_server, api_format, timeouts=timeouts) as client:
        events = await collect(client)
    assert len([e for e in events if isinstance(e, TextDelta)]) == 3
    end = events[-1]
    assert isinstance(end, StreamEnd)
    assert not end.complete
    assert end.interruption is not None
    assert "stopped sending" in str(end.interruption)
    assert longcat_server.wait_for_disconnect(5)


async def test_no_first_byte_is_a_connection_error(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(headers_delay=30))
    timeouts = Timeouts(connect=5, first_byte=0.3, idle=5)
    async with client_for(longcat_server, api_format, timeouts=timeouts, max_retries=0) as client:
        with pytest.raises(ApiConnectionError) as caught:
            await collect(client)
    assert caught.value.retryable


async def test_an_error_in_the_middle_keeps_the_text_and_raises(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(error_after=3))
    received: list[StreamEvent] = []
    async with client_for(longcat_server, api_format) as client:
        with pytest.raises(ServerError) as caught:
            async for event in client.stream_chat(REQUEST):
                received.append(event)
    assert len([e for e in received if isinstance(e, TextDelta)]) == 3
    assert "overloaded" in caught.value.message
    # Text had streamed, so the error is final: a retry would start a different answer.
    assert len(longcat_server.chat_requests) == 1
    assert not any(isinstance(e, Retrying) for e in received)


async def test_cancelling_the_consumer_closes_the_connection(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(delay=0.05, text="word " * 400))
    first_text = asyncio.Event()

    async def consume(client: ChatClient) -> None:
        async for event in client.stream_chat(REQUEST):
            if isinstance(event, TextDelta):
                first_text.set()

    async with client_for(longcat_server, api_format) as client:
        task = asyncio.create_task(consume(client))
        await first_text.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await asyncio.to_thread(longcat_server.wait_for_disconnect, 5.0)


# -- Errors and retries ---------------------------------------------------------------------

ERROR_CLASSES: list[tuple[int, type[ApiError]]] = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (402, QuotaExceededError),
    (403, PermissionDeniedError),
    (429, RateLimitError),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
    (529, ServerError),
]


@pytest.mark.parametrize(("status", "error_class"), ERROR_CLASSES)
@pytest.mark.parametrize("shape", ["openai", "anthropic", "string"])
async def test_http_errors_carry_the_servers_words(
    longcat_server: LongCatServer,
    api_format: ApiFormat,
    status: int,
    error_class: type[ApiError],
    shape: str,
) -> None:
    message = f"Server says no ({status}) — 请稍后再试"
    longcat_server.push(Scenario.http_error(status, message, error_shape=shape))
    async with client_for(longcat_server, api_format, max_retries=0) as client:
        with pytest.raises(error_class) as caught:
            await collect(client)
    error = caught.value
    assert error.status == status
    assert error.message == message
    assert error.retryable == (status >= 429)


async def test_an_html_error_page_still_gives_a_clear_error(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario.http_error(502, error_shape="html"))
    async with client_for(longcat_server, api_format, max_retries=0) as client:
        with pytest.raises(ServerError) as caught:
            await collect(client)
    assert "502" in str(caught.value)
    assert "<html" not in caught.value.message.lower()


@pytest.mark.parametrize("status", [401, 402, 403, 400])
async def test_errors_that_retrying_cannot_fix_are_not_retried(
    longcat_server: LongCatServer, api_format: ApiFormat, status: int
) -> None:
    longcat_server.push(Scenario.http_error(status), Scenario())
    async with client_for(longcat_server, api_format, max_retries=3) as client:
        with pytest.raises(ApiError):
            await collect(client)
    assert len(longcat_server.chat_requests) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 529])
async def test_transient_errors_are_retried_with_an_announcement(
    longcat_server: LongCatServer, api_format: ApiFormat, status: int
) -> None:
    longcat_server.push(Scenario.http_error(status), Scenario())
    sleep = SleepRecorder()
    async with client_for(longcat_server, api_format, sleep=sleep, backoff_base=0.5) as client:
        events = await collect(client)
    retries = [e for e in events if isinstance(e, Retrying)]
    assert len(retries) == 1
    assert retries[0].attempt == 1
    assert retries[0].error.status == status
    assert 0.25 <= retries[0].delay <= 0.5
    assert sleep.delays == [retries[0].delay]
    assert text_of(events) == DEFAULT_TEXT
    assert len(longcat_server.chat_requests) == 2


async def test_retry_after_header_sets_the_delay(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario.http_error(429, retry_after="7"), Scenario())
    sleep = SleepRecorder()
    async with client_for(longcat_server, api_format, sleep=sleep) as client:
        events = await collect(client)
    retry = next(e for e in events if isinstance(e, Retrying))
    assert retry.delay == 7
    assert sleep.delays == [7]


async def test_retry_after_in_the_error_body_sets_the_delay(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario.http_error(429, error_retry_after=3), Scenario())
    sleep = SleepRecorder()
    async with client_for(longcat_server, api_format, sleep=sleep) as client:
        events = await collect(client)
    assert next(e for e in events if isinstance(e, Retrying)).delay == 3


async def test_retry_after_really_waits(longcat_server: LongCatServer) -> None:
    longcat_server.push(Scenario.http_error(503, retry_after="1"), Scenario())
    loop = asyncio.get_running_loop()
    async with client_for(longcat_server, ApiFormat.OPENAI, sleep=asyncio.sleep) as client:
        started = loop.time()
        events = await collect(client)
        waited = loop.time() - started
    assert text_of(events) == DEFAULT_TEXT
    assert waited >= 0.9


async def test_retries_give_up_after_max_retries(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(*[Scenario.http_error(503) for _ in range(5)])
    sleep = SleepRecorder()
    received: list[StreamEvent] = []
    async with client_for(longcat_server, api_format, sleep=sleep, max_retries=2) as client:
        with pytest.raises(ServerError):
            async for event in client.stream_chat(REQUEST):
                received.append(event)
    assert [e.attempt for e in received if isinstance(e, Retrying)] == [1, 2]
    assert len(longcat_server.chat_requests) == 3
    # Exponential: the second wait's range lies above the first's.
    assert sleep.delays[1] >= sleep.delays[0] / 2


async def test_max_retries_zero_disables_retries(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario.http_error(429), Scenario())
    async with client_for(longcat_server, api_format, max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await collect(client)
    assert len(longcat_server.chat_requests) == 1


async def test_an_error_event_before_any_text_is_retried(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(error_after=0), Scenario())
    async with client_for(longcat_server, api_format) as client:
        events = await collect(client)
    assert any(isinstance(e, Retrying) for e in events)
    assert text_of(events) == DEFAULT_TEXT


async def test_a_refused_connection_is_retried_then_raised(api_format: ApiFormat) -> None:
    with LongCatServer() as server:
        url, key = server.url, server.api_key
    sleep = SleepRecorder()
    received: list[StreamEvent] = []
    async with ChatClient(
        base_url=url, api_key=key, api_format=api_format, max_retries=1, sleep=sleep
    ) as client:
        with pytest.raises(ApiConnectionError) as caught:
            async for event in client.stream_chat(REQUEST):
                received.append(event)
    assert [type(e) for e in received] == [Retrying]
    assert url in caught.value.message


async def test_a_quota_reset_far_away_is_not_waited_for(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(
        Scenario.http_error(429, "今日免费额度已用完", retry_after="36000"), Scenario()
    )
    async with client_for(longcat_server, api_format) as client:
        with pytest.raises(RateLimitError) as caught:
            await collect(client)
    assert caught.value.retry_after == 36000
    assert caught.value.message == "今日免费额度已用完"


# -- Compressed error bodies ----------------------------------------------------------------


class CompressingServer:
    """Answers every request with one error status and a JSON body in a Content-Encoding,
    as some gateways do whatever the client asked for; records the Accept-Encoding it got."""

    def __init__(self, status: int, payload: object, encoding: str) -> None:
        body = json.dumps(payload).encode()
        self.body = _compress(body, encoding)
        self.status = status
        self.encoding = encoding
        self.accept_encodings: list[str | None] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _answer(self) -> None:
                owner.accept_encodings.append(self.headers.get("Accept-Encoding"))
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Encoding", owner.encoding)
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            do_GET = do_POST = _answer

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> CompressingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=2)


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "deflate-raw":
        squeezer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return squeezer.compress(body) + squeezer.flush()
    return body


INVALID_KEY_REPLY = {"error": {"message": "Invalid API key (服务器原话)", "type": "invalid_key"}}


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_a_compressed_error_body_gives_the_servers_words(
    api_format: ApiFormat, encoding: str
) -> None:
    with CompressingServer(401, INVALID_KEY_REPLY, encoding) as server:
        async with ChatClient(base_url=server.url, api_key="k", api_format=api_format) as client:
            with pytest.raises(AuthenticationError) as streamed:
                await collect(client)
            with pytest.raises(AuthenticationError) as listed:
                await client.list_models()
    assert streamed.value.message == "Invalid API key (服务器原话)"
    assert listed.value.message == "Invalid API key (服务器原话)"
    assert server.accept_encodings == ["identity", "identity"]


async def test_a_raw_deflate_error_body_is_read_too() -> None:
    server = CompressingServer(403, INVALID_KEY_REPLY, "deflate")
    server.body = _compress(json.dumps(INVALID_KEY_REPLY).encode(), "deflate-raw")
    with server:
        async with ChatClient(base_url=server.url, api_key="k") as client:
            with pytest.raises(PermissionDeniedError) as caught:
                await client.list_models()
    assert caught.value.message == "Invalid API key (服务器原话)"


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip"])
async def test_an_error_body_that_cannot_be_decoded_is_not_shown(encoding: str) -> None:
    # Bytes that are not in the coding the server names (or in one we do not read).
    server = CompressingServer(502, INVALID_KEY_REPLY, encoding)
    server.body = bytes(range(256)) * 8
    with server:
        async with ChatClient(base_url=server.url, api_key="k", max_retries=0) as client:
            with pytest.raises(ServerError) as caught:
                await client.list_models()
    assert caught.value.message == "The server returned HTTP 502 without an explanation."


def test_an_inflating_error_body_is_cut_at_the_cap() -> None:
    bomb = gzip.compress(b"x" * (50 * 1024 * 1024))
    assert len(decode_body(bomb, "gzip", limit=65536)) == 65536
    assert decode_body(b"plain", "identity", limit=3) == b"pla"
    assert decode_body(gzip.compress(zlib.compress(b"twice")), "deflate, gzip", limit=99) == (
        b"twice"
    )


# -- Non-streamed requests ------------------------------------------------------------------


async def test_complete_returns_the_whole_answer(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario(reasoning="Because.", reasoning_mode="always"))
    async with client_for(longcat_server, api_format) as client:
        result = await client.complete(REQUEST)
    assert result.text == DEFAULT_TEXT
    assert result.reasoning == "Because."
    assert result.finish_reason in ("stop", "end_turn")
    assert result.usage.output_tokens
    recorded = longcat_server.last_request
    assert recorded.json["stream"] is False
    assert recorded.headers["accept"] == "application/json"
    assert recorded.headers["accept-encoding"] == "identity"


async def test_complete_retries_transient_errors(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.push(Scenario.http_error(500), Scenario())
    async with client_for(longcat_server, api_format) as client:
        result = await client.complete(REQUEST)
    assert result.text == DEFAULT_TEXT


async def test_models_are_listed_with_details(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.models = ["LongCat-2.0", "LongCat Test/Model"]
    async with client_for(longcat_server, api_format) as client:
        models = await client.list_models()
        details = await client.model_details("LongCat Test/Model")
    assert [m.id for m in models] == ["LongCat-2.0", "LongCat Test/Model"]
    assert details.id == "LongCat Test/Model"
    assert details.context_length == 1048576
    assert details.input_modalities == ("text",)
    assert "temperature" in details.supported_parameters
    assert details.pricing["prompt"] == "0"
    prefix = "/openai" if api_format is ApiFormat.OPENAI else "/anthropic"
    paths = [r.path for r in longcat_server.requests]
    # The server records the decoded path; the id went out quoted, or the slash would split it.
    assert paths == [f"{prefix}/v1/models", f"{prefix}/v1/models/LongCat Test/Model"]
    assert {r.headers["accept-encoding"] for r in longcat_server.requests} == {"identity"}


async def test_a_wrong_key_on_the_model_list(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    async with ChatClient(
        base_url=longcat_server.url, api_key="wrong-key", api_format=api_format
    ) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_models()
    assert caught.value.message == "Invalid API key provided"


async def test_a_server_that_ignores_stream_true_still_answers() -> None:
    reply = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Whole."},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=reply)

    async with ChatClient(
        api_key="k", transport=httpx.MockTransport(handler), sleep=SleepRecorder()
    ) as client:
        events = await collect(client)
    assert events == [
        TextDelta("Whole."),
        Usage(input_tokens=3, output_tokens=1),
        StreamEnd("stop", complete=True),
    ]


# -- Proxies --------------------------------------------------------------------------------


@pytest.fixture
def forward_proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as proxy:
        yield proxy


async def test_an_explicit_proxy_carries_the_stream(
    longcat_server: LongCatServer, forward_proxy: ForwardProxy, api_format: ApiFormat
) -> None:
    async with client_for(longcat_server, api_format, proxy=forward_proxy.url) as client:
        events = await collect(client)
    assert text_of(events) == DEFAULT_TEXT
    assert any(longcat_server.url in target for target in forward_proxy.targets)


async def test_the_environments_proxy_is_honoured_unless_disabled(
    longcat_server: LongCatServer, forward_proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.url)
    monkeypatch.setenv("http_proxy", forward_proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with client_for(longcat_server, ApiFormat.OPENAI) as client:
        await collect(client)
    assert len(forward_proxy.targets) == 1
    async with client_for(longcat_server, ApiFormat.OPENAI, trust_env=False) as client:
        await collect(client)
    assert len(forward_proxy.targets) == 1
    assert len(longcat_server.chat_requests) == 2


async def test_a_socks5_proxy_carries_the_stream(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    with SocksProxy() as proxy:
        async with client_for(longcat_server, api_format, proxy=proxy.url) as client:
            events = await collect(client)
    assert text_of(events) == DEFAULT_TEXT
    assert proxy.destinations == [("127.0.0.1", longcat_server.port)]


async def test_a_socks5h_proxy_resolves_the_host_itself(longcat_server: LongCatServer) -> None:
    with SocksProxy() as proxy:
        socks5h = proxy.url.replace("socks5://", "socks5h://")
        async with ChatClient(
            base_url=f"http://localhost:{longcat_server.port}",
            api_key=longcat_server.api_key,
            proxy=socks5h,
        ) as client:
            models = await client.list_models()
    assert models
    assert proxy.destinations == [("localhost", longcat_server.port)]


@pytest.mark.parametrize(
    "proxy",
    ["ftp://user:hunter2@proxy.example:21", "socks4://127.0.0.1:1080", "http://[::1", "no url"],
)
def test_a_proxy_that_cannot_be_used_is_a_connection_error(proxy: str) -> None:
    with pytest.raises(ApiConnectionError) as caught:
        ChatClient(api_key=SECRET, proxy=proxy)
    message = caught.value.message
    assert message.startswith("The proxy in the settings cannot be used: ")
    assert SECRET not in message
    assert "hunter2" not in message


def test_a_malformed_proxy_in_the_environment_is_a_connection_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALL_PROXY", "gopher://proxy.example:70")
    with pytest.raises(ApiConnectionError) as caught:
        ChatClient(api_key=SECRET)
    assert caught.value.message.startswith("The connection settings cannot be used: ")
    ChatClient(api_key=SECRET, trust_env=False)


async def test_an_unreachable_proxy_is_a_connection_error(longcat_server: LongCatServer) -> None:
    with ForwardProxy() as proxy:
        dead_url = proxy.url
    async with client_for(
        longcat_server, ApiFormat.OPENAI, proxy=dead_url, max_retries=0
    ) as client:
        with pytest.raises(ApiConnectionError):
            await collect(client)


# -- The key stays secret -------------------------------------------------------------------

SECRET = "lc-SECRET-5f3a9c0d7e1b2468"


async def test_the_key_never_shows_in_errors_or_reprs(api_format: ApiFormat) -> None:
    with LongCatServer(api_key="another-key") as server:
        async with ChatClient(base_url=server.url, api_key=SECRET, api_format=api_format) as client:
            assert SECRET not in repr(client)
            assert SECRET not in str(vars(client).get("base_url"))
            with pytest.raises(AuthenticationError) as caught:
                await collect(client)
    error = caught.value
    for text in (str(error), repr(error), error.message, json.dumps(vars(error), default=str)):
        assert SECRET not in text


@pytest.mark.parametrize("bad_key", ["", "   ", "lc-ключ", "lc-key\nX-Evil: 1"])
def test_an_unusable_key_is_refused_without_echoing_it(bad_key: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        ChatClient(api_key=bad_key)
    if bad_key.strip():
        assert bad_key.strip() not in str(caught.value)


def test_format_names_are_accepted_as_strings() -> None:
    assert ChatClient(api_key="k", api_format="anthropic").api_format is ApiFormat.ANTHROPIC
    with pytest.raises(ValueError, match="gemini"):
        ChatClient(api_key="k", api_format="gemini")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.longcat.chat", "https://api.longcat.chat"),
        ("https://api.longcat.chat/", "https://api.longcat.chat"),
        ("https://api.longcat.chat/openai", "https://api.longcat.chat"),
        ("https://api.longcat.chat/openai/v1/", "https://api.longcat.chat"),
        ("https://api.longcat.chat/anthropic", "https://api.longcat.chat"),
        (" http://127.0.0.1:8000/gateway ", "http://127.0.0.1:8000/gateway"),
    ],
)
def test_base_urls_from_sdk_examples_are_normalised(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected
