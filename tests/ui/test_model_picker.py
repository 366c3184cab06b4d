from __future__ import annotations

from pytestqt.qtbot import QtBot

from longcat_desktop.domain.models import ModelDetails
from longcat_desktop.ui.model_info_format import context_text, pricing_text
from longcat_desktop.ui.model_picker import ModelPicker
from longcat_desktop.ui.params_form import ParamValues
from longcat_desktop.ui.params_panel import ParamsPanel


def make(qtbot: QtBot) -> ModelPicker:
    picker = ModelPicker()
    qtbot.addWidget(picker)
    picker.show()
    return picker


def test_fallback_note_is_visible(qtbot: QtBot) -> None:
    picker = make(qtbot)
    picker.set_models(["LongCat-Flash-Chat"], "LongCat-Flash-Chat", picker.fallback_note())
    assert not picker.note_label.isHidden()
    assert "built-in" in picker.note()
    picker.set_models(["LongCat-Flash-Chat"], "LongCat-Flash-Chat", None)
    assert picker.note_label.isHidden()


def test_missing_default_note_names_the_model(qtbot: QtBot) -> None:
    picker = make(qtbot)
    note = picker.missing_default_note("LongCat-2.0-Preview")
    picker.set_models(["A", "B"], "LongCat-2.0-Preview", note)
    assert picker.current_model() == "A"
    assert "LongCat-2.0-Preview" in picker.note()


def test_only_user_choices_emit(qtbot: QtBot) -> None:
    picker = make(qtbot)
    with qtbot.assertNotEmitted(picker.modelChosen):
        picker.set_models(["A", "B"], "B")
    with qtbot.waitSignal(picker.modelChosen) as blocker:
        picker.combo.activated.emit(0)
    assert blocker.args == ["A"]


def test_details_summary(qtbot: QtBot) -> None:
    picker = make(qtbot)
    picker.set_details(
        ModelDetails(
            "A",
            context_length=1_000_000,
            input_modalities=("text", "image"),
            pricing={"prompt": "0", "completion": "0"},
        )
    )
    assert picker.info_label.text() == "1M context · Text + Image · Free"
    picker.set_details(None)
    assert picker.info_label.isHidden()


def test_formatting_helpers() -> None:
    assert context_text(131072) == "128K context"
    assert context_text(32000) == "32K context"
    assert pricing_text(ModelDetails("x")) == ""
    details = ModelDetails("x", pricing={"prompt": "0.000001", "completion": "0.000004"})
    assert pricing_text(details) == "$1 in / $4 out per 1M tokens"


def test_params_panel_round_trip_and_limit(qtbot: QtBot) -> None:
    panel = ParamsPanel()
    qtbot.addWidget(panel)
    values = ParamValues("sys", 0.5, None, 2048, False)
    with qtbot.assertNotEmitted(panel.changed):
        panel.load(values)
    assert panel.values() == values
    panel.set_max_tokens_limit(1024)
    assert panel.form.max_tokens.maximum() == 1024
    with qtbot.waitSignal(panel.changed) as blocker:
        panel.form.temperature.setValue(0.8)
    assert blocker.args[0].temperature == 0.8
    panel.show_popup()
    assert panel.popup.isVisible()
    panel.popup.hide()


def test_a_note_naming_a_model_shows_the_name_as_typed(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.test_plain_text import displayed

    picker = make(qtbot)
    name = "<b>Long</b>Cat<img src=x>"
    note = picker.missing_default_note(name)
    picker.set_models([name], name, note)
    assert picker.note_label.textFormat() == Qt.TextFormat.PlainText
    assert name in picker.note()
    assert displayed(picker.note_label.toolTip()) == note
    assert picker.combo.itemText(0) == name
