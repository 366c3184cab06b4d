"""One MCP server: started on first need, its tools listed, calls served, restarted when it
dies, shut down with its whole process group.

The SDK is built on anyio, whose cancel scopes must be left by the task that entered them. So
each connection lives inside ONE long-lived owner task that opens the transport and the
session, serves calls handed to it through a queue (each in a task of its own task group, so a
slow tool does not hold up the others), and closes everything on its way out. Nothing else
ever enters or leaves the session.

The `mcp` SDK and everything it imports (pydantic, anyio, its own HTTP stack) load here, when
the first server starts: never before the app's first frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from longcat_desktop.tools.config import ConfigError, ServerConfig, Transport, expand
from longcat_desktop.tools.results import ToolInfo, ToolOutcome, error_outcome, outcome_from

if TYPE_CHECKING:
    from mcp.client.session import ClientSession

log = logging.getLogger(__name__)

# A server's stderr log is cut back to its last part when it grows past this at a start.
LOG_LIMIT_BYTES = 1_000_000
# Waiting between restarts of a server that died: 1 s, 2 s, 4 s ... at most 30 s.
RESTART_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
# After this many starts in a row that failed, the server stays down until asked again.
MAX_FAILED_STARTS = 4
# How long a start (spawn, handshake, tool list) may take.
START_TIMEOUT_SECONDS = 30.0
# Tool lists are paged; a server that keeps sending cursors is not followed for ever.
MAX_TOOL_PAGES = 50


class ServerState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"


class ToolServerError(Exception):
    """A server could not be started or reached; the message is for the user."""


@dataclass
class _Call:
    tool: str
    arguments: dict[str, Any]
    timeout: float
    on_progress: Callable[[float, float | None, str | None], None] | None
    done: asyncio.Future[ToolOutcome]
    # Set by the owner while the call runs, so the caller can cancel it from its own task.
    cancel: Callable[[], None] | None = None


@dataclass
class _Run:
    """What one start of the server has: its task, and its tools once listed."""

    task: asyncio.Task[None]
    ready: asyncio.Future[tuple[ToolInfo, ...]]
    calls: asyncio.Queue[_Call | None] = field(default_factory=asyncio.Queue)
    # Set once the server is known dead, before the task has finished tearing down.
    dying: bool = False


class ServerConnection:
    """One configured server. `start()` and `call()` are safe to use from any coroutine on the
    app's loop; `aclose()` ends the server and waits until its processes are gone."""

    def __init__(
        self,
        config: ServerConfig,
        *,
        log_dir: Path,
        environ: Mapping[str, str] | None = None,
        secret: Callable[[str], str | None] = lambda _name: None,
        on_state: Callable[[ServerConnection], None] | None = None,
    ) -> None:
        self.config = config
        self.log_path = log_dir / f"mcp-{_file_safe(config.name)}.log"
        self._environ = dict(os.environ if environ is None else environ)
        self._secret = secret
        self._on_state = on_state
        self.state = ServerState.STOPPED
        self.error = ""
        self.tools: tuple[ToolInfo, ...] = ()
        self._run: _Run | None = None
        self._failed_starts = 0
        self._next_start_at = 0.0
        self._closing = False

    # -- public -------------------------------------------------------------------------------

    async def start(self) -> tuple[ToolInfo, ...]:
        """The server's tools, starting it first if it is not running. Raises ToolServerError
        with a sentence for the user when it cannot be started."""
        if self._closing:
            raise ToolServerError(f"{self.config.name} is shutting down")
        run = self._run
        if run is not None and run.dying and not run.task.done():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.shield(run.task)
        if run is None or run.task.done():
            if self._failed_starts >= MAX_FAILED_STARTS and self.state is ServerState.FAILED:
                raise ToolServerError(self.error)
            wait = self._next_start_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            run = self._begin()
        return await asyncio.shield(run.ready)

    async def restart(self) -> tuple[ToolInfo, ...]:
        """Stop the server if it runs, forget earlier failures, and start it again."""
        await self._stop()
        self._failed_starts = 0
        self._next_start_at = 0.0
        return await self.start()

    async def call(
        self,
        tool: str,
        arguments: dict[str, Any],
        *,
        timeout: float | None = None,
        on_progress: Callable[[float, float | None, str | None], None] | None = None,
    ) -> ToolOutcome:
        """Run one tool. Every failure (server down, timeout, server error) comes back as an
        error outcome the model can read; cancelling the caller cancels the call on the server."""
        try:
            await self.start()
        except ToolServerError as error:
            return error_outcome(str(error))
        run = self._run
        assert run is not None
        loop = asyncio.get_running_loop()
        request = _Call(
            tool, arguments, timeout or self.config.timeout, on_progress, loop.create_future()
        )
        run.calls.put_nowait(request)
        try:
            return await asyncio.shield(request.done)
        except asyncio.CancelledError:
            if request.cancel is not None:
                request.cancel()
            if not request.done.done():
                request.done.cancel()
            raise

    async def aclose(self) -> None:
        self._closing = True
        await self._stop()
        self._set_state(ServerState.STOPPED, "")

    # -- the owner task -----------------------------------------------------------------------

    def _begin(self) -> _Run:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[tuple[ToolInfo, ...]] = loop.create_future()
        # Read by whoever awaits it; a start nobody waited for must not warn at exit.
        ready.add_done_callback(lambda f: f.cancelled() or f.exception())
        run = _Run(loop.create_task(self._own(ready), name=f"mcp-{self.config.name}"), ready)
        # Assigned before the task's first step, which looks for it.
        self._run = run
        self._set_state(ServerState.STARTING, "")
        return run

    async def _stop(self) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        run.calls.put_nowait(None)
        if not run.task.done():
            run.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await run.task

    async def _own(self, ready: asyncio.Future[tuple[ToolInfo, ...]]) -> None:
        import anyio
        from mcp.client.session import ClientSession
        from mcp.shared.exceptions import MCPError

        run = self._run
        assert run is not None
        error: str | None = None
        try:
            async with contextlib.AsyncExitStack() as stack:
                # Contexts are entered outside the time limit: a scope entered around them would
                # be left before they are, which anyio refuses.
                streams = await self._open_transport(stack)
                session = await stack.enter_async_context(ClientSession(*streams))
                with anyio.fail_after(START_TIMEOUT_SECONDS):
                    await session.initialize()
                    tools = await self._list_tools(session)
                self.tools = tools
                self._failed_starts = 0
                self._set_state(ServerState.READY, "")
                if not ready.done():
                    ready.set_result(tools)
                died: list[str] = []
                async with anyio.create_task_group() as group:
                    while not died:
                        request = await run.calls.get()
                        if request is None:
                            group.cancel_scope.cancel()
                            break
                        group.start_soon(self._serve, session, request, died, run)
                if died:
                    error = died[0]
        except (asyncio.CancelledError, GeneratorExit):
            raise
        except TimeoutError:
            error = f"{self.config.name} did not answer within {START_TIMEOUT_SECONDS:.0f} s"
        except ToolServerError as failure:
            error = str(failure)
        except MCPError as failure:
            error = f"{self.config.name} refused the connection: {failure.error.message}"
        except BaseException as failure:
            error = self._describe_failure(failure)
        finally:
            self._fail_waiting(run, error or f"{self.config.name} stopped")
        if error is not None and not self._closing:
            self._failed_starts += 1
            delay = RESTART_DELAYS[min(self._failed_starts, len(RESTART_DELAYS)) - 1]
            self._next_start_at = time.monotonic() + delay
            log.warning("MCP server %s failed: %s", self.config.name, error)
            self._set_state(ServerState.FAILED, error)
            if not ready.done():
                ready.set_exception(ToolServerError(error))

    async def _serve(
        self, session: ClientSession, request: _Call, died: list[str], run: _Run
    ) -> None:
        import anyio
        from mcp.shared.exceptions import MCPError
        from mcp_types import CONNECTION_CLOSED

        if request.done.done():  # cancelled before it was taken
            return
        started = time.monotonic()
        with anyio.CancelScope() as call_scope:
            request.cancel = call_scope.cancel
            call_scope.deadline = anyio.current_time() + request.timeout

            async def progress(progress: float, total: float | None, message: str | None) -> None:
                # A server that says it is still working gets its full time again.
                call_scope.deadline = anyio.current_time() + request.timeout
                if request.on_progress is not None:
                    request.on_progress(progress, total, message)

            try:
                result = await session.call_tool(
                    request.tool, request.arguments, progress_callback=progress
                )
                outcome = outcome_from(result, time.monotonic() - started)
            except MCPError as failure:
                if failure.error.code == CONNECTION_CLOSED:
                    died.append(f"{self.config.name} stopped unexpectedly")
                    run.dying = True
                    # Wakes the owner, which waits for the next call, so that it tears down.
                    run.calls.put_nowait(None)
                    outcome = error_outcome(
                        f"The tool server {self.config.name} stopped during the call."
                    )
                else:
                    outcome = error_outcome(failure.error.message)
            except Exception as failure:
                outcome = error_outcome(f"The call failed: {failure}")
            if not request.done.done():
                request.done.set_result(outcome)
        if call_scope.cancelled_caught and not request.done.done():
            request.done.set_result(
                error_outcome(
                    f"No answer from the tool within {request.timeout:g} s: it was stopped."
                )
            )

    def _fail_waiting(self, run: _Run, reason: str) -> None:
        while not run.calls.empty():
            request = run.calls.get_nowait()
            if request is not None and not request.done.done():
                request.done.set_result(error_outcome(reason))

    # -- transports ---------------------------------------------------------------------------

    async def _open_transport(self, stack: contextlib.AsyncExitStack) -> Any:
        config = self.config
        try:
            if config.transport is Transport.STDIO:
                return await self._open_stdio(stack)
            headers = {
                name: expand(value, self._environ, self._secret)
                for name, value in config.headers.items()
            }
        except ConfigError as error:
            raise ToolServerError(f"{config.name}: {error}") from None
        if config.transport is Transport.SSE:
            from mcp.client.sse import sse_client

            return await stack.enter_async_context(sse_client(config.url, headers=headers))
        from mcp.client.streamable_http import streamable_http_client
        from mcp.shared._httpx_utils import create_mcp_http_client

        client = await stack.enter_async_context(create_mcp_http_client(headers=headers))
        return await stack.enter_async_context(
            streamable_http_client(config.url, http_client=client)
        )

    async def _open_stdio(self, stack: contextlib.AsyncExitStack) -> Any:
        from mcp.client.stdio import stdio_client

        parameters = self._stdio_parameters()
        errlog = stack.enter_context(self._open_log())
        return await stack.enter_async_context(stdio_client(parameters, errlog=errlog))

    def _stdio_parameters(self) -> Any:
        """What to spawn, checked first: a missing command or folder is said in words, where
        the SDK would raise a bare FileNotFoundError."""
        from mcp.client.stdio import StdioServerParameters

        config = self.config
        env = {
            name: expand(value, self._environ, self._secret) for name, value in config.env.items()
        }
        path = env.get("PATH", self._environ.get("PATH", os.defpath))
        command = config.command
        if os.sep not in command and shutil.which(command, path=path) is None:
            raise ToolServerError(
                f"“{command}” was not found on PATH; use its full path in the server's command"
            )
        cwd = Path(config.cwd).expanduser() if config.cwd else None
        if cwd is not None and not cwd.is_dir():
            raise ToolServerError(f"the folder {config.cwd} does not exist")
        return StdioServerParameters(
            command=command, args=list(config.args), env=env or None, cwd=cwd
        )

    def _open_log(self) -> TextIO:
        """The server's stderr, appended to its log; cut back to the newest part when large."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            if self.log_path.stat().st_size > LOG_LIMIT_BYTES:
                tail = self.log_path.read_bytes()[-LOG_LIMIT_BYTES // 2 :]
                self.log_path.write_bytes(tail)
        log_file = self.log_path.open("a", encoding="utf-8", errors="replace")
        log_file.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {self.config.name}\n")
        log_file.flush()
        return log_file

    async def _list_tools(self, session: ClientSession) -> tuple[ToolInfo, ...]:
        from mcp import types

        tools: list[ToolInfo] = []
        cursor: str | None = None
        for _page in range(MAX_TOOL_PAGES):
            params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
            listed = await session.list_tools(params=params)
            tools.extend(ToolInfo.from_mcp(self.config.name, tool) for tool in listed.tools)
            cursor = listed.next_cursor
            if not cursor:
                break
        return tuple(tools)

    def _describe_failure(self, failure: BaseException) -> str:
        name = self.config.name
        if isinstance(failure, BaseExceptionGroup):
            inner = failure.exceptions[0] if failure.exceptions else failure
            return self._describe_failure(inner)
        if isinstance(failure, FileNotFoundError):
            return f"“{self.config.command}” was not found; use its full path"
        if isinstance(failure, PermissionError):
            return f"“{self.config.command}” cannot be run (permission denied)"
        if isinstance(failure, OSError):
            return f"{name} could not be started: {failure.strerror or failure}"
        text = str(failure) or type(failure).__name__
        if "Connection closed" in text or type(failure).__name__ in {
            "ClosedResourceError",
            "BrokenResourceError",
            "EndOfStream",
        }:
            return f"{name} exited before it was ready; see its log at {self.log_path}"
        return f"{name} failed: {text}"

    def _set_state(self, state: ServerState, error: str) -> None:
        self.state, self.error = state, error
        if self._on_state is not None:
            self._on_state(self)


def _file_safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:60] or "server"
