"""Which export a parsed file is, told from its content (never from its name)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.store.errors import ImportFormatError


class ExportKind(StrEnum):
    LONGCAT = "longcat"
    CHATGPT = "chatgpt"
    CLAUDE = "claude"
    # An empty list: a ChatGPT or Claude export of an account without conversations.
    EMPTY = "empty"


# How each kind is named in the summary of an import.
KIND_NAMES = {
    ExportKind.LONGCAT: "LongCat Desktop",
    ExportKind.CHATGPT: "ChatGPT",
    ExportKind.CLAUDE: "Claude",
    ExportKind.EMPTY: "ChatGPT or Claude",
}


def detect(document: Any) -> ExportKind:
    """Raises ImportFormatError when the file is none of the exports we read."""
    if isinstance(document, dict) and "format" in document:
        # Ours, or one claiming to be: the header check says what is wrong with it.
        return ExportKind.LONGCAT
    if isinstance(document, list):
        if not document:
            return ExportKind.EMPTY
        # The first conversation that says which it is decides (a malformed one may not).
        for item in document:
            if isinstance(item, dict):
                if "mapping" in item:
                    return ExportKind.CHATGPT
                if "chat_messages" in item:
                    return ExportKind.CLAUDE
    raise ImportFormatError(texts.IMPORT_UNKNOWN)
