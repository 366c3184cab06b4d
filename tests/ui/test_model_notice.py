from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from longcat_desktop.ui.model_notice import UnservedModelNotice


@pytest.fixture
def notice(qtbot: QtBot) -> Iterator[UnservedModelNotice]:
    page = QWidget()  # the notice lives in the chat page, shown with it
    qtbot.addWidget(page)
    shown = UnservedModelNotice(page)
    page.show()
    yield shown
    page.close()


def test_hidden_until_a_replacement_is_offered(qtbot: QtBot, notice: UnservedModelNotice) -> None:
    assert notice.isHidden()
    notice.show_for("LongCat-Flash-Chat", "LongCat-2.0")
    assert not notice.isHidden()
    assert "LongCat-Flash-Chat" in notice.label.text()
    assert "LongCat-2.0" in notice.label.text()
    assert notice.switch_button.text() == "Switch to LongCat-2.0"
    notice.show_for("LongCat-Flash-Chat", None)
    assert notice.isHidden()
    assert notice.replacement() == ""


def test_the_button_asks_for_the_replacement(qtbot: QtBot, notice: UnservedModelNotice) -> None:
    notice.show_for("LongCat-Flash-Chat", "LongCat-2.5-Preview")
    with qtbot.waitSignal(notice.switchRequested) as blocker:
        QTest.mouseClick(notice.switch_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["LongCat-2.5-Preview"]


def test_model_names_are_shown_as_plain_text(qtbot: QtBot, notice: UnservedModelNotice) -> None:
    old = '<img src="file:///etc/passwd">List<String> %2'
    notice.show_for(old, "A&B")
    assert notice.label.textFormat() == Qt.TextFormat.PlainText
    # Each name exactly once, as given: not read as markup, not filled in twice.
    assert notice.label.text().count(old) == 1
    assert notice.label.text().count("A&B") == 1
    # "&" would otherwise become a shortcut marker and vanish from the button.
    assert notice.switch_button.text() == "Switch to A&&B"
