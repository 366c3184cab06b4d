"""The error taxonomy: every failure a server or network can produce, as one of these."""

from __future__ import annotations

from longcat_desktop.domain.user_texts import UserText


class ApiError(Exception):
    """A failure talking to the platform. `message` is the server's own words when it sent any,
    else one of our sentences in English, which `user_text` then holds to be shown translated.

    Never holds the API key: messages are built from server replies and fixed texts only.
    """

    default_retryable = False

    def __init__(
        self,
        message: str | UserText,
        *,
        status: int | None = None,
        type: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.user_text = message if isinstance(message, UserText) else None
        self.status = status
        self.type = type
        self.code = code
        self.retry_after = retry_after
        self.retryable = self.default_retryable if retryable is None else retryable

    def __str__(self) -> str:
        if self.status is None:
            return self.message
        return f"{self.message} (HTTP {self.status})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status={self.status!r}, "
            f"type={self.type!r}, code={self.code!r})"
        )


class BadRequestError(ApiError):
    """400: the request was refused as malformed or out of bounds."""


class AuthenticationError(ApiError):
    """401: the key is missing, wrong or revoked."""


class QuotaExceededError(ApiError):
    """402: the account's token quota is used up."""


class PermissionDeniedError(ApiError):
    """403: the key may not use this resource, or its quota is insufficient."""


class RateLimitError(ApiError):
    """429: too many requests, or a daily quota reached."""

    default_retryable = True


class ServerError(ApiError):
    """5xx or 529/overloaded: the platform failed; trying again later may work."""

    default_retryable = True


class ApiConnectionError(ApiError):
    """The network failed: no connection, a timeout, a dropped connection."""

    default_retryable = True


class ProtocolError(ApiError):
    """The server's reply could not be understood."""
