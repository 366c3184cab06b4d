"""Settings → Prompts: the saved snippets that `/` offers in the composer, with their file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain.organising import Prompt
from longcat_desktop.services.assistant_service import AssistantService
from longcat_desktop.ui.icons import icon

_ID = Qt.ItemDataRole.UserRole + 1


class PromptsPage(QWidget):
    def __init__(self, library: AssistantService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._current: Prompt | None = None

        heading = QLabel(self.tr("Prompts"), self)
        heading.setProperty("role", "heading")
        intro = QLabel(
            self.tr(
                "Type / at the start of a message to insert one. Write {{name}} where the text "
                "changes each time: Tab then selects each such placeholder in turn."
            ),
            self,
        )
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)

        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Saved prompts"))
        self.list.setFixedWidth(190)
        self.list.setProperty("role", "choices")
        self.list.setIconSize(QSize(16, 16))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.currentItemChanged.connect(self._on_current)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.clicked.connect(self._add)
        self.delete_button = QPushButton(self.tr("Remove"), self)
        self.delete_button.clicked.connect(self._delete)
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.import_button.clicked.connect(self._import)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.clicked.connect(self._export)

        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName(self.tr("Text"))
        self.body.setTabChangesFocus(True)
        self.body.setPlaceholderText(self.tr("Summarise {{text}} in {{count}} bullet points."))
        self.save_button = QPushButton(self.tr("Save prompt"), self)
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self._save)
        self.status = QLabel(self)
        self.status.setProperty("role", "muted")

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Text"), self.body)
        save_row = QHBoxLayout()
        save_row.addWidget(self.status, 1)
        save_row.addWidget(self.save_button)
        editor = QVBoxLayout()
        editor.addLayout(form, 1)
        editor.addLayout(save_row)

        edit_buttons = QHBoxLayout()
        edit_buttons.addWidget(self.add_button)
        edit_buttons.addWidget(self.delete_button)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.import_button)
        file_buttons.addWidget(self.export_button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(edit_buttons)
        left.addLayout(file_buttons)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(left)
        body.addLayout(editor, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        self.add_button.setIcon(icon("prompt"))
        self.delete_button.setIcon(icon("delete"))
        self._dialog: QFileDialog | None = None
        self.reload()

    def title(self) -> str:
        return self.tr("Prompts")

    def reload(self, select: int | None = None) -> None:
        keep = select if select is not None else (self._current.id if self._current else None)
        self.list.blockSignals(True)
        self.list.clear()
        row = 0
        for position, prompt in enumerate(self._library.prompts()):
            item = QListWidgetItem(icon("prompt"), prompt.name, self.list)
            item.setData(_ID, prompt.id)
            if prompt.id == keep:
                row = position
        self.list.blockSignals(False)
        self.export_button.setEnabled(self.list.count() > 0)
        if self.list.count():
            self.list.setCurrentRow(row)
            self._on_current(self.list.currentItem(), None)
        else:
            self._show(None)

    def _on_current(self, item: QListWidgetItem | None, _previous: object) -> None:
        prompt_id = None if item is None else item.data(_ID)
        found = [p for p in self._library.prompts() if p.id == prompt_id]
        self._show(found[0] if found else None)

    def _show(self, prompt: Prompt | None) -> None:
        self._current = prompt
        for widget in (self.name, self.body, self.save_button, self.delete_button):
            widget.setEnabled(prompt is not None)
        self.name.setText("" if prompt is None else prompt.name)
        self.body.setPlainText("" if prompt is None else prompt.body)

    def _save(self) -> None:
        if self._current is None:
            return
        name = self.name.text().strip() or self._current.name
        self._library.update_prompt(self._current.id, name, self.body.toPlainText())
        self.reload(self._current.id)

    def _add(self) -> None:
        created = self._library.add_prompt(self.tr("New prompt"), "")
        if created is not None:
            self.reload(created)
            self.name.setFocus()
            self.name.selectAll()

    def _delete(self) -> None:
        if self._current is not None:
            self._library.delete_prompt(self._current.id)
            self._current = None
            self.reload()

    # -- the file: dialogs opened with open(), answered in a callback ------------------------

    def _file_dialog(self, title: str, save: bool) -> QFileDialog:
        dialog = QFileDialog(self, title, str(Path.home() / "prompts.json"))
        dialog.setNameFilter(self.tr("Prompt library (*.json)"))
        dialog.setDefaultSuffix("json")
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self._dialog = dialog
        return dialog

    def _export(self) -> None:
        dialog = self._file_dialog(self.tr("Export prompts"), save=True)
        dialog.fileSelected.connect(self.export_to)
        dialog.open()

    def _import(self) -> None:
        dialog = self._file_dialog(self.tr("Import prompts"), save=False)
        dialog.fileSelected.connect(self.import_from)
        dialog.open()

    def export_to(self, path: str) -> None:
        if self._library.export_prompts(Path(path)):
            self.status.setText(self.tr("Exported to %1").replace("%1", path))

    def import_from(self, path: str) -> None:
        added = self._library.import_prompts(Path(path))
        if added is not None:
            self.status.setText(self.tr("%1 prompts added").replace("%1", str(added)))
            self.reload()
