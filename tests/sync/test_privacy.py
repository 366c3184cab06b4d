"""The server sees only sealed objects; the passphrase and password are written nowhere."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from longcat_desktop.domain.organising import Assistant
from longcat_desktop.sync import command
from tests.fakes.webdav_server import PASSWORD
from tests.sync.helpers import PASSPHRASE, Device, answered


def _every_byte_under(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_no_title_message_draft_prompt_or_folder_name_reaches_the_server(
    laptop: Device, desktop: Device
) -> None:
    secrets = [
        "Quarterly-figures-7391",
        "The-answer-is-hidden-4521",
        "Draft-never-sent-8833",
        "System-prompt-words-1177",
        "机密的标题",
        "Folder-name-6620",
        "Saved-prompt-body-3307",
        "Assistant-instructions-9154",
    ]
    conversation = laptop.chat("Quarterly-figures-7391 please", "The-answer-is-hidden-4521")
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, conversation)
        store.conversations.set_draft(conversation_id, "Draft-never-sent-8833")
        store.conversations.rename(conversation_id, "机密的标题")
        settings = store.conversations.get(conversation_id).settings
        store.conversations.update_settings(
            conversation_id,
            type(settings)(
                model=settings.model,
                api_format=settings.api_format,
                system_prompt="System-prompt-words-1177",
            ),
        )
        question, _ = store.messages.visible_thread(conversation_id)
        answered(store, conversation_id, question.id, "The-answer-is-hidden-4521 again")
        folder_id = store.folders.create("Folder-name-6620")
        store.folders.move([conversation_id], folder_id)
        store.prompts.add("Prompt", "Saved-prompt-body-3307")
        store.assistants.add(Assistant(0, "", "Helper", "Assistant-instructions-9154"))

    laptop.sync()
    desktop.sync()
    assert desktop.export() == laptop.export()

    stored = _every_byte_under(laptop.server.folder)
    for secret in secrets:
        assert secret.encode("utf-8") not in stored
    assert PASSPHRASE.encode() not in stored
    assert PASSWORD.encode() not in stored


def test_the_passphrase_and_password_are_in_no_file_and_no_log(
    laptop: Device, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop.chat("Question", "Answer")
    monkeypatch.setenv(command.PASSWORD_VARIABLE, PASSWORD)
    monkeypatch.setenv(command.PASSPHRASE_VARIABLE, PASSPHRASE)
    caplog.set_level(logging.DEBUG)

    assert command.run_command(laptop.data_dir, url=laptop.server.url, user="alice") == 0
    assert command.run_command(laptop.data_dir, url=laptop.server.url, user="nobody") == 1

    everything = _every_byte_under(laptop.data_dir) + _every_byte_under(laptop.server.folder)
    logged = caplog.text.encode()
    for secret in (PASSPHRASE, PASSWORD):
        assert secret.encode() not in everything
        assert secret.encode() not in logged
    assert PASSPHRASE not in repr(laptop.config())
    assert PASSWORD not in repr(laptop.config())
