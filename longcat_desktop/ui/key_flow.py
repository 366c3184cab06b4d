"""The API key at start and after a change: the welcome page asks for one when there is none."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import Conversation
from longcat_desktop.services import options
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.ui.composer import Composer
from longcat_desktop.ui.notice_bar import NoticeBar

if TYPE_CHECKING:
    from longcat_desktop.ui.welcome_panel import WelcomePanel


class KeyFlow(QObject):
    """Owned by the window; switches its main stack between the chat and the welcome page."""

    def __init__(
        self,
        services: AppServices,
        parent: QObject,
        *,
        stack: QStackedWidget,
        chat_page: QWidget,
        composer: Composer,
        notices: NoticeBar,
        current: Callable[[], Conversation | None],
        key_state_shown: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._stack = stack
        self._chat_page = chat_page
        self._composer = composer
        self._notices = notices
        self._current = current
        # The status bar and Settings follow the key's state.
        self._key_state_shown = key_state_shown
        self._welcome: WelcomePanel | None = None
        # Whether the keyring has answered yet: until then a missing key is not yet known.
        self.checked = False
        services.credentials.keyStateChanged.connect(self._on_key_state)

    @property
    def welcome(self) -> WelcomePanel:
        """The page that asks for a key; built when first needed, as most starts have one."""
        if self._welcome is None:
            from longcat_desktop.ui.welcome_panel import WelcomePanel

            self._welcome = WelcomePanel(self._stack)
            self._welcome.keySubmitted.connect(self._submit_key)
            self._stack.addWidget(self._welcome)
        return self._welcome

    @property
    def missing(self) -> bool:
        """The keyring answered and holds no key."""
        return self.checked and not self._services.credentials.has_key

    def show_welcome(self, show: bool) -> None:
        self._stack.setCurrentWidget(self.welcome if show else self._chat_page)
        if not show:
            self._composer.focus_input()

    def _submit_key(self, key: str) -> None:
        self.welcome.set_busy(True)
        self._services.credentials.save(key)

    def _on_key_state(self) -> None:
        services = self._services
        credentials = services.credentials
        self.checked = True
        if self._welcome is not None:
            self._welcome.set_busy(False)
        if credentials.warning:
            self._notices.add(credentials.warning)
        self.show_welcome(not credentials.has_key)
        if credentials.has_key:
            conversation = self._current()
            api_format = (
                conversation.settings.api_format
                if conversation
                else ApiFormat(services.settings.get(options.API_FORMAT))
            )
            services.models.refresh(api_format)
        self._key_state_shown()
