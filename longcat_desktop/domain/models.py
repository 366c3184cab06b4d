"""What the platform says about its models."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    owned_by: str | None = None


@dataclass(frozen=True, slots=True)
class ModelDetails:
    id: str
    context_length: int | None = None
    input_modalities: tuple[str, ...] = ()
    supported_parameters: tuple[str, ...] = ()
    # Prices are strings on the wire ("0", "0.000002"); kept as given to avoid float rounding.
    pricing: Mapping[str, str] = field(default_factory=dict)
    name: str | None = None
    output_modalities: tuple[str, ...] = ()
