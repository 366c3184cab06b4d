"""OpenAI-format request bodies: messages, tool calls and their results, tools."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longcat_desktop.api.request_body import (
    TOOL_CHOICE_MODES,
    base64_text,
    has_system,
    json_value,
    sampling_options,
)
from longcat_desktop.domain.chat import Role

if TYPE_CHECKING:
    from collections.abc import Sequence

    from longcat_desktop.domain.chat import ChatRequest, ImagePart, Message, Tool, ToolCall


def build_body(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    messages = _messages(request.messages)
    if has_system(request):
        messages.insert(0, {"role": "system", "content": request.system})
    body: dict[str, Any] = {"model": request.model, "messages": messages, "stream": stream}
    if stream:
        # Without it the token counts of a streamed answer are never sent.
        body["stream_options"] = {"include_usage": True}
    if request.max_tokens is not None:
        body["max_tokens"] = request.max_tokens
    body.update(sampling_options(request))
    if request.tools:
        body["tools"] = [_tool(tool) for tool in request.tools]
        if request.tool_choice is not None:
            body["tool_choice"] = _tool_choice(request.tool_choice)
    return body


def _messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = []
    # Images returned by tools, held until the run of tool messages ends.
    tool_images: list[ImagePart] = []
    for message in messages:
        if message.role != Role.TOOL and tool_images:
            turns.append(_images_turn(tool_images))
            tool_images = []
        turns.append(_message(message))
        if message.role == Role.TOOL:
            tool_images += message.images
    if tool_images:
        turns.append(_images_turn(tool_images))
    return turns


def _images_turn(images: Sequence[ImagePart]) -> dict[str, Any]:
    # A tool message holds text only in this format; the images follow as the user's turn,
    # after every result, so no call is left without its tool message.
    return {"role": "user", "content": [_image_part(image) for image in images]}


def _message(message: Message) -> dict[str, Any]:
    if message.role == Role.TOOL:
        # Tool results are text only in this format: an error is said in the text.
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    if message.tool_calls:
        return {
            "role": "assistant",
            "content": message.content or None,
            # LongCat wants a tool-calling turn's reasoning back, even when there was none.
            "reasoning_content": message.reasoning or "",
            "tool_calls": [_call(call) for call in message.tool_calls],
        }
    if message.images:
        parts = [{"type": "text", "text": message.content}] if message.content else []
        parts += [_image_part(image) for image in message.images]
        return {"role": str(message.role), "content": parts}
    # str() turns a Role member into its plain value, so the body holds only JSON types.
    return {"role": str(message.role), "content": message.content}


def _image_part(image: ImagePart) -> dict[str, Any]:
    url = f"data:{image.media_type};base64,{base64_text(image)}"
    return {"type": "image_url", "image_url": {"url": url}}


def _call(call: ToolCall) -> dict[str, Any]:
    # Servers parse the arguments they get back; "" (no arguments) is not JSON text.
    arguments = call.arguments if call.arguments.strip() else "{}"
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": arguments},
    }


def _tool(tool: Tool) -> dict[str, Any]:
    function: dict[str, Any] = {"name": tool.name}
    if tool.description:
        function["description"] = tool.description
    function["parameters"] = json_value(tool.input_schema)
    return {"type": "function", "function": function}


def _tool_choice(choice: str) -> str | dict[str, Any]:
    if choice in TOOL_CHOICE_MODES:
        return choice
    return {"type": "function", "function": {"name": choice}}
