"""Server-Sent Events decoded from bytes, incrementally, following the WHATWG rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SseEvent:
    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None
