"""Settings → Assistants: the presets new chats can start from. Saved with its own button."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.organising import Assistant
from longcat_desktop.services.assistant_service import AssistantService
from longcat_desktop.ui.assistant_tools import AssistantTools
from longcat_desktop.ui.library_page import LibraryPage
from longcat_desktop.ui.params_form import ParamsForm, ParamValues

if TYPE_CHECKING:
    from longcat_desktop.services.tool_servers import ToolServers


class AssistantsPage(LibraryPage):
    def __init__(
        self,
        assistants: AssistantService,
        parent: QWidget | None = None,
        *,
        servers: ToolServers | None = None,
        tools_on_by_default: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__("assistant", parent)
        self.set_texts(
            self.tr("Assistants"),
            self.tr(
                "Presets a new chat can start from (the menu beside New chat). A conversation "
                "keeps the settings it started with when its assistant is changed later."
            ),
            self.tr("Assistants"),
        )
        self._assistants = assistants
        self._current: Assistant | None = None

        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.model = QComboBox(self)
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.setAccessibleName(self.tr("Model"))
        line = self.model.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Default model"))
        self.api_format = QComboBox(self)
        self.api_format.addItem(self.tr("Default"), None)
        self.api_format.addItem(self.tr("OpenAI compatible"), ApiFormat.OPENAI.value)
        self.api_format.addItem(self.tr("Anthropic compatible"), ApiFormat.ANTHROPIC.value)
        self.params = ParamsForm(self)
        self.tools = AssistantTools(servers, tools_on_by_default, self)
        self.is_default = QCheckBox(self.tr("Use for new chats (Ctrl+N)"), self)
        self.save_button.setText(self.tr("Save assistant"))

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("API format"), self.api_format)
        editor = QVBoxLayout()
        editor.addLayout(form)
        editor.addWidget(self.params)
        tools_form = QFormLayout()
        tools_form.setHorizontalSpacing(16)
        tools_form.addRow(self.tr("Tools"), self.tools)
        editor.addLayout(tools_form)
        editor.addWidget(self.is_default)
        editor.addStretch(1)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        editor.addLayout(save_row)

        self.finish(editor)
        _align_labels(form, self.params.layout(), tools_form)
        self.reload()

    def set_models(self, models: list[str]) -> None:
        text = self.model.currentText()
        self.model.clear()
        self.model.addItems(models)
        self.model.setCurrentText(text)

    def reload(self, select: int | None = None) -> None:
        """The list as stored, keeping (or moving to) the selected assistant."""
        keep = select if select is not None else (self._current.id if self._current else None)
        entries = []
        for assistant in self._assistants.assistants():
            text = assistant.name
            if assistant.is_default:
                text = self.tr("%1 (Ctrl+N)").replace("%1", assistant.name)
            entries.append((assistant.id, text))
        self.fill(entries, keep)

    def show_item(self, item_id: int | None) -> None:
        self._show(None if item_id is None else self._assistants.get(item_id))

    def _show(self, assistant: Assistant | None) -> None:
        self._current = assistant
        for widget in (
            self.name,
            self.model,
            self.api_format,
            self.params,
            self.tools,
            self.is_default,
        ):
            widget.setEnabled(assistant is not None)
        self.save_button.setEnabled(assistant is not None)
        self.delete_button.setEnabled(assistant is not None)
        if assistant is None:
            return
        self.name.setText(assistant.name)
        self.name.setCursorPosition(0)
        self.model.setCurrentText(assistant.model)
        index = self.api_format.findData(
            None if assistant.api_format is None else assistant.api_format.value
        )
        self.api_format.setCurrentIndex(max(0, index))
        self.params.load(
            ParamValues(
                assistant.system_prompt,
                assistant.temperature,
                assistant.top_p,
                assistant.max_tokens,
                assistant.thinking,
            )
        )
        self.tools.load(assistant.tools)
        self.is_default.setChecked(assistant.is_default)

    def edited(self) -> Assistant | None:
        """The selected assistant as the form now shows it."""
        if self._current is None:
            return None
        values = self.params.values()
        api_format = self.api_format.currentData()
        return replace(
            self._current,
            name=self.name.text().strip() or self._current.name,
            model=self.model.currentText().strip(),
            api_format=ApiFormat(api_format) if isinstance(api_format, str) else None,
            system_prompt=values.system_prompt,
            temperature=values.temperature,
            top_p=values.top_p,
            max_tokens=values.max_tokens,
            thinking=values.thinking,
            tools=self.tools.value(),
        )

    def save_item(self) -> None:
        assistant = self.edited()
        if assistant is None:
            return
        self._assistants.update(assistant)
        if self.is_default.isChecked() != assistant.is_default:
            self._assistants.set_default(assistant.id if self.is_default.isChecked() else None)
        self.reload(assistant.id)

    def add_item(self) -> None:
        created = self._assistants.add(Assistant(id=0, uuid="", name=self.tr("New assistant")))
        if created is not None:
            self.reload(created.id)
            self.name.setFocus()
            self.name.selectAll()

    def remove_item(self) -> None:
        if self._current is not None:
            self._assistants.delete(self._current.id)
            self._current = None
            self.reload()


def _align_labels(*layouts: object) -> None:
    """One label column for several forms stacked on each other."""
    labels = [
        item.widget()
        for layout in layouts
        if isinstance(layout, QFormLayout)
        for row in range(layout.rowCount())
        if (item := layout.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
    ]
    width = max((label.sizeHint().width() for label in labels if label is not None), default=0)
    for label in labels:
        if label is not None:
            label.setMinimumWidth(width)
