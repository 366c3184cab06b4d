"""What a message's status line says and which actions it offers: pure functions of the view."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from longcat_desktop.ui.message_view import (
    ERROR_AUTH,
    ERROR_RATE_LIMIT,
    FINISH_CONTENT_FILTER,
    FINISH_CONTEXT_FULL,
    FINISH_PAUSED,
    FINISH_REFUSAL,
    STATUS_COMPLETE,
    STATUS_ERROR,
    STATUS_INTERRUPTED,
    STATUS_STOPPED,
    MessageView,
)

ACTION_RETRY = "retry"
ACTION_CONTINUE = "continue"
ACTION_SETTINGS = "settings"
ACTION_COUNTDOWN = "countdown"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MessageStatus", text)


@dataclass(frozen=True, slots=True)
class StatusLine:
    kind: str  # "error", "warning" or "info": picks the colours and icon
    text: str
    actions: tuple[str, ...]


def status_line_for(view: MessageView) -> StatusLine | None:
    """None when the message needs no status line (complete, or still streaming)."""
    if view.is_user:
        return None
    if view.status == STATUS_ERROR:
        message = view.error_message or _tr("The request failed.")
        if view.error_kind == ERROR_AUTH:
            return StatusLine("error", message, (ACTION_SETTINGS,))
        if view.error_kind == ERROR_RATE_LIMIT:
            return StatusLine("warning", message, (ACTION_COUNTDOWN, ACTION_RETRY))
        return StatusLine("error", message, (ACTION_RETRY,))
    if view.status == STATUS_INTERRUPTED:
        reason = view.error_message or _tr("the connection dropped")
        text = _tr("The answer was interrupted: {reason}").format(reason=reason)
        return StatusLine("warning", text, (ACTION_RETRY, ACTION_CONTINUE))
    if view.status == STATUS_STOPPED:
        return StatusLine("info", _tr("Stopped."), (ACTION_CONTINUE,))
    if view.was_cut_off:
        text = _tr("The answer reached the max_tokens limit and was cut off.")
        return StatusLine("warning", text, (ACTION_CONTINUE,))
    return _finish_line(view)


def _finish_line(view: MessageView) -> StatusLine | None:
    """A complete answer that ended for a reason other than being done says why; without it
    a filtered or refused answer would just stop, perhaps with nothing in it."""
    if view.status != STATUS_COMPLETE:
        return None
    reason = view.finish_reason
    if reason == FINISH_CONTENT_FILTER:
        text = _tr("The platform's content filter stopped this answer.")
        return StatusLine("warning", text, (ACTION_RETRY,))
    if reason == FINISH_REFUSAL:
        return StatusLine("warning", _tr("The model declined to answer this."), (ACTION_RETRY,))
    if reason == FINISH_CONTEXT_FULL:
        # Continuing would only hit the same wall: the way on is a shorter or new conversation.
        text = _tr(
            "The conversation filled the model's context window and the answer was cut off. "
            "Start a new conversation or shorten this one to go on."
        )
        return StatusLine("warning", text, ())
    if reason == FINISH_PAUSED:
        text = _tr("The server paused this answer.")
        return StatusLine("info", text, (ACTION_CONTINUE,))
    return None


def _count(value: int) -> str:
    return f"{value:,}"


def stats_text(view: MessageView) -> str:
    """The small print under an answer, e.g. '412 tokens · 6.2 s · 66 tok/s'."""
    if view.is_user or view.is_streaming:
        return ""
    parts: list[str] = []
    if view.usage is not None and view.usage.output_tokens is not None:
        parts.append(_tr("{n} tokens").format(n=_count(view.usage.output_tokens)))
    if view.duration_seconds is not None:
        parts.append(_tr("{s:.1f} s").format(s=view.duration_seconds))
    if view.tokens_per_second is not None:
        parts.append(_tr("{r:.0f} tok/s").format(r=view.tokens_per_second))
    return " · ".join(parts)


def stats_tooltip(view: MessageView) -> str:
    lines: list[str] = []
    if view.model:
        lines.append(_tr("Model: {model}").format(model=view.model))
    if view.usage is not None:
        if view.usage.input_tokens is not None:
            lines.append(_tr("Input tokens: {n}").format(n=_count(view.usage.input_tokens)))
        if view.usage.output_tokens is not None:
            lines.append(_tr("Output tokens: {n}").format(n=_count(view.usage.output_tokens)))
    if view.duration_seconds is not None:
        lines.append(_tr("Duration: {s:.2f} s").format(s=view.duration_seconds))
    if view.tokens_per_second is not None:
        lines.append(_tr("Speed: {r:.1f} tokens/s").format(r=view.tokens_per_second))
    if view.finish_reason:
        lines.append(_tr("Finish reason: {reason}").format(reason=view.finish_reason))
    return "\n".join(lines)


def reasoning_title(view: MessageView, answer_started: bool) -> str:
    if view.is_streaming and not answer_started:
        return _tr("Thinking…")
    if view.reasoning_seconds is not None:
        seconds = max(1, round(view.reasoning_seconds))
        return _tr("Thought for {n} s").format(n=seconds)
    return _tr("Thoughts")


def switcher_text(view: MessageView) -> str:
    return f"{view.sibling_index + 1}/{view.sibling_count}"
