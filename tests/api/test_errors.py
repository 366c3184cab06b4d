"""Failure replies, whatever their shape, become the right error with the server's words."""

from __future__ import annotations

import json
from email.utils import formatdate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longcat_desktop.api.errors import error_from_payload, error_from_response, parse_retry_after
from longcat_desktop.domain.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
)

NOW = 1_800_000_000.0


def body(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


# --- status codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls", "retryable"),
    [
        (400, BadRequestError, False),
        (401, AuthenticationError, False),
        (402, QuotaExceededError, False),
        (403, PermissionDeniedError, False),
        (404, BadRequestError, False),
        (408, BadRequestError, False),
        (413, BadRequestError, False),
        (422, BadRequestError, False),
        (429, RateLimitError, True),
        (500, ServerError, True),
        (501, ServerError, False),
        (502, ServerError, True),
        (503, ServerError, True),
        (504, ServerError, True),
        (520, ServerError, False),
        (529, ServerError, True),
        (302, ApiError, False),
    ],
)
def test_status_picks_class_and_retryable(
    status: int, cls: type[ApiError], retryable: bool
) -> None:
    error = error_from_response(status, b"", {})
    assert type(error) is cls
    assert error.retryable is retryable
    assert error.status == status


@pytest.mark.parametrize("status", [400, 401, 402, 403, 429, 500, 502, 503, 504, 529])
def test_empty_body_gives_a_fixed_text_with_the_status(status: int) -> None:
    error = error_from_response(status, b"", {})
    assert error.message == f"The server returned HTTP {status} without an explanation."
    assert error.type is None
    assert error.code is None
    assert error.retry_after is None


# --- body shapes --------------------------------------------------------------------------


def test_openai_shape() -> None:
    raw = body(
        {
            "error": {
                "message": "Invalid API key provided",
                "type": "authentication_error",
                "code": "invalid_api_key",
            }
        }
    )
    error = error_from_response(401, raw, {})
    assert isinstance(error, AuthenticationError)
    assert error.message == "Invalid API key provided"
    assert error.type == "authentication_error"
    assert error.code == "invalid_api_key"
    assert str(error) == "Invalid API key provided (HTTP 401)"


def test_anthropic_shape() -> None:
    raw = body({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    error = error_from_response(529, raw, {})
    assert isinstance(error, ServerError)
    assert error.retryable
    assert error.message == "Overloaded"
    assert error.type == "overloaded_error"


def test_bare_string_error() -> None:
    error = error_from_response(400, body({"error": "model not found"}), {})
    assert isinstance(error, BadRequestError)
    assert error.message == "model not found"
    assert error.type is None


def test_flat_message_from_a_gateway() -> None:
    error = error_from_response(502, body({"code": 502, "message": "upstream timed out"}), {})
    assert error.message == "upstream timed out"
    assert error.code == "502"


def test_detail_field() -> None:
    assert error_from_response(422, body({"detail": "bad field"}), {}).message == "bad field"


def test_numeric_code_becomes_text() -> None:
    error = error_from_response(400, body({"error": {"message": "m", "code": 1001}}), {})
    assert error.code == "1001"


def test_error_object_without_message_falls_back_to_fixed_text() -> None:
    error = error_from_response(403, body({"error": {"type": "permission_error"}}), {})
    assert error.message == "The server returned HTTP 403 without an explanation."
    assert error.type == "permission_error"


@pytest.mark.parametrize(
    "payload",
    [
        {"error": {"message": ""}},
        {"error": {"message": "   "}},
        {"error": {"message": 42}},
        {"error": None},
        {"error": ["x"]},
        [],
        42,
        "",
        None,
        {"message": None},
    ],
)
def test_useless_json_bodies_fall_back_to_fixed_text(payload: object) -> None:
    error = error_from_response(500, body(payload), {})
    assert error.message == "The server returned HTTP 500 without an explanation."


def test_chinese_message_is_kept_verbatim() -> None:
    message = "今日免费额度已用完，请于北京时间零点后再试"
    raw = body({"error": {"message": message, "type": "rate_limit_error"}})
    error = error_from_response(429, raw, {})
    assert isinstance(error, RateLimitError)
    assert error.message == message


def test_chinese_message_escaped_in_json() -> None:
    raw = json.dumps({"error": {"message": "额度不足"}}).encode()
    assert b"\\u" in raw
    assert error_from_response(402, raw, {}).message == "额度不足"


def test_html_body_from_a_proxy_is_not_the_message() -> None:
    html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    error = error_from_response(502, html, {"content-type": "text/html"})
    assert isinstance(error, ServerError)
    assert error.message == "The server returned HTTP 502 without an explanation."


def test_plain_text_body_is_the_message() -> None:
    error = error_from_response(503, b"  upstream connect error  \n", {})
    assert error.message == "upstream connect error"


def test_broken_json_body_gives_fixed_text() -> None:
    error = error_from_response(500, b'{"error": {"message": "cut', {})
    assert error.message == "The server returned HTTP 500 without an explanation."


def test_non_utf8_body_does_not_raise() -> None:
    error = error_from_response(500, b"\xff\xfe\x00bad", {})
    assert isinstance(error, ServerError)
    assert error.message


def test_huge_message_is_shortened() -> None:
    error = error_from_response(500, body({"error": {"message": "x" * 100_000}}), {})
    assert 100 < len(error.message) <= 2000
    assert error.message.endswith("…")


def test_status_wins_over_type_for_http_replies() -> None:
    raw = body({"error": {"message": "no", "type": "rate_limit_error"}})
    error = error_from_response(403, raw, {})
    assert type(error) is PermissionDeniedError
    assert not error.retryable


def test_documented_insufficient_quota_is_permission_denied() -> None:
    raw = body(
        {"error": {"message": "quota", "type": "permission_error", "code": "insufficient_quota"}}
    )
    error = error_from_response(403, raw, {})
    assert type(error) is PermissionDeniedError
    assert error.code == "insufficient_quota"


def test_message_never_contains_request_headers() -> None:
    # Only the response's headers are given; even they only feed retry_after.
    headers = {"Retry-After": "5", "X-Echo": "Bearer sk-secret"}
    error = error_from_response(429, b"", headers)
    assert "sk-secret" not in str(error)
    assert "sk-secret" not in repr(error)


# --- Retry-After --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "60"}, 60.0),
        ({"retry-after": "0"}, 0.0),
        ({"RETRY-AFTER": " 7 "}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "-3"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": ""}, None),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "bad", "Retry-After": "4"}, 4.0),
        ({}, None),
    ],
)
def test_retry_after_header_seconds(headers: dict[str, str], expected: float | None) -> None:
    assert error_from_response(429, b"", headers, now=NOW).retry_after == expected


def test_retry_after_http_date_in_the_future() -> None:
    header = formatdate(NOW + 90, usegmt=True)
    assert error_from_response(503, b"", {"Retry-After": header}, now=NOW).retry_after == 90.0


def test_retry_after_http_date_in_the_past_is_zero() -> None:
    header = formatdate(NOW - 90, usegmt=True)
    assert error_from_response(503, b"", {"Retry-After": header}, now=NOW).retry_after == 0.0


def test_retry_after_http_date_with_minus_zero_zone_is_gmt() -> None:
    header = formatdate(NOW + 30).replace("+0000", "-0000")
    assert parse_retry_after(header, now=NOW) == 30.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (60, 60.0),
        ("60", 60.0),
        (2.5, 2.5),
        ("2.5", 2.5),
        ("x", None),
        (-1, None),
        (True, None),
        (None, None),
        ([60], None),
    ],
)
def test_retry_after_in_the_error_object(value: object, expected: float | None) -> None:
    raw = body({"error": {"message": "slow down", "retry_after": value}})
    assert error_from_response(429, raw, {}).retry_after == expected


def test_retry_after_header_wins_over_body() -> None:
    raw = body({"error": {"message": "slow down", "retry_after": 60}})
    assert error_from_response(429, raw, {"Retry-After": "5"}).retry_after == 5.0


def test_unreadable_header_falls_back_to_body() -> None:
    raw = body({"error": {"message": "slow down", "retry_after": 60}})
    assert error_from_response(429, raw, {"Retry-After": "later"}).retry_after == 60.0


# --- errors inside a stream ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("error_type", "cls", "retryable"),
    [
        ("overloaded_error", ServerError, True),
        ("api_error", ServerError, True),
        ("server_error", ServerError, True),
        ("rate_limit_error", RateLimitError, True),
        ("authentication_error", AuthenticationError, False),
        ("permission_error", PermissionDeniedError, False),
        ("invalid_request_error", BadRequestError, False),
        ("not_found_error", BadRequestError, False),
        ("billing_error", QuotaExceededError, False),
        ("something_new", ServerError, False),
    ],
)
def test_stream_error_type_picks_class(
    error_type: str, cls: type[ApiError], retryable: bool
) -> None:
    payload = {"type": "error", "error": {"type": error_type, "message": "boom"}}
    error = error_from_payload(payload)
    assert type(error) is cls
    assert error.retryable is retryable
    assert error.message == "boom"
    assert error.type == error_type
    assert error.status is None


def test_stream_error_in_openai_shape_by_code() -> None:
    error = error_from_payload({"error": {"message": "key revoked", "code": "invalid_api_key"}})
    assert type(error) is AuthenticationError


def test_stream_error_with_status_and_no_type_uses_status() -> None:
    error = error_from_payload({"error": {"message": "busy"}}, status=503)
    assert type(error) is ServerError
    assert error.retryable
    assert error.status == 503


def test_stream_error_type_wins_over_status() -> None:
    error = error_from_payload({"error": {"type": "rate_limit_error", "message": "m"}}, status=200)
    assert type(error) is RateLimitError
    assert error.retryable


def test_stream_error_without_anything_is_an_unretryable_server_error() -> None:
    error = error_from_payload({})
    assert type(error) is ServerError
    assert not error.retryable
    assert error.message == "The server reported an error without an explanation."


def test_stream_error_without_message_names_its_type() -> None:
    error = error_from_payload({"error": {"type": "overloaded_error"}})
    assert (
        error.message == "The server reported an error (overloaded_error) without an explanation."
    )


def test_stream_error_as_plain_text() -> None:
    error = error_from_payload("upstream reset")
    assert error.message == "upstream reset"
    assert type(error) is ServerError


def test_stream_error_keeps_retry_after() -> None:
    payload = {"error": {"type": "rate_limit_error", "message": "m", "retry_after": "30"}}
    assert error_from_payload(payload).retry_after == 30.0


def test_stream_error_chinese_message() -> None:
    error = error_from_payload({"error": {"message": "服务繁忙，请稍后再试", "type": "api_error"}})
    assert error.message == "服务繁忙，请稍后再试"


@pytest.mark.parametrize("payload", [None, 42, [1, 2], {"error": 3}, {"error": {"message": {}}}])
def test_stream_error_of_odd_shape_still_gives_an_error(payload: object) -> None:
    error = error_from_payload(payload)
    assert isinstance(error, ApiError)
    assert error.message


# --- anything at all ----------------------------------------------------------------------


@settings(deadline=None)
@given(
    status=st.integers(100, 999),
    raw=st.binary(max_size=200) | st.text(max_size=50).map(str.encode),
    retry_after=st.text(max_size=40),
)
def test_any_reply_gives_an_api_error(status: int, raw: bytes, retry_after: str) -> None:
    error = error_from_response(status, raw, {"Retry-After": retry_after}, now=NOW)
    assert isinstance(error, ApiError)
    assert error.message
    assert error.retry_after is None or error.retry_after >= 0


@settings(deadline=None)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(["error", "type", "message", "code", "retry_after", "detail"]),
                children,
                max_size=4,
            )
        ),
        max_leaves=10,
    ),
    status=st.none() | st.integers(0, 999),
)
def test_any_payload_gives_an_api_error(payload: object, status: int | None) -> None:
    error = error_from_payload(payload, status=status)
    assert isinstance(error, ApiError)
    assert error.message
