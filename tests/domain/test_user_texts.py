"""The sentences the layers without Qt write: templates, their keys, and how they are filled in."""

from __future__ import annotations

import re

import pytest

from longcat_desktop.domain import user_texts
from longcat_desktop.domain.errors import ApiConnectionError, ServerError
from longcat_desktop.domain.user_texts import (
    LEGACY_TEMPLATES,
    TEMPLATES,
    TEMPLATES_BY_KEY,
    UserText,
    fill,
    from_key,
    recognise,
)


def _values(template: str) -> list[str]:
    count = len(set(re.findall(r"%\d+", template)))
    # Realistic values: paths with spaces, addresses with ports, system errors with parentheses.
    samples = ["/home/ann/My data", "http://127.0.0.1:9", "[Errno 111] Connection refused (x): y"]
    return [samples[n % len(samples)] + f" #{n}" for n in range(count)]


def test_fill_puts_values_in_their_places() -> None:
    assert fill("Could not connect to %1: %2", "http://h:9", "refused") == (
        "Could not connect to http://h:9: refused"
    )
    assert fill("%1 then %10", *[str(n) for n in range(1, 11)]) == "1 then 10"
    assert fill("no values") == "no values"


def test_a_sentence_keeps_its_template_and_values_and_reads_as_english() -> None:
    said = user_texts.CONNECT_FAILED("http://h:9", 111)
    assert said == UserText("Could not connect to %1: %2", ("http://h:9", "111"))
    assert str(said) == "Could not connect to http://h:9: 111"
    assert said.key == "CONNECT_FAILED"
    assert str(user_texts.DISK_FULL).startswith("The disk is full")
    assert UserText("Not one of ours.").key is None


def test_an_error_keeps_the_sentence_and_its_english_message() -> None:
    said = user_texts.NO_ANSWER_WITHIN("120")
    error = ApiConnectionError(said)
    assert error.user_text == said
    assert error.message == "The server did not answer within 120 seconds."
    assert str(error) == error.message
    servers = ServerError("Overloaded, try later", status=529)
    assert servers.user_text is None
    assert servers.message == "Overloaded, try later"


def test_every_sentence_constant_is_a_declared_template() -> None:
    constants = {
        name: value for name, value in vars(user_texts).items() if isinstance(value, UserText)
    }
    assert set(TEMPLATES_BY_KEY) == set(constants)
    assert all(value.args == () for value in constants.values())
    assert {name: value.template for name, value in constants.items()} == TEMPLATES_BY_KEY
    assert len(set(TEMPLATES)) == len(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
def test_placeholders_come_in_order(template: str) -> None:
    numbers = [int(n) for n in re.findall(r"%(\d+)", template)]
    assert sorted(set(numbers)) == list(range(1, len(set(numbers)) + 1))
    # The first use of each placeholder comes in order, so values read back in order.
    assert list(dict.fromkeys(numbers)) == sorted(set(numbers))


@pytest.mark.parametrize("key", sorted(TEMPLATES_BY_KEY))
def test_a_stored_key_and_values_give_the_sentence_back(key: str) -> None:
    template = TEMPLATES_BY_KEY[key]
    values = _values(template)
    said = from_key(key, values)
    assert said == UserText(template, tuple(values))
    assert said is not None
    assert said.key == key


def test_an_unknown_key_or_wrong_values_give_nothing() -> None:
    assert from_key("A_KEY_FROM_A_NEWER_VERSION", []) is None
    assert from_key("CONNECT_FAILED", ["only one value"]) is None


@pytest.mark.parametrize("template", LEGACY_TEMPLATES)
def test_an_english_sentence_from_an_older_version_is_recognised(template: str) -> None:
    values = _values(template)
    assert recognise(fill(template, *values)) == UserText(template, tuple(values))


def test_other_english_is_not_recognised() -> None:
    assert recognise("Incorrect API key provided: lc-****.") is None
    assert recognise("") is None


def test_sentences_newer_than_keys_are_never_matched_back() -> None:
    """They were always stored with their key; English that looks like one is not ours."""
    newer = [t for t in TEMPLATES if t not in LEGACY_TEMPLATES]
    assert newer
    assert all(recognise(fill(t, *_values(t))) is None for t in newer if "%" in t)
