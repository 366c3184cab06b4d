"""The menu beside New chat: start a plain chat or one from a recently used assistant."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QToolButton

from longcat_desktop.services.assistant_service import AssistantService
from longcat_desktop.ui.icons import icon


class AssistantMenu(QObject):
    chosen = Signal(object)  # an assistant's id, or None for a plain chat
    manageRequested = Signal()

    def __init__(self, assistants: AssistantService, button: QToolButton) -> None:
        super().__init__(button)
        self._assistants = assistants
        self.menu = QMenu(button)
        self.menu.aboutToShow.connect(self.fill)
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def fill(self) -> None:
        """Built each time it opens, so it shows the assistants as they are now."""
        menu = self.menu
        menu.clear()
        default = self._assistants.default()
        plain = menu.addAction(icon("new-chat"), self.tr("Plain chat"))
        plain.triggered.connect(lambda: self.chosen.emit(None))
        if default is None:
            plain.setText(self.tr("Plain chat (Ctrl+N)"))
        recent = self._assistants.recent()
        if default is not None and all(a.id != default.id for a in recent):
            recent.insert(0, default)
        if recent:
            menu.addSection(self.tr("Assistants"))
        for assistant in recent:
            name = assistant.name.replace("&", "&&")
            if default is not None and assistant.id == default.id:
                name = self.tr("%1 (Ctrl+N)").replace("%1", name)
            action = menu.addAction(icon("assistant"), name)
            action.setToolTip(assistant.system_prompt[:200])
            action.triggered.connect(
                lambda _checked=False, chosen=assistant.id: self.chosen.emit(chosen)
            )
        menu.addSeparator()
        manage = menu.addAction(icon("settings"), self.tr("Manage assistants…"))
        manage.triggered.connect(self.manageRequested)
