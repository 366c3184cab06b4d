"""Picks the adapter for a conversation's wire format."""

from __future__ import annotations

from typing import TYPE_CHECKING

from longcat_desktop.api.anthropic_format import AnthropicAdapter
from longcat_desktop.api.openai_format import OpenAIAdapter
from longcat_desktop.domain.chat import ApiFormat

if TYPE_CHECKING:
    from longcat_desktop.api.adapter import FormatAdapter


def adapter_for(api_format: ApiFormat | str) -> FormatAdapter:
    try:
        chosen = ApiFormat(api_format.strip().lower())
    except ValueError:
        raise ValueError(
            f"unknown API format {api_format!r}; expected one of "
            + ", ".join(repr(member.value) for member in ApiFormat)
        ) from None
    if chosen is ApiFormat.ANTHROPIC:
        return AnthropicAdapter()
    return OpenAIAdapter()
