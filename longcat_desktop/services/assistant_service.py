"""Assistants and saved prompts as the window needs them; built-ins shown in the UI language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.domain.organising import Assistant, Prompt
from longcat_desktop.services.i18n import translate
from longcat_desktop.services.user_text import store_error_text
from longcat_desktop.store.assistants import with_defaults
from longcat_desktop.store.atomic import write_atomic
from longcat_desktop.store.errors import StoreError
from longcat_desktop.store.store import Store

T = TypeVar("T")
RECENT = 5


def builtin_texts(key: str) -> tuple[str, str]:
    """The name and system prompt of a built-in assistant, in the interface's language."""
    if key == "translator":
        return (
            translate("Assistants", "Translator (Chinese ↔ English)"),
            translate(
                "Assistants",
                "You are a professional translator. If the text is in Chinese, translate it "
                "into natural, idiomatic English; otherwise translate it into natural "
                "Simplified Chinese. Keep the meaning, tone, formatting and any code exactly; "
                "reply with the translation only.",
            ),
        )
    if key == "code-reviewer":
        return (
            translate("Assistants", "Code reviewer"),
            translate(
                "Assistants",
                "You are a senior software engineer reviewing code. Point out bugs, unsafe or "
                "unclear code, missing error handling and tests, most important first. Quote "
                "the lines you mean, explain why, and suggest a concrete fix. Be brief about "
                "style.",
            ),
        )
    if key == "writing-editor":
        return (
            translate("Assistants", "Writing editor"),
            translate(
                "Assistants",
                "You are a careful editor. Improve the clarity, grammar and flow of the text "
                "while keeping the author's voice and meaning, in the language it is written "
                "in. Return the edited text, then a short list of the main changes.",
            ),
        )
    return key, ""


def conversation_settings(
    assistant: Assistant, defaults: ConversationSettings
) -> ConversationSettings:
    """What a conversation started from `assistant` is sent with; gaps take the defaults."""
    return ConversationSettings(
        model=assistant.model or defaults.model,
        api_format=assistant.api_format or defaults.api_format,
        system_prompt=assistant.system_prompt or defaults.system_prompt,
        temperature=defaults.temperature
        if assistant.temperature is None
        else assistant.temperature,
        top_p=defaults.top_p if assistant.top_p is None else assistant.top_p,
        max_tokens=defaults.max_tokens if assistant.max_tokens is None else assistant.max_tokens,
        thinking=defaults.thinking if assistant.thinking is None else assistant.thinking,
    )


class AssistantService(QObject):
    # The assistants changed (one added, edited, removed, used or made the default).
    changed = Signal()
    promptsChanged = Signal()
    failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store

    # -- assistants ---------------------------------------------------------------------------

    def _shown(self, assistant: Assistant) -> Assistant:
        if assistant.builtin is None:
            return assistant
        return with_defaults(assistant, *builtin_texts(assistant.builtin))

    def assistants(self) -> list[Assistant]:
        return [self._shown(a) for a in self._store.assistants.all()]

    def recent(self, limit: int = RECENT) -> list[Assistant]:
        return [self._shown(a) for a in self._store.assistants.recent(limit)]

    def get(self, assistant_id: int) -> Assistant | None:
        try:
            return self._shown(self._store.assistants.get(assistant_id))
        except KeyError:
            return None

    def default(self) -> Assistant | None:
        found = self._store.assistants.default()
        return None if found is None else self._shown(found)

    def add(self, assistant: Assistant) -> Assistant | None:
        return self._changed(lambda: self._store.assistants.add(assistant))

    def update(self, assistant: Assistant) -> None:
        """Save an edit; conversations already started from it keep their own settings."""
        stored = self._store.assistants.get(assistant.id)
        if stored.builtin is not None:
            # A built-in keeps following the interface's language until its text is changed.
            name, prompt = builtin_texts(stored.builtin)
            assistant = replace(
                assistant,
                name="" if assistant.name == name else assistant.name,
                system_prompt="" if assistant.system_prompt == prompt else assistant.system_prompt,
            )
        self._changed(lambda: self._store.assistants.update(assistant))

    def delete(self, assistant_id: int) -> None:
        self._changed(lambda: self._store.assistants.delete(assistant_id))

    def set_default(self, assistant_id: int | None) -> None:
        self._changed(lambda: self._store.assistants.set_default(assistant_id))

    def mark_used(self, assistant_id: int) -> None:
        self._changed(lambda: self._store.assistants.mark_used(assistant_id))

    # -- prompts ------------------------------------------------------------------------------

    def prompts(self) -> list[Prompt]:
        return self._store.prompts.all()

    def add_prompt(self, name: str, body: str) -> int | None:
        return self._prompts_changed(lambda: self._store.prompts.add(name, body))

    def update_prompt(self, prompt_id: int, name: str, body: str) -> None:
        self._prompts_changed(lambda: self._store.prompts.update(prompt_id, name, body))

    def delete_prompt(self, prompt_id: int) -> None:
        self._prompts_changed(lambda: self._store.prompts.delete(prompt_id))

    def export_prompts(self, path: Path) -> bool:
        try:
            write_atomic(path, self._store.prompts.export_json().encode("utf-8"))
        except OSError as error:
            self.failed.emit(
                translate("AssistantService", "%1 could not be written: %2", path, error.strerror)
            )
            return False
        return True

    def import_prompts(self, path: Path) -> int | None:
        """Add the prompts of a file; how many were new, or None when it failed (said why)."""
        try:
            data = path.read_bytes()
        except OSError as error:
            self.failed.emit(
                translate("AssistantService", "%1 could not be read: %2", path, error.strerror)
            )
            return None
        return self._prompts_changed(lambda: self._store.prompts.import_json(data))

    # -- helpers ------------------------------------------------------------------------------

    def _changed(self, operation: Callable[[], T]) -> T | None:
        result = self._write(operation)
        self.changed.emit()
        return result

    def _prompts_changed(self, operation: Callable[[], T]) -> T | None:
        result = self._write(operation)
        self.promptsChanged.emit()
        return result

    def _write(self, operation: Callable[[], T]) -> T | None:
        try:
            return operation()
        except StoreError as error:
            self.failed.emit(store_error_text(error))
        except KeyError:
            pass  # Removed meanwhile: the next listing shows the truth.
        return None
