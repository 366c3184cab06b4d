"""Failures reported by the server, whatever their shape, mapped onto the error taxonomy.

Messages come from the server's reply or from fixed texts, never from the request, so the API
key cannot end up in one.
"""

from __future__ import annotations

import json
import math
import time
import zlib
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
)
from longcat_desktop.domain.user_texts import UserText

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["decode_body", "error_from_payload", "error_from_response", "parse_retry_after"]

# Trying again may help only for these; 402/401/403 stay failed until the user acts.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504, 529})

# A proxy's error page or a runaway message must not flood a dialog.
_MAX_MESSAGE_CHARS = 2000

_NOT_JSON = object()

_STATUS_CLASSES: Mapping[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: QuotaExceededError,
    403: PermissionDeniedError,
    429: RateLimitError,
}

# Both formats name their error kinds; in a stream that name is all there is to go by.
_TYPE_CLASSES: Mapping[str, type[ApiError]] = {
    "invalid_request_error": BadRequestError,
    "not_found_error": BadRequestError,
    "request_too_large": BadRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionDeniedError,
    "billing_error": QuotaExceededError,
    "rate_limit_error": RateLimitError,
    "api_error": ServerError,
    "server_error": ServerError,
    "overloaded_error": ServerError,
    "timeout_error": ServerError,
}

_CODE_CLASSES: Mapping[str, type[ApiError]] = {
    "invalid_api_key": AuthenticationError,
    "insufficient_quota": QuotaExceededError,
    "rate_limit_exceeded": RateLimitError,
    "invalid_parameter": BadRequestError,
    "invalid_json": BadRequestError,
    "internal_error": ServerError,
}


def error_from_response(
    status: int, body: bytes, headers: Mapping[str, str], *, now: float | None = None
) -> ApiError:
    """The error for an HTTP reply with a failure status. `now` (epoch seconds) is for tests."""
    payload = _decode_body(body)
    fields = _fields(payload)
    cls = _class_for_status(status)
    retry_after = _retry_after_from_headers(headers, now)
    if retry_after is None:
        retry_after = fields.retry_after
    plain = _plain_text(body) if payload is _NOT_JSON else None
    message = fields.message or plain or _no_explanation(status)
    return cls(
        message,
        status=status,
        type=fields.type,
        code=fields.code,
        retry_after=retry_after,
        retryable=status in RETRYABLE_STATUSES,
    )


def error_from_payload(payload: object, *, status: int | None = None) -> ApiError:
    """The error for an error object found inside a stream, or inside a 200 reply."""
    fields = _fields(payload)
    cls = _TYPE_CLASSES.get(fields.type or "") or _CODE_CLASSES.get(fields.code or "")
    retryable: bool | None = None
    if cls is None and status is not None and status >= 400:
        cls = _class_for_status(status)
    if status is not None and status >= 400:
        retryable = status in RETRYABLE_STATUSES
    if cls is None:
        # An unnamed failure from the server: a server fault, but nothing says retrying helps.
        cls = ServerError
        retryable = False if retryable is None else retryable
    message = fields.message or _no_explanation_in_stream(fields.type)
    return cls(
        message,
        status=status,
        type=fields.type,
        code=fields.code,
        retry_after=fields.retry_after,
        retryable=retryable,
    )


def decode_body(body: bytes, content_encoding: str, *, limit: int) -> bytes:
    """An error body undone of its Content-Encoding, at most `limit` bytes of it.

    Servers and proxies may compress an error body even when asked not to. The output is
    bounded however far the body would inflate; a body that cannot be decoded is dropped (the
    status still says what happened) rather than shown as binary.
    """
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    # Codings are listed in the order they were applied; undo them last first.
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding not in _ZLIB_WBITS:
            return b""  # br, zstd, compress: nothing here reads them.
        decoder = zlib.decompressobj(_ZLIB_WBITS[coding])
        try:
            body = decoder.decompress(body, limit)
        except zlib.error:
            if coding != "deflate":
                return b""
            # "deflate" is meant to be zlib-wrapped, but some servers send the raw stream.
            try:
                body = zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, limit)
            except zlib.error:
                return b""
    return body[:limit]


# zlib's window bits for each coding: +16 reads a gzip header, +32 detects gzip or zlib.
_ZLIB_WBITS: Mapping[str, int] = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}


def parse_retry_after(value: str, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After value: delay-seconds or an HTTP-date."""
    value = value.strip()
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are always GMT; a "-0000" zone parses as naive and means the same.
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class _Fields:
    __slots__ = ("code", "message", "retry_after", "type")

    def __init__(self) -> None:
        self.message: str | None = None
        self.type: str | None = None
        self.code: str | None = None
        self.retry_after: float | None = None


def _fields(payload: object) -> _Fields:
    """What an error body says, from any of the shapes servers use."""
    fields = _Fields()
    if isinstance(payload, str):
        fields.message = _clean(payload)
        return fields
    if not isinstance(payload, dict):
        return fields
    error = payload.get("error")
    if isinstance(error, dict):
        # {"error": {...}} and Anthropic's {"type": "error", "error": {...}} alike.
        fields.message = _clean(error.get("message"))
        fields.type = _name(error.get("type"))
        fields.code = _name(error.get("code"))
        fields.retry_after = _number(error.get("retry_after"))
    elif isinstance(error, str):
        fields.message = _clean(error)
    # Gateways in front of the platform often use flat shapes of their own.
    if fields.message is None:
        for key in ("message", "msg", "detail", "error_description"):
            fields.message = _clean(payload.get(key))
            if fields.message is not None:
                break
    if fields.type is None and payload.get("type") != "error":
        fields.type = _name(payload.get("type"))
    if fields.code is None:
        fields.code = _name(payload.get("code"))
    if fields.retry_after is None:
        fields.retry_after = _number(payload.get("retry_after"))
    return fields


def _decode_body(body: bytes) -> object:
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _plain_text(body: bytes) -> str | None:
    """A short plain-text body is the server's explanation; an HTML error page is not."""
    text = body.decode("utf-8", "replace").strip()
    if not text or text[0] in "<{[":
        return None
    return _clean(text)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[: _MAX_MESSAGE_CHARS - 1].rstrip() + "…"
    return text


def _name(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    if isinstance(value, str):
        return _seconds(value.strip())
    return None


def _seconds(text: str) -> float | None:
    try:
        seconds = float(text)
    except ValueError:
        return None
    # float() also reads "nan", "inf" and "1e400"; none of them is a delay.
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _retry_after_from_headers(headers: Mapping[str, str], now: float | None) -> float | None:
    values = {name.lower(): value for name, value in headers.items()}
    milliseconds = values.get("retry-after-ms")
    if milliseconds is not None:
        seconds = _seconds(milliseconds.strip())
        if seconds is not None:
            return seconds / 1000
    value = values.get("retry-after")
    return None if value is None else parse_retry_after(value, now=now)


def _class_for_status(status: int) -> type[ApiError]:
    cls = _STATUS_CLASSES.get(status)
    if cls is not None:
        return cls
    if status >= 500:
        return ServerError
    if 400 <= status < 500:
        return BadRequestError
    return ApiError


def _no_explanation(status: int) -> UserText:
    return texts.HTTP_UNEXPLAINED(status)


def _no_explanation_in_stream(error_type: str | None) -> UserText:
    if error_type:
        return texts.ERROR_TYPE_UNEXPLAINED(error_type)
    return texts.ERROR_UNEXPLAINED
