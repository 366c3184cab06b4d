"""Settings → Tools: the MCP servers of mcp.json, their states and tools, and the loop's limits.

Changes here are written to mcp.json (or the settings) at once, as a hand edit of the file
would apply at once: there is nothing to confirm with OK.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.services import options
from longcat_desktop.services.settings_service import SettingsService
from longcat_desktop.services.tool_servers import (
    ConfigError,
    ServerConfig,
    ToolServers,
    Transport,
)
from longcat_desktop.ui.plain_text import plain_label, tooltip

_SERVER = 1000  # item data roles
_TOOL = 1001


class ToolsSettingsPage(QWidget):
    def __init__(
        self, servers: ToolServers, settings: SettingsService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._servers = servers
        self._settings = settings
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        heading = QLabel(self.tr("Tools"), self)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        intro = plain_label(self)
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        intro.setText(
            self.tr(
                "MCP servers give the model tools. They are kept in %1, which you can also"
                " edit by hand. A tool runs only after you allow it, unless it is always"
                " allowed."
            ).replace("%1", str(servers.path))
        )
        layout.addWidget(intro)
        self.error_label = plain_label(self)
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.secrets_box = QVBoxLayout()
        layout.addLayout(self.secrets_box)

        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Server or tool"), self.tr("State")])
        self.tree.setColumnWidth(0, 260)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.tree, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.paste_button = QPushButton(self.tr("Paste JSON…"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.restart_button = QPushButton(self.tr("Restart"), self)
        self.log_button = QPushButton(self.tr("Open log"), self)
        self.ask_button = QPushButton(self.tr("Ask before running"), self)
        self.ask_button.setToolTip(tooltip(self.tr("Undo “Always allow” for this tool")))
        for button in (
            self.add_button,
            self.paste_button,
            self.edit_button,
            self.remove_button,
            self.restart_button,
            self.log_button,
            self.ask_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self._open_form(None))
        self.paste_button.clicked.connect(self._open_paste)
        self.edit_button.clicked.connect(lambda: self._open_form(self._selected_server()))
        self.remove_button.clicked.connect(self._remove)
        self.restart_button.clicked.connect(self._restart)
        self.log_button.clicked.connect(self._open_log)
        self.ask_button.clicked.connect(self._ask_again)

        form = QFormLayout()
        self.turn_limit = QSpinBox(self)
        self.turn_limit.setRange(1, 1000)
        self.turn_limit.setValue(settings.get(options.TOOL_TURN_LIMIT))
        self.turn_limit.valueChanged.connect(
            lambda value: settings.update({options.TOOL_TURN_LIMIT.key: value})
        )
        form.addRow(self.tr("Most model turns per message:"), self.turn_limit)
        self.default_on = QCheckBox(self.tr("New conversations use every server's tools"), self)
        self.default_on.setChecked(settings.get(options.TOOLS_ON_BY_DEFAULT))
        self.default_on.toggled.connect(
            lambda on: settings.update({options.TOOLS_ON_BY_DEFAULT.key: on})
        )
        form.addRow("", self.default_on)
        layout.addLayout(form)
        self.status = plain_label(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        # Rebuilt on the next loop turn: a change made from an item of the tree (its check box)
        # must not delete that item under the handler.
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.refresh)
        servers.configChanged.connect(self._refresh_timer.start)
        servers.serverChanged.connect(lambda _name: self._refresh_timer.start())
        self.refresh()

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.error_label.setText(self._servers.config_error)
        self.error_label.setVisible(bool(self._servers.config_error))
        self._show_secrets()
        selected = self._selected()
        self._filling = True
        try:
            self.tree.clear()
            for server in self._servers.servers:
                item = QTreeWidgetItem(self.tree, [server.name, self._state_text(server)])
                item.setData(0, _SERVER, server.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    0, Qt.CheckState.Checked if server.enabled else Qt.CheckState.Unchecked
                )
                item.setToolTip(1, tooltip(item.text(1)))
                for info in self._servers.tools_of(server.name):
                    allowed = info.name in server.auto_approve
                    child = QTreeWidgetItem(
                        item, [info.name, self.tr("always allowed") if allowed else ""]
                    )
                    child.setData(0, _SERVER, server.name)
                    child.setData(0, _TOOL, info.name)
                    child.setToolTip(0, tooltip(info.description))
                    child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    enabled = self._servers.tool_enabled(server.name, info.name)
                    child.setCheckState(
                        0, Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked
                    )
                item.setExpanded(True)
                if selected == (server.name, None):
                    self.tree.setCurrentItem(item)
        finally:
            self._filling = False
        self._update_buttons()

    def _state_text(self, server: ServerConfig) -> str:
        if server.disabled:
            return self.tr("Disabled")
        state, error = self._servers.state(server.name)
        if state == "starting":
            return self.tr("Starting…")
        if state == "ready":
            count = len(self._servers.tools_of(server.name))
            return self.tr("Ready with %1 tools").replace("%1", str(count))
        if state == "failed":
            return self.tr("Failed: %1").replace("%1", error)
        return self.tr("Starts when a conversation needs it")

    def _show_secrets(self) -> None:
        while self.secrets_box.count():
            found = self.secrets_box.takeAt(0)
            widget = found.widget() if found is not None else None
            if widget is not None:
                widget.deleteLater()
        for server, kind, name in self._servers.clear_secrets():
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = plain_label(row)
            label.setProperty("role", "warning")
            label.setWordWrap(True)
            label.setText(
                self.tr("%1 of %2 looks like a token written in clear in mcp.json.")
                .replace("%1", name)
                .replace("%2", server)
            )
            move = QPushButton(self.tr("Move to keyring"), row)
            move.clicked.connect(
                lambda _checked=False, s=server, k=kind, n=name: self._move(s, k, n)
            )
            line.addWidget(label, 1)
            line.addWidget(move)
            self.secrets_box.addWidget(row)

    def _selected(self) -> tuple[str, str | None] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        tool = item.data(0, _TOOL)
        return str(item.data(0, _SERVER)), None if tool is None else str(tool)

    def _selected_server(self) -> ServerConfig | None:
        selected = self._selected()
        return None if selected is None else self._servers.config.server(selected[0])

    def _update_buttons(self) -> None:
        selected = self._selected()
        server = self._selected_server()
        for button in (self.edit_button, self.remove_button, self.restart_button):
            button.setEnabled(server is not None)
        log = None if server is None else self._servers.log_path(server.name)
        self.log_button.setEnabled(log is not None and log.exists())
        self.ask_button.setEnabled(
            server is not None
            and selected is not None
            and selected[1] is not None
            and selected[1] in server.auto_approve
        )

    # -- changing -----------------------------------------------------------------------------

    def _apply(self, change: Any, *args: Any) -> bool:
        try:
            change(*args)
        except (ConfigError, OSError) as error:
            self.status.setText(self.tr("mcp.json was not changed: %1").replace("%1", str(error)))
            return False
        self.status.setText("")
        return True

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        server = str(item.data(0, _SERVER))
        tool = item.data(0, _TOOL)
        on = item.checkState(0) == Qt.CheckState.Checked
        if tool is None:
            self._apply(self._servers.set_enabled, server, on)
        else:
            self._apply(self._servers.set_tool_enabled, server, str(tool), on)

    def _remove(self) -> None:
        server = self._selected_server()
        if server is not None:
            self._apply(self._servers.remove_server, server.name)

    def _restart(self) -> None:
        server = self._selected_server()
        if server is not None:
            self._servers.restart_soon(server.name)

    def _open_log(self) -> None:
        server = self._selected_server()
        log = None if server is None else self._servers.log_path(server.name)
        if log is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(log)))

    def _ask_again(self) -> None:
        selected = self._selected()
        if selected is not None and selected[1] is not None:
            self._apply(self._servers.always_allow, selected[0], selected[1], False)

    def _move(self, server: str, kind: str, name: str) -> None:
        try:
            moved = self._servers.move_to_keyring(server, kind, name)
        except (ConfigError, OSError) as error:
            self.status.setText(self.tr("mcp.json was not changed: %1").replace("%1", str(error)))
            return
        if not moved:
            self.status.setText(self.tr("No keyring is available: the value stays in mcp.json."))

    def _open_form(self, server: ServerConfig | None) -> None:
        form = ServerForm(server, self)
        form.submitted.connect(
            lambda name, values, secret: _submit_to(
                form,
                form.error,
                lambda: self._servers.put_server(name, values, server is None, secret),
            )
        )
        form.open()

    def _open_paste(self) -> None:
        paste = PasteDialog(self)
        paste.submitted.connect(
            lambda text: _submit_to(paste, paste.error, lambda: self._servers.paste(text))
        )
        paste.open()


def _pairs(text: str, separator: str) -> dict[str, str]:
    """NAME=value (or Name: value) lines as a mapping; lines without the separator are
    skipped."""
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        name, found, value = line.partition(separator)
        if found and name.strip():
            pairs[name.strip()] = value.strip()
    return pairs


def _submit_to(dialog: QDialog, error_label: QLabel, change: Callable[[], None]) -> None:
    """Apply a dialog's change and close it, or keep it open saying why the file refused it."""
    try:
        change()
    except (ConfigError, OSError) as error:
        error_label.setText(str(error))
        return
    dialog.accept()


class ServerForm(QDialog):
    """Add or edit one server: a command to run, or a URL."""

    submitted = Signal(str, dict, bool)  # name, values, whether they go to the keyring

    def __init__(self, server: ServerConfig | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tool server"))
        self._editing = server is not None
        self.name = QLineEdit(self)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("A command on this computer"), "stdio")
        self.kind.addItem(self.tr("A URL"), "http")
        self.command = QLineEdit(self)
        self.command.setPlaceholderText("uvx mcp-server-time")
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://example.com/mcp")
        self.values = QPlainTextEdit(self)
        self.values.setPlaceholderText("API_KEY=…")
        self.values.setToolTip(
            tooltip(
                self.tr(
                    "A command's environment as NAME=value lines; a URL's headers as"
                    " Name: value lines."
                )
            )
        )
        self.values.setFixedHeight(72)
        self.secret = QCheckBox(self.tr("Keep these values in the keyring"), self)
        self.secret.setChecked(True)
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(1, 3600)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(120)
        self.error = plain_label(self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Command:"), self.command)
        form.addRow(self.tr("URL:"), self.url)
        form.addRow(self.tr("Environment or headers:"), self.values)
        form.addRow("", self.secret)
        form.addRow(self.tr("Timeout:"), self.timeout)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._update)
        if server is not None:
            self.name.setText(server.name)
            self.name.setReadOnly(True)
            remote = server.transport is not Transport.STDIO
            self.kind.setCurrentIndex(1 if remote else 0)
            self.command.setText(shlex.join([server.command, *server.args]).strip())
            self.url.setText(server.url)
            self.timeout.setValue(server.timeout)
            pairs = server.headers if remote else server.env
            separator = ": " if remote else "="
            self.values.setPlainText("\n".join(f"{k}{separator}{v}" for k, v in pairs.items()))
        self._update()

    def _update(self) -> None:
        remote = self.kind.currentData() == "http"
        self.command.setEnabled(not remote)
        self.url.setEnabled(remote)

    def _submit(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.error.setText(self.tr("Give the server a name."))
            return
        values: dict[str, Any] = {"timeout": self.timeout.value()}
        remote = self.kind.currentData() == "http"
        pairs = _pairs(self.values.toPlainText(), ":" if remote else "=")
        if pairs or self._editing:
            # None: emptied while editing, so the server's file entry loses them.
            values["headers" if remote else "env"] = pairs or None
        if remote:
            values["url"] = self.url.text().strip()
        else:
            try:
                parts = shlex.split(self.command.text())
            except ValueError as error:
                self.error.setText(str(error))
                return
            if not parts:
                self.error.setText(self.tr("Enter the command that starts the server."))
                return
            values["command"], values["args"] = parts[0], parts[1:]
        self.submitted.emit(name, values, self.secret.isChecked())


class PasteDialog(QDialog):
    """A whole Claude Desktop / Cursor style configuration, or one server, pasted as JSON."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Paste JSON"))
        self.resize(520, 360)
        layout = QVBoxLayout(self)
        hint = plain_label(self, self.tr('Paste {"mcpServers": {...}} from another app.'))
        hint.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.error = plain_label(self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(lambda: self.submitted.emit(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
