"""Answers being streamed: one task per answer, persisted as it arrives, shown as it renders.

Each answer's task is owned here, so Stop cancels exactly that answer, switching conversations
leaves it running, and shutdown ends them all. Tokens are coalesced and announced at most every
16 ms; the store gets them at least every 250 ms, so a crash loses no more than that.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from longcat_desktop.domain import (
    ApiError,
    ApiFormat,
    ChatRequest,
    ImagePart,
    Message,
    Role,
    Usage,
)
from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.answer import AnswerSnapshot, fold
from longcat_desktop.domain.attachments import Attachment, message_with_documents
from longcat_desktop.domain.chat import IMAGE_MEDIA_TYPES, ToolCall
from longcat_desktop.domain.conversation import (
    Conversation,
    ErrorDetails,
    MessageStatus,
    StoredMessage,
)
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.tool_turns import (
    CUT_OFF_RESULT,
    INTERRUPTED_RESULT,
    MISSING_RESULT,
    STOPPED_RESULT,
    TURN_LIMIT_RESULT,
    StoredToolCall,
    ToolCallState,
    ToolResult,
)
from longcat_desktop.domain.typed_text import message_text
from longcat_desktop.services.client_pool import ClientPool
from longcat_desktop.services.error_actions import error_type_of
from longcat_desktop.services.i18n import translate
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.tool_loop import ToolLoop, ToolOffer
from longcat_desktop.services.user_text import localized, said, store_error_text
from longcat_desktop.store.errors import DatabaseBusyError, StoreError
from longcat_desktop.store.recovery import UnwrittenAnswer
from longcat_desktop.store.store import Store
from longcat_desktop.store.streaming import StreamingMessageWriter

if TYPE_CHECKING:
    # asyncio itself is imported where a coroutine uses it: the window paints before the loop.
    import asyncio

log = logging.getLogger(__name__)
T = TypeVar("T")

# One screen refresh: coalescing below this only adds latency, above it the view stutters.
REFRESH_INTERVAL_MS = 16
# Checks for buffered text that waited long enough to be written; well under the 250 ms promise.
FLUSH_CHECK_MS = 50
# A lock another program holds on the database is reported only once writes have failed this
# long (seconds): a tool reading or backing up the file for a moment is not worth a notice.
LOCK_REPORT_AFTER = 3.0
# How often the end of an answer the database refused is tried again.
OUTCOME_RETRY_MS = 500
# At quit, how long such answers are retried (seconds), and how often, before they are saved to
# recovery files instead.
SHUTDOWN_RETRY_FOR = 2.0
SHUTDOWN_RETRY_EVERY = 0.25
# How long to wait before retrying a rate-limited answer when the server did not say.
DEFAULT_RATE_LIMIT_WAIT = 20.0
# Sent after a partial answer in formats that do not continue a trailing assistant turn.
CONTINUE_PROMPT = "Continue exactly where your previous answer stopped, without repeating it."


def _tr(text: str, *args: object) -> str:
    return translate("ChatService", text, *args)


@dataclass
class LiveAnswer:
    """An answer whose task is running."""

    conversation_id: ConversationId
    message_id: MessageId
    writer: StreamingMessageWriter
    # What the message held before this stream: the start of an answer being continued.
    base_text: str = ""
    base_reasoning: str = ""
    started: float = field(default_factory=time.monotonic)
    task: asyncio.Task[None] | None = None
    # Everything the stream said so far, and the part of it the view has been told about.
    snapshot: AnswerSnapshot = field(default_factory=AnswerSnapshot)
    shown: AnswerSnapshot = field(default_factory=AnswerSnapshot)
    stopping: MessageStatus | None = None
    retry_deadline: float | None = None
    retry_reason: str | None = None
    # The model turn this answer is within its user message (tool calls add turns).
    turn: int = 1
    # The tools sent with the request; None when none were.
    tools: ToolOffer | None = None


@dataclass
class _ToolRun:
    """An answer's tool calls being run: the task, and how a cancelled call ends."""

    task: asyncio.Task[None] | None
    # The last result message: the path up from it holds every message the run depends on.
    last_result: MessageId | None = None
    ending: ToolCallState = ToolCallState.CANCELLED


@dataclass
class _Outcome:
    """How an answer ended, kept until the database has it."""

    answer: LiveAnswer
    status: MessageStatus
    finish_reason: str | None
    usage: Usage | None
    error: ErrorDetails | None


class ChatService(QObject):
    # Messages were added, removed or another branch is shown: reload the thread.
    threadChanged = Signal(int)  # conversation id
    # New text for a streaming answer, coalesced to one signal per refresh.
    answerDelta = Signal(int, int, str, str)  # conversation id, message id, text, reasoning
    # The answer's status, usage or error changed (it finished, failed, was stopped).
    answerUpdated = Signal(int, int)  # conversation id, message id
    # The request failed before any answer and will be sent again after the delay.
    answerRetrying = Signal(int, int, float, str)  # conversation, message, seconds, reason
    streamingChanged = Signal(int, bool)  # conversation id, streaming
    # Something could not be written to disk; the text stays in memory and is retried.
    storeFailed = Signal(str)
    # The tool loop stopped at the limit of model turns per message.
    turnLimitReached = Signal(int, int)  # conversation id, the limit

    def __init__(
        self,
        store: Store,
        clients: ClientPool,
        tasks: TaskOwner,
        parent: QObject | None = None,
        *,
        tool_loop: ToolLoop | None = None,
    ) -> None:
        super().__init__(parent)
        self.tool_loop = tool_loop
        # Tool calls being run, by conversation id: the conversation counts as busy.
        self._tool_runs: dict[ConversationId, _ToolRun] = {}
        self._store = store
        self._clients = clients
        self._tasks = tasks
        self._live: dict[MessageId, LiveAnswer] = {}  # by message id
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_INTERVAL_MS)
        self._refresh.timeout.connect(self._announce_pending)
        self._flush = QTimer(self, interval=FLUSH_CHECK_MS)
        self._flush.timeout.connect(self._flush_due)
        self._store_failure_reported = False
        # Answers whose end the database refused so far, by message id: retried until written.
        self._unwritten: dict[MessageId, _Outcome] = {}
        self._shutting_down = False
        # Answers that failed on a rate limit in this run: the wait the server asked for.
        self._rate_limited: dict[MessageId, float] = {}

    # -- queries ------------------------------------------------------------------------------

    def is_streaming(self, conversation_id: ConversationId) -> bool:
        return conversation_id in self._tool_runs or any(
            a.conversation_id == conversation_id for a in self._live.values()
        )

    def streaming_conversations(self) -> set[ConversationId]:
        return {answer.conversation_id for answer in self._live.values()} | set(self._tool_runs)

    def live_answer(self, message_id: MessageId) -> LiveAnswer | None:
        return self._live.get(message_id)

    def retry_wait(self, message_id: MessageId) -> float | None:
        """Seconds to wait before retrying an answer that failed on a rate limit in this run;
        None for any other answer."""
        return self._rate_limited.get(message_id)

    def retry_countdown(self, message_id: MessageId) -> tuple[float, str] | None:
        """Seconds left and the reason, while a streaming answer waits to be sent again."""
        answer = self._live.get(message_id)
        if answer is None or answer.retry_deadline is None:
            return None
        left = answer.retry_deadline - time.monotonic()
        return (left, answer.retry_reason or "") if left > 0 else None

    def shown_text(self, message_id: MessageId) -> tuple[str, str] | None:
        """Text and reasoning announced so far for a streaming answer; later text arrives by
        answerDelta. None when the answer is not streaming."""
        answer = self._live.get(message_id)
        if answer is None:
            return None
        return (
            answer.base_text + str(answer.shown.text),
            answer.base_reasoning + str(answer.shown.reasoning),
        )

    def thought_seconds(self, message_id: MessageId) -> float | None:
        """How long a streaming answer's model thought, once its answer text has begun."""
        answer = self._live.get(message_id)
        return None if answer is None else answer.writer.finished_thinking_seconds

    # -- starting answers ---------------------------------------------------------------------

    def send(self, conversation_id: ConversationId, text: str) -> MessageId | None:
        """Add the user's message, with the draft's attachments, under the shown branch and
        answer it. Returns the answer's id."""
        text = message_text(text)
        if not text and not self._store.attachments.draft(conversation_id):
            return None
        parent = self._store.messages.current_leaf(conversation_id)

        def add() -> StoredMessage:
            user = self._store.messages.add_user_message(conversation_id, parent, text)
            self._store.attachments.move_draft_to_message(conversation_id, user.id)
            return user

        return self._ask(conversation_id, add)

    def edit_and_resend(self, message_id: MessageId, text: str) -> MessageId | None:
        """A new version of a user message beside the old one, and an answer to it."""
        text = message_text(text)
        original = self._store.messages.get(message_id)
        attachments = self._store.attachments.of_message(message_id)
        if (not text and not attachments) or original.role is not Role.USER:
            return None

        def add() -> StoredMessage:
            # The new version keeps the attachments of the one it replaces.
            user = self._store.messages.add_user_message(
                original.conversation_id, original.parent_id, text
            )
            self._store.attachments.attach(user.id, attachments)
            return user

        return self._ask(original.conversation_id, add)

    def _ask(
        self, conversation_id: ConversationId, add_question: Callable[[], StoredMessage]
    ) -> MessageId | None:
        """Write a question (with its attachments) and its answer's row in one transaction,
        then start the answer. When the store refuses any of it, nothing is written: "not
        sent" is true, the text stays in the composer, and sending again adds it once."""
        conversation = self._store.conversations.get(conversation_id)
        settings = conversation.settings

        def write() -> tuple[StoredMessage, StoredMessage]:
            with self._store.transaction():
                user = add_question()
                answer = self._store.messages.start_assistant_message(
                    conversation_id, user.id, model=settings.model, api_format=settings.api_format
                )
            return user, answer

        written = self._write(write)
        if written is None:
            return None
        user, answer = written
        history = self._store.messages.path_to(user.id)
        return self._start(conversation, answer, self._request(conversation, history))

    def regenerate(self, message_id: MessageId) -> MessageId | None:
        """Another answer beside this one; the old one stays, one click away."""
        original = self._store.messages.get(message_id)
        if original.role is not Role.ASSISTANT or original.parent_id is None:
            return None
        if message_id in self._live:
            self.stop_answer(message_id)
        return self._answer(original.conversation_id, original.parent_id)

    def retry(self, message_id: MessageId) -> MessageId | None:
        """Answer again after a failure, beside the failed answer: nothing is ever deleted to
        retry, so whatever followed it stays. Only a failed answer with nothing in it and
        nothing after it is replaced rather than kept as an empty version."""
        original = self._store.messages.get(message_id)
        if original.role is not Role.ASSISTANT or original.parent_id is None:
            return None
        if (
            not original.text
            and not original.reasoning
            and message_id not in self._live
            and not self._store.messages.children(original.conversation_id, message_id)
        ):
            self._write(lambda: self._store.messages.delete_branch(message_id))
        return self._answer(original.conversation_id, original.parent_id)

    def may_retry_by_itself(self, message_id: MessageId) -> bool:
        """Whether a failed answer can be retried without the user asking: only while it is
        still the end of the shown thread (a follow-up sent meanwhile means the user moved on,
        and a new version would take the thread away from it)."""
        try:
            original = self._store.messages.get(message_id)
            leaf = self._store.messages.current_leaf(original.conversation_id)
        except (KeyError, StoreError):
            return False
        return leaf == message_id and message_id not in self._live

    def continue_answer(self, message_id: MessageId) -> MessageId | None:
        """Carry on an answer that was stopped, interrupted or cut off, in the same message."""
        original = self._store.messages.get(message_id)
        if original.role is not Role.ASSISTANT or message_id in self._live:
            return None
        resumed = self._write(lambda: self._store.messages.resume_assistant_message(message_id))
        if resumed is None:
            return None
        conversation = self._store.conversations.get(original.conversation_id)
        history = self._store.messages.path_to(message_id)
        request = self._request(conversation, history, continuing=True)
        return self._start(conversation, resumed, request)

    def _answer(
        self, conversation_id: ConversationId, parent_id: MessageId, turn: int = 1
    ) -> MessageId | None:
        conversation = self._store.conversations.get(conversation_id)
        settings = conversation.settings
        answer = self._write(
            lambda: self._store.messages.start_assistant_message(
                conversation_id, parent_id, model=settings.model, api_format=settings.api_format
            )
        )
        if answer is None:
            return None
        history = self._store.messages.path_to(parent_id)
        return self._start(conversation, answer, self._request(conversation, history), turn)

    def _request(
        self, conversation: Conversation, history: Sequence[StoredMessage], continuing: bool = False
    ) -> ChatRequest:
        settings = conversation.settings
        attachments = self._store.attachments.of_messages(
            message.id for message in history if message.role is Role.USER
        )
        loop = self.tool_loop
        messages = _history_messages(
            history,
            attachments,
            self._store.attachments.data,
            tool_images=loop is not None
            and loop.model_sees_images(settings.api_format.value, settings.model),
        )
        if continuing and settings.api_format is ApiFormat.OPENAI:
            messages.append(Message(role="user", content=CONTINUE_PROMPT))
        return ChatRequest(
            model=settings.model,
            messages=messages,
            system=settings.system_prompt or None,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            top_p=settings.top_p,
            thinking=settings.thinking,
        )

    def _start(
        self,
        conversation: Conversation,
        message: StoredMessage,
        request: ChatRequest,
        turn: int = 1,
    ) -> MessageId:
        message_id = message.id
        answer = LiveAnswer(
            conversation.id,
            message_id,
            self._store.writer(message_id),
            base_text=message.text,
            base_reasoning=message.reasoning,
            turn=turn,
        )
        first_of_conversation = not self.is_streaming(conversation.id)
        self._live[message_id] = answer
        answer.task = self._tasks.spawn(
            self._run(answer, conversation, request), name=f"answer-{message_id}"
        )
        answer.task.add_done_callback(lambda _task: self._cancelled_before_start(answer))
        self._flush.start()
        self.threadChanged.emit(conversation.id)
        if first_of_conversation:
            self.streamingChanged.emit(conversation.id, True)
        return message_id

    # -- stopping -----------------------------------------------------------------------------

    def stop(self, conversation_id: ConversationId) -> None:
        """Stop every answer streaming in this conversation, keeping what arrived, and the
        tool calls it is running."""
        run = self._tool_runs.get(conversation_id)
        if run is not None and run.task is not None:
            run.task.cancel()
        for answer in list(self._live.values()):
            if answer.conversation_id == conversation_id:
                self.stop_answer(answer.message_id)

    def stop_answer(
        self, message_id: MessageId, status: MessageStatus = MessageStatus.STOPPED
    ) -> None:
        answer = self._live.get(message_id)
        if answer is None or answer.task is None:
            return
        answer.stopping = status
        answer.task.cancel()

    def stop_branch(self, message_id: MessageId) -> None:
        """Stop every answer streaming at or below this message, before it is deleted."""
        for answer in list(self._live.values()):
            if answer.message_id == message_id or any(
                message.id == message_id
                for message in self._store.messages.path_to(answer.message_id)
            ):
                self.stop_answer(answer.message_id)
        for run in self._tool_runs.values():
            if (
                run.task is not None
                and run.last_result is not None
                and any(
                    message.id == message_id
                    for message in self._store.messages.path_to(run.last_result)
                )
            ):
                run.task.cancel()

    async def shutdown(self) -> None:
        """End every answer (kept, marked interrupted) and wait until each is written.

        An answer the database still refuses (a full disk) is tried again for a moment, then
        saved to a recovery file that the next start puts back."""
        tasks = [a.task for a in self._live.values() if a.task is not None]
        tasks += [run.task for run in self._tool_runs.values() if run.task is not None]
        for run in self._tool_runs.values():
            run.ending = ToolCallState.INTERRUPTED
            if run.task is not None:
                run.task.cancel()
        for answer in list(self._live.values()):
            self.stop_answer(answer.message_id, MessageStatus.INTERRUPTED)
        if tasks:
            import asyncio

            await asyncio.gather(*tasks, return_exceptions=True)
        self._shutting_down = True
        await self._write_unwritten_outcomes()
        self._flush.stop()

    # -- the answer's task --------------------------------------------------------------------

    async def _run(
        self, answer: LiveAnswer, conversation: Conversation, request: ChatRequest
    ) -> None:
        """Fold every event into the answer's snapshot, write what changed, announce it."""
        import asyncio

        status = MessageStatus.INTERRUPTED
        error: ErrorDetails | None = None
        calls: list[tuple[StoredMessage, StoredToolCall]] = []
        try:
            if self.tool_loop is not None:
                settings = conversation.settings
                answer.tools = await self.tool_loop.offer(
                    conversation.id, settings.api_format.value, settings.model
                )
                if answer.tools.tools:
                    request = replace(request, tools=answer.tools.tools)
            async with (
                self._clients.using(conversation.settings.api_format) as client,
                aclosing(client.stream_chat(request)) as events,
            ):
                async for event in events:
                    before = answer.snapshot
                    answer.snapshot = after = fold(before, event)
                    self._write_change(answer, before, after)
            end = answer.snapshot.end
            if end is not None:
                status = MessageStatus.COMPLETE if end.complete else MessageStatus.INTERRUPTED
                if end.interruption:
                    error = ErrorDetails.of(end.interruption, type="interrupted")
        except asyncio.CancelledError:
            status = answer.stopping or MessageStatus.STOPPED
        except ApiError as failure:
            status = MessageStatus.ERROR
            if failure.status == 429 or error_type_of(failure) == "rate_limit_error":
                wait = failure.retry_after
                self._rate_limited[answer.message_id] = (
                    DEFAULT_RATE_LIMIT_WAIT if wait is None else max(1.0, wait)
                )
            error = ErrorDetails.of(
                said(failure),
                type=failure.type or error_type_of(failure),
                code=failure.code,
                status=failure.status,
            )
        except Exception as failure:
            # A bug, not a failure of the network or the server: the answer still ends, with
            # the text kept and a message under it, rather than as a crash dialog.
            log.exception("answer %s failed unexpectedly", answer.message_id)
            status = MessageStatus.ERROR
            error = ErrorDetails.of(
                texts.ANSWER_FAILED(type(failure).__name__), type="internal_error"
            )
        finally:
            snapshot = answer.snapshot
            usage = snapshot.usage if snapshot.usage != Usage() else None
            if snapshot.tool_calls and answer.tools is not None:
                calls = self._record_tool_calls(answer, status)
            self._finish(answer, status, snapshot.finish_reason, usage, error)
        if calls:
            await self._run_tool_calls(answer, calls)

    # -- tool calls ---------------------------------------------------------------------------

    def _record_tool_calls(
        self, answer: LiveAnswer, status: MessageStatus
    ) -> list[tuple[StoredMessage, StoredToolCall]]:
        """Write the answer's calls and a result row for each, before the answer's outcome.

        Returns the calls to run: none when the answer did not end whole (a call cut off by
        max_tokens, Stop or a dropped connection never runs) or the turn limit is reached;
        those calls get their reason as an error result at once."""
        import asyncio

        snapshot, offer = answer.snapshot, answer.tools
        assert offer is not None
        stored: list[StoredToolCall] = []
        for position, state in enumerate(snapshot.tool_calls):
            call = state.to_call()
            ref = offer.names.get(call.name)
            stored.append(
                StoredToolCall(
                    # A call without an id could not be answered: give it one.
                    call.id or f"call_{answer.message_id}_{position}",
                    call.name,
                    call.arguments,
                    None if ref is None else ref.server,
                    None if ref is None else ref.tool,
                )
            )
        limit = self.tool_loop.turn_limit() if self.tool_loop is not None else 0
        runnable = status is MessageStatus.COMPLETE and snapshot.tool_calls_whole
        over_limit = runnable and answer.turn >= limit
        if runnable and not over_limit:
            text, state_of = "", ToolCallState.WAITING
        elif over_limit:
            text, state_of = TURN_LIMIT_RESULT.format(limit=limit), ToolCallState.CANCELLED
        else:
            text, state_of = CUT_OFF_RESULT, ToolCallState.CANCELLED
        results = [
            (
                text,
                ToolResult(
                    c.id,
                    c.name,
                    c.arguments,
                    c.server,
                    c.tool,
                    state=state_of,
                    is_error=state_of.final,
                ),
            )
            for c in stored
        ]

        def write() -> list[StoredMessage]:
            self._store.messages.set_tool_calls(answer.message_id, tuple(stored))
            return self._store.messages.add_tool_results(
                answer.conversation_id, answer.message_id, results
            )

        rows = self._write(write)
        self.threadChanged.emit(answer.conversation_id)
        if over_limit:
            self.turnLimitReached.emit(answer.conversation_id, limit)
        if rows is None or not runnable or over_limit:
            return []
        # Busy from now on, so the answer's end does not announce the conversation idle.
        self._tool_runs[answer.conversation_id] = _ToolRun(asyncio.current_task(), rows[-1].id)
        return list(zip(rows, stored, strict=True))

    async def _run_tool_calls(
        self, answer: LiveAnswer, calls: list[tuple[StoredMessage, StoredToolCall]]
    ) -> None:
        """Run the calls in order, then let the model read their results."""
        import asyncio

        conversation_id = answer.conversation_id
        run = self._tool_runs[conversation_id]
        loop = self.tool_loop
        offer = answer.tools
        assert loop is not None
        assert offer is not None
        finished = False
        try:
            for row, call in calls:
                await loop.run_call(conversation_id, row.id, call, offer)
            finished = True
        except asyncio.CancelledError:
            text = INTERRUPTED_RESULT if run.ending is ToolCallState.INTERRUPTED else STOPPED_RESULT
            for row, _call in calls:
                with contextlib.suppress(KeyError, StoreError):
                    loop.end_call(
                        conversation_id, self._store.messages.get(row.id), run.ending, text
                    )
        except Exception:
            log.exception("tool calls of answer %s failed unexpectedly", answer.message_id)
            for row, _call in calls:
                with contextlib.suppress(KeyError, StoreError):
                    loop.end_call(
                        conversation_id,
                        self._store.messages.get(row.id),
                        ToolCallState.FAILED,
                        "The call failed inside the app.",
                    )
        if finished and not self._shutting_down:
            # Started before the run is forgotten, so the conversation never looks idle.
            # The results may be gone (their branch deleted meanwhile): then nothing follows.
            with contextlib.suppress(KeyError, ValueError):
                self._answer(conversation_id, calls[-1][0].id, answer.turn + 1)
        del self._tool_runs[conversation_id]
        self.threadChanged.emit(conversation_id)
        if not self.is_streaming(conversation_id):
            self.streamingChanged.emit(conversation_id, False)

    def _write_change(
        self, answer: LiveAnswer, before: AnswerSnapshot, after: AnswerSnapshot
    ) -> None:
        """Hand the writer what the last event changed, and schedule the view's refresh.

        Unchanged parts are the very same objects in both snapshots (fold shares them), so
        each check is an identity test: a token costs the same at the end as at the start."""
        writer = answer.writer
        if after.text is not before.text:
            writer.append_text(after.text.since(before.text))
        if after.reasoning is not before.reasoning:
            writer.append_reasoning(after.reasoning.since(before.reasoning))
        if after.text is not before.text or after.reasoning is not before.reasoning:
            answer.retry_deadline = None
            self._schedule_refresh()
        if after.reasoning_signature is not before.reasoning_signature and (
            after.reasoning_signature is not None
        ):
            writer.set_reasoning_signature(after.reasoning_signature)
        if after.usage is not before.usage:
            writer.set_usage(after.usage)
        if after.tool_calls is not before.tool_calls:
            # Tool calls stay in the snapshot until the answer ends; the view shows them then.
            answer.retry_deadline = None
        if after.retrying is not None and after.retrying is not before.retrying:
            retrying = after.retrying
            answer.retry_deadline = time.monotonic() + retrying.delay
            answer.retry_reason = localized(said(retrying.error))
            self.answerRetrying.emit(
                answer.conversation_id, answer.message_id, retrying.delay, answer.retry_reason
            )

    def _cancelled_before_start(self, answer: LiveAnswer) -> None:
        """A task cancelled before its first step never runs its body, so nothing would mark
        the answer as ended (Stop or shutdown in the same loop turn as Send)."""
        if self._live.get(answer.message_id) is answer and answer.task is not None:
            self._finish(answer, answer.stopping or MessageStatus.STOPPED, None, None, None)

    def _finish(
        self,
        answer: LiveAnswer,
        status: MessageStatus,
        finish_reason: str | None,
        usage: Usage | None,
        error: ErrorDetails | None,
    ) -> None:
        self._announce(answer)
        answer.task = None
        self._write_outcome(answer, status, finish_reason, usage, error)

    def _write_outcome(
        self,
        answer: LiveAnswer,
        status: MessageStatus,
        finish_reason: str | None,
        usage: Usage | None,
        error: ErrorDetails | None,
    ) -> None:
        """Write how the answer ended; while the disk refuses, the answer stays live (its text
        kept by the writer) and the write is tried again until it succeeds or the app quits."""
        self._unwritten[answer.message_id] = _Outcome(answer, status, finish_reason, usage, error)
        self._retry_outcome(answer.message_id)

    def _retry_outcome(self, message_id: MessageId) -> None:
        outcome = self._unwritten.get(message_id)
        if outcome is None or self._shutting_down:
            return  # Written already, or shutdown() tries it from now on.
        try:
            self._write_pending(outcome)
        except StoreError as failure:
            self._report_lasting_failure(outcome.answer.writer, failure)
            QTimer.singleShot(OUTCOME_RETRY_MS, lambda: self._retry_outcome(message_id))
        except Exception:
            # Not a refusal of the disk but a fault: still never leave the answer unwritten
            # (and so "streaming") while it can be tried again; at quit, a recovery file.
            log.exception("the end of answer %s could not be written", message_id)
            QTimer.singleShot(OUTCOME_RETRY_MS, lambda: self._retry_outcome(message_id))

    def _write_pending(self, outcome: _Outcome) -> None:
        """Raises StoreError, keeping the outcome pending."""
        answer = outcome.answer
        answer.writer.finish(
            outcome.status,
            finish_reason=outcome.finish_reason,
            usage=outcome.usage,
            error=outcome.error,
        )
        del self._unwritten[answer.message_id]
        self._forget(answer)

    async def _write_unwritten_outcomes(self) -> None:
        """At quit: retry for a bounded time, then save what is left to recovery files."""
        import asyncio

        deadline = time.monotonic() + SHUTDOWN_RETRY_FOR
        while self._unwritten:
            for outcome in list(self._unwritten.values()):
                with contextlib.suppress(StoreError):
                    self._write_pending(outcome)
            if not self._unwritten or time.monotonic() >= deadline:
                break
            await asyncio.sleep(SHUTDOWN_RETRY_EVERY)
        for outcome in list(self._unwritten.values()):
            self._save_for_recovery(outcome)
            del self._unwritten[outcome.answer.message_id]
            self._live.pop(outcome.answer.message_id, None)

    def _save_for_recovery(self, outcome: _Outcome) -> None:
        answer = outcome.answer
        text, reasoning = self.shown_text(answer.message_id) or ("", "")
        try:
            uuid = self._store.messages.get(answer.message_id).uuid
            path = self._store.recovery.save(
                UnwrittenAnswer(
                    conversation_id=answer.conversation_id,
                    message_id=answer.message_id,
                    message_uuid=uuid,
                    text=text,
                    reasoning=reasoning,
                    status=outcome.status,
                    finish_reason=outcome.finish_reason,
                    error=outcome.error,
                )
            )
        except (StoreError, KeyError, OSError) as failure:
            log.error("Answer %s could not be saved anywhere: %s", answer.message_id, failure)
        else:
            log.warning("Answer %s saved to %s for the next start", answer.message_id, path)

    def _forget(self, answer: LiveAnswer) -> None:
        self._live.pop(answer.message_id, None)
        if not self._live:
            self._flush.stop()
        self.answerUpdated.emit(answer.conversation_id, answer.message_id)
        if not self.is_streaming(answer.conversation_id):
            self.streamingChanged.emit(answer.conversation_id, False)

    # -- timers -------------------------------------------------------------------------------

    def _schedule_refresh(self) -> None:
        if not self._refresh.isActive():
            self._refresh.start()

    def _announce_pending(self) -> None:
        for answer in list(self._live.values()):
            self._announce(answer)

    def _announce(self, answer: LiveAnswer) -> None:
        shown, current = answer.shown, answer.snapshot
        if current.text is shown.text and current.reasoning is shown.reasoning:
            return
        text = current.text.since(shown.text)
        reasoning = current.reasoning.since(shown.reasoning)
        answer.shown = current
        self.answerDelta.emit(answer.conversation_id, answer.message_id, text, reasoning)

    def _flush_due(self) -> None:
        for answer in list(self._live.values()):
            writer = answer.writer
            if not writer.due():
                continue
            try:
                writer.flush()
            except StoreError as failure:
                self._report_lasting_failure(writer, failure)
            else:
                self._store_failure_reported = False

    def _report_lasting_failure(self, writer: StreamingMessageWriter, failure: StoreError) -> None:
        """Report a failed streaming write, unless it is a lock that may soon be released: the
        text stays buffered and every tick tries again, without waiting on the lock."""
        if isinstance(failure, DatabaseBusyError) and writer.failing_for() < LOCK_REPORT_AFTER:
            return
        self._report_store_failure(failure)

    def _report_store_failure(self, failure: StoreError) -> None:
        if not self._store_failure_reported:
            self._store_failure_reported = True
            self.storeFailed.emit(store_error_text(failure))

    def _write(self, operation: Callable[[], T]) -> T | None:
        try:
            return operation()
        except StoreError as failure:
            self.storeFailed.emit(store_error_text(failure))
            return None


def _history_messages(
    history: Sequence[StoredMessage],
    attachments: Mapping[int, Sequence[Attachment]] | None = None,
    image_data: Callable[[str], bytes] | None = None,
    tool_images: bool = True,
) -> list[Message]:
    """The thread as the model sees it: no empty turns, roles strictly alternating, and every
    tool call followed by its result (an error result when none was recorded).

    A user turn carries its documents as text after its own (domain/attachments.py) and its
    images as image parts, read from the store only now. Images from tools go along only to a
    model that reads images (`tool_images`).
    """
    messages: list[Message] = []
    # Calls of the last answer still waiting for their result message.
    open_calls: list[StoredToolCall] = []

    def close_calls() -> None:
        for call in open_calls:
            messages.append(
                Message(role="tool", content=MISSING_RESULT, tool_call_id=call.id, is_error=True)
            )
        open_calls.clear()

    for stored in history:
        text = stored.text
        if stored.role is Role.TOOL:
            result = stored.tool_result
            if result is None or not any(c.id == result.call_id for c in open_calls):
                continue  # A result of no call sent: the model would refuse it.
            open_calls[:] = [c for c in open_calls if c.id != result.call_id]
            messages.append(
                Message(
                    role="tool",
                    content=text or ("(no output)" if not result.is_error else MISSING_RESULT),
                    tool_call_id=result.call_id,
                    is_error=result.is_error,
                    images=[
                        ImagePart(image.media_type, image.data)
                        for image in result.images
                        if tool_images and image.media_type in IMAGE_MEDIA_TYPES
                    ],
                )
            )
            continue
        close_calls()
        if stored.role is Role.ASSISTANT and stored.tool_calls:
            messages.append(
                Message(
                    role="assistant",
                    content=text,
                    tool_calls=[
                        ToolCall(c.id, c.name, _sendable_arguments(c.arguments))
                        for c in stored.tool_calls
                    ],
                    reasoning=stored.reasoning,
                    reasoning_signature=stored.reasoning_signature,
                )
            )
            open_calls.extend(stored.tool_calls)
            continue
        attached = (attachments or {}).get(stored.id, ())
        images: tuple[ImagePart, ...] = ()
        if attached and stored.role is Role.USER:
            text = message_with_documents(text, [a for a in attached if not a.is_image])
            if image_data is not None:
                images = tuple(
                    ImagePart(a.media_type, image_data(a.sha256)) for a in attached if a.is_image
                )
        if not text.strip() and not images:
            continue
        role = "user" if stored.role is Role.USER else "assistant"
        if messages and messages[-1].role == role and not messages[-1].tool_calls:
            previous = messages[-1]
            joined = "\n\n".join(part for part in (previous.content, text) if part)
            messages[-1] = Message(role=role, content=joined, images=(*previous.images, *images))
        else:
            messages.append(Message(role=role, content=text, images=images))
    close_calls()
    if messages and messages[-1].role == "assistant" and not messages[-1].tool_calls:
        # A trailing partial answer is continued; Anthropic refuses trailing white space there.
        messages[-1] = Message(role="assistant", content=messages[-1].content.rstrip())
    return messages


def _sendable_arguments(text: str) -> str:
    """Arguments as the model sent them, unless they are no JSON object: servers refuse such a
    history, so those go back as {} (the call's error result says what was wrong)."""
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return "{}"
    return text if isinstance(value, dict) else "{}"
