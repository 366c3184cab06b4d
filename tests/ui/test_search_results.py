from __future__ import annotations

from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.ids import ConversationId as CID
from longcat_desktop.domain.ids import MessageId as MID
from longcat_desktop.ui.search_results import (
    SearchHit,
    SearchResultsModel,
    SearchResultsView,
    snippet_to_html,
)


def test_matches_are_highlighted_and_the_rest_escaped() -> None:
    html = snippet_to_html("use <b>\x02open\x03</b> & close", "#ff0")
    assert "&lt;b&gt;" in html
    assert "&amp;" in html
    assert '<b style="background-color:#ff0">open</b>' in html
    document = QTextDocument()
    document.setHtml(html)
    assert document.toPlainText() == "use <b>open</b> & close"


def test_unbalanced_markers_are_harmless() -> None:
    document = QTextDocument()
    document.setHtml(snippet_to_html("a \x03b \x02c", "#ff0"))
    assert document.toPlainText() == "a b c"


def test_activation_gives_conversation_and_message(qtbot: QtBot) -> None:
    model = SearchResultsModel()
    view = SearchResultsView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.show()
    model.set_hits(
        [SearchHit(CID(3), MID(10), "Files", "\x02open\x03 it"), SearchHit(CID(4), None, "Title")]
    )
    assert model.rowCount() == 2
    assert model.index(0).data(0) == "Files"
    with qtbot.waitSignal(view.resultActivated) as blocker:
        view.activated.emit(model.index(0))
    assert blocker.args == [3, 10]
    with qtbot.waitSignal(view.resultActivated) as blocker:
        view.clicked.emit(model.index(1))
    assert blocker.args == [4, None]
    view.grab()  # paints the delegate
