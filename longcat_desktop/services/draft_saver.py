"""Drafts saved even while another program (a sync, `--sync-now`) is writing the database.

A draft the database was too busy to take is kept here and saved again shortly, the latest text
of each conversation only: no keystroke is lost, and the user hears of it only if the database
stays busy for seconds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.services.user_text import store_error_text
from longcat_desktop.store.errors import DatabaseBusyError, StoreError
from longcat_desktop.store.store import Store

RETRY_MS = 250
# 20 tries of 250 ms (and the store's own wait each time): about 7 s.
RETRIES = 20


class DraftSaver(QObject):
    def __init__(
        self, store: Store, report: Callable[[str], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._report = report
        self._pending: dict[ConversationId, str] = {}
        self._attempts = 0
        self._timer = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._timer.timeout.connect(self.save_pending)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def save(self, conversation_id: ConversationId, draft: str) -> None:
        self._pending[conversation_id] = draft
        if not self._timer.isActive():
            self.save_pending()

    def save_pending(self, *, last: bool = False) -> None:
        """Save every waiting draft; one still refused by a busy database waits again, unless
        this is the `last` try (the app is closing and the store with it)."""
        self._timer.stop()
        for conversation_id, draft in list(self._pending.items()):
            try:
                self._store.conversations.set_draft(conversation_id, draft)
            except DatabaseBusyError as error:
                self._attempts += 1
                if self._attempts < RETRIES and not last:
                    self._timer.start()
                    return
                self._pending.clear()
                self._attempts = 0
                self._report(store_error_text(error))
                return
            except StoreError as error:
                self._report(store_error_text(error))
            except KeyError:
                pass  # The conversation was deleted meanwhile.
            self._pending.pop(conversation_id, None)
        self._attempts = 0
