"""Copying text with formulas: a selection copies their TeX, "Copy" the answer's Markdown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from pytestqt.qtbot import QtBot

from longcat_desktop.render.document import StreamingDocument
from longcat_desktop.render.theme import LIGHT_THEME
from longcat_desktop.ui.auto_text import AutoHeightBrowser
from tests.ui.app_fixture import RunningApp
from tests.ui.test_main_window_keys import answered

ANSWER = "Roots of $ax^2+bx+c=0$:\n\n\\[ x = \\frac{-b}{2a} \\]\n\nDone, for \\(a \\ne 0\\)."


def browser_with(qtbot: QtBot, text: str) -> tuple[AutoHeightBrowser, StreamingDocument]:
    document = StreamingDocument(LIGHT_THEME)
    document.set_text(text)
    view = AutoHeightBrowser(document.document)
    qtbot.addWidget(view)
    return view, document


def copied(view: AutoHeightBrowser) -> str:
    return view.createMimeDataFromSelection().text()


def test_selecting_everything_copies_the_formulas_tex(qtbot: QtBot) -> None:
    view, _document = browser_with(qtbot, ANSWER)
    view.selectAll()
    assert copied(view) == "Roots of $ax^2+bx+c=0$:\n$$x = \\frac{-b}{2a}$$\nDone, for $a \\ne 0$."


def test_a_partial_selection_copies_the_formulas_inside_it(qtbot: QtBot) -> None:
    view, document = browser_with(qtbot, "Then $y=2$ and $z=3$ follow.")
    cursor = QTextCursor(document.document)
    cursor.setPosition(len("Then "))
    cursor.setPosition(len("Then ") + len("\ufffc and "), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert copied(view) == "$y=2$ and "


def test_a_selection_without_formulas_copies_as_before(qtbot: QtBot) -> None:
    view, _document = browser_with(qtbot, "Plain **bold** text")
    view.selectAll()
    mime = view.createMimeDataFromSelection()
    assert mime.text() == "Plain bold text"
    assert mime.hasHtml()


def test_copy_on_an_answer_copies_its_markdown(running_app: RunningApp) -> None:
    app = running_app
    answered(app, "Solve it", ANSWER)
    QGuiApplication.clipboard().setText("something else")
    app.key(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == ANSWER
