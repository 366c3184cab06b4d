"""Stored messages turned into what a MessageWidget shows."""

from __future__ import annotations

from longcat_desktop.domain.conversation import MessageStatus, Siblings, StoredMessage
from longcat_desktop.render.theme import DARK_THEME, LIGHT_THEME, RenderTheme
from longcat_desktop.services.error_actions import ErrorAction, action_for
from longcat_desktop.services.user_text import localized, said
from longcat_desktop.ui.message_view import ERROR_AUTH, ERROR_RATE_LIMIT, MessageView, Usage
from longcat_desktop.ui.theme import Theme

_KINDS = {ErrorAction.OPEN_SETTINGS: ERROR_AUTH, ErrorAction.WAIT_AND_RETRY: ERROR_RATE_LIMIT}


def message_view(message: StoredMessage, siblings: Siblings | None = None) -> MessageView:
    error_message = error_kind = None
    if message.error is not None and message.status is not MessageStatus.COMPLETE:
        error_message = localized(said(message.error))
        error_kind = _KINDS.get(action_for(message.error), "other")
    usage = None
    if message.usage is not None and message.usage.total_tokens is not None:
        usage = Usage(message.usage.input_tokens, message.usage.output_tokens)
    duration = tokens_per_second = None
    if message.finished_at is not None:
        duration = max(0.0, message.finished_at - message.created_at)
        output = message.usage.output_tokens if message.usage else None
        if output and message.first_token_at is not None:
            generating = message.finished_at - message.first_token_at
            if generating > 0:
                tokens_per_second = output / generating
    return MessageView(
        id=message.id,
        role=message.role,
        status=message.status,
        finish_reason=message.finish_reason,
        error_message=error_message,
        error_kind=error_kind,
        model=message.model,
        usage=usage,
        duration_seconds=duration,
        tokens_per_second=tokens_per_second,
        sibling_index=siblings.index if siblings else 0,
        sibling_count=siblings.count if siblings else 1,
        has_reasoning=bool(message.reasoning),
        reasoning_seconds=message.reasoning_seconds,
    )


def render_theme_for(theme: Theme, copy_label: str) -> RenderTheme:
    base = DARK_THEME if theme.is_dark else LIGHT_THEME
    return RenderTheme(
        text=theme.text,
        muted=theme.muted,
        background=base.background,
        code_background=theme.code_background,
        code_header_background=base.code_header_background,
        border=theme.code_border,
        link=theme.link,
        pygments_style=base.pygments_style,
        base_font_size=float(theme.font_size),
        copy_label=copy_label,
    )
