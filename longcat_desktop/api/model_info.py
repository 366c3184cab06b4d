"""The model list and model details replies, which both endpoints send in the same shape."""

from __future__ import annotations

from typing import Any

from longcat_desktop.api.shapes import as_object, opt_int, opt_list, opt_object, opt_str, str_list
from longcat_desktop.domain.errors import ProtocolError
from longcat_desktop.domain.models import ModelDetails, ModelInfo


def parse_model_list(body: Any) -> list[ModelInfo]:
    # Some compatible servers answer with the bare array instead of {"object": "list", ...}.
    if isinstance(body, list):
        items: list[Any] | None = body
    else:
        items = opt_list(as_object(body, "a model list"), "data", "a model list")
    if items is None:
        raise ProtocolError("The server's model list has no models in it.")
    models: list[ModelInfo] = []
    seen: set[str] = set()
    for item in items:
        entry = as_object(item, "a model entry")
        model_id = opt_str(entry, "id", "a model id")
        # An entry without an id cannot be chosen; skip it rather than lose the whole list.
        if not model_id or model_id in seen:
            continue
        seen.add(model_id)
        models.append(ModelInfo(model_id, owned_by=opt_str(entry, "owned_by", "a model owner")))
    return models


def parse_model_details(body: Any) -> ModelDetails:
    details = as_object(body, "model details")
    if "id" not in details and isinstance(details.get("data"), dict):
        details = details["data"]
    model_id = opt_str(details, "id", "a model id")
    if not model_id:
        raise ProtocolError("The server's model details do not say which model they describe.")
    architecture = opt_object(details, "architecture", "a model architecture") or {}
    inputs = str_list(architecture, "input_modalities", "input modalities")
    outputs = str_list(architecture, "output_modalities", "output modalities")
    if not inputs and not outputs:
        inputs, outputs = _modalities_from_summary(opt_str(architecture, "modality", "a modality"))
    return ModelDetails(
        id=model_id,
        name=opt_str(details, "name", "a model name"),
        context_length=opt_int(details, "context_length", "a context length"),
        input_modalities=inputs,
        output_modalities=outputs,
        supported_parameters=str_list(details, "supported_parameters", "supported parameters"),
        pricing=_pricing(opt_object(details, "pricing", "model pricing")),
    )


def _modalities_from_summary(summary: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Reads the older "text+image->text" summary when the lists are missing."""
    if not summary or "->" not in summary:
        return (), ()
    left, _, right = summary.partition("->")
    return _split_plus(left), _split_plus(right)


def _split_plus(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("+") if part.strip())


def _pricing(pricing: dict[str, Any] | None) -> dict[str, str]:
    if pricing is None:
        return {}
    prices: dict[str, str] = {}
    for key, value in pricing.items():
        if isinstance(value, str):
            prices[key] = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            # Prices belong in strings; a server that sends numbers is read as its own JSON text.
            prices[key] = repr(value) if isinstance(value, float) else str(value)
        elif value is not None:
            raise ProtocolError("The server sent a model price that is neither text nor a number.")
    return prices
