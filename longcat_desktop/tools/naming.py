"""The names the model sees for tools gathered from several servers, and the way back.

Models accept tool names matching `^[a-zA-Z0-9_-]{1,64}$`, and the names must be unique in a
request. A tool keeps its own name whenever that works: users read these names in the
approval card, and a model prompted with "use get_current_time" should find it. Two servers
offering the same name get a short server prefix each; a name the model could not accept is
cleaned. The map back is exact, so a call never reaches the wrong tool ("tool unavailable"
when the shown and called names differ is a common complaint about other clients).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

VALID_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
MAX_NAME = 64
_INVALID = re.compile(r"[^a-zA-Z0-9_-]+")


@dataclass(frozen=True, slots=True)
class ToolRef:
    server: str
    tool: str


def _clean(text: str) -> str:
    return _INVALID.sub("_", text).strip("_") or "tool"


def _prefixed(server: str, tool: str) -> str:
    prefix = _clean(server)[:20]
    return f"{prefix}__{_clean(tool)}"[:MAX_NAME]


def model_names(tools: Iterable[ToolRef]) -> dict[str, ToolRef]:
    """A unique, valid model-facing name for every tool, in the order given."""
    listed = list(dict.fromkeys(tools))
    counts = Counter(ref.tool for ref in listed)
    names: dict[str, ToolRef] = {}
    for ref in listed:
        if counts[ref.tool] == 1 and VALID_NAME.match(ref.tool):
            wanted = ref.tool
        elif counts[ref.tool] == 1:
            wanted = _clean(ref.tool)[:MAX_NAME]
        else:
            wanted = _prefixed(ref.server, ref.tool)
        name, number = wanted, 2
        while name in names:
            suffix = f"_{number}"
            name = wanted[: MAX_NAME - len(suffix)] + suffix
            number += 1
        names[name] = ref
    return names
