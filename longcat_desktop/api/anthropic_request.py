"""Anthropic-format request bodies: messages as content blocks, tool use and results, tools."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longcat_desktop.api.request_body import (
    arguments_object,
    base64_text,
    has_system,
    json_value,
    sampling_options,
)
from longcat_desktop.domain.chat import Role

if TYPE_CHECKING:
    from collections.abc import Sequence

    from longcat_desktop.domain.chat import ChatRequest, ImagePart, Message, Tool

# The format requires max_tokens; this is the platform's documented default.
DEFAULT_MAX_TOKENS = 32768

_TOOL_CHOICES: dict[str, dict[str, Any]] = {
    "auto": {"type": "auto"},
    "required": {"type": "any"},
    "none": {"type": "none"},
}


def build_body(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": request.model,
        "messages": _messages(request.messages),
        "max_tokens": DEFAULT_MAX_TOKENS if request.max_tokens is None else request.max_tokens,
        "stream": stream,
    }
    if has_system(request):
        body["system"] = request.system
    # Anthropic's own API also wants thinking.budget_tokens; LongCat documents only
    # `type` and budgets thinking itself, and a budget we invented could cut it short.
    body.update(sampling_options(request))
    if request.tools:
        body["tools"] = [_tool(tool) for tool in request.tools]
        if request.tool_choice is not None:
            body["tool_choice"] = dict(
                _TOOL_CHOICES.get(request.tool_choice)
                or {"type": "tool", "name": request.tool_choice}
            )
    return body


def _messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = []
    # The user turn holding the results of the calls just made, while more may join it.
    results: list[dict[str, Any]] | None = None
    for message in messages:
        if message.role == Role.TOOL:
            if results is None:
                results = []
                turns.append({"role": "user", "content": results})
            results.append(_tool_result(message))
            continue
        if results is not None and message.role == Role.USER:
            # Roles must alternate: the user's own words join the results' turn, after them.
            results += _user_blocks(message)
            results = None
            continue
        results = None
        turns.append(_message(message))
    return turns


def _tool_result(message: Message) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "tool_result",
        "tool_use_id": message.tool_call_id,
        "content": _user_blocks(message) if message.images else message.content,
    }
    if message.is_error:
        block["is_error"] = True
    return block


def _user_blocks(message: Message) -> list[dict[str, Any]]:
    blocks = [{"type": "text", "text": message.content}] if message.content else []
    blocks += [_image_block(image) for image in message.images]
    return blocks


def _image_block(image: ImagePart) -> dict[str, Any]:
    source = {"type": "base64", "media_type": image.media_type, "data": base64_text(image)}
    return {"type": "image", "source": source}


def _message(message: Message) -> dict[str, Any]:
    if message.images:
        return {"role": str(message.role), "content": _user_blocks(message)}
    if not message.tool_calls:
        # str() turns a Role member into its plain value, so the body holds only JSON types.
        return {"role": str(message.role), "content": message.content}
    blocks: list[dict[str, Any]] = []
    if message.reasoning_signature:
        # The thinking goes back verbatim with its signature, before the calls it led to.
        blocks.append(
            {
                "type": "thinking",
                "thinking": message.reasoning or "",
                "signature": message.reasoning_signature,
            }
        )
    if message.content:
        blocks.append({"type": "text", "text": message.content})
    blocks.extend(
        {
            "type": "tool_use",
            "id": call.id,
            "name": call.name,
            "input": arguments_object(call.arguments),
        }
        for call in message.tool_calls
    )
    return {"role": "assistant", "content": blocks}


def _tool(tool: Tool) -> dict[str, Any]:
    shape: dict[str, Any] = {"name": tool.name}
    if tool.description:
        shape["description"] = tool.description
    shape["input_schema"] = json_value(tool.input_schema)
    return shape
