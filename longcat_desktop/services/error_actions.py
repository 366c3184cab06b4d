"""What the user can do about a failed answer, decided from the error the server gave."""

from __future__ import annotations

from enum import StrEnum

from longcat_desktop.domain import (
    ApiConnectionError,
    ApiError,
    AuthenticationError,
    PermissionDeniedError,
    ProtocolError,
    QuotaExceededError,
    RateLimitError,
)
from longcat_desktop.domain.conversation import ErrorDetails

_ACCOUNT_STATUSES = frozenset({401, 402, 403})
_ACCOUNT_TYPES = frozenset(
    {"authentication_error", "permission_error", "billing_error", "quota_exceeded_error"}
)


class ErrorAction(StrEnum):
    # The key, quota or permissions are at fault: retrying cannot help, Settings can.
    OPEN_SETTINGS = "open_settings"
    # Too many requests: wait, then retry.
    WAIT_AND_RETRY = "wait_and_retry"
    RETRY = "retry"


def error_type_of(error: ApiError) -> str:
    """A type for errors that carry none of their own (network failures, our own checks)."""
    if isinstance(error, AuthenticationError):
        return "authentication_error"
    if isinstance(error, PermissionDeniedError):
        return "permission_error"
    if isinstance(error, QuotaExceededError):
        return "billing_error"
    if isinstance(error, RateLimitError):
        return "rate_limit_error"
    if isinstance(error, ApiConnectionError):
        return "connection_error"
    if isinstance(error, ProtocolError):
        return "protocol_error"
    return "api_error"


def action_for(details: ErrorDetails) -> ErrorAction:
    if details.status in _ACCOUNT_STATUSES or details.type in _ACCOUNT_TYPES:
        return ErrorAction.OPEN_SETTINGS
    if details.status == 429 or details.type == "rate_limit_error":
        return ErrorAction.WAIT_AND_RETRY
    return ErrorAction.RETRY
