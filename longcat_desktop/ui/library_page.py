"""The shape of the Settings pages that manage a stored list (assistants, prompts): a heading,
the list with Add and Remove on the left, an editor on the right with its Save button."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.ui.icons import icon

_ID = Qt.ItemDataRole.UserRole + 1


class LibraryPage(QWidget):
    """Subclasses set their texts, build their editor, call `finish(editor)`, and implement
    the hooks below."""

    def __init__(self, item_icon: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._item_icon = item_icon
        self.heading = QLabel(self)
        self.heading.setProperty("role", "heading")
        self.intro = QLabel(self)
        self.intro.setProperty("role", "muted")
        self.intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setFixedWidth(190)
        self.list.setProperty("role", "choices")
        self.list.setIconSize(QSize(16, 16))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.currentItemChanged.connect(lambda item, _old: self.show_item(self.id_of(item)))
        self.add_button = QPushButton(icon(item_icon), self.tr("Add"), self)
        self.add_button.clicked.connect(self.add_item)
        self.delete_button = QPushButton(icon("delete"), self.tr("Remove"), self)
        self.delete_button.clicked.connect(self._confirm_remove)
        self.save_button = QPushButton(self)
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save_item)
        self.left = QVBoxLayout()
        self.left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        self.left.addLayout(buttons)

    def set_texts(self, title: str, intro: str, list_name: str) -> None:
        self.heading.setText(title)
        self.intro.setText(intro)
        self.list.setAccessibleName(list_name)

    def finish(self, editor: QLayout) -> None:
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(self.left)
        body.addLayout(editor, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(body, 1)

    def title(self) -> str:
        return self.heading.text()

    @staticmethod
    def id_of(item: QListWidgetItem | None) -> int | None:
        value = None if item is None else item.data(_ID)
        return value if isinstance(value, int) else None

    def fill(self, entries: Sequence[tuple[int, str]], keep: int | None) -> None:
        """Show (id, text) entries, the one with id `keep` (else the first) selected."""
        self.list.blockSignals(True)
        self.list.clear()
        row = 0
        for position, (entry_id, text) in enumerate(entries):
            item = QListWidgetItem(icon(self._item_icon), text, self.list)
            item.setData(_ID, entry_id)
            if entry_id == keep:
                row = position
        self.list.blockSignals(False)
        if self.list.count():
            self.list.setCurrentRow(row)
        self.show_item(self.id_of(self.list.currentItem()))

    def _confirm_remove(self) -> None:
        if self.list.currentRow() < 0:
            return
        item = self.list.currentItem()
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove"),
            self.tr("Remove “%1”?").replace("%1", item.text()),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is remove:
                self.remove_item()

        box.finished.connect(answered)
        box.open()

    # -- hooks --------------------------------------------------------------------------------

    def show_item(self, item_id: int | None) -> None:
        raise NotImplementedError

    def add_item(self) -> None:
        raise NotImplementedError

    def remove_item(self) -> None:
        raise NotImplementedError

    def save_item(self) -> None:
        raise NotImplementedError
