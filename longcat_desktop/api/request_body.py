"""Request fields both formats spell the same way."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from longcat_desktop.domain.chat import ChatRequest, ImagePart

# tool_choice values that are modes rather than the name of a tool.
TOOL_CHOICE_MODES = frozenset({"auto", "none", "required"})


def has_system(request: ChatRequest) -> bool:
    # A blank system prompt is no prompt; Anthropic-format servers refuse empty text.
    return bool(request.system and request.system.strip())


def sampling_options(request: ChatRequest) -> dict[str, Any]:
    """Only what the user set: an absent field leaves the server's default."""
    options: dict[str, Any] = {}
    if request.temperature is not None:
        options["temperature"] = request.temperature
    if request.top_p is not None:
        options["top_p"] = request.top_p
    if request.thinking is not None:
        options["thinking"] = {"type": "enabled" if request.thinking else "disabled"}
    return options


def json_value(value: Any) -> Any:
    """A schema given as any Mapping or Sequence, as the plain dicts and lists JSON writes."""
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def arguments_object(arguments: str) -> dict[str, Any]:
    """A call's arguments as the JSON object a format wants back.

    "" means no arguments. Text that is not a JSON object (a server fault: such a call is
    never run, and its result says so) is sent back as an empty object, the only valid shape.
    """
    if not arguments.strip():
        return {}
    try:
        value = json.loads(arguments)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def base64_text(image: ImagePart) -> str:
    return base64.b64encode(image.data).decode("ascii")
