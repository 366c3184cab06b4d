"""The official SDKs' request types as oracles for the request bodies we build.

The SDKs declare each message, tool and content block as a TypedDict. pydantic validates a
value against one; keys the SDK does not know are dropped, so comparing the validated value
with the original catches them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydantic


def exhaust(value: Any) -> Any:
    """A validated value with pydantic's lazy iterators read out (which validates them)."""
    if isinstance(value, dict):
        return {key: exhaust(item) for key, item in value.items()}
    if isinstance(value, list | tuple | Iterator) or type(value).__name__ == "ValidatorIterator":
        return [exhaust(item) for item in value]
    return value


def sdk_accepts(shape: Any, value: Any, *, ignore: tuple[str, ...] = ()) -> None:
    known = {key: item for key, item in value.items() if key not in ignore}
    # The adapter must outlive the lazy iterators it returns, which refer to its schema.
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(shape)
    assert exhaust(adapter.validate_python(known)) == known
