"""The Settings dialog flow: build the dialog on first use, fill it, apply what it returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QApplication, QWidget

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import Conversation
from longcat_desktop.services import options
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.services.user_text import localized

if TYPE_CHECKING:
    from longcat_desktop.ui.organising_pages import OrganisingPages
    from longcat_desktop.ui.settings_dialog import SettingsDialog
    from longcat_desktop.ui.settings_values import SettingsValues
    from longcat_desktop.ui.sync_page import SyncPage


class SettingsFlow(QObject):
    """Owned by the window. The dialog is built when first opened: most starts never open it."""

    def __init__(
        self,
        services: AppServices,
        window: QWidget,
        *,
        current: Callable[[], Conversation | None],
        key_status: Callable[[], str],
        show_failure: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._services = services
        self._window = window
        self._current = current
        self._key_status = key_status
        self._show_failure = show_failure
        self.dialog: SettingsDialog | None = None
        self.organising_pages: OrganisingPages | None = None
        self.sync_page: SyncPage | None = None
        services.connection_tester.finished.connect(self._on_connection_tested)

    def open(self, page: str = "") -> None:
        """Show Settings filled from the stored values; `page` names an organising page."""
        dialog = self.dialog if self.dialog is not None else self._build()
        dialog.load(self._values())
        conversation = self._current()
        api_format = conversation.settings.api_format if conversation else ApiFormat.OPENAI
        models = list(self._services.models.models(api_format).ids)
        dialog.set_models(models)
        if self.organising_pages is not None:
            self.organising_pages.refresh(
                models, conversation.assistant_id if conversation else None
            )
            if page in self.organising_pages.index:
                dialog.show_page(self.organising_pages.index[page])
        dialog.set_key_status(self._key_status())
        if self.sync_page is not None:
            self.sync_page.load()
        dialog.open()

    def show_key_status(self) -> None:
        """The key changed: an open (or built) dialog says so."""
        if self.dialog is not None:
            self.dialog.set_key_status(self._key_status())

    def _build(self) -> SettingsDialog:
        from longcat_desktop.ui.settings_dialog import SettingsDialog

        services = self._services
        dialog = SettingsDialog(self._window)
        dialog.settingsApplied.connect(self._apply)
        dialog.keySaved.connect(services.credentials.save)
        dialog.testConnectionRequested.connect(self._test_connection)
        if services.tool_loop is not None:
            from longcat_desktop.ui.tools_settings_page import ToolsSettingsPage

            tools_page = ToolsSettingsPage(services.tool_loop.servers, services.settings, dialog)
            dialog.add_page(tools_page, self.tr("Tools"), "tool")
        from longcat_desktop.ui.organising_pages import add_organising_pages

        self.organising_pages = add_organising_pages(dialog, services)
        if services.sync is not None:
            from longcat_desktop.ui.sync_page import SyncPage

            self.sync_page = SyncPage(services.sync)
            dialog.add_page(self.sync_page, self.tr("Sync"), "regenerate")
        self.dialog = dialog
        return dialog

    def _values(self) -> SettingsValues:
        from longcat_desktop.ui.settings_mapping import settings_values

        def shown(name: str, stored: object) -> object:
            if name == options.LANGUAGE.key:
                return _shown_language(str(stored))
            if name == options.FONT_SIZE.key and isinstance(stored, int):
                return font_size(stored)
            return stored

        return settings_values(self._services.settings.get, shown)

    def _apply(self, values: SettingsValues) -> None:
        from longcat_desktop.ui.settings_mapping import settings_updates

        settings = self._services.settings
        updates = settings_updates(values)
        try:
            settings.update(updates)
            return
        except ValueError:
            pass
        # One value the options refuse (a mistyped address) must not cost every other change:
        # the rest are applied one by one, and each refused field is named.
        for key, value in updates.items():
            try:
                settings.update({key: value})
            except ValueError as error:
                self._show_failure(
                    self.tr("%1 was not changed: %2")
                    .replace("%1", self._setting_name(key))
                    .replace("%2", str(error))
                )

    def _setting_name(self, key: str) -> str:
        names = {
            options.BASE_URL.key: self.tr("The API address"),
            options.PROXY_URL.key: self.tr("The proxy address"),
        }
        return names.get(key, key)

    def _test_connection(self, key: str, base_url: str, api_format: str) -> None:
        from longcat_desktop.services.client_pool import ConnectionConfig

        services = self._services
        config = services.settings.connection()
        config = ConnectionConfig(base_url, config.proxy_mode, config.proxy_url, max_retries=0)
        key = key.strip() or (services.credentials.key or "")
        if self.dialog is not None:
            self.dialog.set_testing(True)
        services.connection_tester.test(key, config, ApiFormat(api_format))

    def _on_connection_tested(self, ok: bool, text: str) -> None:
        if self.dialog is not None:
            self.dialog.set_testing(False)
            self.dialog.show_test_result(ok, localized(text))


def font_size(stored: int) -> int:
    """The font size in use: the stored one, or for 0 the system's."""
    if stored:
        return stored
    return QApplication.font().pointSize() if QApplication.instance() else 10


def _shown_language(stored: str) -> str:
    """The language Settings shows as chosen: the stored one, or for "system" the one in use,
    so that pressing OK for another change does not switch a Chinese desktop to English."""
    if stored in ("en", "zh_CN"):
        return stored
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"
