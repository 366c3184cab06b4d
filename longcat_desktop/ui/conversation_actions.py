"""What the user does to a conversation as a whole: send into it, stop it, keep its draft,
duplicate, export or delete it. One small method per action; the window only connects them.

Dialogs are opened with `open()` and answered in a callback, never run with `exec()`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from longcat_desktop.domain.conversation import ExportKind
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.services.app_services import AppServices


class ConversationActions(QObject):
    def __init__(
        self,
        services: AppServices,
        window: QWidget,
        *,
        current: Callable[[], ConversationId | None],
        open_conversation: Callable[[ConversationId], None],
        show_status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self._current = current
        self._open = open_conversation
        self._show_status = show_status

    def send(self, text: str) -> bool:
        """Send into the open conversation, starting one when none is open. False when nothing
        was sent (nothing to send, or the store refused it)."""
        conversation_id = self._current()
        if conversation_id is None:
            created = self._services.conversations.create()
            if created is None:
                return False
            self._open(created.id)
            conversation_id = created.id
        return self._services.chat.send(conversation_id, text) is not None

    def duplicate(self, conversation_id: ConversationId) -> None:
        copy = self._services.conversations.duplicate(conversation_id)
        if copy is not None:
            self._open(copy.id)

    def export(self, conversation_id: ConversationId, kind: ExportKind) -> None:
        conversation = self._services.conversations.get(conversation_id)
        if conversation is None:
            return
        from PySide6.QtWidgets import QFileDialog  # dialogs load on first use, not at start

        name = safe_file_name(conversation.title or "conversation") + kind.suffix
        dialog = QFileDialog(self._window, self.tr("Export conversation"), str(Path.home() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind.suffix.lstrip("."))

        def chosen(path: str) -> None:
            if self._services.conversations.export(conversation.id, kind, Path(path)):
                self._show_status(self.tr("Exported to %1").replace("%1", path))

        dialog.fileSelected.connect(chosen)
        dialog.open()

    def confirm_delete(self, conversation_id: ConversationId) -> None:
        conversation = self._services.conversations.get(conversation_id)
        if conversation is None:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete conversation"),
            self.tr("Delete “%1” and all its messages? This cannot be undone.").replace(
                "%1", conversation.title or self.tr("New chat")
            ),
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        # The title is the user's (or an import's) text, never markup.
        box.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is delete:
                self._services.chat.stop(conversation.id)
                self._services.conversations.delete(conversation.id)

        box.finished.connect(answered)
        box.open()

    def stop(self) -> None:
        conversation_id = self._current()
        if conversation_id is not None:
            self._services.chat.stop(conversation_id)

    def save_draft(self, text: str) -> None:
        conversation_id = self._current()
        if conversation_id is not None:
            self._services.conversations.set_draft(conversation_id, text)


def safe_file_name(title: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " -_." else "_" for c in title).strip(" .")
    return cleaned[:80] or "conversation"
