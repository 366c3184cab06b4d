"""The adapter factory."""

from __future__ import annotations

import pytest

from longcat_desktop.api.anthropic_format import AnthropicAdapter
from longcat_desktop.api.formats import adapter_for
from longcat_desktop.api.openai_format import OpenAIAdapter
from longcat_desktop.domain.chat import ApiFormat


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        (ApiFormat.OPENAI, OpenAIAdapter),
        (ApiFormat.ANTHROPIC, AnthropicAdapter),
        ("openai", OpenAIAdapter),
        ("anthropic", AnthropicAdapter),
        (" Anthropic ", AnthropicAdapter),
        ("OPENAI", OpenAIAdapter),
    ],
)
def test_adapter_for(name: ApiFormat | str, cls: type) -> None:
    assert type(adapter_for(name)) is cls


@pytest.mark.parametrize("name", ["", "gemini", "open ai"])
def test_unknown_format_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="unknown API format"):
        adapter_for(name)


def test_each_call_gives_a_fresh_reducer() -> None:
    adapter = adapter_for("openai")
    assert adapter.new_reducer() is not adapter.new_reducer()
