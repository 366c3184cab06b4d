"""The values the Settings dialog edits. The API key is deliberately not one of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from longcat_desktop.ui.param_values import ParamValues

DEFAULT_BASE_URL = "https://api.longcat.chat"
DEFAULT_MODEL = "LongCat-2.0"
PROXY_SYSTEM = "system"
PROXY_NONE = "none"
PROXY_URL = "url"
SEND_ENTER = "enter"
SEND_CTRL_ENTER = "ctrl_enter"
LANGUAGES = (("en", "English"), ("zh_CN", "简体中文"))  # each shown in its own language


@dataclass(frozen=True, slots=True)
class SettingsValues:
    base_url: str = DEFAULT_BASE_URL
    api_format: str = "openai"  # "openai" or "anthropic"
    proxy_mode: str = PROXY_SYSTEM
    proxy_url: str = ""
    default_model: str = DEFAULT_MODEL
    defaults: ParamValues = field(default_factory=ParamValues)
    theme: str = "system"  # "system", "light" or "dark"
    language: str = "en"
    font_size: int = 10
    send_key: str = SEND_ENTER  # SEND_ENTER or SEND_CTRL_ENTER
    model_titles: bool = True  # the model names a conversation after its first answer
