"""An assistant's choice of tools in its editor: as in Settings, or servers and tools on or off.

The choice is kept in the form a conversation stores its own (ToolSelection's JSON), so a
conversation started from the assistant simply takes a copy of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.services.tool_loop import ToolSelection

if TYPE_CHECKING:
    from longcat_desktop.services.tool_servers import ToolServers

_SERVER = Qt.ItemDataRole.UserRole
_TOOL = Qt.ItemDataRole.UserRole + 1


class AssistantTools(QWidget):
    def __init__(
        self,
        servers: ToolServers | None,
        default_on: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._servers = servers
        self._default_on = default_on
        self._selection = ToolSelection()

        self.mode = QComboBox(self)
        self.mode.setAccessibleName(self.tr("Tools"))
        self.mode.addItem(self.tr("As in Settings (default)"), False)
        self.mode.addItem(self.tr("Chosen here"), True)
        self.mode.currentIndexChanged.connect(self._update_enabled)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(self.tr("Servers and tools"))
        self.tree.setMaximumHeight(160)
        self.tree.itemChanged.connect(self._item_changed)
        self.note = QLabel(self.tr("No tool servers: add them in Settings → Tools"), self)
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.mode)
        layout.addWidget(self.tree)
        layout.addWidget(self.note)
        if servers is not None:
            # Servers added on the Tools page, or tools a server listed when it started.
            servers.configChanged.connect(self._fill)
            servers.serverChanged.connect(self._fill)

    def load(self, tools: str | None) -> None:
        """Show a stored choice (None: as in Settings), with the servers configured now."""
        self._selection = ToolSelection.from_json(tools, self._default_on())
        self.mode.setCurrentIndex(0 if tools is None else 1)
        self._fill()
        self._update_enabled()

    def value(self) -> str | None:
        """The choice as stored: every server shown is written down, so it does not follow
        Settings later; servers not configured now keep what was chosen for them before."""
        if not self.mode.currentData():
            return None
        shown = {name: self._selection.uses_server(name) for name in self._server_names()}
        return replace(self._selection, servers={**shown, **self._selection.servers}).to_json()

    def _server_names(self) -> list[str]:
        if self._servers is None:
            return []
        return [server.name for server in self._servers.servers if server.enabled]

    def _fill(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        names = self._server_names()
        for name in names:
            server = QTreeWidgetItem(self.tree, [name])
            server.setData(0, _SERVER, name)
            server.setFlags(server.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            assert self._servers is not None
            # Only a started server's tools are known; the others are chosen as a whole.
            for info in self._servers.tools_of(name):
                if not self._servers.tool_enabled(name, info.name):
                    continue
                tool = QTreeWidgetItem(server, [info.name])
                tool.setData(0, _SERVER, name)
                tool.setData(0, _TOOL, info.name)
                tool.setFlags(tool.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            server.setExpanded(True)
        self._show_checks()
        self.tree.setVisible(bool(names))
        self.note.setVisible(not names)
        self.tree.blockSignals(False)

    def _show_checks(self) -> None:
        for row in range(self.tree.topLevelItemCount()):
            server = self.tree.topLevelItem(row)
            if server is None:
                continue
            name = str(server.data(0, _SERVER))
            on = self._selection.uses_server(name)
            server.setCheckState(0, _check(on))
            for index in range(server.childCount()):
                tool = server.child(index)
                if tool is None:
                    continue
                allowed = self._selection.allows(name, str(tool.data(0, _TOOL)))
                tool.setCheckState(0, _check(allowed))
                # A tool of a server that is off cannot be on.
                enabled = Qt.ItemFlag.ItemIsEnabled
                tool.setFlags(tool.flags() | enabled if on else tool.flags() & ~enabled)

    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        on = item.checkState(0) == Qt.CheckState.Checked
        server = str(item.data(0, _SERVER))
        tool = item.data(0, _TOOL)
        if tool is None:
            self._selection = self._selection.with_server(server, on)
        else:
            self._selection = self._selection.with_tool(server, str(tool), on)
        self.tree.blockSignals(True)
        self._show_checks()
        self.tree.blockSignals(False)

    def _update_enabled(self) -> None:
        self.tree.setEnabled(bool(self.mode.currentData()))


def _check(on: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
