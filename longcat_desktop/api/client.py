"""The HTTP client: one object per base URL, key and wire format.

Timeouts bound the connect phase, the wait for the first byte and the silence between chunks,
never the whole answer: a long answer may legitimately stream for many minutes. Failures before
any answer arrived are retried with backoff; once text has streamed, nothing is retried, because
a second answer would not continue the first.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import platform
import random
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx

from longcat_desktop import __version__
from longcat_desktop.api.adapter import FormatAdapter
from longcat_desktop.api.errors import decode_body, error_from_response
from longcat_desktop.api.formats import adapter_for
from longcat_desktop.api.sse import SseDecoder
from longcat_desktop.domain import (
    ApiConnectionError,
    ApiError,
    ApiFormat,
    AuthenticationError,
    ChatRequest,
    ChatResult,
    ModelDetails,
    ModelInfo,
    ProtocolError,
    ReasoningDelta,
    Retrying,
    StreamEnd,
    TextDelta,
    ToolCallDelta,
)
from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.answer import fold_all
from longcat_desktop.domain.events import StreamEvent
from longcat_desktop.domain.user_texts import UserText

DEFAULT_BASE_URL = "https://api.longcat.chat"

# Error bodies are shown to the user; anything longer than this is a proxy's HTML page.
_MAX_ERROR_BODY = 64 * 1024
# How long to wait for the end of a body whose answer is already complete.
_DRAIN_TIMEOUT = 0.5
# A Retry-After longer than this (a daily quota, say) is not worth waiting for in-app.
_MAX_RETRY_WAIT = 120.0
# Paths users paste from SDK examples; the client adds the format's own path itself.
_FORMAT_SUFFIXES = ("/openai/v1", "/openai", "/anthropic/v1", "/anthropic", "/v1")

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Json:
    """A decoded JSON reply, boxed so that no payload can pass for an announcement."""

    payload: Any


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 15.0
    first_byte: float = 120.0
    idle: float = 120.0
    # A non-streamed answer arrives all at once, after the model has finished thinking.
    completion: float = 600.0


def normalize_base_url(base_url: str) -> str:
    url = base_url.strip().rstrip("/")
    lowered = url.lower()
    for suffix in _FORMAT_SUFFIXES:
        if lowered.endswith(suffix):
            return url[: -len(suffix)]
    return url


def _checked_key(api_key: str) -> str:
    key = api_key.strip()
    # httpx would raise an encoding error that carries the header value, i.e. the key.
    if not key or not key.isascii() or not key.isprintable():
        raise AuthenticationError(texts.KEY_UNUSABLE)
    return key


def _user_agent() -> str:
    return (
        f"LongCat-Desktop/{__version__} "
        f"(Python {platform.python_version()}; {platform.system() or 'unknown'})"
    )


class ChatClient:
    """Talks to the LongCat API Platform in one wire format. Use as an async context manager."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        api_format: ApiFormat | str = ApiFormat.OPENAI,
        max_retries: int = 2,
        proxy: str | None = None,
        trust_env: bool = True,
        timeouts: Timeouts | None = None,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._key = _checked_key(api_key)
        self.base_url = normalize_base_url(base_url)
        self.api_format = ApiFormat(api_format)
        self.max_retries = max(0, max_retries)
        self.timeouts = timeouts or Timeouts()
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._sleep = sleep
        self._adapter: FormatAdapter = adapter_for(self.api_format)
        try:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                # Read timeouts are enforced per chunk below, where first byte and idle differ.
                timeout=httpx.Timeout(
                    connect=self.timeouts.connect, read=None, write=60.0, pool=60.0
                ),
                proxy=proxy or None,
                trust_env=trust_env,
                transport=transport,
                follow_redirects=False,
                headers={"User-Agent": _user_agent()},
            )
        except Exception as exc:
            # A proxy URL with an unknown scheme, a port out of range, a SOCKS proxy without
            # its package, a malformed proxy variable in the environment: settings to fix,
            # not a crash. httpx masks passwords in the URLs it quotes; the key is not in them.
            raise ApiConnectionError(
                (texts.PROXY_UNUSABLE if proxy else texts.SETTINGS_UNUSABLE)(_reason(exc))
            ) from None

    def __repr__(self) -> str:
        return f"ChatClient(base_url={self.base_url!r}, api_format={self.api_format.value!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    # -- requests --------------------------------------------------------------------------

    def _headers(self, *, streaming: bool) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self._key}",
            "Content-Type": "application/json",
            **self._adapter.headers(),
        }
        if self.api_format is ApiFormat.ANTHROPIC:
            # Third-party Anthropic-format servers read the key from x-api-key, not Bearer.
            headers["x-api-key"] = self._key
        headers["Accept"] = "text/event-stream" if streaming else "application/json"
        # On every request: proxies buffer compressed event streams (identity keeps tokens
        # flowing); error bodies that come compressed anyway are decoded under a size cap.
        headers["Accept-Encoding"] = "identity"
        return headers

    @asynccontextmanager
    async def _send(
        self, method: str, path: str, *, body: Mapping[str, Any] | None, streaming: bool
    ) -> AsyncIterator[httpx.Response]:
        """The response once its headers arrived, with its status already checked."""
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = self._http.build_request(
            method, path, content=content, headers=self._headers(streaming=streaming)
        )
        try:
            async with asyncio.timeout(self.timeouts.first_byte):
                response = await self._http.send(request, stream=True)
        except TimeoutError:
            raise ApiConnectionError(
                texts.NO_ANSWER_WITHIN(f"{self.timeouts.first_byte:g}")
            ) from None
        except httpx.ProxyError as exc:
            raise ApiConnectionError(texts.PROXY_REFUSED(exc)) from None
        except httpx.TransportError as exc:
            raise ApiConnectionError(_describe_transport_error(exc, self.base_url)) from None
        try:
            if response.status_code >= 300:
                raise error_from_response(
                    response.status_code, await self._read_bounded(response), response.headers
                )
            yield response
        finally:
            await response.aclose()

    async def _read_bounded(self, response: httpx.Response) -> bytes:
        """The error body, decoded as its Content-Encoding says, at most _MAX_ERROR_BODY."""
        body = bytearray()
        try:
            async with asyncio.timeout(self.timeouts.idle):
                async for chunk in response.aiter_raw():
                    body += chunk
                    if len(body) > _MAX_ERROR_BODY:
                        break
        except (TimeoutError, httpx.TransportError):
            pass  # The status alone is still worth reporting.
        return decode_body(
            bytes(body[:_MAX_ERROR_BODY]),
            response.headers.get("content-encoding", ""),
            limit=_MAX_ERROR_BODY,
        )

    async def _request_json(self, method: str, path: str, body: Mapping[str, Any] | None) -> Any:
        """One JSON reply, retried like a stream that has not started."""
        async with aclosing(self._retried(lambda: self._json_reply(method, path, body))) as items:
            async for item in items:
                if not isinstance(item, Retrying):
                    return item.payload
        raise AssertionError("an attempt ends with a reply or an error")

    async def _json_reply(
        self, method: str, path: str, body: Mapping[str, Any] | None
    ) -> AsyncGenerator[_Json, None]:
        async with self._send(method, path, body=body, streaming=False) as response:
            try:
                async with asyncio.timeout(self.timeouts.completion):
                    raw = await response.aread()
            except TimeoutError:
                raise ApiConnectionError(texts.REPLY_INCOMPLETE) from None
            except httpx.TransportError as exc:
                raise ApiConnectionError(_describe_transport_error(exc, self.base_url)) from None
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ProtocolError(texts.REPLY_NOT_JSON, status=response.status_code) from None
        yield _Json(payload)

    async def _retried(
        self, attempt: Callable[[], AsyncGenerator[T, None]]
    ) -> AsyncGenerator[T | Retrying, None]:
        """What each attempt yields, with a Retrying announced before each new attempt.

        An attempt that failed with a retryable error is started again after a delay, unless
        content (text, reasoning, a tool call) already went out: a second answer would not
        continue the first.
        """
        failures = 0
        while True:
            content_seen = False
            try:
                async with aclosing(attempt()) as items:
                    async for item in items:
                        if not content_seen:
                            content_seen = _is_content(item)
                        yield item
                return
            except ApiError as error:
                delay = None if content_seen else self._retry_delay(error, failures)
                if delay is None:
                    raise
                failures += 1
                yield Retrying(attempt=failures, delay=delay, error=error)
                await self._sleep(delay)

    def _retry_delay(self, error: ApiError, failures_so_far: int) -> float | None:
        """Seconds to wait before the next attempt, or None when it is not worth retrying."""
        if not error.retryable or failures_so_far >= self.max_retries:
            return None
        if error.retry_after is not None:
            if error.retry_after > _MAX_RETRY_WAIT:
                return None
            return max(0.0, error.retry_after)
        ceiling = min(self._backoff_max, self._backoff_base * 2**failures_so_far)
        # Jitter spreads out clients that failed together, so they do not return together.
        return random.uniform(ceiling / 2, ceiling)

    # -- public interface ------------------------------------------------------------------

    async def stream_chat(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """Typed events for one streamed answer, ending with StreamEnd.

        Raises an ApiError subclass for HTTP errors and errors inside the stream, after any
        text already yielded. Close the iterator (`contextlib.aclosing`) or cancel the task
        consuming it to drop the connection at once.
        """
        body = self._adapter.build_body(request, stream=True)
        async with aclosing(self._retried(lambda: self._stream_once(body))) as events:
            async for event in events:
                yield event

    async def _stream_once(self, body: Mapping[str, Any]) -> AsyncGenerator[StreamEvent, None]:
        async with (
            self._send("POST", self._adapter.chat_path, body=body, streaming=True) as response,
            aclosing(self._events(response)) as events,
        ):
            async for event in events:
                yield event

    async def _events(self, response: httpx.Response) -> AsyncGenerator[StreamEvent, None]:
        content_type = response.headers.get("content-type", "").lower()
        if "json" in content_type and "event-stream" not in content_type:
            # A server that ignored stream=true (or put an error in a 200): one JSON reply.
            for event in await self._events_from_json(response):
                yield event
            return

        decoder = SseDecoder()
        reducer = self._adapter.new_reducer()
        content_seen = False
        interruption: UserText | None = None
        watchdog = _Watchdog(self.timeouts.first_byte)
        # aiter_raw is an async generator; closing it explicitly keeps httpcore quiet under qasync.
        async with aclosing(response.aiter_raw()) as chunks:  # type: ignore[type-var]
            try:
                async with watchdog:
                    while True:
                        watchdog.reading()
                        try:
                            chunk = await anext(chunks)
                        except StopAsyncIteration:
                            break
                        watchdog.read(self.timeouts.idle)
                        # Once done, the reducer ignores the rest, as [DONE] requires.
                        for sse in decoder.feed(chunk):
                            for event in reducer.feed(sse):
                                if not content_seen:
                                    content_seen = _is_content(event)
                                yield event
                        if reducer.done:
                            break
            except TimeoutError:
                if not content_seen:
                    raise ApiConnectionError(
                        texts.SENT_NOTHING_FOR(f"{watchdog.limit:g}")
                    ) from None
                interruption = texts.STOPPED_SENDING_FOR(f"{watchdog.limit:g}")
            except httpx.TransportError as exc:
                if not content_seen:
                    raise ApiConnectionError(
                        _describe_transport_error(exc, self.base_url)
                    ) from None
                interruption = texts.CONNECTION_LOST
            if reducer.done:
                await _drain(chunks)
        if not reducer.done:
            for sse in decoder.close():
                for event in reducer.feed(sse):
                    yield event
        end = reducer.finish()
        if interruption is not None and not end.complete:
            end = StreamEnd(end.finish_reason, complete=False, interruption=interruption)
        yield end

    async def _events_from_json(self, response: httpx.Response) -> list[StreamEvent]:
        try:
            async with asyncio.timeout(self.timeouts.completion):
                raw = await response.aread()
            payload = json.loads(raw)
        except TimeoutError:
            raise ApiConnectionError(texts.REPLY_INCOMPLETE) from None
        except httpx.TransportError as exc:
            raise ApiConnectionError(_describe_transport_error(exc, self.base_url)) from None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ProtocolError(texts.REPLY_NEITHER) from None
        return self._adapter.completion_events(payload)

    async def complete(self, request: ChatRequest) -> ChatResult:
        """One answer, not streamed."""
        body = self._adapter.build_body(request, stream=False)
        payload = await self._request_json("POST", self._adapter.chat_path, body)
        return fold_all(self._adapter.completion_events(payload)).result()

    async def list_models(self) -> list[ModelInfo]:
        payload = await self._request_json("GET", self._adapter.models_path, None)
        return self._adapter.parse_model_list(payload)

    async def model_details(self, model_id: str) -> ModelDetails:
        path = f"{self._adapter.models_path}/{quote(model_id, safe='')}"
        payload = await self._request_json("GET", path, None)
        return self._adapter.parse_model_details(payload)


class _Watchdog:
    """Ends a network read that has waited longer than its limit.

    One timer per stream that re-arms itself, instead of a timeout scope per read: a stream
    may deliver tens of thousands of reads, and entering a scope costs microseconds each. It
    fires only while a read is awaited, never while the consumer holds a yielded event.
    """

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._loop = asyncio.get_running_loop()
        self._since = self._loop.time()
        self._reading = False
        self._scope = asyncio.timeout(None)
        self._timer: asyncio.TimerHandle | None = None

    def reading(self) -> None:
        self._since = self._loop.time()
        self._reading = True

    def read(self, next_limit: float) -> None:
        self._reading = False
        self.limit = next_limit

    async def __aenter__(self) -> None:
        await self._scope.__aenter__()
        self._timer = self._loop.call_later(self.limit, self._check)

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._timer is not None:
            self._timer.cancel()
        # asyncio's Timeout never suppresses: it turns its own cancellation into TimeoutError.
        await self._scope.__aexit__(*exc_info)

    def _check(self) -> None:
        now = self._loop.time()
        waited = now - self._since if self._reading else 0.0
        if waited >= self.limit:
            self._scope.reschedule(now)
        else:
            self._timer = self._loop.call_later(self.limit - waited, self._check)


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    """Read what follows the end marker (usually just the chunked terminator).

    Ending the body normally lets the connection be reused and lets httpcore's own byte
    iterator finish, instead of being left for the garbage collector to close outside a loop.
    """
    received = 0
    with contextlib.suppress(TimeoutError, httpx.TransportError):
        async with asyncio.timeout(_DRAIN_TIMEOUT):
            async for chunk in chunks:
                received += len(chunk)
                if received > _MAX_ERROR_BODY:
                    return


def _is_content(item: object) -> bool:
    return isinstance(item, TextDelta | ReasoningDelta | ToolCallDelta)


def _describe_transport_error(exc: httpx.TransportError, base_url: str) -> UserText:
    if isinstance(exc, httpx.ConnectTimeout):
        return texts.CONNECT_TIMED_OUT(base_url)
    if isinstance(exc, httpx.ConnectError):
        return texts.CONNECT_FAILED(base_url, _reason(exc))
    if isinstance(exc, httpx.RemoteProtocolError):
        return texts.CLOSED_UNEXPECTEDLY
    if isinstance(exc, httpx.TimeoutException):
        return texts.NETWORK_TIMED_OUT
    return texts.NETWORK_FAILED(_reason(exc))


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__
