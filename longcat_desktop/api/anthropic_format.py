"""The Anthropic-compatible endpoint: request bodies, replies and streams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longcat_desktop.api import anthropic_request, model_info
from longcat_desktop.api.anthropic_stream import (
    TOOL_BLOCKS,
    AnthropicStreamReducer,
    ToolUse,
    input_arguments,
)
from longcat_desktop.api.errors import error_from_payload
from longcat_desktop.api.shapes import as_object, opt_int, opt_list, opt_object, opt_str
from longcat_desktop.domain.answer import fold_all
from longcat_desktop.domain.errors import ProtocolError
from longcat_desktop.domain.events import (
    ChatResult,
    ReasoningDelta,
    ReasoningSignature,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from longcat_desktop.domain.user_texts import NO_ANSWER_IN_REPLY

if TYPE_CHECKING:
    from collections.abc import Mapping

    from longcat_desktop.domain.chat import ChatRequest
    from longcat_desktop.domain.models import ModelDetails, ModelInfo

__all__ = [
    "ANTHROPIC_VERSION",
    "DEFAULT_MAX_TOKENS",
    "AnthropicAdapter",
    "AnthropicStreamReducer",
    "ToolUse",
]

ANTHROPIC_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = anthropic_request.DEFAULT_MAX_TOKENS


class AnthropicAdapter:
    chat_path: str = "/anthropic/v1/messages"
    models_path: str = "/anthropic/v1/models"

    def headers(self) -> Mapping[str, str]:
        return {"anthropic-version": ANTHROPIC_VERSION}

    def build_body(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return anthropic_request.build_body(request, stream=stream)

    def new_reducer(self) -> AnthropicStreamReducer:
        return AnthropicStreamReducer()

    def parse_completion(self, body: Any) -> ChatResult:
        return fold_all(self.completion_events(body)).result()

    def completion_events(self, body: Any) -> list[StreamEvent]:
        reply = as_object(body, "a reply")
        if reply.get("type") == "error" or reply.get("error") is not None:
            raise error_from_payload(reply)
        content = opt_list(reply, "content", "the content of a reply")
        if content is None:
            raise ProtocolError(NO_ANSWER_IN_REPLY)
        events: list[StreamEvent] = []
        for index, item in enumerate(content):
            block = as_object(item, "a content block")
            kind = opt_str(block, "type", "a content block type")
            if kind == "text":
                text = opt_str(block, "text", "answer text")
                if text:
                    events.append(TextDelta(text))
            elif kind == "thinking":
                thinking = opt_str(block, "thinking", "reasoning text")
                if thinking:
                    events.append(ReasoningDelta(thinking))
                signature = opt_str(block, "signature", "a thinking signature")
                if signature:
                    events.append(ReasoningSignature(signature))
            elif kind in TOOL_BLOCKS:
                events.append(
                    ToolCallDelta(
                        index,
                        opt_str(block, "id", "a tool use id"),
                        opt_str(block, "name", "a tool name"),
                        input_arguments(opt_object(block, "input", "tool input")),
                    )
                )
        usage = opt_object(reply, "usage", "token usage") or {}
        counts = Usage(
            opt_int(usage, "input_tokens", "an input token count"),
            opt_int(usage, "output_tokens", "an output token count"),
        )
        if counts.total_tokens is not None:
            events.append(counts)
        events.append(StreamEnd(opt_str(reply, "stop_reason", "a stop reason"), complete=True))
        return events

    def parse_model_list(self, body: Any) -> list[ModelInfo]:
        return model_info.parse_model_list(body)

    def parse_model_details(self, body: Any) -> ModelDetails:
        return model_info.parse_model_details(body)
