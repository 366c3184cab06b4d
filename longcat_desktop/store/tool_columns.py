"""Tool calls and results as JSON columns of their messages.

Images travel as base64 inside the result's JSON: results are small and rare next to text, and
one row per result keeps a result written (or swept at start) in one statement.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from longcat_desktop.domain.tool_turns import (
    StoredToolCall,
    ToolCallState,
    ToolImage,
    ToolLink,
    ToolResult,
)

_STATES = {str(state): state for state in ToolCallState}


def calls_json(calls: Sequence[StoredToolCall]) -> str | None:
    if not calls:
        return None
    return json.dumps([call_dict(call) for call in calls], ensure_ascii=False)


def call_dict(call: StoredToolCall) -> dict[str, Any]:
    shape: dict[str, Any] = {"id": call.id, "name": call.name, "arguments": call.arguments}
    if call.server is not None:
        shape["server"] = call.server
    if call.tool is not None:
        shape["tool"] = call.tool
    return shape


def calls_from(value: Any) -> tuple[StoredToolCall, ...]:
    """Calls from a column or an export; anything unreadable is left out, never raised."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return ()
    if not isinstance(value, list):
        return ()
    calls = []
    for item in value:
        if isinstance(item, dict):
            calls.append(
                StoredToolCall(
                    id=str(item.get("id") or ""),
                    name=str(item.get("name") or ""),
                    arguments=str(item.get("arguments") or ""),
                    server=_optional_text(item.get("server")),
                    tool=_optional_text(item.get("tool")),
                )
            )
    return tuple(calls)


def result_json(result: ToolResult | None) -> str | None:
    return None if result is None else json.dumps(result_dict(result), ensure_ascii=False)


def result_dict(result: ToolResult) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "call_id": result.call_id,
        "name": result.name,
        "arguments": result.arguments,
        "state": str(result.state),
        "is_error": result.is_error,
    }
    for key, value in (
        ("server", result.server),
        ("tool", result.tool),
        ("started_at", result.started_at),
        ("seconds", result.seconds),
    ):
        if value is not None:
            shape[key] = value
    if result.images:
        shape["images"] = [
            {"media_type": image.media_type, "data": base64.b64encode(image.data).decode("ascii")}
            for image in result.images
        ]
    if result.links:
        shape["links"] = [{"uri": link.uri, "title": link.title} for link in result.links]
    return shape


def result_from(value: Any) -> ToolResult | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    images = []
    for item in value.get("images") or ():
        if isinstance(item, dict):
            try:
                data = base64.b64decode(str(item.get("data") or ""), validate=True)
            except (binascii.Error, ValueError):
                continue
            images.append(ToolImage(str(item.get("media_type") or ""), data))
    links = [
        ToolLink(str(item.get("uri") or ""), str(item.get("title") or ""))
        for item in value.get("links") or ()
        if isinstance(item, dict)
    ]
    return ToolResult(
        call_id=str(value.get("call_id") or ""),
        name=str(value.get("name") or ""),
        arguments=str(value.get("arguments") or ""),
        server=_optional_text(value.get("server")),
        tool=_optional_text(value.get("tool")),
        state=_STATES.get(str(value.get("state")), ToolCallState.INTERRUPTED),
        is_error=bool(value.get("is_error")),
        started_at=_optional_number(value.get("started_at")),
        seconds=_optional_number(value.get("seconds")),
        images=tuple(images),
        links=tuple(links),
    )


def _optional_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _optional_number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
