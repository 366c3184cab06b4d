"""The sentences the layers without Qt write: templates and how they are filled in."""

from __future__ import annotations

import re

import pytest

from longcat_desktop.domain import user_texts
from longcat_desktop.domain.user_texts import TEMPLATES, fill


def test_fill_puts_values_in_their_places() -> None:
    assert fill("Could not connect to %1: %2", "http://h:9", "refused") == (
        "Could not connect to http://h:9: refused"
    )
    assert fill("%1 then %10", *[str(n) for n in range(1, 11)]) == "1 then 10"
    assert fill("no values") == "no values"


def test_every_sentence_constant_is_a_template() -> None:
    constants = {
        value
        for name, value in vars(user_texts).items()
        if name.isupper() and name not in ("CONTEXT", "TEMPLATES")
    }
    assert set(TEMPLATES) == constants
    assert len(set(TEMPLATES)) == len(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
def test_placeholders_come_in_order(template: str) -> None:
    # The services take values back out in the order they appear.
    numbers = [int(n) for n in re.findall(r"%(\d+)", template)]
    assert numbers == list(range(1, len(numbers) + 1))
