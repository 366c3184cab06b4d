from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.models import ModelDetails
from longcat_desktop.ui.model_info_format import context_text, pricing_text
from longcat_desktop.ui.model_picker import ModelPicker
from longcat_desktop.ui.params_form import ParamValues
from longcat_desktop.ui.params_panel import ParamsPanel
from longcat_desktop.ui.theme import current_theme


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
    assert picker.info_label.text() == "1M context · Text, image · Free"
    picker.set_details(None)
    assert picker.info_label.isHidden()


GENERAL = ModelDetails("LongCat-2.0", context_length=1_048_576, input_modalities=("text",))
VISION = ModelDetails("LongCat-2.5-Preview", input_modalities=("text", "image"))
NOTE = "The model list could not be fetched (Cannot reach the server); showing built-in models."


def listed(qtbot: QtBot) -> ModelPicker:
    picker = make(qtbot)
    picker.set_models([GENERAL.id, VISION.id], GENERAL.id)
    picker.set_item_details(GENERAL.id, GENERAL)
    picker.set_item_details(VISION.id, VISION)
    return picker


def row_image(picker: ModelPicker, row: int) -> QImage:
    """One row of the open list, painted by its delegate."""
    view = picker.combo.view()
    index = view.model().index(row, 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    size = view.itemDelegate().sizeHint(option, index)
    option.rect = QRect(0, 0, size.width(), size.height())
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    view.itemDelegate().paint(painter, option, index)
    painter.end()
    return image


def accent_pixels(image: QImage) -> int:
    accent = QColor(current_theme().accent)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if _close(image.pixelColor(x, y), accent)
    )


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


def test_each_row_says_what_its_model_reads(qtbot: QtBot) -> None:
    picker = listed(qtbot)
    assert picker.item_modalities(GENERAL.id) == ["text"]
    assert picker.item_modalities(VISION.id) == ["text", "image"]
    combo = picker.combo
    assert combo.itemData(1, Qt.ItemDataRole.ToolTipRole) == "Reads: Text, image"
    assert combo.itemData(0, Qt.ItemDataRole.AccessibleDescriptionRole) == "Reads: Text"
    # The image badge is drawn in the accent colour, on the image model's row only.
    assert accent_pixels(row_image(picker, 1)) > 20
    assert accent_pixels(row_image(picker, 0)) == 0
    # The open list is wide enough for the name and its badges.
    widest = max(combo.view().sizeHintForColumn(0), 0)
    assert combo.view().minimumWidth() >= widest


def test_a_model_without_details_shows_no_badge(qtbot: QtBot) -> None:
    picker = listed(qtbot)
    picker.set_item_details(VISION.id, None)
    assert picker.item_modalities(VISION.id) == []
    assert picker.combo.itemData(1, Qt.ItemDataRole.ToolTipRole) is None
    # Unknown modalities are shown as the platform names them.
    picker.set_item_details(VISION.id, ModelDetails(VISION.id, input_modalities=("text", "pdf")))
    assert picker.combo.itemData(1, Qt.ItemDataRole.ToolTipRole) == "Reads: Text, pdf"


def test_a_long_note_gives_way_in_a_narrow_window(qtbot: QtBot) -> None:
    picker = make(qtbot)
    picker.set_models([GENERAL.id], GENERAL.id, NOTE)
    picker.set_details(GENERAL)
    picker.resize(picker.minimumSizeHint().width() + 120, 40)
    qtbot.waitUntil(lambda: picker.note_label.width() > 0)
    label = picker.note_label
    assert label.is_elided()
    assert label.shown_text().endswith("…")
    # Whole, in the tooltips of the text and of its icon; the details give way first.
    assert NOTE in label.toolTip()
    assert NOTE in picker.note_icon.toolTip()
    assert picker.info_label.isHidden()
    # Nothing overlaps: the list, the icon and the note side by side.
    assert picker.combo.geometry().right() < picker.note_icon.geometry().left()
    assert picker.note_icon.geometry().right() < label.geometry().left()
    assert label.geometry().right() <= picker.width()
    picker.resize(picker.sizeHint().width() + 400, 40)
    qtbot.waitUntil(lambda: not picker.info_label.isHidden())
    assert not label.is_elided()


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


def test_a_model_name_from_the_server_is_never_read_as_markup(qtbot: QtBot) -> None:
    picker = make(qtbot)
    name = '<img src="file:///etc/hostname">List<String>'
    picker.set_models([name], name)
    picker.set_details(ModelDetails(name, name=name, input_modalities=("text",)))
    assert "<img" not in picker.combo.toolTip()
    assert '&lt;img src="file:///etc/hostname"&gt;List&lt;String&gt;' in picker.combo.toolTip()
    assert "<img" not in picker.info_label.toolTip()
    assert picker.info_label.textFormat() == Qt.TextFormat.PlainText


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
