"""Folders, assistants and saved prompts: what the user organises conversations with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from longcat_desktop.domain.chat import ApiFormat

# The sections of the sidebar's list, in order: the pinned conversations (from every folder),
# then each folder's header and its other conversations, then those in no folder. A section
# that is an int is a folder's id.
PINNED = "pinned"
LOOSE = "loose"
Section = int | str


class FolderSummary(NamedTuple):
    """One folder as the sidebar shows it: a header with its count."""

    id: int
    name: str
    total: int
    collapsed: bool


@dataclass(frozen=True, slots=True)
class Assistant:
    """A named preset a new conversation starts from.

    Empty `model` or `api_format` None: the app's defaults at the time. `builtin` names one of
    the assistants that come with the app; their text is shown translated until edited.
    """

    id: int
    uuid: str
    name: str
    system_prompt: str = ""
    model: str = ""
    api_format: ApiFormat | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    thinking: bool | None = None
    # The tools a conversation started from it uses, in the form a conversation stores its own
    # choice (JSON of servers and tools turned on or off); None: as in Settings.
    tools: str | None = None
    is_default: bool = False
    builtin: str | None = None
    last_used_at: float | None = None


@dataclass(frozen=True, slots=True)
class Prompt:
    id: int
    uuid: str
    name: str
    body: str


_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}")


def placeholder_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Where `{{name}}` placeholders are in `text`, from `start` on, as (start, end)."""
    return [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text, start)]
