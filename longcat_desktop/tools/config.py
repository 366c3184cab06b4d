"""mcp.json: the MCP servers the user configured, in the notation other apps use.

Users paste configurations from Claude Desktop, Cursor, LM Studio or Cherry Studio, so this
reads `{"mcpServers": {"NAME": {...}}}` with the spellings those apps write: `command`, `args`,
`env`, `cwd` for a local (stdio) server; `url`, `headers` and an optional `type` (`http`,
`streamableHttp`, `sse`) for a remote one; `disabled`, `timeout` (seconds) and `autoApprove`.
Keys this app does not know are kept: the document is edited in place, never rebuilt, so
saving it loses nothing another app wrote there.

Parsing is pure (text in, values out); reading and writing the file belongs to the services.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

CONFIG_NAME = "mcp.json"
SERVERS_KEY = "mcpServers"
# Long enough for a web search or a build; a server's progress notifications extend it.
DEFAULT_TIMEOUT_SECONDS = 120.0
# The app's own key: never handed to a tool server, whatever the configuration says.
PROTECTED_VARIABLES = frozenset({"LONGCAT_API_KEY"})

_PLACEHOLDER = re.compile(r"\$\{(secret:)?([A-Za-z_][A-Za-z0-9_./\-]*)\}")
_SECRET_NAME = re.compile(r"(key|token|secret|password|passwd|auth|credential|bearer)", re.I)
_SECRET_VALUE = re.compile(
    r"^(?:Bearer\s+)?(?:sk-[A-Za-z0-9_\-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abp]-[A-Za-z0-9\-]{10,}"
    r"|[A-Za-z0-9_\-]{32,})$"
)


class Transport(StrEnum):
    STDIO = "stdio"
    HTTP = "http"  # streamable HTTP
    SSE = "sse"  # the older HTTP+SSE transport


_TRANSPORT_SPELLINGS = {
    "stdio": Transport.STDIO,
    "http": Transport.HTTP,
    "streamablehttp": Transport.HTTP,
    "streamable-http": Transport.HTTP,
    "streamable_http": Transport.HTTP,
    "sse": Transport.SSE,
}


class ConfigError(ValueError):
    """mcp.json cannot be used as it is. `line` and `column` are 1-based, when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.reason = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class ServerConfig:
    name: str
    transport: Transport
    command: str = ""
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    disabled: bool = False
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    auto_approve: frozenset[str] = frozenset()

    @property
    def enabled(self) -> bool:
        return not self.disabled


@dataclass(frozen=True, slots=True)
class McpConfig:
    servers: tuple[ServerConfig, ...] = ()
    # The whole document as read, unknown keys and all; edits start from a copy of it.
    document: Mapping[str, Any] = field(default_factory=dict)

    def server(self, name: str) -> ServerConfig | None:
        return next((server for server in self.servers if server.name == name), None)


def parse_config(text: str) -> McpConfig:
    """The servers in an mcp.json text; an empty text is an empty configuration."""
    if not text.strip():
        return McpConfig()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise ConfigError("nested too deeply to read") from None
    return config_from_document(document, text)


def config_from_document(document: Any, text: str = "") -> McpConfig:
    if not isinstance(document, dict):
        raise ConfigError("the file must hold a JSON object with an mcpServers object", 1, 1)
    servers_value = document.get(SERVERS_KEY, {})
    if not isinstance(servers_value, dict):
        raise ConfigError(
            "mcpServers must be an object of servers by name", *_locate(text, SERVERS_KEY)
        )
    servers = tuple(_server(name, value, text) for name, value in servers_value.items())
    return McpConfig(servers, document)


def _locate(text: str, key: str) -> tuple[int | None, int | None]:
    """Where `"key"` first appears in the text, for an error message that points at it."""
    position = text.find(json.dumps(key))
    if position < 0:
        return None, None
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column


def _server(name: str, value: Any, text: str) -> ServerConfig:
    where = _locate(text, name)
    if not isinstance(value, dict):
        raise ConfigError(f"server “{name}” must be an object", *where)

    def fail(reason: str) -> ConfigError:
        return ConfigError(f"server “{name}”: {reason}", *where)

    def strings(key: str) -> tuple[str, ...]:
        items = value.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise fail(f"{key} must be a list of strings")
        return tuple(items)

    def mapping(key: str) -> dict[str, str]:
        items = value.get(key, {})
        if not isinstance(items, dict) or not all(
            isinstance(v, str | int | float | bool) for v in items.values()
        ):
            raise fail(f"{key} must be an object of text values")
        return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in items.items()}

    kind = value.get("type", value.get("transport"))
    if kind is not None and not isinstance(kind, str):
        raise fail("type must be text")
    command = value.get("command", "")
    url = value.get("url", value.get("serverUrl", ""))
    if not isinstance(command, str) or not isinstance(url, str):
        raise fail("command and url must be text")
    if kind is None:
        transport = Transport.STDIO if command else Transport.HTTP
    else:
        found = _TRANSPORT_SPELLINGS.get(kind.strip().lower())
        if found is None:
            raise fail(f"unknown type “{kind}” (stdio, http, streamableHttp or sse)")
        transport = found
    if not command.strip() and not url.strip():
        raise fail("needs a command (a local server) or a url (a remote server)")
    if transport is Transport.STDIO and not command.strip():
        raise fail("a local server needs a command")
    if transport is not Transport.STDIO and not re.match(r"^https?://", url.strip()):
        raise fail("a remote server needs an http:// or https:// url")
    cwd = value.get("cwd")
    if cwd is not None and not isinstance(cwd, str):
        raise fail("cwd must be text")
    timeout = value.get("timeout", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise fail("timeout must be a positive number of seconds")
    disabled = value.get("disabled", False)
    if not isinstance(disabled, bool):
        raise fail("disabled must be true or false")
    return ServerConfig(
        name=name,
        transport=transport,
        command=command.strip(),
        args=strings("args"),
        env=mapping("env"),
        cwd=cwd or None,
        url=url.strip(),
        headers=mapping("headers"),
        disabled=disabled,
        timeout=float(timeout),
        auto_approve=frozenset(strings("autoApprove")),
    )


# -- editing ----------------------------------------------------------------------------------


def with_auto_approve(config: McpConfig, server: str, tool: str, allowed: bool) -> dict[str, Any]:
    """The document with `tool` added to or removed from the server's autoApprove list."""
    document = copy.deepcopy(dict(config.document))
    entry = document.setdefault(SERVERS_KEY, {}).get(server)
    if not isinstance(entry, dict):
        raise ConfigError(f"no server “{server}”")
    listed = [name for name in entry.get("autoApprove", []) if name != tool]
    if allowed:
        listed.append(tool)
    entry["autoApprove"] = listed
    return document


DISABLED_TOOLS_KEY = "disabledTools"


def disabled_tools(config: McpConfig, server: str) -> frozenset[str]:
    """Tools of a server switched off in Settings (kept in mcp.json as `disabledTools`)."""
    entry = config.document.get(SERVERS_KEY, {}).get(server)
    listed = entry.get(DISABLED_TOOLS_KEY) if isinstance(entry, dict) else None
    return frozenset(str(n) for n in listed) if isinstance(listed, list) else frozenset()


def with_tool_enabled(config: McpConfig, server: str, tool: str, enabled: bool) -> dict[str, Any]:
    document = copy.deepcopy(dict(config.document))
    entry = document.setdefault(SERVERS_KEY, {}).get(server)
    if not isinstance(entry, dict):
        raise ConfigError(f"no server “{server}”")
    listed = [name for name in entry.get(DISABLED_TOOLS_KEY, []) if name != tool]
    if not enabled:
        listed.append(tool)
    entry[DISABLED_TOOLS_KEY] = listed
    return document


def with_server(
    config: McpConfig, name: str, values: Mapping[str, Any], replace: bool = False
) -> dict[str, Any]:
    """The document with a server added, or its keys updated (others kept unless `replace`);
    a key given as None is removed."""
    document = copy.deepcopy(dict(config.document))
    servers = document.setdefault(SERVERS_KEY, {})
    if not isinstance(servers, dict):
        raise ConfigError("mcpServers must be an object of servers by name")
    current = servers.get(name)
    entry = {} if replace or not isinstance(current, dict) else _for_transport_of(current, values)
    for key, value in values.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    servers[name] = entry
    config_from_document(document)  # refuse to produce a file that would not load
    return document


# The keys that belong to one way of reaching a server; the spelling of its type goes with it.
_LOCAL_KEYS = ("command", "args", "env", "cwd")
_REMOTE_KEYS = ("url", "serverUrl", "headers")
_TYPE_KEYS = ("type", "transport")


def _for_transport_of(entry: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A server's entry without the keys of the other transport when `values` give a command
    (a local server) or a URL (a remote one): left in, they would make the file fail to load or
    start the server the old way. Keys of other apps stay."""
    other: tuple[str, ...]
    if "command" in values:
        local, other = True, _REMOTE_KEYS
    elif "url" in values:
        local, other = False, _LOCAL_KEYS
    else:
        return dict(entry)

    def stale(key: str) -> bool:
        if key in values:
            return False
        if key in _TYPE_KEYS:
            # A type of the other side goes (http and sse both fit a URL).
            spelled = entry[key]
            is_local = (
                isinstance(spelled, str)
                and _TRANSPORT_SPELLINGS.get(spelled.strip().lower()) is Transport.STDIO
            )
            return is_local != local
        return key in other

    return {key: value for key, value in entry.items() if not stale(key)}


def without_server(config: McpConfig, name: str) -> dict[str, Any]:
    document = copy.deepcopy(dict(config.document))
    servers = document.get(SERVERS_KEY)
    if isinstance(servers, dict):
        servers.pop(name, None)
    return document


def merge_pasted(config: McpConfig, text: str) -> dict[str, Any]:
    """The document with every server of a pasted configuration added (replacing those of the
    same name). A whole `{"mcpServers": ...}` file, a bare `{"NAME": {...}}` object of servers,
    or one server `{"command": ...}` named "server" are all accepted."""
    pasted = parse_pasted(text)
    document = copy.deepcopy(dict(config.document))
    servers = document.setdefault(SERVERS_KEY, {})
    servers.update(pasted)
    config_from_document(document)
    return document


def parse_pasted(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise ConfigError("nested too deeply to read") from None
    if not isinstance(value, dict):
        raise ConfigError("paste a JSON object")
    if isinstance(value.get(SERVERS_KEY), dict):
        servers: dict[str, Any] = value[SERVERS_KEY]
    elif "command" in value or "url" in value:
        servers = {"server": value}
    else:
        servers = value
    config_from_document({SERVERS_KEY: servers}, text)
    return servers


def dump_document(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- values -----------------------------------------------------------------------------------


def secret_placeholder(name: str) -> str:
    return "${secret:" + name + "}"


def secret_name(server: str, field_name: str) -> str:
    """The keyring entry of a server's secret value (an env variable or header)."""
    return f"mcp/{server}/{field_name}"


def expand(
    value: str,
    environ: Mapping[str, str],
    secret: Callable[[str], str | None],
) -> str:
    """`${VAR}` from the environment, `${secret:NAME}` from the keyring. A reference that
    cannot be resolved is an error: a server started with a half-filled token fails in ways
    that are hard to trace back to the missing value."""

    def replace(match: re.Match[str]) -> str:
        is_secret, name = match.group(1), match.group(2)
        if is_secret:
            found = secret(name)
            if found is None:
                raise ConfigError(f"the secret {name} is not in the keyring")
            return found
        if name in PROTECTED_VARIABLES:
            raise ConfigError(f"{name} is never passed to a tool server")
        found = environ.get(name)
        if found is None:
            raise ConfigError(f"the environment variable {name} is not set")
        return found

    return _PLACEHOLDER.sub(replace, value)


def looks_like_clear_secret(name: str, value: str) -> bool:
    """A value written in clear that should live in the keyring: a secret-sounding name with a
    literal value, or a value shaped like a token whatever its name."""
    if _PLACEHOLDER.fullmatch(value.strip()) or not value.strip():
        return False
    stripped = value.strip()
    if _SECRET_VALUE.match(stripped) and not stripped.startswith(("/", "http")):
        return True
    return bool(_SECRET_NAME.search(name)) and len(stripped) >= 8


def clear_secrets(config: McpConfig) -> list[tuple[str, str, str]]:
    """(server, "env" or "headers", name) of every value that looks like a token in clear."""
    found: list[tuple[str, str, str]] = []
    for server in config.servers:
        for kind, values in (("env", server.env), ("headers", server.headers)):
            found.extend(
                (server.name, kind, name)
                for name, value in values.items()
                if looks_like_clear_secret(name, value)
            )
    return found


def with_value_moved_to_keyring(
    config: McpConfig, server: str, kind: str, name: str
) -> tuple[dict[str, Any], str, str]:
    """The document with one clear value replaced by its placeholder, the keyring entry's
    name, and the value to store there. The caller stores the value before saving the file."""
    document = copy.deepcopy(dict(config.document))
    entry = document.get(SERVERS_KEY, {}).get(server)
    if not isinstance(entry, dict) or not isinstance(entry.get(kind), dict):
        raise ConfigError(f"no {kind} value {name} in server “{server}”")
    value = entry[kind].get(name)
    if not isinstance(value, str):
        raise ConfigError(f"no {kind} value {name} in server “{server}”")
    entry_name = secret_name(server, f"{kind}/{name}")
    entry[kind][name] = secret_placeholder(entry_name)
    return document, entry_name, value


def split_command(command: str, args: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """A command pasted with its arguments in one string ("npx -y server") is split, as the
    apps users copy from accept it; a command with its own args list is left alone."""
    if args or " " not in command.strip():
        return command, tuple(args)
    import shlex

    parts = shlex.split(command)
    return parts[0], tuple(parts[1:])
