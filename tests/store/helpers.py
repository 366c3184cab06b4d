"""Small builders shared by the store tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import (
    ConversationSettings,
    MessageStatus,
    StoredMessage,
)
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ConversationSettings(
    model="LongCat-2.0-Preview",
    api_format=ApiFormat.OPENAI,
    system_prompt="Be brief.",
    temperature=0.7,
    top_p=None,
    max_tokens=2048,
    thinking=True,
)


def add_exchange(
    store: Store,
    conversation_id: ConversationId,
    parent_id: MessageId | None,
    question: str,
    answer: str,
) -> tuple[MessageId, MessageId]:
    """A user message and a finished answer below it; returns both ids."""
    user = store.messages.add_user_message(conversation_id, parent_id, question)
    started = store.messages.start_assistant_message(
        conversation_id, user.id, model="LongCat-2.0-Preview", api_format=ApiFormat.OPENAI
    )
    writer = store.writer(started.id)
    writer.append_text(answer)
    writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
    return user.id, started.id


def start_answer(store: Store) -> StoredMessage:
    """A new conversation with a question and the (still empty) streaming answer to it."""
    conversation = store.conversations.create(SETTINGS)
    question = store.messages.add_user_message(conversation.id, None, "go")
    return store.messages.start_assistant_message(
        conversation.id, question.id, model="m", api_format=None
    )


def child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment.pop("LONGCAT_API_KEY", None)
    return environment


def without_write_permission(command: list[str]) -> list[str] | None:
    """The command run so that file permissions apply to it, or None if that is impossible.

    As root, permissions are ignored unless the capability to override them is dropped.
    """
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]


def run_python(code: str, *, restricted: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code]
    if restricted:
        wrapped = without_write_permission(command)
        assert wrapped is not None
        command = wrapped
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, env=child_environment(), check=False
    )
