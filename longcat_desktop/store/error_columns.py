"""An answer's error as its columns, with our own sentences kept as their key and values.

Stored that way, an error reads in whatever language the interface has when it is shown. The
key column is NULL only in rows written before it existed (schema version 1, and imports of
exports from then): those hold the English sentence alone, which is recognised once more when
read. An empty key marks a message that is the server's own words.
"""

from __future__ import annotations

import json
from typing import Any

from longcat_desktop.domain.conversation import ErrorDetails
from longcat_desktop.domain.user_texts import UserText, from_key, recognise

# message, type, code, status, key, values (a JSON array of strings)
ErrorColumns = tuple[str | None, str | None, str | None, int | None, str | None, str | None]

NO_ERROR: ErrorColumns = (None, None, None, None, None, None)


def error_columns(error: ErrorDetails | None) -> ErrorColumns:
    if error is None:
        return NO_ERROR
    key, args = key_and_args(error.user_text)
    return (error.message, error.type, error.code, error.status, key, args)


def key_and_args(text: UserText | None) -> tuple[str, str | None]:
    """The key column ("" for none of our sentences) and the values column."""
    key = None if text is None else text.key
    if text is None or key is None:
        return "", None
    return key, json.dumps(list(text.args), ensure_ascii=False)


def error_from_columns(
    message: str | None,
    type: str | None,
    code: str | None,
    status: int | None,
    key: str | None,
    args: str | None,
) -> ErrorDetails | None:
    if message is None:
        return None
    return ErrorDetails(message, type, code, status, user_text_of(message, key, args))


def user_text_of(message: str, key: str | None, args: str | None) -> UserText | None:
    if key is None:
        return recognise(message)
    if not key:
        return None
    values = _string_list(args)
    # A key this version does not know (written by a newer one) shows the English message.
    return None if values is None else from_key(key, values)


def _string_list(raw: str | None) -> list[str] | None:
    if raw is None:
        return []
    try:
        values: Any = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    return values
