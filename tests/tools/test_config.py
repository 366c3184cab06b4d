"""mcp.json as users paste it from other apps: read, edited in place, never rebuilt."""

from __future__ import annotations

import json

import pytest

from longcat_desktop.tools.config import (
    DEFAULT_TIMEOUT_SECONDS,
    ConfigError,
    Transport,
    clear_secrets,
    dump_document,
    expand,
    merge_pasted,
    parse_config,
    parse_pasted,
    split_command,
    with_auto_approve,
    with_server,
    with_value_moved_to_keyring,
    without_server,
)

CLAUDE_DESKTOP = """{
  "mcpServers": {
    "time": {"command": "uvx", "args": ["mcp-server-time"], "autoApprove": ["get_current_time"]},
    "remote": {"url": "https://tools.example/mcp",
               "headers": {"Authorization": "${secret:mcp/remote/headers/Authorization}"}},
    "old": {"type": "sse", "url": "http://127.0.0.1:9/sse", "disabled": true, "timeout": 30,
            "alwaysAllow": ["x"]}
  },
  "globalShortcut": "Ctrl+Space"
}"""


def test_servers_in_the_notation_other_apps_write() -> None:
    config = parse_config(CLAUDE_DESKTOP)
    time, remote, old = config.servers
    assert (time.name, time.transport, time.command, time.args) == (
        "time",
        Transport.STDIO,
        "uvx",
        ("mcp-server-time",),
    )
    assert time.auto_approve == {"get_current_time"}
    assert time.timeout == DEFAULT_TIMEOUT_SECONDS
    assert remote.transport is Transport.HTTP
    assert remote.headers["Authorization"].startswith("${secret:")
    assert old.transport is Transport.SSE
    assert old.disabled
    assert old.timeout == 30


@pytest.mark.parametrize("spelling", ["http", "streamableHttp", "streamable-http", "HTTP"])
def test_every_spelling_of_streamable_http(spelling: str) -> None:
    text = json.dumps({"mcpServers": {"s": {"type": spelling, "url": "http://127.0.0.1/mcp"}}})
    assert parse_config(text).servers[0].transport is Transport.HTTP


def test_an_empty_or_missing_file_has_no_servers() -> None:
    assert parse_config("").servers == ()
    assert parse_config("{}").servers == ()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{\n  "mcpServers": {\n    "a": {"command": "x",}\n  }\n}', 3, "not valid JSON"),
        ('{\n  "mcpServers": []\n}', 2, "object of servers"),
        ('{"mcpServers": {\n "a": {"args": ["x"]}}}', 2, "needs a command"),
        ('{"mcpServers": {\n "a": {"type": "ftp", "url": "x"}}}', 2, "unknown type"),
        ('{"mcpServers": {\n "a": {"url": "file:///etc"}}}', 2, "http:// or https://"),
        ('{"mcpServers": {\n "a": {"command": "x", "timeout": -1}}}', 2, "timeout"),
        ('{"mcpServers": {\n "a": {"command": "x", "args": "y"}}}', 2, "list of strings"),
        ("[" * 100_000, None, "nested too deeply"),
    ],
)
def test_a_broken_file_says_what_and_where(text: str, line: int | None, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    assert words in str(raised.value)
    if line is not None:
        assert raised.value.line == line


def test_always_allow_is_written_into_the_document_keeping_unknown_keys() -> None:
    config = parse_config(CLAUDE_DESKTOP)
    document = with_auto_approve(config, "time", "convert_time", True)
    again = parse_config(dump_document(document))
    assert again.server("time").auto_approve == {"get_current_time", "convert_time"}  # type: ignore[union-attr]
    assert document["globalShortcut"] == "Ctrl+Space"
    assert document["mcpServers"]["old"]["alwaysAllow"] == ["x"]
    undone = with_auto_approve(again, "time", "get_current_time", False)
    assert parse_config(dump_document(undone)).server("time").auto_approve == {"convert_time"}  # type: ignore[union-attr]
    # The configuration it started from is unchanged.
    assert config.server("time").auto_approve == {"get_current_time"}  # type: ignore[union-attr]


def test_adding_editing_and_removing_servers() -> None:
    config = parse_config(CLAUDE_DESKTOP)
    document = with_server(config, "git", {"command": "uvx", "args": ["mcp-server-git"]})
    edited = with_server(parse_config(dump_document(document)), "time", {"disabled": True})
    final = parse_config(dump_document(edited))
    assert final.server("git") is not None
    assert final.server("time").disabled  # type: ignore[union-attr]
    assert final.server("time").args == ("mcp-server-time",)  # type: ignore[union-attr]
    with pytest.raises(ConfigError):
        with_server(final, "bad", {"type": "stdio"})
    assert parse_config(dump_document(without_server(final, "git"))).server("git") is None


@pytest.mark.parametrize(
    "pasted",
    [
        '{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "server-fs", "/tmp"]}}}',
        '{"fs": {"command": "npx", "args": ["-y", "server-fs", "/tmp"]}}',
    ],
)
def test_a_pasted_configuration_adds_its_servers(pasted: str) -> None:
    document = merge_pasted(parse_config(CLAUDE_DESKTOP), pasted)
    config = parse_config(dump_document(document))
    assert config.server("fs") is not None
    assert config.server("time") is not None


def test_one_pasted_server_is_named_server() -> None:
    assert list(parse_pasted('{"command": "uvx", "args": ["x"]}')) == ["server"]


def test_placeholders_expand_from_environment_and_keyring() -> None:
    secrets = {"mcp/remote/token": "s3cret"}
    value = expand("Bearer ${secret:mcp/remote/token} at ${HOME}", {"HOME": "/h"}, secrets.get)
    assert value == "Bearer s3cret at /h"
    with pytest.raises(ConfigError, match="not set"):
        expand("${MISSING}", {}, secrets.get)
    with pytest.raises(ConfigError, match="keyring"):
        expand("${secret:nope}", {}, secrets.get)


def test_the_app_key_is_never_expanded_for_a_server() -> None:
    with pytest.raises(ConfigError, match="never passed"):
        expand("${LONGCAT_API_KEY}", {"LONGCAT_API_KEY": "lc-123"}, lambda _n: None)


def test_tokens_written_in_clear_are_found_and_moved_to_a_placeholder() -> None:
    text = json.dumps(
        {
            "mcpServers": {
                "gh": {
                    "command": "npx",
                    "env": {
                        "GITHUB_TOKEN": "ghp_" + "a" * 36,
                        "LOG_LEVEL": "debug",
                        "API_KEY": "${secret:mcp/gh/env/API_KEY}",
                        "ROOT": "/home/me/projects",
                    },
                },
                "web": {
                    "url": "https://x.example",
                    "headers": {"Authorization": "Bearer abcdefgh12345678"},
                },
            }
        }
    )
    config = parse_config(text)
    assert sorted(clear_secrets(config)) == [
        ("gh", "env", "GITHUB_TOKEN"),
        ("web", "headers", "Authorization"),
    ]
    document, entry, value = with_value_moved_to_keyring(config, "gh", "env", "GITHUB_TOKEN")
    assert value == "ghp_" + "a" * 36
    assert entry == "mcp/gh/env/GITHUB_TOKEN"
    assert value not in dump_document(document)
    assert ("gh", "env", "GITHUB_TOKEN") not in clear_secrets(parse_config(dump_document(document)))


def test_a_command_pasted_with_its_arguments_is_split() -> None:
    assert split_command("npx -y @scope/server /tmp", ()) == (
        "npx",
        ("-y", "@scope/server", "/tmp"),
    )
    assert split_command("/opt/My Tools/server", ("--x",)) == ("/opt/My Tools/server", ("--x",))


def test_switching_a_server_between_command_and_url_drops_the_other_sides_keys() -> None:
    config = parse_config(
        json.dumps(
            {
                "mcpServers": {
                    "s": {
                        "type": "stdio",
                        "command": "uvx",
                        "args": ["mcp-server-time"],
                        "env": {"TZ": "UTC"},
                        "cwd": "/tmp",
                        "autoApprove": ["get_current_time"],
                        "x-other-app": {"kept": True},
                    }
                }
            }
        )
    )
    remote = with_server(config, "s", {"url": "https://example.com/mcp", "timeout": 30})
    assert remote["mcpServers"]["s"] == {
        "url": "https://example.com/mcp",
        "timeout": 30,
        "autoApprove": ["get_current_time"],
        "x-other-app": {"kept": True},
    }
    assert parse_config(dump_document(remote)).server("s").transport is Transport.HTTP  # type: ignore[union-attr]

    sse = parse_config(
        json.dumps(
            {"mcpServers": {"s": {"type": "sse", "url": "https://a/sse", "headers": {"A": "1"}}}}
        )
    )
    # Another URL keeps the remote type; a command drops it with the URL and the headers.
    assert with_server(sse, "s", {"url": "https://b/sse"})["mcpServers"]["s"]["type"] == "sse"
    local = with_server(sse, "s", {"command": "uvx", "args": []})
    assert local["mcpServers"]["s"] == {"command": "uvx", "args": []}
    assert parse_config(dump_document(local)).server("s").transport is Transport.STDIO  # type: ignore[union-attr]
