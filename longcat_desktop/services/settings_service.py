"""The app's settings as a QObject: read anywhere, changed in one place, announced by signal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.services.client_pool import ConnectionConfig
from longcat_desktop.services.user_text import store_error_text
from longcat_desktop.store import settings as options
from longcat_desktop.store.errors import SettingsSaveError
from longcat_desktop.store.settings import Option, Settings

T = TypeVar("T")

CONNECTION_KEYS = frozenset({options.BASE_URL.key, options.PROXY_MODE.key, options.PROXY_URL.key})


class SettingsService(QObject):
    # The keys of the options that changed.
    changed = Signal(list)
    saveFailed = Signal(str)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        # Values given on the command line win for this run and are never saved.
        self._overrides: dict[str, Any] = {}

    @property
    def warnings(self) -> list[UserText | str]:
        return list(self._settings.warnings)

    def get(self, option: Option[T]) -> T:
        if option.key in self._overrides:
            value: T = self._overrides[option.key]
            return value
        return self._settings.get(option)

    def override(self, option: Option[Any], value: object) -> None:
        """A value for this run only (from the command line); never saved."""
        self._overrides[option.key] = option.parse(value)

    def values(self) -> dict[str, Any]:
        return {option.key: self.get(option) for option in options.OPTIONS}

    def update(self, values: Mapping[str, Any], *, save: bool = True) -> list[str]:
        """Apply the values (by option key) that differ; returns the keys that changed.

        Raises ValueError for a value an option does not accept, before changing anything.
        """
        parsed: dict[str, Any] = {}
        for key, value in values.items():
            option = options.OPTIONS_BY_KEY[key]
            new = option.parse(value.value if isinstance(value, ApiFormat) else value)
            if new != self._settings.get(option):
                parsed[key] = new
            # A user's explicit choice replaces a command-line override from now on.
            self._overrides.pop(key, None)
        for key, new in parsed.items():
            self._settings.set(options.OPTIONS_BY_KEY[key], new)
        if parsed and save:
            self.save()
        if parsed:
            self.changed.emit(list(parsed))
        return list(parsed)

    def save(self) -> None:
        try:
            self._settings.save()
        except SettingsSaveError as error:
            self.saveFailed.emit(store_error_text(error))

    def connection(self) -> ConnectionConfig:
        return ConnectionConfig(
            base_url=self.get(options.BASE_URL),
            proxy_mode=self.get(options.PROXY_MODE),
            proxy_url=self.get(options.PROXY_URL),
        )

    def new_conversation_settings(self) -> ConversationSettings:
        return ConversationSettings(
            model=self.get(options.DEFAULT_MODEL),
            api_format=ApiFormat(self.get(options.API_FORMAT)),
            system_prompt=self.get(options.DEFAULT_SYSTEM_PROMPT),
            temperature=self.get(options.DEFAULT_TEMPERATURE),
            top_p=self.get(options.DEFAULT_TOP_P),
            max_tokens=self.get(options.DEFAULT_MAX_TOKENS),
            thinking=self.get(options.DEFAULT_THINKING),
        )
