"""Tools and their results as plain values, free of the SDK's pydantic models.

A result keeps its parts apart: text for the model and the card, images as bytes (shown as
thumbnails and sent as image blocks where the format allows, never pasted into the context as
base64 text), links as links.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from longcat_desktop.domain.tool_turns import image_placeholder

EMPTY_SCHEMA: Mapping[str, Any] = {"type": "object", "properties": {}}

PartKind = Literal["text", "image", "audio", "link", "resource"]


@dataclass(frozen=True, slots=True)
class ToolInfo:
    server: str
    name: str
    description: str = ""
    input_schema: Mapping[str, Any] = field(default_factory=lambda: dict(EMPTY_SCHEMA))
    title: str = ""
    # The server's hints; None when it did not say.
    read_only: bool | None = None
    destructive: bool | None = None

    @classmethod
    def from_mcp(cls, server: str, tool: Any) -> ToolInfo:
        annotations = getattr(tool, "annotations", None)
        schema = getattr(tool, "input_schema", None)
        return cls(
            server=server,
            name=str(tool.name),
            description=str(getattr(tool, "description", "") or ""),
            input_schema=dict(schema) if isinstance(schema, Mapping) else dict(EMPTY_SCHEMA),
            title=str(getattr(tool, "title", "") or getattr(annotations, "title", "") or ""),
            read_only=getattr(annotations, "read_only_hint", None),
            destructive=getattr(annotations, "destructive_hint", None),
        )


@dataclass(frozen=True, slots=True)
class ResultPart:
    kind: PartKind
    text: str = ""
    data: bytes = b""
    media_type: str = ""
    uri: str = ""


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    parts: tuple[ResultPart, ...]
    is_error: bool = False
    seconds: float | None = None

    @property
    def text(self) -> str:
        """What the model reads: the text parts, and a line for each part it cannot see."""
        lines: list[str] = []
        for part in self.parts:
            if part.kind == "text":
                lines.append(part.text)
            elif part.kind == "link":
                lines.append(f"[{part.text or part.uri}]({part.uri})")
            elif part.kind == "resource" and part.text:
                lines.append(part.text)
            elif part.kind == "image" and not (part.text or part.uri):
                lines.append(image_placeholder(part.media_type))
            else:
                label = part.text or part.uri or part.media_type
                lines.append(f"[{part.kind}: {label}]")
        return "\n".join(lines)

    @property
    def images(self) -> tuple[ResultPart, ...]:
        return tuple(part for part in self.parts if part.kind == "image" and part.data)


def error_outcome(message: str) -> ToolOutcome:
    return ToolOutcome((ResultPart("text", message),), is_error=True)


def _bytes(encoded: Any) -> bytes:
    try:
        return base64.b64decode(str(encoded), validate=False)
    except (binascii.Error, ValueError):
        return b""


def outcome_from(result: Any, seconds: float | None = None) -> ToolOutcome:
    """A `CallToolResult` as parts. Structured content without any text part is shown as JSON,
    so a server that only fills `structuredContent` is still readable."""
    parts: list[ResultPart] = []
    for block in getattr(result, "content", None) or ():
        kind = getattr(block, "type", "")
        if kind == "text":
            parts.append(ResultPart("text", str(block.text)))
        elif kind in ("image", "audio"):
            media_type = str(block.mime_type or "")
            part_kind: PartKind = "image" if kind == "image" else "audio"
            parts.append(ResultPart(part_kind, data=_bytes(block.data), media_type=media_type))
        elif kind == "resource_link":
            title = getattr(block, "title", None) or getattr(block, "name", "") or ""
            parts.append(ResultPart("link", text=str(title), uri=str(block.uri)))
        elif kind == "resource":
            resource = block.resource
            text = getattr(resource, "text", None)
            blob = getattr(resource, "blob", None)
            media_type = str(getattr(resource, "mime_type", "") or "")
            if text is not None:
                parts.append(ResultPart("resource", text=str(text), uri=str(resource.uri)))
            elif blob is not None and media_type.startswith("image/"):
                parts.append(ResultPart("image", data=_bytes(blob), media_type=media_type))
            else:
                parts.append(ResultPart("resource", uri=str(resource.uri), media_type=media_type))
    structured = getattr(result, "structured_content", None)
    if structured is not None and not any(part.kind == "text" for part in parts):
        parts.append(ResultPart("text", json.dumps(structured, ensure_ascii=False, indent=2)))
    return ToolOutcome(tuple(parts), bool(getattr(result, "is_error", False)), seconds)
