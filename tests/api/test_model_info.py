"""Model list and model details, read the same way by both adapters."""

from __future__ import annotations

from typing import Any

import pytest

from longcat_desktop.api.adapter import FormatAdapter
from longcat_desktop.api.anthropic_format import AnthropicAdapter
from longcat_desktop.api.openai_format import OpenAIAdapter
from longcat_desktop.domain.errors import ProtocolError
from longcat_desktop.domain.models import ModelDetails, ModelInfo

ADAPTERS: list[FormatAdapter] = [OpenAIAdapter(), AnthropicAdapter()]

# The platform's own example reply.
DETAILS: dict[str, Any] = {
    "id": "LongCat-2.0-Preview",
    "name": "LongCat-2.0-Preview",
    "created": 1773331200,
    "context_length": 1048576,
    "architecture": {
        "input_modalities": ["text"],
        "output_modalities": ["text"],
        "modality": "text->text",
        "tokenizer": "Other",
        "instruct_type": None,
    },
    "supported_parameters": [
        "max_tokens",
        "temperature",
        "top_p",
        "stream",
        "tools",
        "tool_choice",
    ],
    "pricing": {"prompt": "0", "completion": "0"},
}


@pytest.fixture(params=ADAPTERS, ids=["openai", "anthropic"])
def adapter(request: pytest.FixtureRequest) -> FormatAdapter:
    chosen: FormatAdapter = request.param
    return chosen


def test_platform_example_list(adapter: FormatAdapter) -> None:
    body = {
        "object": "list",
        "data": [{"id": "LongCat-2.0-Preview", "object": "model", "owned_by": "LongCat"}],
    }
    assert adapter.parse_model_list(body) == [ModelInfo("LongCat-2.0-Preview", "LongCat")]


def test_list_tolerates_missing_fields_and_skips_unusable_entries(adapter: FormatAdapter) -> None:
    body = {
        "data": [
            {"id": "a"},
            {"object": "model"},
            {"id": ""},
            {"id": "b", "owned_by": None},
            {"id": "a", "owned_by": "dup"},
            {"id": "c", "display_name": "C", "x": [1]},
        ]
    }
    assert adapter.parse_model_list(body) == [ModelInfo("a"), ModelInfo("b"), ModelInfo("c")]


def test_list_as_a_bare_array(adapter: FormatAdapter) -> None:
    assert adapter.parse_model_list([{"id": "m"}]) == [ModelInfo("m")]


def test_empty_list(adapter: FormatAdapter) -> None:
    assert adapter.parse_model_list({"object": "list", "data": []}) == []


@pytest.mark.parametrize(
    "body",
    [
        None,
        "models",
        3,
        {},
        {"data": "x"},
        {"data": {"id": "m"}},
        {"data": [3]},
        {"data": [{"id": 5}]},
        {"data": [{"id": "m", "owned_by": 1}]},
    ],
)
def test_garbage_list_is_a_protocol_error(adapter: FormatAdapter, body: object) -> None:
    with pytest.raises(ProtocolError):
        adapter.parse_model_list(body)


def test_platform_example_details(adapter: FormatAdapter) -> None:
    assert adapter.parse_model_details(DETAILS) == ModelDetails(
        id="LongCat-2.0-Preview",
        name="LongCat-2.0-Preview",
        context_length=1048576,
        input_modalities=("text",),
        output_modalities=("text",),
        supported_parameters=(
            "max_tokens",
            "temperature",
            "top_p",
            "stream",
            "tools",
            "tool_choice",
        ),
        pricing={"prompt": "0", "completion": "0"},
    )


def test_details_with_only_an_id(adapter: FormatAdapter) -> None:
    assert adapter.parse_model_details({"id": "m"}) == ModelDetails("m")


def test_details_wrapped_in_data(adapter: FormatAdapter) -> None:
    assert adapter.parse_model_details({"data": {"id": "m", "context_length": 8}}) == ModelDetails(
        "m", context_length=8
    )


def test_modalities_from_the_summary_when_lists_are_missing(adapter: FormatAdapter) -> None:
    body = {"id": "m", "architecture": {"modality": "text+image->text"}}
    details = adapter.parse_model_details(body)
    assert details.input_modalities == ("text", "image")
    assert details.output_modalities == ("text",)


def test_prices_stay_strings_and_numbers_become_strings(adapter: FormatAdapter) -> None:
    body = {
        "id": "m",
        "pricing": {"prompt": "0.000002", "completion": 0, "image": 2e-06, "request": None},
    }
    assert adapter.parse_model_details(body).pricing == {
        "prompt": "0.000002",
        "completion": "0",
        "image": "2e-06",
    }


def test_whole_float_context_length(adapter: FormatAdapter) -> None:
    assert adapter.parse_model_details({"id": "m", "context_length": 1024.0}).context_length == 1024


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "m",
        {},
        {"name": "no id"},
        {"id": 3},
        {"id": "m", "context_length": "big"},
        {"id": "m", "context_length": 1.5},
        {"id": "m", "context_length": True},
        {"id": "m", "architecture": "text"},
        {"id": "m", "architecture": {"input_modalities": "text"}},
        {"id": "m", "architecture": {"output_modalities": [1]}},
        {"id": "m", "supported_parameters": "all"},
        {"id": "m", "pricing": ["0"]},
        {"id": "m", "pricing": {"prompt": {"usd": "0"}}},
        {"id": "m", "pricing": {"prompt": True}},
        {"id": "m", "name": 7},
    ],
)
def test_garbage_details_are_a_protocol_error(adapter: FormatAdapter, body: object) -> None:
    with pytest.raises(ProtocolError):
        adapter.parse_model_details(body)
