"""The MCP servers of mcp.json, as the app uses them: their states, their tools, their calls.

mcp.json in the data folder is the single source: the Tools settings edit it, a hand edit
applies without a restart (the file is watched), and a broken file is reported with its line
and never overwritten. A server starts when a conversation first needs its tools, and every
server stops, with its processes, when the app quits.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.store.atomic import write_atomic
from longcat_desktop.store.named_secrets import NamedSecrets
from longcat_desktop.tools.config import (
    CONFIG_NAME,
    ConfigError,
    McpConfig,
    ServerConfig,
    Transport,
    clear_secrets,
    disabled_tools,
    dump_document,
    merge_pasted,
    parse_config,
    secret_name,
    secret_placeholder,
    with_auto_approve,
    with_server,
    with_tool_enabled,
    with_value_moved_to_keyring,
    without_server,
)
from longcat_desktop.tools.naming import ToolRef, model_names
from longcat_desktop.tools.results import ToolInfo, ToolOutcome, error_outcome

if TYPE_CHECKING:
    from longcat_desktop.tools.connection import ServerConnection

log = logging.getLogger(__name__)

# Named here too, so the interface reads servers without importing the tools layer.
__all__ = ["ConfigError", "ServerConfig", "ToolServers", "Transport"]

# Editors save in bursts (truncate, write, rename): read the file once they are done.
RELOAD_DELAY_MS = 150


class ToolServers(QObject):
    # mcp.json was read again (servers added, removed or changed), or could not be.
    configChanged = Signal()
    # A server started, failed, stopped or listed its tools.
    serverChanged = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        tasks: TaskOwner,
        secrets: NamedSecrets | None = None,
        environ: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = data_dir / CONFIG_NAME
        self._log_dir = data_dir / "logs"
        self._tasks = tasks
        self._secrets = secrets or NamedSecrets()
        self._environ = dict(os.environ if environ is None else environ)
        self.config = McpConfig()
        # Why mcp.json cannot be used, with its line; empty when it can.
        self.config_error = ""
        self._connections: dict[str, ServerConnection] = {}
        # Servers whose failure to start was reported: not again until they recover (or their
        # settings change) and fail anew, so a dismissed notice stays dismissed.
        self._reported_failures: set[str] = set()
        self._watcher: QFileSystemWatcher | None = None
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self.reload()

    # -- the file -----------------------------------------------------------------------------

    def watch(self) -> None:
        """Follow hand edits of mcp.json (and its creation) from now on."""
        if self._watcher is None:
            self._watcher = QFileSystemWatcher(self)
            self._watcher.fileChanged.connect(lambda _p: self._reload_timer.start())
            self._watcher.directoryChanged.connect(lambda _p: self._reload_timer.start())
        self._rewatch()

    def _rewatch(self) -> None:
        if self._watcher is None:
            return
        # A file replaced by rename drops out of the watch list: add it back each time.
        if self.path.exists() and str(self.path) not in self._watcher.files():
            self._watcher.addPath(str(self.path))
        if self.path.parent.is_dir() and str(self.path.parent) not in self._watcher.directories():
            self._watcher.addPath(str(self.path.parent))

    def reload(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
            config = parse_config(text)
        except ConfigError as error:
            self.config_error = str(error)
            log.warning("%s cannot be used: %s", self.path, error)
            self._rewatch()
            self.configChanged.emit()
            return
        except (OSError, UnicodeDecodeError) as error:
            self.config_error = f"{self.path.name} cannot be read: {error}"
            self._rewatch()
            self.configChanged.emit()
            return
        changed = config.servers != self.config.servers or bool(self.config_error)
        self.config_error = ""
        old = {server.name: server for server in self.config.servers}
        self.config = config
        for name, connection in list(self._connections.items()):
            current = config.server(name)
            if current is None or current != old.get(name) or current.disabled:
                # Changed or gone: the next use starts it with the new settings.
                del self._connections[name]
                self._reported_failures.discard(name)
                self._tasks.spawn(connection.aclose(), name=f"mcp-close-{name}")
        self._rewatch()
        if changed:
            self.configChanged.emit()

    def save(self, document: Mapping[str, Any]) -> None:
        """Write mcp.json (atomically) and apply it. Raises ConfigError for a document that
        would not load and OSError when the file cannot be written."""
        parse_config(dump_document(document))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, dump_document(document).encode("utf-8"))
        self.reload()

    def always_allow(self, server: str, tool: str, allowed: bool = True) -> None:
        self.save(with_auto_approve(self.config, server, tool, allowed))

    def set_enabled(self, server: str, enabled: bool) -> None:
        self.save(with_server(self.config, server, {"disabled": not enabled}))

    def set_tool_enabled(self, server: str, tool: str, enabled: bool) -> None:
        self.save(with_tool_enabled(self.config, server, tool, enabled))

    def tool_enabled(self, server: str, tool: str) -> bool:
        return tool not in disabled_tools(self.config, server)

    def put_server(
        self,
        name: str,
        values: Mapping[str, Any],
        replace: bool = False,
        secret: bool = False,
    ) -> None:
        """Add or change a server. With `secret`, its env and header values go to the keyring
        first and mcp.json gets their placeholders only."""
        if secret:
            values = {
                key: {k: self._kept_secret(name, key, k, v) for k, v in value.items()}
                if key in ("env", "headers") and isinstance(value, Mapping)
                else value
                for key, value in values.items()
            }
        self.save(with_server(self.config, name, values, replace))

    def _kept_secret(self, server: str, kind: str, name: str, value: str) -> str:
        if value.startswith("${"):
            return value  # A placeholder already.
        entry = secret_name(server, f"{kind}/{name}")
        if not self._secrets.set(entry, value):
            raise ConfigError("no keyring is available, so the values were not saved")
        return secret_placeholder(entry)

    def remove_server(self, name: str) -> None:
        self.save(without_server(self.config, name))

    def paste(self, text: str) -> None:
        """Add every server of a pasted Claude Desktop / Cursor style configuration."""
        self.save(merge_pasted(self.config, text))

    def clear_secrets(self) -> list[tuple[str, str, str]]:
        return clear_secrets(self.config)

    def move_to_keyring(self, server: str, kind: str, name: str) -> bool:
        """Store a value written in clear in the keyring and leave a placeholder in mcp.json.
        False when the keyring refused it (the file is then left as it was)."""
        document, entry_name, value = with_value_moved_to_keyring(self.config, server, kind, name)
        if not self._secrets.set(entry_name, value):
            return False
        self.save(document)
        return True

    def state(self, name: str) -> tuple[str, str]:
        """A server's state ("stopped", "starting", "ready", "failed") and its last error."""
        connection = self._connections.get(name)
        if connection is None:
            return "stopped", ""
        return str(connection.state), connection.error or ""

    def tools_of(self, name: str) -> tuple[ToolInfo, ...]:
        """The tools a started server listed; none before it started."""
        connection = self._connections.get(name)
        return () if connection is None else tuple(connection.tools)

    def log_path(self, name: str) -> Path | None:
        """Where a started server's output goes."""
        connection = self._connections.get(name)
        return None if connection is None else connection.log_path

    def restart_soon(self, name: str) -> None:
        self._tasks.spawn(self.restart(name), name=f"mcp-restart-{name}")

    # -- servers ------------------------------------------------------------------------------

    @property
    def servers(self) -> tuple[ServerConfig, ...]:
        return self.config.servers

    def connection(self, name: str) -> ServerConnection | None:
        return self._connections.get(name)

    def _connection_for(self, server: ServerConfig) -> ServerConnection:
        connection = self._connections.get(server.name)
        if connection is None:
            # The SDK loads here, with the first server that is needed.
            from longcat_desktop.tools.connection import ServerConnection

            connection = ServerConnection(
                server,
                log_dir=self._log_dir,
                environ=self._environ,
                secret=self._secrets.get,
                on_state=self._state_changed,
            )
            self._connections[server.name] = connection
        return connection

    def _state_changed(self, connection: ServerConnection) -> None:
        if str(connection.state) == "ready":
            self._reported_failures.discard(connection.config.name)
        self.serverChanged.emit(connection.config.name)

    def is_auto_approved(self, ref: ToolRef) -> bool:
        server = self.config.server(ref.server)
        return server is not None and ref.tool in server.auto_approve

    async def tools(
        self, wanted: Callable[[ToolRef], bool] = lambda _ref: True
    ) -> tuple[dict[str, ToolRef], dict[ToolRef, ToolInfo], list[str]]:
        """Every enabled server's tools that `wanted` keeps, by the name the model sees, with
        the problems of servers that could not start (their tools are simply absent): each
        failure once, not again on each request while the server stays down."""
        import asyncio

        from longcat_desktop.tools.connection import ToolServerError

        enabled = [server for server in self.config.servers if server.enabled]
        infos: dict[ToolRef, ToolInfo] = {}
        problems: list[str] = []

        async def start(server: ServerConfig) -> None:
            connection = self._connection_for(server)
            try:
                listed: Sequence[ToolInfo] = await connection.start()
            except ToolServerError as error:
                if server.name not in self._reported_failures:
                    self._reported_failures.add(server.name)
                    problems.append(str(error))
                return
            switched_off = disabled_tools(self.config, server.name)
            for info in listed:
                ref = ToolRef(server.name, info.name)
                if info.name not in switched_off and wanted(ref):
                    infos[ref] = info

        await asyncio.gather(*(start(server) for server in enabled))
        ordered = [
            ToolRef(server.name, info.name)
            for server in enabled
            for info in self._connection_for(server).tools
            if ToolRef(server.name, info.name) in infos
        ]
        return model_names(ordered), infos, problems

    async def call(
        self,
        ref: ToolRef,
        arguments: dict[str, Any],
        on_progress: Callable[[float, float | None, str | None], None] | None = None,
    ) -> ToolOutcome:
        server = self.config.server(ref.server)
        if server is None or server.disabled:
            return error_outcome(f"The tool server {ref.server} is not available.")
        return await self._connection_for(server).call(ref.tool, arguments, on_progress=on_progress)

    async def restart(self, name: str) -> None:
        server = self.config.server(name)
        if server is None:
            return
        from longcat_desktop.tools.connection import ToolServerError

        # A failed restart is announced, with its reason, by the connection's state.
        with contextlib.suppress(ToolServerError):
            await self._connection_for(server).restart()

    async def aclose(self) -> None:
        """Stop every server and wait until their processes are gone."""
        import asyncio

        connections, self._connections = list(self._connections.values()), {}
        await asyncio.gather(*(c.aclose() for c in connections), return_exceptions=True)
