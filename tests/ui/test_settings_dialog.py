from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from longcat_desktop.ui.params_form import ParamValues
from longcat_desktop.ui.settings_dialog import SettingsDialog
from longcat_desktop.ui.settings_values import SettingsValues

SAMPLE = SettingsValues(
    base_url="https://gateway.example/v1",
    api_format="anthropic",
    proxy_mode="url",
    proxy_url="http://proxy.example:3128",
    default_model="LongCat-Flash-Thinking",
    defaults=ParamValues("Be brief.", 0.3, 0.9, 8192, True),
    theme="dark",
    language="zh_CN",
    font_size=13,
    model_titles=False,
)


def make(qtbot: QtBot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    return dialog


def test_values_round_trip(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.load(SAMPLE)
    assert dialog.values() == SAMPLE
    dialog.load(SettingsValues())
    assert dialog.values() == SettingsValues()


def test_language_names_are_in_their_own_language(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    names = [dialog.language_combo.itemText(i) for i in range(dialog.language_combo.count())]
    assert names == ["English", "简体中文"]


@pytest.mark.parametrize(
    ("url", "warn"),
    [
        ("http://example.com", True),
        ("http://10.0.0.5:8000", True),
        ("https://example.com", False),
        ("http://localhost:8000", False),
        ("http://127.0.0.2:9", False),
        ("http://[::1]:8080/v1", False),
    ],
)
def test_plain_http_warning(qtbot: QtBot, url: str, warn: bool) -> None:
    dialog = make(qtbot)
    dialog.base_url.setText(url)
    assert dialog.url_warning.isHidden() is not warn


def test_key_is_never_in_values_and_is_cleared_after_apply(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.load(SAMPLE)
    dialog.key_edit.setText("ak-very-secret")
    assert "ak-very-secret" not in repr(dialog.values())
    keys: list[str] = []
    applied: list[SettingsValues] = []
    dialog.keySaved.connect(keys.append)
    dialog.settingsApplied.connect(applied.append)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert keys == ["ak-very-secret"]
    assert len(applied) == 1
    assert "ak-very-secret" not in repr(applied[0])
    assert dialog.key_edit.text() == ""


def test_unchanged_key_is_not_saved(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.load(SAMPLE)
    with qtbot.assertNotEmitted(dialog.keySaved), qtbot.waitSignal(dialog.settingsApplied):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_cancel_forgets_a_typed_key(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.open()
    dialog.key_edit.setText("typed")
    with qtbot.assertNotEmitted(dialog.keySaved):
        dialog.reject()
    assert dialog.key_edit.text() == ""


def test_connection_test_round_trip(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.load(SAMPLE)
    dialog.key_edit.setText("ak-new")
    with qtbot.waitSignal(dialog.testConnectionRequested) as blocker:
        dialog.test_button.click()
    assert blocker.args == ["ak-new", "https://gateway.example/v1", "anthropic"]
    assert not dialog.test_button.isEnabled()
    dialog.show_test_result(False, "Invalid API key (HTTP 401)")
    assert dialog.test_button.isEnabled()
    assert dialog.test_result.text() == "Invalid API key (HTTP 401)"


def test_models_feed_the_editable_combo(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.load(SAMPLE)
    dialog.set_models(["LongCat-Flash-Chat", "LongCat-Flash-Thinking"])
    assert dialog.model_combo.count() == 2
    assert dialog.values().default_model == "LongCat-Flash-Thinking"
    dialog.model_combo.setCurrentText("my-custom-model")
    assert dialog.values().default_model == "my-custom-model"


def test_proxy_url_only_enabled_for_url_mode(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.load(SettingsValues(proxy_mode="none"))
    assert not dialog.proxy_url.isEnabled()
    dialog.load(SAMPLE)
    assert dialog.proxy_url.isEnabled()
