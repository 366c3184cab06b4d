"""Titles, model names, server messages and search hits show as typed, never as markup.

Each probe goes everywhere data shows in the real window (top bar, sidebar rows, search
results, model picker, answer header and error line, status bar, notices, the delete
confirmation); every label that holds it must display the same characters, and an image in it
must never make Qt read the file it names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip, QWidget

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.ui.conversation_list import ConversationListModel
from longcat_desktop.ui.plain_text import tooltip
from longcat_desktop.ui.search_results import SearchHit, SearchResultsModel
from tests.fakes.longcat_server import Scenario, model_details
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.file_watch import FileOpenWatch
from tests.ui.test_main_window import last_answer, picker_items, thread, widget

PROBES = [
    "List<String> in Java",
    '<img src="file:///etc/passwd">',
    "<b>bold</b>",
    "&amp;",
    "a &lt;b&gt; c",
    # A file this test owns, so that reading it is seen (see FileOpenWatch).
    '<img src="{image}">',
]


def displayed(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt shows for `text` in a label (or tooltip) of that format."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText().replace("\u2029", "\n")


def shown_label(label: QLabel) -> str:
    return displayed(label.text(), label.textFormat())


def labels_holding(text: str) -> list[QLabel]:
    return [w for w in QApplication.allWidgets() if isinstance(w, QLabel) and text in w.text()]


def show_tooltip(tip: str, where: QWidget) -> None:
    """Through QToolTip itself, the way a hover shows it (and loads what it names)."""
    QToolTip.showText(where.mapToGlobal(QPoint(4, 4)), tip, where)
    QApplication.processEvents()
    QToolTip.hideText()


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "probe.png"
    picture = QImage(40, 30, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    assert picture.save(str(path))
    return path


@pytest.mark.parametrize("template", PROBES)
def test_data_shows_as_typed_and_loads_no_file(
    app_factory: AppFactory, image: Path, template: str
) -> None:
    probe = template.format(image=QUrl.fromLocalFile(str(image)).toString())
    server = app_factory.server
    server.models = ["LongCat-2.0-Preview", probe]
    details = model_details(probe)
    details["architecture"]["input_modalities"] = ["text", probe]
    server.model_details[probe] = details
    with FileOpenWatch(image) as watch:
        app = app_factory()
        _exercise(app, probe)
        if watch.available:
            assert not watch.opened(), "Qt read the file an <img> in the data named"


def _exercise(app: RunningApp, probe: str) -> None:
    window = app.window
    cid = window.conversation_id
    assert cid is not None

    # The model picker: the server lists a model by that name, with details naming it too.
    picker = window.model_picker
    app.wait(lambda: probe in picker_items(app), "the server's model list")
    picker.combo.activated.emit(picker_items(app).index(probe))
    app.wait(lambda: picker.info_label.text() != "", "the model's details")
    assert picker.current_model() == probe
    assert f"Text, {probe} · " in shown_label(picker.info_label)
    assert displayed(picker.combo.toolTip()).startswith(probe + "\n")
    show_tooltip(picker.combo.toolTip(), picker.combo)
    row_tip = picker.combo.itemData(picker_items(app).index(probe), Qt.ItemDataRole.ToolTipRole)
    assert f"Reads: Text, {probe}" in displayed(row_tip)
    show_tooltip(row_tip, picker.combo)

    # An answer from that model, thinking in those words, then one the server refuses with them.
    app.server.push(
        Scenario(text=f"Answer {probe}", reasoning=f"Thinking {probe}", reasoning_mode="always")
    )
    app.type_and_send(f"needle {probe}")
    answered = last_answer(app).id
    app.wait(lambda: app.store.messages.get(answered).status is MessageStatus.COMPLETE, "answer")
    answer = widget(app, answered)
    assert answer.name_label is not None
    assert shown_label(answer.name_label) == probe
    app.wait(lambda: answer.stats_label.toolTip() != "", "the answer's figures")
    assert f"Model: {probe}" in displayed(answer.stats_label.toolTip())
    show_tooltip(answer.stats_label.toolTip(), answer.stats_label)
    assert answer.reasoning is not None
    answer.reasoning.set_expanded(True, by_user=True)

    app.server.push(Scenario(status=401, error_message=f"Refused: {probe}"))
    app.type_and_send("again")
    refused = last_answer(app).id
    app.wait(lambda: app.store.messages.get(refused).status is MessageStatus.ERROR, "refusal")
    line = widget(app, refused).status_line
    assert line is not None
    assert shown_label(line.text_label) == f"Refused: {probe}"
    app.wait(lambda: probe in window.connection_status(), "the status bar")
    assert probe in shown_label(window.status_presenter.connection)

    # The conversation's title: the top bar and the sidebar's row.
    app.services.conversations.rename(cid, probe)
    app.wait(lambda: window.title_label.text() == probe, "the new title")
    assert shown_label(window.title_label) == probe
    rows = window.sidebar.list_model
    row = next(
        rows.index(i, 0)
        for i in range(rows.rowCount())
        if rows.index(i, 0).data(ConversationListModel.IdRole) == cid
    )
    assert row.data(Qt.ItemDataRole.DisplayRole) == probe
    assert displayed(row.data(Qt.ItemDataRole.ToolTipRole)) == probe
    show_tooltip(row.data(Qt.ItemDataRole.ToolTipRole), window.sidebar.list_view)

    # A notice, as a failed write reports one.
    app.services.conversations.failed.emit(f"Could not save {probe}")
    app.wait(lambda: f"Could not save {probe}" in window.notices.notices(), "the notice")

    # The delete confirmation names the conversation.
    window.sidebar.list_view.deleteRequested.emit(cid)
    boxes = window.findChildren(QMessageBox)
    assert len(boxes) == 1
    box = boxes[0]
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert f"“{probe}”" in displayed(box.text(), box.textFormat())
    box.grab()

    # Search: the hit's title and its snippet, with the match marked.
    window.sidebar.search_field.setFocus()
    QTest.keyClicks(window.sidebar.search_field, "needle")
    results = window.sidebar.results_model
    app.wait(lambda: results.rowCount() > 0, "the search results")
    hit = results.index(0, 0).data(SearchResultsModel.HitRole)
    assert isinstance(hit, SearchHit)
    assert hit.title == probe
    # A long message is cut to a snippet ("…"): what shows is a piece of it, as typed.
    snippet = displayed(results.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)).strip("…")
    assert snippet.startswith("needle ")
    assert snippet in f"needle {probe}"
    delegate = window.sidebar.results_view.itemDelegate()
    document = delegate._snippet_document(hit, window.font(), 400)  # type: ignore[attr-defined]
    assert document.toPlainText().strip("…") == snippet
    # The match itself is still marked; only our own markup is markup.
    assert re.search(r'background-color:[^"]*">needle</span>', document.toHtml())
    show_tooltip(results.index(0, 0).data(Qt.ItemDataRole.ToolTipRole), window.sidebar)

    # Everything painted once, then every label holding the text shows it as typed.
    window.grab()
    assert thread(app)[0].text == f"needle {probe}"
    holders = labels_holding(probe)
    assert {window.title_label, window.status_presenter.connection, line.text_label} <= set(holders)
    for label in holders:
        assert probe in shown_label(label), (label.objectName(), label.text())
    box.reject()


@pytest.mark.parametrize("text", ["<b>x</b>", "a &lt; b", "line one\n  <i>two</i>"])
def test_a_tooltip_shows_markup_like_text_as_typed(text: str) -> None:
    assert displayed(tooltip(text)) == text


@pytest.mark.parametrize("text", ["", "Plain words", "List<String> in Java"])
def test_a_tooltip_without_markup_is_left_as_it_is(text: str) -> None:
    assert tooltip(text) == text
