from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.ids import ConversationId as CID
from longcat_desktop.ui.conversation_list import (
    ConversationListModel,
    ConversationListView,
    ConversationRow,
)
from longcat_desktop.ui.relative_time import relative_time

NOW = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)


def rows(*ids: int, streaming: int | None = None) -> list[ConversationRow]:
    return [
        ConversationRow(
            CID(i), f"Chat {i}", pinned=i == 1, updated_at=NOW, streaming=i == streaming
        )
        for i in ids
    ]


def make(qtbot: QtBot) -> tuple[ConversationListModel, ConversationListView]:
    model = ConversationListModel()
    view = ConversationListView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(280, 400)
    view.show()
    return model, view


def test_rows_and_roles(qtmodeltester: ModelTester) -> None:
    model = ConversationListModel()
    model.set_rows(rows(1, 2, 3))
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    index = model.index(0)
    assert index.data() == "Chat 1"
    assert index.data(ConversationListModel.IdRole) == 1
    assert index.data(ConversationListModel.PinnedRole) is True
    assert index.data(ConversationListModel.TimeRole) == NOW


def test_reorder_moves_rows_without_a_reset(qtbot: QtBot) -> None:
    model = ConversationListModel()
    model.set_rows(rows(1, 2, 3, 4))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    keep = QPersistentModelIndex(model.index(3))  # row of conversation 4
    model.set_rows(rows(4, 1, 3, 5))
    assert [r.id for r in model.rows()] == [4, 1, 3, 5]
    assert resets == []
    assert keep.row() == 0  # a selection on 4 follows it to the top


def test_update_row_changes_data(qtbot: QtBot) -> None:
    model = ConversationListModel()
    model.set_rows(rows(1, 2))
    with qtbot.waitSignal(model.dataChanged):
        model.update_row(ConversationRow(CID(2), "Renamed"))
    assert model.index(1).data() == "Renamed"


def test_rename_via_set_data_emits_instead_of_storing(qtbot: QtBot) -> None:
    model, view = make(qtbot)
    model.set_rows(rows(1, 2))
    assert model.flags(model.index(0)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(view.renameRequested) as blocker:
        model.setData(model.index(1), "  New title ")
    assert blocker.args == [2, "New title"]
    assert model.index(1).data() == "Chat 2"
    with qtbot.assertNotEmitted(model.renameRequested):
        model.setData(model.index(1), "   ")


def test_f2_starts_inline_rename(qtbot: QtBot) -> None:
    model, view = make(qtbot)
    model.set_rows(rows(1, 2))
    view.setCurrentIndex(model.index(1))
    QTest.keyClick(view, Qt.Key.Key_F2)
    assert view.state() == view.State.EditingState


def _action(menu: QMenu, text: str) -> QAction:
    for action in menu.actions():
        if action.text() == text:
            return action
        sub = action.menu()
        if isinstance(sub, QMenu):
            for inner in sub.actions():
                if inner.text() == text:
                    return inner
    raise AssertionError(f"no action {text!r} in {[a.text() for a in menu.actions()]}")


def test_context_menu_actions(qtbot: QtBot) -> None:
    model, view = make(qtbot)
    model.set_rows(rows(1, 2))
    pinned_menu = view.build_context_menu(model.index(0))
    with qtbot.waitSignal(view.pinRequested) as blocker:
        _action(pinned_menu, "Unpin").trigger()
    assert blocker.args == [1, False]
    menu = view.build_context_menu(model.index(1))
    with qtbot.waitSignal(view.pinRequested) as blocker:
        _action(menu, "Pin").trigger()
    assert blocker.args == [2, True]
    with qtbot.waitSignal(view.duplicateRequested) as blocker:
        _action(menu, "Duplicate").trigger()
    assert blocker.args == [2]
    for label, fmt in (("Markdown…", "markdown"), ("HTML…", "html"), ("JSON…", "json")):
        with qtbot.waitSignal(view.exportRequested) as blocker:
            _action(menu, label).trigger()
        assert blocker.args == [2, fmt]
    with qtbot.waitSignal(view.deleteRequested) as blocker:
        _action(menu, "Delete…").trigger()
    assert blocker.args == [2]
    _action(menu, "Rename").trigger()
    assert view.state() == view.State.EditingState


def test_activation_emits_the_id(qtbot: QtBot) -> None:
    model, view = make(qtbot)
    model.set_rows(rows(1, 2))
    with qtbot.waitSignal(view.conversationActivated) as blocker:
        view.activated.emit(model.index(1))
    assert blocker.args == [2]
    with qtbot.assertNotEmitted(view.conversationActivated):
        view.activated.emit(QModelIndex())


def test_spinner_runs_only_while_something_streams(qtbot: QtBot) -> None:
    model, view = make(qtbot)
    model.set_rows(rows(1, 2))
    assert not view.spinner_running()
    model.set_rows(rows(1, 2, streaming=2))
    assert view.spinner_running()
    angle = view.delegate.spinner_angle
    qtbot.waitUntil(lambda: view.delegate.spinner_angle != angle)
    model.update_row(ConversationRow(CID(2), "Chat 2", updated_at=NOW))
    assert not view.spinner_running()


def test_relative_time() -> None:
    assert relative_time(NOW - timedelta(seconds=5), NOW) == "now"
    assert relative_time(NOW - timedelta(minutes=5), NOW) == "5 min"
    assert relative_time(NOW - timedelta(hours=3), NOW) == "3 h"
    assert relative_time(NOW - timedelta(days=1), NOW) == "Yesterday"
    assert relative_time(NOW - timedelta(days=400), NOW).endswith("2024")
