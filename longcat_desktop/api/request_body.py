"""Request fields both formats spell the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from longcat_desktop.domain.chat import ChatRequest


def has_system(request: ChatRequest) -> bool:
    # A blank system prompt is no prompt; Anthropic-format servers refuse empty text.
    return bool(request.system and request.system.strip())


def chat_messages(request: ChatRequest) -> list[dict[str, Any]]:
    # str() turns a Role member into its plain value, so the body holds only JSON types.
    return [{"role": str(message.role), "content": message.content} for message in request.messages]


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
