"""The open conversation's tools: which servers and tools it uses, from a menu in the top bar.

The menu is built each time it opens, from the servers of mcp.json and the tools of those
already started: nothing is made before it is needed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.services.tool_loop import ToolLoop, ToolSelection
from longcat_desktop.ui.icons import icon


class ToolsButton(QToolButton):
    def __init__(
        self,
        loop: ToolLoop,
        conversation: Callable[[], ConversationId | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._loop = loop
        self._conversation = conversation
        self.setObjectName("toolsButton")
        self.setAutoRaise(True)
        self.setIconSize(QSize(18, 18))
        self.setIcon(icon("tool"))
        self.setToolTip(self.tr("Tools this conversation uses"))
        self.setAccessibleName(self.tr("Tools"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tools_menu = QMenu(self)
        self.tools_menu.aboutToShow.connect(self._fill)
        self.setMenu(self.tools_menu)
        # Shown only while mcp.json lists a server: without one there is nothing to choose.
        loop.servers.configChanged.connect(self._update_visible)
        self._update_visible()

    def _update_visible(self) -> None:
        self.setVisible(bool(self._loop.servers.servers))

    def _fill(self) -> None:
        menu = self.tools_menu
        menu.clear()
        conversation = self._conversation()
        servers = [server for server in self._loop.servers.servers if server.enabled]
        if conversation is None or not servers:
            note = menu.addAction(self.tr("No tool servers: add them in Settings → Tools"))
            note.setEnabled(False)
            return
        selection = self._loop.selection(conversation)
        for server in servers:
            on = selection.uses_server(server.name)
            action = menu.addAction(server.name)
            action.setCheckable(True)
            action.setChecked(on)
            action.toggled.connect(
                lambda checked, name=server.name: self._save(
                    conversation, self._loop.selection(conversation).with_server(name, checked)
                )
            )
            for info in self._loop.servers.tools_of(server.name):
                if not self._loop.servers.tool_enabled(server.name, info.name):
                    continue
                tool = menu.addAction(f"    {info.name}")
                tool.setCheckable(True)
                tool.setEnabled(on)
                tool.setChecked(selection.allows(server.name, info.name))
                tool.toggled.connect(
                    lambda checked, name=server.name, tool_name=info.name: self._save(
                        conversation,
                        self._loop.selection(conversation).with_tool(name, tool_name, checked),
                    )
                )
            menu.addSeparator()

    def _save(self, conversation: ConversationId, selection: ToolSelection) -> None:
        self._loop.set_selection(conversation, selection)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.setIcon(icon("tool"))
