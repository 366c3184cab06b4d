"""The OpenAI-compatible endpoint: request bodies, replies and streams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longcat_desktop.api import model_info, openai_request
from longcat_desktop.api.errors import error_from_payload
from longcat_desktop.api.openai_stream import (
    OpenAIStreamReducer,
    reasoning_text,
    tool_call_piece,
)
from longcat_desktop.api.shapes import as_object, opt_int, opt_list, opt_object, opt_str
from longcat_desktop.domain.answer import fold_all
from longcat_desktop.domain.errors import ProtocolError
from longcat_desktop.domain.events import (
    ChatResult,
    ReasoningDelta,
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

__all__ = ["OpenAIAdapter", "OpenAIStreamReducer"]


class OpenAIAdapter:
    chat_path: str = "/openai/v1/chat/completions"
    models_path: str = "/openai/v1/models"

    def headers(self) -> Mapping[str, str]:
        return {}

    def build_body(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        return openai_request.build_body(request, stream=stream)

    def new_reducer(self) -> OpenAIStreamReducer:
        return OpenAIStreamReducer()

    def parse_completion(self, body: Any) -> ChatResult:
        return fold_all(self.completion_events(body)).result()

    def completion_events(self, body: Any) -> list[StreamEvent]:
        reply = as_object(body, "a reply")
        if reply.get("error") is not None or reply.get("type") == "error":
            raise error_from_payload(reply)
        choices = opt_list(reply, "choices", "the choices of a reply")
        if not choices:
            raise ProtocolError(NO_ANSWER_IN_REPLY)
        choice = as_object(choices[0], "a reply choice")
        message = opt_object(choice, "message", "a reply message") or {}
        usage = opt_object(reply, "usage", "token usage") or {}
        events: list[StreamEvent] = []
        reasoning = reasoning_text(message)
        if reasoning:
            events.append(ReasoningDelta(reasoning))
        text = opt_str(message, "content", "answer text")
        if text:
            events.append(TextDelta(text))
        calls = opt_list(message, "tool_calls", "tool calls") or ()
        for position, call in enumerate(calls):
            piece = tool_call_piece(as_object(call, "a tool call"), position)
            if piece is not None:
                # A reply's calls are whole: their place in the list is their index.
                events.append(ToolCallDelta(position, piece.id, piece.name, piece.arguments))
        counts = Usage(
            opt_int(usage, "prompt_tokens", "a prompt token count"),
            opt_int(usage, "completion_tokens", "a completion token count"),
        )
        if counts.total_tokens is not None:
            events.append(counts)
        finish_reason = opt_str(choice, "finish_reason", "a finish reason")
        events.append(StreamEnd(finish_reason, complete=True))
        return events

    def parse_model_list(self, body: Any) -> list[ModelInfo]:
        return model_info.parse_model_list(body)

    def parse_model_details(self, body: Any) -> ModelDetails:
        return model_info.parse_model_details(body)
