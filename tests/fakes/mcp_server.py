"""An MCP server for the tests, made with the SDK's own server side.

`python -m tests.fakes.mcp_server` serves it over stdio; `... http PORT` over streamable HTTP
on 127.0.0.1. Its tools cover what a client must survive: plain answers, errors, an image,
a slow tool that reports progress, one that never answers, and one that kills the server.
"""

from __future__ import annotations

import asyncio
import base64
import os
import sys

from mcp.server.mcpserver import Context, Image, MCPServer
from mcp.types import ToolAnnotations

# A 1x1 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)

server = MCPServer("test-tools")


@server.tool(annotations=ToolAnnotations(read_only_hint=True))
def echo(text: str) -> str:
    """Say the text back."""
    return text


@server.tool()
def add(a: int, b: int) -> int:
    """Add two whole numbers."""
    return a + b


@server.tool()
def fail(reason: str) -> str:
    """Always fails with the reason."""
    raise ValueError(reason)


@server.tool()
def picture() -> Image:
    """A tiny red picture."""
    return Image(data=PNG, format="png")


@server.tool()
async def slow(seconds: float, ctx: Context) -> str:
    """Work for a while, saying so every tenth of a second."""
    steps = max(1, int(seconds * 10))
    for step in range(steps):
        await ctx.report_progress(step, steps, "working")
        await asyncio.sleep(seconds / steps)
    return f"slept {seconds}"


@server.tool()
async def hang() -> str:
    """Never answers."""
    await asyncio.Event().wait()
    return "never"


@server.tool(annotations=ToolAnnotations(destructive_hint=True))
def crash() -> str:
    """Ends the server process at once."""
    os._exit(3)


@server.tool()
def environment(name: str) -> str:
    """The value of one environment variable of the server, or <unset>."""
    return os.environ.get(name, "<unset>")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        print("test-tools starting", file=sys.stderr, flush=True)
        server.run()
