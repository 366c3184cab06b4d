"""What the user does with folders in the sidebar: open and close them, name, delete, file
conversations into them, search in one. The window only builds this; it connects itself.

Dialogs are opened with `open()` and answered in a callback, never run with `exec()`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from longcat_desktop.services.app_services import AppServices
from longcat_desktop.ui.sidebar import Sidebar


class FolderActions(QObject):
    def __init__(self, services: AppServices, sidebar: Sidebar, window: QWidget) -> None:
        super().__init__(window)
        self._services = services
        self._sidebar = sidebar
        self._window = window
        folders = services.conversations.folders
        view = sidebar.list_view
        view.folderToggled.connect(folders.set_collapsed)
        view.folderRenameRequested.connect(folders.rename)
        view.moveRequested.connect(self.move)
        view.newFolderRequested.connect(self.new_folder)
        view.folderDeleteRequested.connect(self.confirm_delete)
        view.folderSearchRequested.connect(self.search_in)
        sidebar.newFolderRequested.connect(lambda: self.new_folder([]))

    def move(self, conversation_ids: list[object], folder_id: object) -> None:
        ids = [i for i in conversation_ids if isinstance(i, int)]
        target = folder_id if isinstance(folder_id, int) else None
        self._services.conversations.folders.move(ids, target)

    def new_folder(self, conversation_ids: list[object]) -> int | None:
        """A folder with a name not yet taken, holding these conversations, named inline next."""
        folders = self._services.conversations.folders
        taken = {folder.name for folder in folders.folders()}
        base = self.tr("New folder")
        name, number = base, 2
        while name in taken:
            name, number = f"{base} {number}", number + 1
        created = folders.create(name)
        if created is None:
            return None
        folders.set_collapsed(created, False)
        if conversation_ids:
            self.move(conversation_ids, created)
        self._sidebar.list_view.edit_folder(created)
        return created

    def confirm_delete(self, folder_id: int) -> None:
        folder = self._services.conversations.folders.folder(folder_id)
        if folder is None:
            return
        from PySide6.QtWidgets import QCheckBox, QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete folder"),
            self.tr("Delete the folder “%1”? Its conversations stay, in no folder.").replace(
                "%1", folder.name
            ),
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        also = QCheckBox(
            self.tr("Also delete its %1 conversations").replace("%1", str(folder.total)), box
        )
        also.setEnabled(folder.total > 0)
        box.setCheckBox(also)
        delete = box.addButton(self.tr("Delete folder"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is not delete:
                return
            with_conversations = also.isChecked()
            if with_conversations:
                folders = self._services.conversations.folders
                for conversation_id in folders.conversation_ids(folder_id):
                    self._services.chat.stop(conversation_id)
            self._services.conversations.folders.delete(
                folder_id, with_conversations=with_conversations
            )
            if self._sidebar.search_folder() == folder_id:
                self._sidebar.set_search_folder(None, "")

        box.finished.connect(answered)
        box.open()

    def search_in(self, folder_id: int) -> None:
        folder = self._services.conversations.folders.folder(folder_id)
        if folder is not None:
            self._sidebar.set_search_folder(folder.id, folder.name)
            self._sidebar.focus_search()
