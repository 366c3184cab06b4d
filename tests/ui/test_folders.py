"""Folders in the sidebar: groups with counts, opening and closing, drag and drop of several
conversations, the context menu, deleting a folder, and search limited to one folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QMenu, QMessageBox, QPushButton
from pytestqt.modeltest import ModelTester

from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store
from longcat_desktop.ui.conversation_list import ConversationListModel, ConversationRow, RowId
from longcat_desktop.ui.folder_rows import CONVERSATIONS_MIME, FolderKey, FolderRow
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window_conversations import SETTINGS, seed


def seed_folders(data_dir: Path) -> dict[str, Any]:
    """Conversation ids and folder ids by name."""
    ids: dict[str, Any] = seed(
        data_dir,
        {
            "Loose talk": [("hello", "hi")],
            "Tax return": [("deductions lighthouse", "ok")],
            "Pinned note": [("remember", "noted")],
            "Holiday": [("lighthouse trip", "nice")],
        },
    )
    store = Store.open(data_dir)
    try:
        ids["Work"] = store.folders.create("Work")
        ids["Travel"] = store.folders.create("Travel")
        store.folders.move([ids["Tax return"], ids["Pinned note"]], ids["Work"])
        store.conversations.set_pinned(ids["Pinned note"], True)
    finally:
        store.close()
    return ids


def started(app_factory: AppFactory) -> tuple[dict[str, Any], RunningApp]:
    """The app on the folders of seed_folders, with their ids by name."""
    ids = seed_folders(app_factory.tmp_path / "data")
    app = app_factory()
    app.ready()
    return ids, app


def layout(app: RunningApp) -> list[str]:
    """The sidebar as text: folders as "[name n]" or "[name n]+" when closed."""
    shown = []
    for row in app.window.sidebar.list_model.rows():
        if isinstance(row, FolderRow):
            shown.append(f"[{row.name} {row.total}]" + ("+" if row.collapsed else ""))
        else:
            shown.append(row.title)
    return shown


def move_menu(app: RunningApp, conversation_id: ConversationId) -> QMenu:
    view = app.window.sidebar.list_view
    menu = view.build_context_menu(app.window.sidebar.list_model.index_of(conversation_id))
    move = next(a for a in menu.actions() if a.text() == "Move to folder")
    submenu = move.menu()
    assert isinstance(submenu, QMenu)
    return submenu


def click_row(app: RunningApp, row_id: RowId, modifier: Qt.KeyboardModifier) -> None:
    view = app.window.sidebar.list_view
    rect = view.visualRect(app.window.sidebar.list_model.index_of(row_id))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_folders_are_groups_with_counts_under_the_pinned(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    assert layout(app) == [
        "Pinned note",
        "[Travel 0]",
        "[Work 2]",
        "Tax return",
        "Holiday",
        "Loose talk",
    ]
    # A click on a header closes the folder, and it stays closed.
    click_row(app, FolderKey(ids["Work"]), Qt.KeyboardModifier.NoModifier)
    app.wait(lambda: "[Work 2]+" in layout(app), "the folder to close")
    assert "Tax return" not in layout(app)
    assert app.store.folders.get(ids["Work"]).collapsed
    # The keyboard opens it again.
    view = app.window.sidebar.list_view
    view.setCurrentIndex(app.window.sidebar.list_model.index_of(FolderKey(ids["Work"])))
    QTest.keyClick(view, Qt.Key.Key_Right)
    app.wait(lambda: "Tax return" in layout(app), "the folder to open")


def test_dragging_several_conversations_onto_a_folder(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    view = app.window.sidebar.list_view
    model = app.window.sidebar.list_model
    click_row(app, ids["Holiday"], Qt.KeyboardModifier.NoModifier)
    app.wait(lambda: app.window.conversation_id == ids["Holiday"], "Holiday to open")
    click_row(app, ids["Loose talk"], Qt.KeyboardModifier.ControlModifier)
    # A Ctrl+click chooses, it does not open.
    assert app.window.conversation_id == ids["Holiday"]
    assert set(view.selected_conversations()) == {ids["Holiday"], ids["Loose talk"]}
    # A refresh of the list (an answer finishing elsewhere) keeps the choice.
    app.window.refresh_list()
    assert set(view.selected_conversations()) == {ids["Holiday"], ids["Loose talk"]}

    dragged = model.mimeData(view.selectionModel().selectedIndexes())
    assert dragged.hasFormat(CONVERSATIONS_MIME)
    target = view.visualRect(model.index_of(FolderKey(ids["Travel"]))).center()
    drop = QDropEvent(
        QPointF(target),
        Qt.DropAction.MoveAction,
        dragged,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(drop)
    assert drop.isAccepted()
    app.wait(lambda: "[Travel 2]" in layout(app), "the folder to hold both")
    assert app.store.folders.folder_of(ids["Holiday"]) == ids["Travel"]
    assert app.store.folders.folder_of(ids["Loose talk"]) == ids["Travel"]
    # Nothing was deleted by the move.
    assert app.store.conversations.count() == 4


def test_a_drop_of_anything_else_or_on_a_pinned_row_does_nothing(
    app_factory: AppFactory,
) -> None:
    ids, app = started(app_factory)
    model = app.window.sidebar.list_model
    text = QMimeData()
    text.setText("[1, 2]")
    folder = model.index_of(FolderKey(ids["Travel"]))
    assert not model.canDropMimeData(text, Qt.DropAction.MoveAction, -1, -1, folder)
    pinned = model.index_of(ids["Pinned note"])
    carried = model.mimeData([model.index_of(ids["Holiday"])])
    assert not model.canDropMimeData(carried, Qt.DropAction.MoveAction, -1, -1, pinned)
    # A drop on a conversation in no folder takes the dragged one out of its folder.
    loose = model.index_of(ids["Loose talk"])
    moved: list[tuple[list[int], object]] = []
    model.moveRequested.connect(lambda i, f: moved.append((i, f)))
    work = model.mimeData([model.index_of(ids["Tax return"])])
    model.dropMimeData(work, Qt.DropAction.MoveAction, -1, -1, loose)
    assert moved == [([ids["Tax return"]], None)]


def test_move_to_folder_from_the_context_menu(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    submenu = move_menu(app, ids["Holiday"])
    names = [a.text() for a in submenu.actions() if a.text()]
    assert names == ["Travel", "Work", "No folder", "New folder…"]
    next(a for a in submenu.actions() if a.text() == "Work").trigger()
    app.wait(lambda: "[Work 3]" in layout(app), "Holiday to move into Work")
    assert layout(app).index("Holiday") > layout(app).index("[Work 3]")

    submenu = move_menu(app, ids["Holiday"])
    next(a for a in submenu.actions() if a.text() == "No folder").trigger()
    app.wait(lambda: "[Work 2]" in layout(app), "Holiday to leave Work")
    assert app.store.folders.folder_of(ids["Holiday"]) is None


def test_new_folder_from_the_menu_takes_the_conversation_and_is_named_inline(
    app_factory: AppFactory,
) -> None:
    ids, app = started(app_factory)
    view = app.window.sidebar.list_view
    submenu = move_menu(app, ids["Loose talk"])
    next(a for a in submenu.actions() if a.text() == "New folder…").trigger()
    app.wait(lambda: "[New folder 1]" in layout(app), "the new folder")
    editor = QApplication.focusWidget()
    assert editor is not None
    assert editor.parent() is view.viewport()
    QTest.keyClicks(editor, "Chatter")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    app.wait(lambda: "[Chatter 1]" in layout(app), "the folder to be renamed")


def test_deleting_a_folder_keeps_its_conversations_unless_asked(
    app_factory: AppFactory,
) -> None:
    ids, app = started(app_factory)
    app.window.folder_actions.confirm_delete(ids["Work"])
    box = app.window.findChild(QMessageBox)
    assert isinstance(box, QMessageBox)
    assert "stay" in box.text()
    delete = next(b for b in box.findChildren(QPushButton) if b.text() == "Delete folder")
    delete.click()
    app.wait(lambda: not any("[Work" in text for text in layout(app)), "the folder to go")
    assert app.store.conversations.count() == 4
    assert "Tax return" in layout(app)

    app.window.folder_actions.confirm_delete(ids["Travel"])
    boxes = [b for b in app.window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    # An empty folder offers nothing more to delete.
    also = boxes[0].findChild(QCheckBox)
    assert isinstance(also, QCheckBox)
    assert not also.isEnabled()
    boxes[0].reject()


def test_deleting_a_folder_with_its_conversations_when_ticked(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    app.window.folder_actions.confirm_delete(ids["Work"])
    box = app.window.findChild(QMessageBox)
    assert isinstance(box, QMessageBox)
    also = box.findChild(QCheckBox)
    assert isinstance(also, QCheckBox)
    assert also.text() == "Also delete its 2 conversations"
    also.setChecked(True)
    next(b for b in box.findChildren(QPushButton) if b.text() == "Delete folder").click()
    app.wait(lambda: app.store.conversations.count() == 2, "the folder's conversations to go")
    assert "Tax return" not in layout(app)


def test_search_limited_to_a_folder(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    sidebar = app.window.sidebar
    QTest.keyClicks(sidebar.search_field, "lighthouse")
    app.wait(lambda: len({h.conversation_id for h in sidebar.results_model.hits()}) == 2, "2")
    menu = sidebar.list_view.build_context_menu(sidebar.list_model.index_of(FolderKey(ids["Work"])))
    next(a for a in menu.actions() if a.text() == "Search in this folder").trigger()
    assert sidebar.scope_chip.isVisibleTo(sidebar)
    app.wait(
        lambda: {h.conversation_id for h in sidebar.results_model.hits()} == {ids["Tax return"]},
        "only the folder's hit",
    )
    sidebar.scope_chip.click()
    app.wait(lambda: len({h.conversation_id for h in sidebar.results_model.hits()}) == 2, "all")
    assert not sidebar.scope_chip.isVisibleTo(sidebar)


def test_the_list_pages_through_folders(app_factory: AppFactory) -> None:
    data_dir = app_factory.tmp_path / "data"
    data_dir.mkdir(parents=True)
    store = Store.open(data_dir)
    try:
        folders = [store.folders.create(f"F{n:02}") for n in range(5)]
        for n in range(450):
            created = store.conversations.create(SETTINGS, title=f"c{n}")
            if n % 3:
                store.folders.move([created.id], folders[n % 5])
    finally:
        store.close()
    app = app_factory()
    app.ready()
    model: ConversationListModel = app.window.sidebar.list_model
    while model.canFetchMore(model.index(-1)):
        model.fetchMore(model.index(-1))
    rows = model.rows()
    conversations = [r for r in rows if isinstance(r, ConversationRow)]
    # Every conversation once, every folder once, in pages of the same size as without folders.
    assert len({r.id for r in conversations}) == len(conversations) == 450
    assert [r.name for r in rows if isinstance(r, FolderRow)] == [f"F{n:02}" for n in range(5)]


def test_a_drop_below_the_rows_takes_conversations_out_of_their_folder(
    app_factory: AppFactory,
) -> None:
    ids, app = started(app_factory)
    view = app.window.sidebar.list_view
    model = app.window.sidebar.list_model
    carried = model.mimeData([model.index_of(ids["Tax return"])])
    below = QPointF(10, view.viewport().height() - 5)
    assert not view.indexAt(below.toPoint()).isValid()
    drop = QDropEvent(
        below, Qt.DropAction.MoveAction, carried, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    view.dropEvent(drop)
    app.wait(lambda: "[Work 1]" in layout(app), "Tax return to leave Work")
    assert app.store.folders.folder_of(ids["Tax return"]) is None


def test_the_menu_key_opens_the_menu_of_the_current_row(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    view = app.window.sidebar.list_view
    view.setCurrentIndex(app.window.sidebar.list_model.index_of(FolderKey(ids["Work"])))
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), view.mapToGlobal(QPoint(0, 0))
    )
    view.contextMenuEvent(event)
    menus = [m for m in view.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1
    assert "Rename folder" in [a.text() for a in menus[0].actions()]
    menus[0].close()


def test_the_search_icon_offers_every_folder_as_a_scope(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    sidebar = app.window.sidebar
    menu = sidebar.scope_menu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["All conversations", "Folders", "Travel", "Work"]
    next(a for a in menu.actions() if a.text() == "Work").trigger()
    assert sidebar.search_folder() == ids["Work"]
    assert sidebar.search_field.placeholderText() == "Search in “Work”"
    menu = sidebar.scope_menu()
    assert next(a for a in menu.actions() if a.text() == "Work").isChecked()
    next(a for a in menu.actions() if a.text() == "All conversations").trigger()
    assert sidebar.search_folder() is None


def test_a_search_scope_whose_folder_was_deleted_elsewhere_widens_to_everything(
    app_factory: AppFactory,
) -> None:
    ids, app = started(app_factory)
    sidebar = app.window.sidebar
    next(a for a in sidebar.scope_menu().actions() if a.text() == "Work").trigger()
    assert sidebar.search_folder() == ids["Work"]
    # Another program on the same data folder (a sync) deletes it, then says so.
    with Store.open(app.data_dir) as other:
        other.folders.delete(ids["Work"])
    app.services.conversations.touched()
    assert sidebar.search_folder() is None
    assert "[Work" not in " ".join(layout(app))


def test_the_context_menu_moves_every_selected_conversation(app_factory: AppFactory) -> None:
    ids, app = started(app_factory)
    view = app.window.sidebar.list_view
    click_row(app, ids["Holiday"], Qt.KeyboardModifier.NoModifier)
    click_row(app, ids["Loose talk"], Qt.KeyboardModifier.ShiftModifier)
    submenu = move_menu(app, ids["Loose talk"])
    next(a for a in submenu.actions() if a.text() == "Travel").trigger()
    app.wait(lambda: "[Travel 2]" in layout(app), "both to move")
    assert set(view.selected_conversations()) >= {ids["Holiday"], ids["Loose talk"]}


def test_the_new_folder_button_makes_a_folder_named_inline(app_factory: AppFactory) -> None:
    seed_folders(app_factory.tmp_path / "data")
    app = app_factory()
    app.ready()
    app.window.sidebar.new_folder_button.click()
    app.wait(lambda: "[New folder 0]" in layout(app), "the new folder")
    app.window.sidebar.new_folder_button.click()
    app.wait(lambda: "[New folder 2 0]" in layout(app), "a second name not yet taken")
    view = app.window.sidebar.list_view
    assert view.state() == view.State.EditingState


def test_folder_rows_keep_the_model_consistent(qtmodeltester: ModelTester) -> None:
    model = ConversationListModel()
    model.set_rows(
        [
            ConversationRow(
                ConversationId(1), "Pinned", pinned=True, updated_at=1.0, section="pinned"
            ),
            FolderRow(FolderKey(5), "Work", 1),
            ConversationRow(ConversationId(2), "Filed", updated_at=1.0, section=5),
            ConversationRow(ConversationId(3), "Loose", updated_at=1.0, section="loose"),
        ]
    )
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    folder = model.index_of(FolderKey(5))
    assert folder.data() == "Work"
    assert folder.data(Qt.ItemDataRole.AccessibleTextRole) == "Folder Work, 1 conversations"
    assert model.flags(folder) & Qt.ItemFlag.ItemIsDropEnabled
    assert not model.flags(folder) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(model.index_of(ConversationId(2))) & Qt.ItemFlag.ItemIsDragEnabled
    renamed: list[tuple[int, str]] = []
    model.folderRenameRequested.connect(lambda f, n: renamed.append((f, n)))
    assert model.setData(folder, "Jobs")
    assert renamed == [(5, "Jobs")]


def test_a_narrow_sidebar_keeps_new_chat_as_an_icon(app_factory: AppFactory) -> None:
    app = app_factory()
    app.ready()
    window = app.window
    button = window.sidebar.new_chat_button
    assert button.text() == "New chat"
    window.splitter.setSizes([130, window.width() - 130])
    app.wait(lambda: button.text() == "", "the text to give way")
    assert button.accessibleName() == "New chat"
    window.splitter.setSizes([300, window.width() - 300])
    app.wait(lambda: button.text() == "New chat", "the text to come back")
