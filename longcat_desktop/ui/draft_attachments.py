"""The composer's attachments kept in step with the draft stored for the open conversation,
the word about models that read no images, and the context meter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from longcat_desktop.domain.attachments import Attachment
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.services.attachment_service import reads_images
from longcat_desktop.ui.attachment_chips import ChipData
from longcat_desktop.ui.composer import Composer

# The model offered when the chosen one reads no images (when the server lists it).
VISION_MODEL = "LongCat-2.5-Preview"
CONTEXT_DEBOUNCE_MS = 250


def tokens_text(tokens: int) -> str:
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}M".replace(".0M", "M")
    if tokens >= 1000:
        return f"{tokens / 1000:.1f}k".replace(".0k", "k")
    return str(tokens)


class DraftAttachments(QObject):
    def __init__(
        self,
        services: AppServices,
        composer: Composer,
        window: QWidget,
        *,
        current: Callable[[], ConversationId | None],
        ensure_conversation: Callable[[], ConversationId | None],
        choose_model: Callable[[str], None],
        show_status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._services = services
        self._composer = composer
        self._window = window
        self._current = current
        self._ensure = ensure_conversation
        self._choose_model = choose_model
        self._show_status = show_status
        self._pending: dict[str, tuple[int, ChipData]] = {}
        self._thumbnails: dict[str, bytes | None] = {}
        self._draft: list[Attachment] = []
        self._refusal = ""
        self._context_timer = QTimer(self, singleShot=True, interval=CONTEXT_DEBOUNCE_MS)
        self._context_timer.timeout.connect(self.update_context)

        attachments = services.attachments
        attachments.pending.connect(self._on_pending)
        attachments.settled.connect(self._on_settled)
        attachments.draftChanged.connect(self._on_draft_changed)
        attachments.refused.connect(self._on_refused)
        composer.filesAttached.connect(self.add_files)
        composer.imageAttached.connect(self.add_image)
        composer.attachmentRemoved.connect(self._remove)
        composer.attachmentOpened.connect(self._open)
        composer.switchModelRequested.connect(self._choose_model)
        composer.edit.textChanged.connect(self._context_timer.start)
        services.chat.threadChanged.connect(self._on_thread_changed)

    # -- adding -------------------------------------------------------------------------------

    def add_files(self, paths: list[Path]) -> None:
        conversation_id = self._ensure()
        if conversation_id is not None and paths:
            self._refusal = ""
            self._services.attachments.add_paths(conversation_id, paths)

    def add_image(self, image: QImage) -> None:
        conversation_id = self._ensure()
        if conversation_id is not None:
            self._refusal = ""
            self._services.attachments.add_image(conversation_id, image)

    def _remove(self, key: str) -> None:
        conversation_id = self._current()
        keys = [a.sha256 for a in self._draft]
        if conversation_id is not None and key in keys:
            self._refusal = ""
            self._services.attachments.remove(conversation_id, keys.index(key))

    def _open(self, key: str) -> None:
        attachment = next((a for a in self._draft if a.sha256 == key), None)
        data = self._services.attachments.data(key) if attachment else None
        if attachment is not None and data is not None:
            from longcat_desktop.ui.attachment_viewer import open_attachment

            open_attachment(self._window, attachment, data)

    # -- services -----------------------------------------------------------------------------

    def _on_pending(
        self, conversation_id: ConversationId, token: str, name: str, size: int
    ) -> None:
        self._pending[token] = (conversation_id, ChipData(token, name, size, pending=True))
        if conversation_id == self._current():
            self._show_chips()

    def _on_settled(self, conversation_id: ConversationId, token: str) -> None:
        self._pending.pop(token, None)
        if conversation_id == self._current():
            self.refresh()

    def _on_draft_changed(self, conversation_id: ConversationId) -> None:
        if conversation_id == self._current():
            self.refresh()

    def _on_refused(self, conversation_id: ConversationId, reason: str) -> None:
        self._show_status(reason)
        if conversation_id == self._current():
            self._composer.cancel_queued_send()
            self._refusal = reason
            self._show_notice()

    def _on_thread_changed(self, conversation_id: ConversationId) -> None:
        if conversation_id == self._current():
            self._context_timer.start()

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the open conversation's draft again (opened, switched model, changed)."""
        conversation_id = self._current()
        self._draft = (
            [] if conversation_id is None else self._services.attachments.draft(conversation_id)
        )
        self._show_chips()
        self._show_notice()
        # Soon, not now: it reads the whole thread, which opening a conversation need not wait for.
        self._context_timer.start()

    def forget_refusal(self) -> None:
        self._refusal = ""

    def _show_chips(self) -> None:
        conversation_id = self._current()
        chips = [self._chip(a) for a in self._draft]
        chips += [chip for cid, chip in self._pending.values() if cid == conversation_id]
        self._composer.set_attachments(chips)

    def _chip(self, attachment: Attachment) -> ChipData:
        if attachment.sha256 not in self._thumbnails and attachment.is_image:
            self._thumbnails[attachment.sha256] = self._services.attachments.thumbnail(
                attachment.sha256
            )
        note = ""
        if not attachment.is_image and not attachment.text.strip():
            note = self.tr("no text (a scan?)")
        return ChipData(
            attachment.sha256,
            attachment.name,
            attachment.size,
            is_image=attachment.is_image,
            thumbnail=self._thumbnails.get(attachment.sha256),
            note=note,
        )

    def _model(self) -> tuple[str, bool | None, list[str]]:
        conversation_id = self._current()
        conversation = (
            None if conversation_id is None else self._services.conversations.get(conversation_id)
        )
        if conversation is None:
            return "", None, []
        settings = conversation.settings
        models = self._services.models
        details = models.details(settings.api_format, settings.model)
        return settings.model, reads_images(details), list(models.models(settings.api_format).ids)

    def _show_notice(self) -> None:
        if self._refusal:
            self._composer.set_notice(self._refusal, blocking=False)
            return
        if not any(a.is_image for a in self._draft):
            self._composer.set_notice("", blocking=False)
            return
        model, reads, available = self._model()
        if reads is not False:
            # It reads images, or its details do not say: the server decides.
            self._composer.set_notice("", blocking=False)
            return
        switch_to = VISION_MODEL if VISION_MODEL in available else ""
        text = (
            self.tr("%1 does not read images. Switch to %2, or remove the images.")
            .replace("%1", model)
            .replace("%2", switch_to)
            if switch_to
            else self.tr(
                "%1 does not read images. Remove them, or choose a model that does."
            ).replace("%1", model)
        )
        self._composer.set_notice(text, blocking=True, switch_to=switch_to)

    def update_context(self) -> None:
        conversation_id = self._current()
        if not self._window.isVisible():
            # Closed (its store may be closed too); it is measured again when shown.
            return
        if conversation_id is None:
            self._composer.set_context("", over=False)
            return
        conversation = self._services.conversations.get(conversation_id)
        details = (
            None
            if conversation is None
            else self._services.models.details(
                conversation.settings.api_format, conversation.settings.model
            )
        )
        limit = details.context_length if details is not None else None
        tokens = self._services.attachments.context_estimate(conversation_id, self._composer.text())
        if not limit:
            self._composer.set_context(
                self.tr("≈ %1 tokens").replace("%1", tokens_text(tokens)), over=False
            )
            return
        over = tokens > limit
        text = (
            self.tr("≈ %1 / %2 tokens: too long for this model")
            if over
            else self.tr("≈ %1 / %2 tokens")
        )
        self._composer.set_context(
            text.replace("%1", tokens_text(tokens)).replace("%2", tokens_text(limit)), over=over
        )
