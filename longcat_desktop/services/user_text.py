"""The sentences of domain/user_texts.py, shown in the interface's language.

The client and the store write them in English. Here a filled-in sentence is matched back to
its template, the template translated and filled in again with the same values. Anything else
(a server's own explanation, a system error text) is shown as it is.
"""

from __future__ import annotations

import re
from functools import cache

from longcat_desktop.domain.user_texts import CONTEXT, TEMPLATES
from longcat_desktop.services.i18n import translate

_PLACEHOLDER = re.compile(r"%(\d+)")


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str], tuple[int, ...]], ...]:
    """Each template with a pattern that takes its filled-in values back out."""
    found = []
    for template in TEMPLATES:
        numbers = tuple(int(n) for n in _PLACEHOLDER.findall(template))
        parts = _PLACEHOLDER.split(template)
        # split() alternates literal text and placeholder numbers.
        pattern = "".join(
            re.escape(part) if index % 2 == 0 else "(.+?)" for index, part in enumerate(parts)
        )
        found.append((template, re.compile(pattern, re.DOTALL), numbers))
    return tuple(found)


def localized(text: str) -> str:
    """`text` in the interface's language, when it is one of our sentences."""
    if not text:
        return text
    for template, pattern, numbers in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values: dict[int, str] = {}
        for number, value in zip(numbers, match.groups(), strict=True):
            values.setdefault(number, value)
        return translate(CONTEXT, template, *(values[n] for n in sorted(values)))
    return text
