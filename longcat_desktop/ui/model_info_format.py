"""Short human texts for a model's context length, modalities and pricing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from longcat_desktop.domain.models import ModelDetails

if TYPE_CHECKING:
    from decimal import Decimal

_INPUT_PRICE_KEYS = ("prompt", "input")
_OUTPUT_PRICE_KEYS = ("completion", "output")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ModelInfo", text)


def _compact(n: float) -> str:
    return f"{n:.1f}".rstrip("0").rstrip(".")


def context_text(tokens: int) -> str:
    """131072 → '128K context', 1000000 → '1M context'."""
    if tokens % (1024 * 1024) == 0:
        size = f"{tokens // (1024 * 1024)}M"
    elif tokens >= 1_000_000:
        size = f"{_compact(tokens / 1_000_000)}M"
    elif tokens % 1024 == 0:
        size = f"{tokens // 1024}K"
    elif tokens >= 1000:
        size = f"{_compact(tokens / 1000)}K"
    else:
        size = str(tokens)
    return _tr("{size} context").format(size=size)


def modality_name(modality: str) -> str:
    """A modality as the platform names it ("image"), in words; unknown ones as given."""
    names = {
        "text": _tr("Text"),
        "image": _tr("Image"),
        "video": _tr("Video"),
        "audio": _tr("Audio"),
        "file": _tr("File"),
    }
    return names.get(modality.strip().lower(), modality)


def input_modalities(details: ModelDetails | None) -> tuple[str, ...]:
    """What the model reads, as the platform names it; () when unknown."""
    if details is None:
        return ()
    return tuple(dict.fromkeys(m.strip() for m in details.input_modalities if m.strip()))


def modalities_text(details: ModelDetails) -> str:
    """'Text', 'Text, image', ...; '' when the platform did not say."""
    inputs = input_modalities(details)
    known = tuple(m.lower() for m in inputs)
    if known == ("text",):
        return _tr("Text")
    if known == ("text", "image"):
        return _tr("Text, image")
    return ", ".join(modality_name(m) for m in inputs)


def _price(pricing: Mapping[str, str], keys: tuple[str, ...]) -> Decimal | None:
    # decimal loads with the first price shown, not with the window.
    from decimal import Decimal, InvalidOperation

    for key in keys:
        raw = pricing.get(key)
        if raw is None:
            continue
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            return None
    return None


def pricing_text(details: ModelDetails) -> str:
    """Prices per million tokens, or 'Free' when both are zero; '' when unknown."""
    prompt = _price(details.pricing, _INPUT_PRICE_KEYS)
    completion = _price(details.pricing, _OUTPUT_PRICE_KEYS)
    if prompt is None and completion is None:
        return ""
    if (prompt or 0) == 0 and (completion or 0) == 0:
        return _tr("Free")
    from decimal import Decimal

    million = Decimal(1_000_000)

    def per_million(value: Decimal | None) -> str:
        return "?" if value is None else f"${_compact(float(value * million))}"

    return _tr("{inp} in / {out} out per 1M tokens").format(
        inp=per_million(prompt), out=per_million(completion)
    )


def summary_text(details: ModelDetails) -> str:
    parts = []
    if details.context_length:
        parts.append(context_text(details.context_length))
    modalities = modalities_text(details)
    if modalities:
        parts.append(modalities)
    price = pricing_text(details)
    if price:
        parts.append(price)
    return " · ".join(parts)
