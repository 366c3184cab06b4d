"""The first half of an import, for a worker thread: a file to a list of conversations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.store.errors import ImportFormatError
from longcat_desktop.store.export_folders import folder_names
from longcat_desktop.store.export_json import check_header
from longcat_desktop.store.export_library import Library, read_library
from longcat_desktop.store.importers import chatgpt, claude
from longcat_desktop.store.importers.detect import ExportKind, detect
from longcat_desktop.store.importers.source import MAX_IMPORT_BYTES, read_document
from longcat_desktop.store.importers.tree import Candidate

# What malformed input raises in the converters, which read it defensively but not
# exhaustively: one of these skips that conversation, never the whole file.
_MALFORMED = (ImportFormatError, ValueError, TypeError, KeyError, AttributeError, RecursionError)


class ImportCancelledError(Exception):
    """The user cancelled while the file was being read."""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    path: Path
    kind: ExportKind
    candidates: tuple[Candidate, ...]
    # Our own exports' folders (uuid to name), which the conversations are filed into.
    folders: dict[str, str] = field(default_factory=dict)
    # Our own exports' assistants and saved prompts, added before the conversations.
    library: Library = field(default_factory=Library)


def read_import(
    path: Path,
    settings: ConversationSettings,
    cancelled: Callable[[], bool] = lambda: False,
    *,
    limit: int = MAX_IMPORT_BYTES,
) -> ImportPlan:
    """Raises ImportFormatError (not an export we read) or another StoreError (unreadable)."""
    document = read_document(path, limit)
    kind = detect(document)
    items: list[Any] = check_header(document) if kind is ExportKind.LONGCAT else document
    # Checked before the conversations: a malformed entry refuses the file at once.
    library = read_library(document) if kind is ExportKind.LONGCAT else Library()
    candidates = []
    for index, raw in enumerate(items):
        if cancelled():
            raise ImportCancelledError
        candidates.append(_candidate(kind, index, raw, settings))
    folders = folder_names(document) if kind is ExportKind.LONGCAT else {}
    return ImportPlan(path, kind, tuple(candidates), folders, library)


def _candidate(kind: ExportKind, index: int, raw: Any, settings: ConversationSettings) -> Candidate:
    if kind is ExportKind.LONGCAT:
        # Checked as it is written, by the same code that reads our files everywhere.
        title = raw.get("title") if isinstance(raw, dict) else None
        return Candidate(title if isinstance(title, str) else _numbered(index), raw)
    convert = chatgpt.convert if kind is ExportKind.CHATGPT else claude.convert
    title_of = chatgpt.title_of if kind is ExportKind.CHATGPT else claude.title_of
    try:
        return convert(raw, settings)
    except _MALFORMED as error:
        title = title_of(raw) or _numbered(index)
        return Candidate(title, None, problem=str(error) or type(error).__name__)


def _numbered(index: int) -> str:
    return f"#{index + 1}"
