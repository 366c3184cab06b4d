"""The app's settings: every option declared once, with its type and default, in a JSON file.

A value that is missing, of the wrong type or out of range falls back to its default with a
warning; unknown keys are reported but kept in the file, so settings of a newer version survive a
round trip through this one. The API key is never a setting: it lives in the keyring.

    settings = Settings.load(data_dir / SETTINGS_NAME)
    settings.get(THEME)            # -> Theme.SYSTEM
    settings.set(FONT_SIZE, 13)    # ValueError if out of range
    settings.save()                # atomic; SettingsSaveError on failure
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.store.atomic import write_atomic
from longcat_desktop.store.errors import SettingsSaveError

SETTINGS_NAME = "settings.json"
_FILE_VERSION = 1

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


class ProxyMode(StrEnum):
    SYSTEM = "system"
    NONE = "none"
    URL = "url"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class Language(StrEnum):
    SYSTEM = "system"
    ENGLISH = "en"
    CHINESE_SIMPLIFIED = "zh_CN"


class SendKey(StrEnum):
    ENTER = "enter"
    CTRL_ENTER = "ctrl_enter"


@dataclass(frozen=True, slots=True)
class Option(Generic[T]):
    """One setting. `parse` turns a JSON value into T or raises ValueError saying why."""

    key: str
    default: T
    parse: Callable[[Any], T]
    description: str


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("should be text")
    return value


def _url(value: Any) -> str:
    text = _text(value).strip()
    if not text.startswith(("https://", "http://")):
        raise ValueError("should start with https:// or http://")
    return text


def _proxy_url(value: Any) -> str:
    text = _text(value).strip()
    if text and "://" not in text:
        raise ValueError("should look like http://host:port or socks5://host:port")
    return text


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("should be true or false")
    return value


def _optional(parse: Callable[[Any], T]) -> Callable[[Any], T | None]:
    def parse_optional(value: Any) -> T | None:
        return None if value is None else parse(value)

    return parse_optional


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("should be a whole number")
        if not low <= value <= high:
            raise ValueError(f"should be between {low} and {high}")
        return value

    return parse


def _number(low: float, high: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("should be a number")
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"should be between {low} and {high}")
        return float(value)

    return parse


def _choice(kind: type[E]) -> Callable[[Any], E]:
    def parse(value: Any) -> E:
        try:
            return kind(_text(value))
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise ValueError(f"should be one of {allowed}") from None

    return parse


BASE_URL = Option("base_url", "https://api.longcat.chat", _url, "Address of the API platform.")
API_FORMAT = Option(
    "api_format", ApiFormat.OPENAI, _choice(ApiFormat), "Wire format for new conversations."
)
DEFAULT_MODEL = Option("default_model", "LongCat-2.0", _text, "Model for new conversations.")
DEFAULT_SYSTEM_PROMPT = Option(
    "default_system_prompt", "", _text, "System prompt for new conversations."
)
DEFAULT_TEMPERATURE = Option(
    "default_temperature", None, _optional(_number(0.0, 2.0)), "None: the server's default."
)
DEFAULT_TOP_P = Option(
    "default_top_p", None, _optional(_number(0.0, 1.0)), "None: the server's default."
)
DEFAULT_MAX_TOKENS = Option(
    "default_max_tokens", None, _optional(_integer(1, 10_000_000)), "None: the server's default."
)
DEFAULT_THINKING = Option(
    "default_thinking", None, _optional(_flag), "Thinking on, off, or None: the server's default."
)
PROXY_MODE = Option("proxy_mode", ProxyMode.SYSTEM, _choice(ProxyMode), "Which proxy to use.")
PROXY_URL = Option("proxy_url", "", _proxy_url, "The proxy when proxy_mode is 'url'.")
THEME = Option("theme", Theme.SYSTEM, _choice(Theme), "Colour scheme.")
LANGUAGE = Option("language", Language.SYSTEM, _choice(Language), "Language of the interface.")
FONT_SIZE = Option("font_size", 0, _integer(0, 72), "Chat font size in points; 0: the system's.")
SEND_KEY = Option("send_key", SendKey.ENTER, _choice(SendKey), "Which key sends a message.")
MODEL_TITLES = Option(
    "model_titles", True, _flag, "After a conversation's first answer, ask the model for a title."
)
# Qt's saveGeometry()/saveState() bytes, stored as base64 text by the app.
WINDOW_GEOMETRY = Option("window_geometry", "", _text, "Main window geometry (base64).")
WINDOW_STATE = Option("window_state", "", _text, "Main window state (base64).")
SPLITTER_STATE = Option("splitter_state", "", _text, "Sidebar splitter state (base64).")
LAST_CONVERSATION = Option(
    "last_conversation", "", _text, "UUID of the conversation open at exit; '' for none."
)
TOOLS_ON_BY_DEFAULT = Option(
    "tools_on_by_default", True, _flag, "New conversations use every enabled server's tools."
)
TOOL_TURN_LIMIT = Option(
    "tool_turn_limit", 25, _integer(1, 1000), "Most model turns per message when tools run."
)
# Sync (README, "Sync"): the password and passphrase are in the keyring, never here.
SYNC_URL = Option("sync_url", "", _text, "WebDAV folder to sync with; '' when sync is off.")
SYNC_USER = Option("sync_user", "", _text, "User name on the WebDAV server.")
SYNC_AUTOMATIC = Option(
    "sync_automatic", True, _flag, "Sync after changes, every few minutes, at start and quit."
)

OPTIONS: tuple[Option[Any], ...] = (
    BASE_URL,
    API_FORMAT,
    DEFAULT_MODEL,
    DEFAULT_SYSTEM_PROMPT,
    DEFAULT_TEMPERATURE,
    DEFAULT_TOP_P,
    DEFAULT_MAX_TOKENS,
    DEFAULT_THINKING,
    PROXY_MODE,
    PROXY_URL,
    THEME,
    LANGUAGE,
    FONT_SIZE,
    SEND_KEY,
    MODEL_TITLES,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    SPLITTER_STATE,
    LAST_CONVERSATION,
    TOOLS_ON_BY_DEFAULT,
    TOOL_TURN_LIMIT,
    SYNC_URL,
    SYNC_USER,
    SYNC_AUTOMATIC,
)
OPTIONS_BY_KEY: Mapping[str, Option[Any]] = {option.key: option for option in OPTIONS}
# Never accepted as a setting, whatever a file says: keys belong in the keyring.
_FORBIDDEN_KEYS = frozenset({"api_key", "apikey", "key", "token", "secret", "password"})


class Settings:
    def __init__(self, path: Path, values: Mapping[str, Any] | None = None) -> None:
        self.path = path
        self._values: dict[str, Any] = {option.key: option.default for option in OPTIONS}
        self._unknown: dict[str, Any] = {}
        # What was wrong with the file, in words for a log or a notice.
        self.warnings: list[UserText | str] = []
        if values is not None:
            self._apply(values)

    @classmethod
    def load(cls, path: Path, *, clock: Callable[[], float] = time.time) -> Settings:
        """Read the file; never fails. A file that is not JSON is renamed aside and reported."""
        settings = cls(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return settings
        except OSError as error:
            settings.warnings.append(texts.SETTINGS_UNREADABLE(path, error))
            return settings
        try:
            document = json.loads(raw)
            if not isinstance(document, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError) as error:
            kept = path.with_name(
                f"{path.name}.invalid-{time.strftime('%Y%m%d-%H%M%S', time.localtime(clock()))}"
            )
            try:
                os.replace(path, kept)
                warning = texts.SETTINGS_INVALID_KEPT(path, error, kept.name)
            except OSError:
                warning = texts.SETTINGS_INVALID(path, error)
            settings.warnings.append(warning)
            return settings
        values = document.get("values", {}) if "values" in document else document
        if not isinstance(values, dict):
            settings.warnings.append(texts.SETTINGS_EMPTY)
            return settings
        settings._apply(values)
        return settings

    def _apply(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            option = OPTIONS_BY_KEY.get(key)
            if option is None:
                if key.lower() in _FORBIDDEN_KEYS:
                    self.warnings.append(texts.SETTING_FORBIDDEN(repr(key)))
                else:
                    self._unknown[key] = value
                    self.warnings.append(texts.SETTING_UNKNOWN(repr(key)))
                continue
            try:
                self._values[key] = option.parse(value)
            except ValueError as error:
                self.warnings.append(
                    f"Setting {key!r} {error} (found {value!r}); using the default "
                    f"{option.default!r}."
                )

    def get(self, option: Option[T]) -> T:
        value: T = self._values[option.key]
        return value

    def set(self, option: Option[T], value: T) -> None:
        """Raises ValueError for a value the option does not accept."""
        self._values[option.key] = option.parse(_json_value(option, value))

    def reset(self, option: Option[Any]) -> None:
        self._values[option.key] = option.default

    def as_json(self) -> dict[str, Any]:
        values = {**self._unknown}
        for option in OPTIONS:
            values[option.key] = _json_value(option, self._values[option.key])
        return {"version": _FILE_VERSION, "values": values}

    def save(self) -> None:
        """Replace the file atomically. Raises SettingsSaveError; the old file then survives."""
        data = json.dumps(self.as_json(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, data)
        except OSError as error:
            raise SettingsSaveError(
                texts.SETTINGS_NOT_SAVED(self.path, error.strerror or error)
            ) from error


def _json_value(option: Option[T], value: T) -> Any:
    # Every option's values are JSON types already, except the enums.
    if isinstance(value, StrEnum):
        return value.value
    return value
