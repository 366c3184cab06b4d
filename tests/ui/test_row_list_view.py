"""Hover and selection as the list delegates see them, with plain mouse tracking."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QPoint
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.ids import ConversationId as CID
from longcat_desktop.ui.conversation_list import (
    ConversationListModel,
    ConversationListView,
    ConversationRow,
)
from longcat_desktop.ui.row_list_view import RowListView
from longcat_desktop.ui.search_results import SearchHit, SearchResultsModel, SearchResultsView
from longcat_desktop.ui.theme import apply_theme


def _shown(qtbot: QtBot, view: RowListView, model: QAbstractItemModel) -> None:
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(280, 400)
    view.show()
    qtbot.waitExposed(view)


def _conversations(qtbot: QtBot) -> ConversationListView:
    model = ConversationListModel()
    model.set_rows([ConversationRow(CID(i), f"Chat {i}") for i in range(5)])
    view = ConversationListView()
    _shown(qtbot, view, model)
    return view


def _centre(view: RowListView, row: int) -> QPoint:
    return view.visualRect(view.model().index(row, 0)).center()


def _leave(view: RowListView) -> None:
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.Leave))


def test_the_row_under_the_pointer_is_hovered(qtbot: QtBot) -> None:
    view = _conversations(qtbot)
    model = view.model()
    QTest.mouseMove(view.viewport(), _centre(view, 1))
    qtbot.waitUntil(lambda: view.is_hovered(model.index(1, 0)))
    assert not view.is_hovered(model.index(2, 0))
    QTest.mouseMove(view.viewport(), _centre(view, 2))
    qtbot.waitUntil(lambda: view.is_hovered(model.index(2, 0)))
    assert not view.is_hovered(model.index(1, 0))
    _leave(view)
    assert not view.hovered_index().isValid()
    assert not view.is_hovered(model.index(2, 0))


def test_a_hovered_row_is_painted_highlighted(qtbot: QtBot, qapp: QApplication) -> None:
    theme = apply_theme(qapp, "light")
    view = _conversations(qtbot)
    point = _centre(view, 3)
    probe = QPoint(view.visualRect(view.model().index(3, 0)).left() + 12, point.y())

    def colour_at_probe() -> QColor:
        return view.viewport().grab().toImage().pixelColor(probe)

    before = colour_at_probe()
    assert before != QColor(theme.hover)
    QTest.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: colour_at_probe() == QColor(theme.hover))
    _leave(view)
    qtbot.waitUntil(lambda: colour_at_probe() == before)


def test_selection_comes_from_the_selection_model(qtbot: QtBot) -> None:
    view = _conversations(qtbot)
    index = view.model().index(4, 0)
    assert not view.is_selected(index)
    view.setCurrentIndex(index)
    assert view.is_selected(index)


def test_search_results_track_hover_too(qtbot: QtBot) -> None:
    model = SearchResultsModel()
    model.set_hits([SearchHit(CID(i), None, f"Chat {i}", "a \x02match\x03 here") for i in range(3)])
    view = SearchResultsView()
    _shown(qtbot, view, model)
    QTest.mouseMove(view.viewport(), _centre(view, 1))
    qtbot.waitUntil(lambda: view.is_hovered(model.index(1, 0)))
    _leave(view)
    assert not view.is_hovered(model.index(1, 0))
