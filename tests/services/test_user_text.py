"""Sentences handed up by the client and the store as a template and values, shown in the
interface's language; the server's own words shown as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.domain.errors import ApiConnectionError, AuthenticationError
from longcat_desktop.domain.user_texts import CONTEXT, TEMPLATES, UserText, fill
from longcat_desktop.i18n import Translations
from longcat_desktop.services.i18n import translate
from longcat_desktop.services.user_text import localized, said, store_error_text
from longcat_desktop.store import Store
from longcat_desktop.store.errors import AlreadyRunningError, DiskFullError, NewerDatabaseError
from longcat_desktop.ui.message_mapping import message_view
from tests.store.helpers import SETTINGS


def _values(template: str) -> list[str]:
    count = len(set(re.findall(r"%\d+", template)))
    # Realistic values: paths with spaces, addresses with ports, system errors with parentheses.
    samples = ["/home/ann/My data", "http://127.0.0.1:9", "[Errno 111] Connection refused (x): y"]
    return [samples[n % len(samples)] + f" #{n}" for n in range(count)]


@pytest.mark.parametrize("template", TEMPLATES)
def test_in_english_a_sentence_is_shown_as_written(qapp: QApplication, template: str) -> None:
    sentence = UserText(template)(*_values(template))
    assert localized(sentence) == str(sentence)


@pytest.mark.parametrize("template", TEMPLATES)
def test_in_chinese_each_sentence_is_translated_with_its_values(
    chinese: Translations, template: str
) -> None:
    values = _values(template)
    shown = localized(UserText(template)(*values))
    assert shown == fill(translate(CONTEXT, template), *values)
    assert shown != fill(template, *values)
    for value in values:
        assert value in shown


def test_errors_of_the_store_read_in_chinese(chinese: Translations) -> None:
    assert store_error_text(DiskFullError()).startswith("磁盘已满")
    newer = store_error_text(NewerDatabaseError(Path("/data/longcat.db"), 7, 3))
    assert "/data/longcat.db" in newer
    assert "LongCat Desktop" in newer
    running = store_error_text(AlreadyRunningError(Path("/data"), 1234))
    assert "1234" in running
    assert "/data" in running


def test_errors_of_the_client_read_in_chinese_and_the_servers_words_stay(
    chinese: Translations,
) -> None:
    ours = ApiConnectionError(texts.CONNECT_FAILED("http://127.0.0.1:9", "refused"))
    shown = localized(said(ours))
    assert shown == fill(
        translate(CONTEXT, texts.CONNECT_FAILED.template), "http://127.0.0.1:9", "refused"
    )
    assert "http://127.0.0.1:9" in shown
    assert shown != ours.message
    theirs = AuthenticationError("Incorrect API key provided: lc-****.", status=401)
    assert localized(said(theirs)) == "Incorrect API key provided: lc-****."


def test_english_text_is_never_matched_back_to_a_sentence(chinese: Translations) -> None:
    # Only the key and values say a text is ours: a server repeating our words is not.
    english = str(texts.NETWORK_TIMED_OUT)
    assert localized(english) == english
    assert localized(said(ErrorDetails.of(english))) == english
    assert localized("") == ""


def test_a_stored_error_follows_the_language_of_the_day(qapp: QApplication, tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        conversation = store.conversations.create(SETTINGS)
        user = store.messages.add_user_message(conversation.id, None, "Hi")
        answer = store.messages.start_assistant_message(
            conversation.id, user.id, model="m", api_format=ApiFormat.OPENAI
        )
        error = ErrorDetails.of(texts.SENT_NOTHING_FOR("120"), type="connection_error")
        store.writer(answer.id).finish(MessageStatus.ERROR, error=error)
        stored = store.messages.get(answer.id)

    assert message_view(stored).error_message == "The server sent nothing for 120 seconds."
    translations = Translations(qapp)
    assert translations.apply("zh_CN")
    try:
        in_chinese = message_view(stored).error_message
        expected = fill(translate(CONTEXT, texts.SENT_NOTHING_FOR.template), "120")
    finally:
        translations.close()
    assert in_chinese == expected
    assert in_chinese != "The server sent nothing for 120 seconds."
    assert "120" in in_chinese
    assert message_view(stored).error_message == "The server sent nothing for 120 seconds."
