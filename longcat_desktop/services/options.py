"""The app's settings, as the interface sees them: the options declared by the store, by name.

Re-exported here so that the interface layer can name an option without reaching into the
store (which it must never import).
"""

from longcat_desktop.store.settings import (
    API_FORMAT,
    BASE_URL,
    DEFAULT_MAX_TOKENS,
    DEFAULT_MODEL,
    DEFAULT_SYSTEM_PROMPT,
    DEFAULT_TEMPERATURE,
    DEFAULT_THINKING,
    DEFAULT_TOP_P,
    FONT_SIZE,
    LANGUAGE,
    LAST_CONVERSATION,
    MODEL_TITLES,
    OPTIONS,
    OPTIONS_BY_KEY,
    PROXY_MODE,
    PROXY_URL,
    SEND_KEY,
    SPLITTER_STATE,
    THEME,
    TOOL_TURN_LIMIT,
    TOOLS_ON_BY_DEFAULT,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    Option,
)

__all__ = [
    "API_FORMAT",
    "BASE_URL",
    "DEFAULT_MAX_TOKENS",
    "DEFAULT_MODEL",
    "DEFAULT_SYSTEM_PROMPT",
    "DEFAULT_TEMPERATURE",
    "DEFAULT_THINKING",
    "DEFAULT_TOP_P",
    "FONT_SIZE",
    "LANGUAGE",
    "LAST_CONVERSATION",
    "MODEL_TITLES",
    "OPTIONS",
    "OPTIONS_BY_KEY",
    "PROXY_MODE",
    "PROXY_URL",
    "SEND_KEY",
    "SPLITTER_STATE",
    "THEME",
    "TOOLS_ON_BY_DEFAULT",
    "TOOL_TURN_LIMIT",
    "WINDOW_GEOMETRY",
    "WINDOW_STATE",
    "Option",
]
