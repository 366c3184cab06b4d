"""Settings → Prompts: the saved snippets that `/` offers in the composer, with their file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain.organising import Prompt
from longcat_desktop.services.assistant_service import AssistantService
from longcat_desktop.ui.library_page import LibraryPage


class PromptsPage(LibraryPage):
    def __init__(self, library: AssistantService, parent: QWidget | None = None) -> None:
        super().__init__("prompt", parent)
        self.set_texts(
            self.tr("Prompts"),
            self.tr(
                "Type / at the start of a message to insert one. Write {{name}} where the text "
                "changes each time: Tab then selects each such placeholder in turn."
            ),
            self.tr("Saved prompts"),
        )
        self._library = library
        self._current: Prompt | None = None
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.import_button.clicked.connect(self._import)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.clicked.connect(self._export)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.import_button)
        file_buttons.addWidget(self.export_button)
        self.left.addLayout(file_buttons)

        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName(self.tr("Text"))
        self.body.setTabChangesFocus(True)
        self.body.setPlaceholderText(self.tr("Summarise {{text}} in {{count}} bullet points."))
        self.save_button.setText(self.tr("Save prompt"))
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
        self.finish(editor)
        self._dialog: QFileDialog | None = None
        self.reload()

    def reload(self, select: int | None = None) -> None:
        keep = select if select is not None else (self._current.id if self._current else None)
        prompts = self._library.prompts()
        self.export_button.setEnabled(bool(prompts))
        self.fill([(p.id, p.name) for p in prompts], keep)

    def show_item(self, item_id: int | None) -> None:
        found = [p for p in self._library.prompts() if p.id == item_id]
        prompt = found[0] if found else None
        self._current = prompt
        for widget in (self.name, self.body, self.save_button, self.delete_button):
            widget.setEnabled(prompt is not None)
        self.name.setText("" if prompt is None else prompt.name)
        self.body.setPlainText("" if prompt is None else prompt.body)

    def save_item(self) -> None:
        if self._current is None:
            return
        name = self.name.text().strip() or self._current.name
        self._library.update_prompt(self._current.id, name, self.body.toPlainText())
        self.reload(self._current.id)

    def add_item(self) -> None:
        created = self._library.add_prompt(self.tr("New prompt"), "")
        if created is not None:
            self.reload(created)
            self.name.setFocus()
            self.name.selectAll()

    def remove_item(self) -> None:
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
