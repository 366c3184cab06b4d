"""Sentences written in English by the client and the store, shown in the interface's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from longcat_desktop.domain.user_texts import CONTEXT, TEMPLATES, fill
from longcat_desktop.i18n import Translations
from longcat_desktop.services.i18n import translate
from longcat_desktop.services.user_text import localized
from longcat_desktop.store.errors import AlreadyRunningError, DiskFullError, NewerDatabaseError


def _values(template: str) -> list[str]:
    count = len(re.findall(r"%\d+", template))
    # Realistic values: paths with spaces, addresses with ports, system errors with parentheses.
    samples = ["/home/ann/My data", "http://127.0.0.1:9", "[Errno 111] Connection refused (x): y"]
    return [samples[n % len(samples)] + f" #{n}" for n in range(count)]


@pytest.mark.parametrize("template", TEMPLATES)
def test_in_english_a_sentence_is_shown_as_written(qapp: QApplication, template: str) -> None:
    text = fill(template, *_values(template))
    assert localized(text) == text


@pytest.mark.parametrize("template", TEMPLATES)
def test_in_chinese_each_sentence_is_translated_with_its_values(
    chinese: Translations, template: str
) -> None:
    values = _values(template)
    shown = localized(fill(template, *values))
    assert shown == fill(translate(CONTEXT, template), *values)
    assert shown != fill(template, *values)
    for value in values:
        assert value in shown


def test_errors_of_the_store_read_in_chinese(chinese: Translations) -> None:
    assert localized(str(DiskFullError())).startswith("磁盘已满")
    newer = localized(str(NewerDatabaseError(Path("/data/longcat.db"), 7, 3)))
    assert "/data/longcat.db" in newer
    assert "LongCat Desktop" in newer
    running = localized(str(AlreadyRunningError(Path("/data"), 1234)))
    assert "1234" in running
    assert "/data" in running


def test_other_text_is_left_alone(chinese: Translations) -> None:
    server_says = "Incorrect API key provided: lc-****."
    assert localized(server_says) == server_says
    assert localized("") == ""
