"""OpenAI-format request bodies: messages, tool calls and their results, tools."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longcat_desktop.api.request_body import (
    TOOL_CHOICE_MODES,
    has_system,
    json_value,
    sampling_options,
)
from longcat_desktop.domain.chat import Role

if TYPE_CHECKING:
    from longcat_desktop.domain.chat import ChatRequest, Message, Tool, ToolCall


def build_body(request: ChatRequest, *, stream: bool) -> dict[str, Any]:
    messages = [_message(message) for message in request.messages]
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
    # str() turns a Role member into its plain value, so the body holds only JSON types.
    return {"role": str(message.role), "content": message.content}


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
