"""The Chinese catalogue covers every string in the sources, and the app loads it.

When a test here fails after a change to a user-visible string, run
`python packaging/update_translations.py`, translate what it lists in
resources/translations/longcat_desktop_zh_CN.ts (Qt Linguist: `pyside6-linguist`), and run it
again to compile the .qm.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from longcat_desktop import i18n
from longcat_desktop.i18n import Translations, resolve_language
from tests.packaging.tools import load

tools = load("update_translations")
LANGUAGE = "zh_CN"

# English words and the Chinese term every translation of them must use.
GLOSSARY = {
    r"\bconversations?\b": "会话",
    r"\bsettings\b": "设置",
    r"\bmodels?\b": "模型",
    r"\bkey\b": "密钥",
    r"\bkeyring\b": "密钥环",
    r"\b(thinking|thoughts?|reasoning)\b": "思考",
    r"\bretry\b": "重试",
    r"^continue$": "继续",
    r"^stop\b": "停止",
    r"\bexport(ed)?\b": "导出",
    r"\bsystem prompt\b": "系统提示词",
    r"\bproxy\b": "代理",
}
# Where the term reads badly and the context says it already: (context, source).
GLOSSARY_EXCEPTIONS = {
    ("ConnectionTester", "no models"),  # "可用模型：无"
    ("UserText", "The archive holds no conversations.json."),  # a file name, not the word
}
# Translations that may stay as they are: names, key names and file formats.
SAME_IN_CHINESE = {"LongCat", "Top P", "Ctrl+Enter", "Esc", "HTML…", "JSON…", "Markdown…"}


@pytest.fixture(scope="module")
def catalogue() -> dict[Any, Any]:
    return dict(tools.read_ts(tools.ts_path(LANGUAGE)))


def test_every_translatable_call_has_literal_text() -> None:
    """Text built at run time (f-strings, concatenation) cannot be found by lupdate."""
    _messages, problems = tools.scan_sources()
    assert not problems, "\n".join(str(problem) for problem in problems)


def test_every_source_string_has_a_finished_chinese_translation() -> None:
    missing = tools.untranslated(LANGUAGE)
    assert not missing, "untranslated (run packaging/update_translations.py):\n" + "\n".join(
        f"  [{m.context}] {m.source!r}" for m in missing
    )


def test_the_catalogue_holds_no_strings_the_sources_dropped() -> None:
    assert tools.stale(LANGUAGE) == []


def test_placeholders_and_markup_survive_translation() -> None:
    assert tools.marker_mismatches(LANGUAGE) == []


def test_the_compiled_catalogue_is_in_sync_with_its_source(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    tools.run_lrelease(tools.ts_path(LANGUAGE), fresh)
    committed = tools.qm_path(LANGUAGE)
    assert committed == i18n.catalogue_path(LANGUAGE)
    assert committed.read_bytes() == fresh.read_bytes(), (
        "the .qm is older than the .ts: run packaging/update_translations.py"
    )


def test_translations_use_the_agreed_terms(catalogue: dict[Any, Any]) -> None:
    wrong = []
    for message, translation in catalogue.items():
        if (message.context, message.source) in GLOSSARY_EXCEPTIONS:
            continue
        words = re.sub(r"\{[^{}]*\}", "", message.source)  # not the names of placeholders
        for pattern, term in GLOSSARY.items():
            if re.search(pattern, words, re.IGNORECASE) and term not in translation.text:
                wrong.append(f"{message.source!r} -> {translation.text!r} lacks {term}")
    assert not wrong, "\n".join(wrong)


def test_translations_are_chinese(catalogue: dict[Any, Any]) -> None:
    """No English left over where Chinese belongs."""
    untouched = [
        message.source
        for message, translation in catalogue.items()
        if translation.text == message.source and message.source not in SAME_IN_CHINESE
    ]
    assert not untouched
    english_words = [
        translation.text
        for translation in catalogue.values()
        if re.search(r"\b(the|and|of|to|is|your)\b", translation.text)
    ]
    assert not english_words


# -- loading at run time ------------------------------------------------------------------------


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    loaded = Translations(qapp)
    try:
        yield loaded
    finally:
        loaded.close()


def test_chinese_is_installed_and_removed(translations: Translations) -> None:
    assert QCoreApplication.translate("SettingsDialog", "Settings") == "Settings"
    assert translations.apply("zh_CN") is True
    assert QCoreApplication.translate("SettingsDialog", "Settings") == "设置"
    assert QCoreApplication.translate("Application", "The data folder %1 cannot be used: %2.") == (
        "无法使用数据文件夹 %1：%2。"
    )
    assert QLocale().language() == QLocale.Language.Chinese
    assert translations.apply("zh_CN") is False
    assert translations.apply("en") is True
    assert QCoreApplication.translate("SettingsDialog", "Settings") == "Settings"
    assert translations.installed_files == []


def test_qt_own_dialog_buttons_are_translated_too(translations: Translations) -> None:
    if i18n.qt_catalogue_path("zh_CN") is None:
        pytest.skip("this PySide6 has no qtbase_zh_CN.qm")
    translations.apply("zh_CN")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert any(Path(p).name == "qtbase_zh_CN.qm" for p in translations.installed_files)


def test_a_missing_catalogue_leaves_the_app_in_english(
    translations: Translations, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    assert translations.apply("zh_CN") is False
    assert translations.language == "en"
    assert QCoreApplication.translate("SettingsDialog", "Settings") == "Settings"


def test_close_restores_the_locale(qapp: QApplication) -> None:
    before = QLocale().name()
    translations = Translations(qapp)
    translations.apply("zh_CN")
    translations.close()
    assert QLocale().name() == before


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("en", "zh_CN", "en"),
        ("zh_CN", "en_US", "zh_CN"),
        ("system", "zh_CN", "zh_CN"),
        ("system", "zh_TW", "zh_CN"),
        ("system", "en_GB", "en"),
        ("system", "de_DE", "en"),
        ("system", "C", "en"),
    ],
)
def test_the_language_setting_resolves_to_a_shipped_language(
    setting: str, system: str, expected: str
) -> None:
    assert resolve_language(setting, QLocale(system)) == expected


def test_the_system_default_follows_the_locale() -> None:
    system = QLocale.system()
    assert resolve_language("system") == resolve_language("system", system)


def test_every_shipped_language_has_a_catalogue() -> None:
    for language in i18n.LANGUAGES:
        if language != i18n.ENGLISH:
            assert i18n.catalogue_path(language).is_file()
