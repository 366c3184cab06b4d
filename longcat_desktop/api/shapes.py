"""Checked access to decoded JSON, so a reply of the wrong shape becomes a ProtocolError.

Absent keys and JSON null read as None everywhere: servers leave out or null what they lack.
A value of the wrong type is never guessed at.
"""

from __future__ import annotations

import json
from typing import Any

from longcat_desktop.domain.errors import ProtocolError

# Enough of a bad reply to recognise it in a log or dialog, not a whole page of it.
_EXCERPT_CHARS = 120


# raw_decode skips the whitespace handling of json.loads, a third of its cost per chunk.
_DECODER = json.JSONDecoder()


def load_json(text: str) -> Any:
    try:
        value, end = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        pass
    else:
        if end == len(text):
            return value
    try:
        # Leading whitespace and trailing garbage get json.loads' own verdict.
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError(
            f"The server sent data that is not valid JSON: {excerpt(text)}"
        ) from None


def excerpt(text: str) -> str:
    text = text.strip()
    if len(text) > _EXCERPT_CHARS:
        return repr(text[:_EXCERPT_CHARS]) + "…"
    return repr(text)


def as_object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError(f"The server sent {what} that is not a JSON object.")
    return value


def opt_object(container: dict[str, Any], key: str, what: str) -> dict[str, Any] | None:
    value = container.get(key)
    if value is None:
        return None
    return as_object(value, what)


def opt_list(container: dict[str, Any], key: str, what: str) -> list[Any] | None:
    value = container.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise ProtocolError(f"The server sent {what} that is not a JSON array.")
    return value


def expect_str(value: object, what: str) -> str:
    if isinstance(value, str):
        return value
    raise ProtocolError(f"The server sent {what} that is not a string.")


def opt_str(container: dict[str, Any], key: str, what: str) -> str | None:
    value = container.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ProtocolError(f"The server sent {what} that is not a string.")


def opt_int(container: dict[str, Any], key: str, what: str) -> int | None:
    value = container.get(key)
    if value is None:
        return None
    # bool is an int to Python but never a count; 12.0 is a count some servers write.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(f"The server sent {what} that is not a number.")
    if isinstance(value, float):
        if not value.is_integer():
            raise ProtocolError(f"The server sent {what} that is not a whole number.")
        return int(value)
    return value


def str_list(container: dict[str, Any], key: str, what: str) -> tuple[str, ...]:
    items = opt_list(container, key, what)
    if items is None:
        return ()
    if not all(isinstance(item, str) for item in items):
        raise ProtocolError(f"The server sent {what} that are not all strings.")
    return tuple(items)
