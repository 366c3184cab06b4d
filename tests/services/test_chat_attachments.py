"""Attachments sent with a message: images as image parts to the server, documents as text,
both read back from the store; and the draft's files processed off the UI thread."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.attachments import NO_TEXT_NOTE
from longcat_desktop.domain.conversation import ExportKind, MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.services.attachment_processing import prepare_bytes
from longcat_desktop.services.attachment_service import AttachmentService
from tests.qt_async import emitted, run
from tests.services.conftest import ChatEnv
from tests.services.images import encoded, minimal_pdf, screenshot_like

VISION_MODEL = "LongCat-2.5-Preview"


@pytest.fixture(autouse=True)
def _vision_model_served(chat_env: ChatEnv) -> None:
    chat_env.server.models.append(VISION_MODEL)


def _send_and_wait(chat_env: ChatEnv, conversation_id: ConversationId, text: str) -> MessageId:
    async def body() -> MessageId:
        message_id = chat_env.chat.send(conversation_id, text)
        assert message_id is not None
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == message_id)
        return message_id

    return run(chat_env.loop, body())


def _attach(chat_env: ChatEnv, conversation_id: ConversationId, data: bytes, name: str) -> bytes:
    prepared = prepare_bytes(data, name)
    chat_env.store.attachments.add_to_draft(conversation_id, prepared)
    return prepared.data


def _last_user_content(chat_env: ChatEnv) -> Any:
    messages = chat_env.server.last_request.json["messages"]
    return [m for m in messages if m["role"] == "user"][-1]["content"]


@pytest.mark.usefixtures("qapp")
def test_an_image_and_a_document_reach_the_server_in_the_openai_shape(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation(ApiFormat.OPENAI, model=VISION_MODEL)
    image = _attach(chat_env, conversation.id, encoded(screenshot_like(64, 48), "PNG"), "s.png")
    _attach(chat_env, conversation.id, b"col1,col2\n1,2\n", "table.csv")
    answer = _send_and_wait(chat_env, conversation.id, "What do you see?")
    assert chat_env.store.messages.get(answer).status is MessageStatus.COMPLETE
    content = _last_user_content(chat_env)
    assert content[0] == {
        "type": "text",
        "text": "What do you see?\n\ntable.csv\n```csv\ncol1,col2\n1,2\n```",
    }
    assert content[1] == {
        "type": "image_url",
        "image_url": {"url": "data:image/png;base64," + base64.b64encode(image).decode()},
    }
    assert chat_env.store.attachments.draft(conversation.id) == []


@pytest.mark.usefixtures("qapp")
def test_an_image_alone_reaches_the_server_in_the_anthropic_shape(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation(ApiFormat.ANTHROPIC, model=VISION_MODEL)
    image = _attach(chat_env, conversation.id, encoded(screenshot_like(64, 48), "PNG"), "s.png")
    _send_and_wait(chat_env, conversation.id, "")
    assert _last_user_content(chat_env) == [
        {
            "type": "image",
            "source": {
                "type": "base64",
                "media_type": "image/png",
                "data": base64.b64encode(image).decode(),
            },
        }
    ]
    # Sent again with the history of the next question, read back from the store.
    _send_and_wait(chat_env, conversation.id, "And now?")
    messages = chat_env.server.last_request.json["messages"]
    assert [block["type"] for block in messages[0]["content"]] == ["image"]
    assert messages[-1]["content"] == "And now?"


@pytest.mark.usefixtures("qapp")
def test_a_text_only_model_refuses_the_image_in_its_own_words(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation(ApiFormat.OPENAI, model="LongCat-2.0")
    _attach(chat_env, conversation.id, encoded(screenshot_like(32, 32), "PNG"), "s.png")
    answer = chat_env.store.messages.get(_send_and_wait(chat_env, conversation.id, "Look"))
    assert answer.status is MessageStatus.ERROR
    assert answer.error is not None
    assert "does not read images" in answer.error.message


@pytest.mark.usefixtures("qapp")
def test_a_scanned_pdf_is_sent_as_a_note_to_any_model(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation(ApiFormat.OPENAI, model="LongCat-2.0")
    _attach(chat_env, conversation.id, minimal_pdf(["", ""]), "scan.pdf")
    _attach(chat_env, conversation.id, minimal_pdf(["Quarterly totals"]), "q.pdf")
    _send_and_wait(chat_env, conversation.id, "Summarise")
    content = _last_user_content(chat_env)
    assert isinstance(content, str)
    assert content.startswith("Summarise\n\nscan.pdf\n```text\n" + NO_TEXT_NOTE)
    assert "q.pdf\n```text\nPage 1\nQuarterly totals\n```" in content


@pytest.mark.usefixtures("qapp")
def test_an_edited_message_keeps_its_attachments(chat_env: ChatEnv) -> None:
    conversation = chat_env.new_conversation(ApiFormat.OPENAI, model=VISION_MODEL)
    _attach(chat_env, conversation.id, b"remember this", "note.txt")
    _send_and_wait(chat_env, conversation.id, "First")
    first = chat_env.store.messages.visible_thread(conversation.id)[0]

    async def body() -> None:
        answer = chat_env.chat.edit_and_resend(first.id, "Second")
        await emitted(chat_env.chat.answerUpdated, lambda _c, m: m == answer)

    run(chat_env.loop, body())
    edited = chat_env.store.messages.visible_thread(conversation.id)[0]
    assert edited.id != first.id
    assert [a.name for a in chat_env.store.attachments.of_message(edited.id)] == ["note.txt"]
    assert "note.txt\n```text\nremember this\n```" in _last_user_content(chat_env)


@pytest.mark.usefixtures("qapp")
def test_files_are_processed_into_the_draft_and_bad_ones_refused(
    chat_env: ChatEnv, tmp_path: Path
) -> None:
    service = AttachmentService(chat_env.store, chat_env.tasks)
    conversation = chat_env.new_conversation()
    good = tmp_path / "notes.md"
    good.write_text("# Title\n", encoding="utf-8")
    bad = tmp_path / "blob.bin"
    bad.write_bytes(bytes(range(256)) * 4)
    pending: list[str] = []
    refused: list[str] = []
    service.pending.connect(lambda _c, _t, name, _s: pending.append(name))
    service.refused.connect(lambda _c, reason: refused.append(reason))

    async def body() -> None:
        service.add_paths(conversation.id, [good, bad])
        # Announced at once, before any processing.
        assert pending == ["notes.md", "blob.bin"]
        assert service.is_processing(conversation.id)
        while service.is_processing(conversation.id):
            await emitted(service.settled)

    run(chat_env.loop, body())
    assert [a.name for a in service.draft(conversation.id)] == ["notes.md"]
    assert len(refused) == 1
    assert "blob.bin" in refused[0]
    service.remove(conversation.id, 0)
    assert service.draft(conversation.id) == []


@pytest.mark.usefixtures("qapp")
def test_markdown_export_writes_the_images_next_to_the_file(
    chat_env: ChatEnv, tmp_path: Path
) -> None:
    conversation = chat_env.new_conversation(ApiFormat.OPENAI, model=VISION_MODEL)
    image = _attach(chat_env, conversation.id, encoded(screenshot_like(64, 48), "PNG"), "s.png")
    _send_and_wait(chat_env, conversation.id, "Look")
    target = tmp_path / "out" / "chat.md"
    target.parent.mkdir()
    assert chat_env.conversations.export(conversation.id, ExportKind.MARKDOWN, target)
    written = list((tmp_path / "out" / "chat_files").iterdir())
    assert [p.read_bytes() for p in written] == [image]
    assert f"](<chat_files/{written[0].name}>)" in target.read_text(encoding="utf-8")


@pytest.mark.usefixtures("qapp")
def test_the_draft_keeps_the_order_files_were_given_in(chat_env: ChatEnv, tmp_path: Path) -> None:
    service = AttachmentService(chat_env.store, chat_env.tasks)
    conversation = chat_env.new_conversation()
    # The first takes longest to prepare (a PDF), the last is quickest.
    slow = tmp_path / "a.pdf"
    slow.write_bytes(minimal_pdf([f"page {n}" for n in range(40)]))
    middle = tmp_path / "b.png"
    middle.write_bytes(encoded(screenshot_like(400, 300), "PNG"))
    quick = tmp_path / "c.txt"
    quick.write_text("c", encoding="utf-8")

    async def body() -> None:
        service.add_paths(conversation.id, [slow, middle, quick])
        while service.is_processing(conversation.id):
            await emitted(service.settled)

    run(chat_env.loop, body())
    assert [a.name for a in service.draft(conversation.id)] == ["a.pdf", "b.png", "c.txt"]
