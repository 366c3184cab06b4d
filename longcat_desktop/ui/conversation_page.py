"""The open conversation: its messages in the chat view, kept in step with the services.

The page owns one rendered document per visible message. Streamed text is appended to the
answer's document as the chat service announces it (at most once per refresh), so only the
unfinished tail is re-rendered and the cost per refresh does not grow with the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication

from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import MessageStatus, StoredMessage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.render.links import safe_href
from longcat_desktop.render.theme import RenderTheme
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.services.conversation_service import OPENING_PAGE
from longcat_desktop.services.user_text import localized, said
from longcat_desktop.ui.attachment_chips import ChipData
from longcat_desktop.ui.chat_view import ChatView, MessageItem
from longcat_desktop.ui.message_mapping import message_view
from longcat_desktop.ui.message_view import MessageView
from longcat_desktop.ui.tool_card import ToolCardList, ToolCardView

if TYPE_CHECKING:
    from longcat_desktop.render.document import StreamingDocument

# About a window of Markdown text (a wide chat column shows some 90 characters a line), each
# message counting for a few lines of its own (header, margins, actions).
OPENING_CHARS = 3_000
OPENING_MESSAGE_CHARS = 200
OPENING_MIN_MESSAGES = 4


@dataclass
class _Rendered:
    message: StoredMessage
    body: StreamingDocument
    reasoning: StreamingDocument | None


class ConversationPage(QObject):
    """Controller of the chat view for whichever conversation is open."""

    # A failed answer's action asks for the settings (wrong key, quota).
    settingsWanted = Signal()
    # A short line for the status bar.
    statusMessage = Signal(str)

    def __init__(
        self, services: AppServices, view: ChatView, theme: RenderTheme, parent: QObject | None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.view = view
        self._theme = theme
        self.conversation_id: ConversationId | None = None
        self._rendered: dict[MessageId, _Rendered] = {}
        # Seconds left before an answer is sent again, and why (a rate limit).
        self._countdowns: dict[MessageId, int] = {}
        self._countdown_reasons: dict[MessageId, str] = {}
        # Failed answers retried by themselves when their countdown ends, and the questions
        # already retried that way (once each: a server that keeps refusing gets a person).
        self._auto_retry: set[MessageId] = set()
        self._auto_retried: set[int] = set()
        self._countdown_timer = QTimer(self, interval=1000)
        self._countdown_timer.timeout.connect(self._tick_countdowns)
        # Tool call results shown as cards under their answer, by the answer's id.
        self._tool_rows: dict[MessageId, dict[MessageId, StoredMessage]] = {}
        self._tool_owner: dict[MessageId, MessageId] = {}
        tool_loop = services.tool_loop
        if tool_loop is not None:
            tool_loop.callChanged.connect(self._on_tool_call_changed)
            tool_loop.approvalRequested.connect(self._on_approval_requested)

        chat = services.chat
        chat.threadChanged.connect(self._on_thread_changed)
        chat.answerDelta.connect(self._on_delta)
        chat.answerUpdated.connect(self._on_answer_updated)
        chat.answerRetrying.connect(self._on_retrying)
        services.conversations.threadChanged.connect(self._on_thread_changed)

        view.copyRequested.connect(self._copy_message)
        view.editRequested.connect(self._begin_edit)
        view.editSubmitted.connect(self._resend_edited)
        view.regenerateRequested.connect(chat.regenerate)
        view.retryRequested.connect(self._retry)
        view.continueRequested.connect(chat.continue_answer)
        view.branchRequested.connect(services.conversations.switch_branch)
        view.deleteRequested.connect(self._delete_message)
        view.openSettingsRequested.connect(self.settingsWanted)
        view.linkActivated.connect(self._open_link)
        view.copyCodeRequested.connect(self._copy_code)
        view.olderMessagesWanted.connect(self._load_older)
        view.attachmentOpened.connect(self._open_attachment)

    # -- opening ------------------------------------------------------------------------------

    def open(
        self, conversation_id: ConversationId | None, focus_message: MessageId | None = None
    ) -> None:
        self.conversation_id = conversation_id
        self._countdowns.clear()
        self._countdown_reasons.clear()
        self._auto_retry.clear()
        if focus_message is not None:
            self._services.conversations.reveal(focus_message)
        self.reload()
        # An answer of this conversation may be waiting out a rate limit since before.
        for message_id in list(self._rendered):
            waiting = self._services.chat.retry_countdown(message_id)
            if waiting is not None and conversation_id is not None:
                self._on_retrying(conversation_id, message_id, waiting[0], waiting[1])
        if focus_message is not None:
            self._show_message(focus_message)

    def reload(self) -> None:
        """Show the conversation's current branch, reusing what is already rendered."""
        if self.conversation_id is None:
            self._rendered.clear()
            self.view.set_messages([])
            self.view.set_more_available(False)
            return
        thread = self._services.conversations.visible_thread(self.conversation_id, OPENING_PAGE)
        shown = _screenful(thread)
        previous, self._rendered = self._rendered, {}
        self._tool_rows.clear()
        self._tool_owner.clear()
        messages = self._take_tool_rows(shown)
        items = [self._item(message, previous.get(message.id)) for message in messages]
        self.view.set_messages(items)
        self._show_tool_cards(messages)
        more = len(shown) < len(thread) or (
            len(thread) >= OPENING_PAGE and thread[0].parent_id is not None
        )
        self.view.set_more_available(more)

    def _show_message(self, message_id: MessageId) -> None:
        # Older pages load until the message is in view (a search hit far up the thread).
        while message_id not in self._rendered and self._load_older():
            pass
        if message_id in self._rendered:
            self.view.scroll_to_message(message_id, highlight=True)

    def _load_older(self) -> bool:
        ids = self.view.message_ids()
        if not ids:
            return False
        older = self._services.conversations.older(ids[0])
        if not older:
            self.view.set_more_available(False)
            return False
        messages = self._take_tool_rows(older)
        self.view.prepend_messages([self._item(message, None) for message in messages])
        self._show_tool_cards(messages)
        self.view.set_more_available(older[0].parent_id is not None)
        return True

    def _item(self, message: StoredMessage, kept: _Rendered | None) -> MessageItem:
        # Here, not at the top: the window paints its first frame before any conversation opens.
        from longcat_desktop.render.document import StreamingDocument, VerbatimDocument

        live = self._services.chat.shown_text(message.id)
        text, reasoning = live if live is not None else (message.text, message.reasoning)
        if kept is not None and kept.body.text == text:
            body = kept.body
        else:
            kind = VerbatimDocument if message.role is Role.USER else StreamingDocument
            body = kind(self._theme)
            if text:
                body.set_text(text)
        reasoning_doc: StreamingDocument | None = None
        if message.role is Role.ASSISTANT:
            if kept is not None and kept.reasoning is not None and kept.reasoning.text == reasoning:
                reasoning_doc = kept.reasoning
            else:
                reasoning_doc = StreamingDocument(self._theme)
                if reasoning:
                    reasoning_doc.set_text(reasoning)
        self._rendered[message.id] = _Rendered(message, body, reasoning_doc)
        view = message_view(message, self._services.conversations.siblings(message.id))
        if message.role is Role.USER:
            view = replace(view, attachments=self._attachment_chips(message.id))
        if live is not None and reasoning and not view.has_reasoning:
            view = _with_reasoning(view)
        return view, body.document, None if reasoning_doc is None else reasoning_doc.document

    def _attachment_chips(self, message_id: MessageId) -> tuple[ChipData, ...]:
        attachments = self._services.attachments
        return tuple(
            ChipData(
                a.sha256,
                a.name,
                a.size,
                is_image=a.is_image,
                thumbnail=attachments.thumbnail(a.sha256) if a.is_image else None,
            )
            for a in attachments.of_messages([message_id]).get(message_id, [])
        )

    def _open_attachment(self, message_id: object, key: str) -> None:
        mid = int(message_id)  # type: ignore[call-overload]
        attachments = self._services.attachments
        found = next(
            (a for a in attachments.of_messages([mid]).get(mid, []) if a.sha256 == key), None
        )
        data = attachments.data(key) if found is not None else None
        if found is not None and data is not None:
            from longcat_desktop.ui.attachment_viewer import open_attachment

            open_attachment(self.view.window(), found, data)

    # -- services -----------------------------------------------------------------------------

    def _on_thread_changed(self, conversation_id: ConversationId) -> None:
        if conversation_id == self.conversation_id:
            self.reload()

    def _on_delta(
        self, conversation_id: ConversationId, message_id: MessageId, text: str, reasoning: str
    ) -> None:
        rendered = self._rendered.get(message_id)
        if conversation_id != self.conversation_id or rendered is None:
            return
        if reasoning and rendered.reasoning is not None:
            first_reasoning = not rendered.reasoning.text
            rendered.reasoning.append(reasoning)
            if first_reasoning:
                self._refresh_view(message_id)
        if text:
            first_text = not rendered.body.text
            rendered.body.append(text)
            if first_text and rendered.reasoning is not None and rendered.reasoning.text:
                # The thinking just ended: its section can say for how long.
                self._refresh_view(message_id)
        if self._countdowns.pop(message_id, None) is not None:
            self.view.set_countdown(message_id, None)
        self.view.notify_content_grew()

    def _on_answer_updated(self, conversation_id: ConversationId, message_id: MessageId) -> None:
        if conversation_id != self.conversation_id:
            return
        self._countdowns.pop(message_id, None)
        self._countdown_reasons.pop(message_id, None)
        self._auto_retry.discard(message_id)
        rendered = self._rendered.get(message_id)
        message = self._services.conversations.message(message_id)
        if rendered is None or message is None:
            return
        rendered.message = message
        # A continued answer may have been shown from its start only: make sure all is there.
        if rendered.body.text != message.text:
            rendered.body.set_text(message.text)
        self.view.set_countdown(message_id, None)
        self._refresh_view(message_id)
        self.view.notify_content_grew()
        wait = self._services.chat.retry_wait(message_id)
        if (
            message.status is MessageStatus.ERROR
            and wait is not None
            and message.parent_id not in self._auto_retried
        ):
            # Rate limited even after the client's own retries: count down, then try again.
            self._auto_retried.add(message.parent_id or 0)
            self._auto_retry.add(message_id)
            reason = localized(said(message.error)) if message.error else ""
            self._on_retrying(conversation_id, message_id, wait, reason)

    def _on_retrying(
        self, conversation_id: ConversationId, message_id: MessageId, delay: float, reason: str
    ) -> None:
        if conversation_id != self.conversation_id:
            return
        seconds = max(1, math.ceil(delay))
        reason = localized(reason)
        self._countdowns[message_id] = seconds
        self._countdown_reasons[message_id] = reason
        self.view.set_countdown(message_id, seconds, reason)
        self._announce_countdown(message_id)
        if not self._countdown_timer.isActive():
            self._countdown_timer.start()

    def _announce_countdown(self, message_id: MessageId) -> None:
        seconds = self._countdowns[message_id]
        reason = self._countdown_reasons.get(message_id, "")
        template = self.tr("Retrying in %1 s: %2") if reason else self.tr("Retrying in %1 s")
        # The reason last: it is text from elsewhere and may hold a "%1" of its own.
        self.statusMessage.emit(template.replace("%1", str(seconds)).replace("%2", reason))

    def _tick_countdowns(self) -> None:
        for message_id in list(self._countdowns):
            seconds = self._countdowns[message_id] - 1
            if seconds <= 0:
                del self._countdowns[message_id]
                self._countdown_reasons.pop(message_id, None)
                self.view.set_countdown(message_id, None)
                if message_id in self._auto_retry:
                    self._auto_retry.discard(message_id)
                    if self._services.chat.may_retry_by_itself(message_id):
                        self._services.chat.retry(message_id)
            else:
                self._countdowns[message_id] = seconds
                self.view.set_countdown(
                    message_id, seconds, self._countdown_reasons.get(message_id, "")
                )
                self._announce_countdown(message_id)
        if not self._countdowns:
            self._countdown_timer.stop()

    def _delete_message(self, mid: MessageId) -> None:
        # An answer being deleted must not go on streaming into nothing.
        self._services.chat.stop_branch(mid)
        self._services.conversations.delete_message(mid)

    def _retry(self, mid: MessageId) -> None:
        self._auto_retry.discard(mid)
        if self._countdowns.pop(mid, None) is not None:
            self._countdown_reasons.pop(mid, None)
            self.view.set_countdown(mid, None)
        self._services.chat.retry(mid)

    def _refresh_view(self, message_id: MessageId) -> None:
        rendered = self._rendered.get(message_id)
        if rendered is None:
            return
        message = self._services.conversations.message(message_id) or rendered.message
        view = message_view(message, self._services.conversations.siblings(message_id))
        if (
            message.status is MessageStatus.STREAMING
            and rendered.reasoning is not None
            and rendered.reasoning.text
        ):
            view = replace(
                _with_reasoning(view),
                reasoning_seconds=self._services.chat.thought_seconds(message_id),
            )
        self.view.update_message(view)

    # -- tool calls ---------------------------------------------------------------------------

    def _take_tool_rows(self, thread: list[StoredMessage]) -> list[StoredMessage]:
        """The messages that get widgets; tool results are kept aside for their answer."""
        kept: list[StoredMessage] = []
        for message in thread:
            if message.role is not Role.TOOL:
                kept.append(message)
                continue
            owner = self._owner_of(message)
            if owner is not None:
                self._tool_owner[message.id] = owner
                self._tool_rows.setdefault(owner, {})[message.id] = message
        return kept

    def _owner_of(self, message: StoredMessage) -> MessageId | None:
        """The answer whose call this result is: up the chain of results to it."""
        current: StoredMessage | None = message
        while current is not None and current.role is Role.TOOL:
            parent = current.parent_id
            if parent is None:
                return None
            if parent in self._tool_owner:
                return self._tool_owner[parent]
            current = self._services.conversations.message(parent)
        return None if current is None else current.id

    def _show_tool_cards(self, messages: list[StoredMessage]) -> None:
        for message in messages:
            if message.id in self._tool_rows:
                self._update_tool_cards(message.id)

    def _update_tool_cards(self, answer_id: MessageId) -> None:
        widget = self.view.message_widget(answer_id)
        rows = self._tool_rows.get(answer_id)
        if widget is None or not rows:
            return
        cards = widget.tool_cards()
        if not cards.property("connected"):
            cards.setProperty("connected", True)
            cards.decided.connect(self._on_decided)
        cards.set_cards([self._card_view(rows[key]) for key in sorted(rows)])

    def _card_view(self, message: StoredMessage) -> ToolCardView:
        result = message.tool_result
        assert result is not None
        loop = self._services.tool_loop
        info = None if loop is None else loop.tool_info(result.server, result.tool)
        return ToolCardView(
            message_id=message.id,
            text=message.text,
            result=result,
            awaiting_approval=loop is not None and loop.waiting_for_approval(message.id),
            read_only=None if info is None else info.read_only,
            destructive=None if info is None else info.destructive,
            progress="" if loop is None else loop.progress.get(message.id, ""),
        )

    def _on_tool_call_changed(self, conversation_id: ConversationId, message_id: MessageId) -> None:
        if conversation_id != self.conversation_id:
            return
        message = self._services.conversations.message(message_id)
        if message is None or message.tool_result is None:
            return
        owner = self._tool_owner.get(message_id) or self._owner_of(message)
        if owner is None:
            return
        self._tool_owner[message_id] = owner
        self._tool_rows.setdefault(owner, {})[message_id] = message
        self._update_tool_cards(owner)
        self.view.notify_content_grew()

    def _on_approval_requested(
        self, conversation_id: ConversationId, message_id: MessageId
    ) -> None:
        self._on_tool_call_changed(conversation_id, message_id)
        owner = self._tool_owner.get(message_id)
        widget = None if owner is None else self.view.message_widget(owner)
        card = None if widget is None else widget.tool_cards().card(message_id)
        if card is not None:
            card.setFocus()
            self.view.ensureWidgetVisible(card)

    def _on_decided(self, message_id: MessageId, decision: str) -> None:
        from longcat_desktop.services.tool_loop import Decision

        if self._services.tool_loop is not None:
            self._services.tool_loop.decide(message_id, Decision(decision))

    def tool_cards(self, answer_id: MessageId) -> ToolCardList | None:
        widget = self.view.message_widget(answer_id)
        return None if widget is None or answer_id not in self._tool_rows else widget.tool_cards()

    # -- actions ------------------------------------------------------------------------------

    def set_theme(self, theme: RenderTheme) -> None:
        self._theme = theme
        for rendered in self._rendered.values():
            rendered.body.set_theme(theme)
            if rendered.reasoning is not None:
                rendered.reasoning.set_theme(theme)

    def last_message(self, role: str) -> StoredMessage | None:
        if self.conversation_id is None:
            return None
        for message in reversed(
            self._services.conversations.visible_thread(self.conversation_id, 4)
        ):
            if message.role.value == role:
                return message
        return None

    def edit_last_user_message(self) -> None:
        message = self.last_message("user")
        if message is not None:
            self.view.begin_edit(message.id, message.text)

    def copy_last_answer(self) -> None:
        message = self.last_message("assistant")
        if message is not None:
            self._copy_message(message.id)

    def _begin_edit(self, message_id: MessageId) -> None:
        message = self._services.conversations.message(message_id)
        if message is not None:
            self.view.begin_edit(message.id, message.text)

    def _resend_edited(self, message_id: MessageId, text: str) -> None:
        # A new version the store refused goes back into the editor: the rewrite is not lost.
        if self._services.chat.edit_and_resend(message_id, text) is None:
            self.view.begin_edit(message_id, text)

    def _copy_message(self, message_id: MessageId) -> None:
        rendered = self._rendered.get(message_id)
        message = self._services.conversations.message(message_id)
        text = rendered.body.text if rendered is not None else (message.text if message else "")
        QGuiApplication.clipboard().setText(text)
        self.statusMessage.emit(self.tr("Copied to the clipboard"))

    def _copy_code(self, message_id: MessageId, index: int) -> None:
        rendered = self._rendered.get(message_id)
        if rendered is not None:
            QGuiApplication.clipboard().setText(rendered.body.code_block(index))
            self.statusMessage.emit(self.tr("Code copied to the clipboard"))

    def _open_link(self, url: QUrl) -> None:
        # Only what the user clicked, and only web and mail links: never file: or custom schemes.
        href = safe_href(url.toString())
        if href is not None:
            QDesktopServices.openUrl(QUrl(href))


def _screenful(thread: list[StoredMessage]) -> list[StoredMessage]:
    """The newest messages whose text roughly fills a window; the view asks for older ones,
    after the first frame, while it is not full (a message shown costs its widgets and its
    Markdown render, so opening builds no more than the eye can see)."""
    chars = 0
    for count, message in enumerate(reversed(thread), start=1):
        chars += len(message.text) + OPENING_MESSAGE_CHARS
        if count >= OPENING_MIN_MESSAGES and chars >= OPENING_CHARS:
            return thread[-count:]
    return thread


def _with_reasoning(view: MessageView) -> MessageView:
    return replace(view, has_reasoning=True)
