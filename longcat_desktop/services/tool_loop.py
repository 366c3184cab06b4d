"""Running the tool calls of an answer: checked, approved, run, their results written.

The chat service owns the loop's task (Stop cancels it); this module knows what one call
takes. Every call ends with a result the model reads, whatever happened: broken arguments,
an unknown tool, a denial, a timeout, a server error or a Stop each become an error result,
never a hole in the history.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain.chat import IMAGE_MEDIA_TYPES, Tool
from longcat_desktop.domain.conversation import StoredMessage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.tool_turns import (
    DENIED_RESULT,
    StoredToolCall,
    ToolCallState,
    ToolImage,
    ToolLink,
    ToolResult,
)
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.store import Store
from longcat_desktop.tools.config import ConfigError
from longcat_desktop.tools.naming import ToolRef
from longcat_desktop.tools.results import ToolInfo, ToolOutcome

if TYPE_CHECKING:
    import asyncio

    from longcat_desktop.services.tool_servers import ToolServers

log = logging.getLogger(__name__)

DEFAULT_TURN_LIMIT = 25
# Long argument or result texts are cut to this in what the model is told about a failure.
_SCHEMA_ERROR_LIMIT = 500


class Decision(StrEnum):
    ONCE = "once"
    ALWAYS = "always"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class ToolSelection:
    """Which tools a conversation uses: explicit choices per server and per tool, else the
    default. Stored as JSON on the conversation; None there means "the default"."""

    default_on: bool = True
    servers: Mapping[str, bool] = field(default_factory=dict)
    tools: Mapping[str, bool] = field(default_factory=dict)

    def wants(self, ref: ToolRef) -> bool:
        return self.allows(ref.server, ref.tool)

    def uses_server(self, server: str) -> bool:
        return self.servers.get(server, self.default_on)

    def allows(self, server: str, tool: str) -> bool:
        return self.tools.get(tool_key(server, tool), self.uses_server(server))

    def with_server(self, server: str, on: bool) -> ToolSelection:
        # Choosing a whole server again clears the choices made for its single tools.
        prefix = tool_key(server, "")
        tools = {key: value for key, value in self.tools.items() if not key.startswith(prefix)}
        return replace(self, servers={**self.servers, server: on}, tools=tools)

    def with_tool(self, server: str, tool: str, on: bool) -> ToolSelection:
        return replace(self, tools={**self.tools, tool_key(server, tool): on})

    def to_json(self) -> str:
        return json.dumps({"servers": dict(self.servers), "tools": dict(self.tools)})

    @classmethod
    def from_json(cls, text: str | None, default_on: bool) -> ToolSelection:
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            value = {}
        if not isinstance(value, dict):
            value = {}

        def flags(key: str) -> dict[str, bool]:
            found = value.get(key)
            if not isinstance(found, dict):
                return {}
            return {str(k): bool(v) for k, v in found.items()}

        return cls(default_on, flags("servers"), flags("tools"))


def tool_key(server: str, tool: str) -> str:
    return f"{server}/{tool}"


@dataclass(frozen=True, slots=True)
class ToolOffer:
    """The tools sent with one request, and how each name the model sees maps back."""

    tools: tuple[Tool, ...] = ()
    names: Mapping[str, ToolRef] = field(default_factory=dict)
    infos: Mapping[ToolRef, ToolInfo] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


class ToolLoop(QObject):
    # A call waits for the user's decision: show Allow once / Always allow / Deny.
    approvalRequested = Signal(int, int)  # conversation id, tool message id
    # A call's state or result changed (written to the store already).
    callChanged = Signal(int, int)  # conversation id, tool message id
    # Servers that could not start when a conversation needed their tools.
    problemsFound = Signal(int, list)  # conversation id, list of str

    def __init__(
        self,
        servers: ToolServers,
        store: Store,
        *,
        turn_limit: Callable[[], int] = lambda: DEFAULT_TURN_LIMIT,
        default_on: Callable[[], bool] = lambda: True,
        supports_tools: Callable[[str, str], bool | None] = lambda _format, _model: None,
        reads_images: Callable[[str, str], bool | None] = lambda _format, _model: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.servers = servers
        self._store = store
        self.turn_limit = turn_limit
        self._default_on = default_on
        # Whether a model's details list `tools`; None when they do not say (or are unknown).
        self.supports_tools = supports_tools
        # Whether a model's details list image input; None when unknown.
        self.reads_images = reads_images
        self._pending: dict[MessageId, asyncio.Future[Decision]] = {}
        # When each running call started (monotonic), by tool message id, for the cards.
        self.running_since: dict[MessageId, float] = {}
        # The last progress a running call's server reported, as a short line for its card.
        self.progress: dict[MessageId, str] = {}

    # -- the conversation's tools -------------------------------------------------------------

    def selection(self, conversation_id: ConversationId) -> ToolSelection:
        return ToolSelection.from_json(
            self._store.conversations.tool_selection(conversation_id), self._default_on()
        )

    def set_selection(self, conversation_id: ConversationId, selection: ToolSelection) -> None:
        self._store.conversations.set_tool_selection(conversation_id, selection.to_json())

    def model_sees_images(self, api_format: str, model: str) -> bool:
        """Images from tools go only to a model known to read them: to any other they would be
        a refused request rather than a picture it ignores."""
        return self.reads_images(api_format, model) is True

    def model_can_use_tools(self, api_format: str, model: str) -> bool:
        return self.supports_tools(api_format, model) is not False

    async def offer(
        self, conversation_id: ConversationId, api_format: str, model: str
    ) -> ToolOffer:
        """The tools to send with the conversation's next request; none when the model's
        details say it cannot use them, or no server is configured."""
        if not self.model_can_use_tools(api_format, model) or not any(
            server.enabled for server in self.servers.servers
        ):
            return ToolOffer()
        selection = self.selection(conversation_id)
        names, infos, problems = await self.servers.tools(selection.wants)
        if problems:
            self.problemsFound.emit(conversation_id, list(problems))
        tools = tuple(
            Tool(name, infos[ref].description, infos[ref].input_schema)
            for name, ref in names.items()
        )
        return ToolOffer(tools, names, infos, tuple(problems))

    def tool_info(self, server: str | None, tool: str | None) -> ToolInfo | None:
        """What a running server said about one of its tools (its hints), if it is known."""
        connection = None if server is None else self.servers.connection(server)
        if connection is None:
            return None
        return next((info for info in connection.tools if info.name == tool), None)

    # -- approval -----------------------------------------------------------------------------

    def waiting_for_approval(self, message_id: MessageId) -> bool:
        return message_id in self._pending

    def decide(self, message_id: MessageId, decision: Decision) -> None:
        future = self._pending.get(message_id)
        if future is not None and not future.done():
            future.set_result(decision)

    # -- one call -----------------------------------------------------------------------------

    async def run_call(
        self,
        conversation_id: ConversationId,
        message_id: MessageId,
        call: StoredToolCall,
        offer: ToolOffer,
    ) -> None:
        """Check, approve, run and record one call. Cancelling it leaves the record to the
        caller, which knows whether it was Stop or the app quitting."""
        import asyncio

        base = ToolResult(call.id, call.name, call.arguments, call.server, call.tool)
        ref = offer.names.get(call.name)
        info = None if ref is None else offer.infos.get(ref)
        if ref is None or info is None:
            known = ", ".join(offer.names) or "none"
            self._write(
                conversation_id,
                message_id,
                f"There is no tool named {call.name!r}. Available tools: {known}.",
                replace(base, state=ToolCallState.FAILED, is_error=True),
            )
            return
        arguments, problem = _checked_arguments(call.arguments, info.input_schema)
        if problem is not None:
            self._write(
                conversation_id,
                message_id,
                problem,
                replace(base, state=ToolCallState.FAILED, is_error=True),
            )
            return
        if not self.servers.is_auto_approved(ref):
            future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
            self._pending[message_id] = future
            self.approvalRequested.emit(conversation_id, message_id)
            try:
                decision = await future
            finally:
                self._pending.pop(message_id, None)
            if decision is Decision.DENY:
                self._write(
                    conversation_id,
                    message_id,
                    DENIED_RESULT,
                    replace(base, state=ToolCallState.DENIED, is_error=True),
                )
                return
            if decision is Decision.ALWAYS:
                try:
                    self.servers.always_allow(ref.server, ref.tool)
                except (ConfigError, OSError) as error:
                    # The call still runs: the user allowed it, only remembering failed.
                    log.warning("autoApprove for %s could not be saved: %s", ref.tool, error)
        started = time.time()
        self.running_since[message_id] = time.monotonic()
        running = replace(base, state=ToolCallState.RUNNING, started_at=started)
        self._write(conversation_id, message_id, "", running)
        def progressed(done: float, total: float | None, said: str | None) -> None:
            amount = f"{done:g}/{total:g}" if total else f"{done:g}"
            self.progress[message_id] = f"{amount} {said}" if said else amount
            self.callChanged.emit(conversation_id, message_id)

        try:
            outcome = await self.servers.call(ref, arguments, on_progress=progressed)
        finally:
            self.running_since.pop(message_id, None)
            self.progress.pop(message_id, None)
        self._write(
            conversation_id,
            message_id,
            outcome.text,
            _finished(running, outcome, time.time() - started),
        )

    def end_call(
        self,
        conversation_id: ConversationId,
        message: StoredMessage,
        state: ToolCallState,
        text: str,
    ) -> None:
        """Give a call that will not finish (Stop, quit, a turn it never reached) its result."""
        result = message.tool_result
        if result is None or result.state.final:
            return
        seconds = None if result.started_at is None else max(0.0, time.time() - result.started_at)
        self._write(
            conversation_id,
            message.id,
            text,
            replace(result, state=state, is_error=True, seconds=seconds),
        )

    def _write(
        self, conversation_id: ConversationId, message_id: MessageId, text: str, result: ToolResult
    ) -> None:
        try:
            self._store.messages.update_tool_result(message_id, text, result)
        except StoreError as error:
            # The start-up sweep turns an unwritten call into an interrupted one.
            log.error("Tool result %s could not be written: %s", message_id, error)
        self.callChanged.emit(conversation_id, message_id)


def _checked_arguments(text: str, schema: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The arguments as an object, or why they cannot be used (for the model to read)."""
    try:
        value = json.loads(text) if text.strip() else {}
    except ValueError as error:
        return {}, f"The arguments are not valid JSON ({error}); the tool was not run."
    if not isinstance(value, dict):
        return {}, "The arguments must be a JSON object; the tool was not run."
    import jsonschema

    try:
        validator_class = jsonschema.validators.validator_for(schema)
        validator = validator_class(schema)
        problems = sorted(validator.iter_errors(value), key=lambda e: list(e.path))
    except (jsonschema.SchemaError, TypeError) as error:
        # A server's broken schema is its own problem: the server checks the arguments itself.
        log.warning("A tool's input schema cannot be used: %s", error)
        return value, None
    if problems:
        described = "; ".join(
            f"{'/'.join(map(str, p.path)) or 'arguments'}: {p.message}" for p in problems[:5]
        )
        return value, (
            f"The arguments do not fit the tool's schema: {described[:_SCHEMA_ERROR_LIMIT]}."
            " The tool was not run."
        )
    return value, None


def _finished(running: ToolResult, outcome: ToolOutcome, seconds: float) -> ToolResult:
    images = tuple(
        ToolImage(part.media_type, part.data)
        for part in outcome.images
        if part.media_type in IMAGE_MEDIA_TYPES
    )
    links = tuple(ToolLink(part.uri, part.text) for part in outcome.parts if part.kind == "link")
    return replace(
        running,
        state=ToolCallState.FAILED if outcome.is_error else ToolCallState.DONE,
        is_error=outcome.is_error,
        seconds=outcome.seconds if outcome.seconds is not None else seconds,
        images=images,
        links=links,
    )
