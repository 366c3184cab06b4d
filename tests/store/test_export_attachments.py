"""Attachments in exports: JSON embeds them and imports them losslessly; HTML shows images
inline in one file; Markdown writes them next to the text."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store
from longcat_desktop.store.errors import ImportFormatError
from tests.store.helpers import SETTINGS
from tests.store.test_attachments import prepared


def _conversation_with_attachments(store: Store) -> ConversationId:
    conversation = store.conversations.create(SETTINGS)
    store.attachments.add_to_draft(conversation.id, prepared(b"\x89PNG picture", "chart.png"))
    store.attachments.add_to_draft(
        conversation.id, prepared(b"a,b\n1,2\n", "table.csv", "document")
    )
    with store.transaction():
        message = store.messages.add_user_message(conversation.id, None, "Explain these")
        store.attachments.move_draft_to_message(conversation.id, message.id)
    store.attachments.add_to_draft(conversation.id, prepared(b"draft only", "later.png"))
    return conversation.id


def test_json_export_embeds_attachments_and_imports_them_losslessly(
    store: Store, tmp_path: Path
) -> None:
    conversation_id = _conversation_with_attachments(store)
    exported = store.export_json()
    document = json.loads(exported)
    conversation = document["conversations"][0]
    first = conversation["messages"][0]["attachments"]
    assert [a["name"] for a in first] == ["chart.png", "table.csv"]
    assert base64.b64decode(first[0]["data"]) == b"\x89PNG picture"
    assert first[1]["text"] == "a,b\n1,2\n"
    assert [a["name"] for a in conversation["draft_attachments"]] == ["later.png"]

    with Store.open(tmp_path / "other") as other:
        result = other.import_json(exported)
        imported = result.imported[0]
        assert other.export_json() == exported
        message = other.messages.visible_thread(imported)[0]
        attachments = other.attachments.of_message(message.id)
        assert [a.name for a in attachments] == ["chart.png", "table.csv"]
        assert other.attachments.data(attachments[0].sha256) == b"\x89PNG picture"
        assert other.attachments.thumbnail(attachments[0].sha256) == b"thumb"
        assert [a.name for a in other.attachments.draft(imported)] == ["later.png"]
    assert store.attachments.of_message(store.messages.visible_thread(conversation_id)[0].id)


def test_a_duplicated_conversation_shares_the_stored_attachments(store: Store) -> None:
    conversation_id = _conversation_with_attachments(store)
    count = store.attachments.count()
    copy = store.duplicate_conversation(conversation_id)
    message = store.messages.visible_thread(copy.id)[0]
    assert len(store.attachments.of_message(message.id)) == 2
    assert store.attachments.count() == count
    store.conversations.delete(conversation_id)
    assert store.attachments.count() == count


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda a: a.update(data="not base64!"), "not valid base64"),
        (lambda a: a.update(data=base64.b64encode(b"other").decode()), "does not match"),
        (lambda a: a.update(kind="video"), "kind should be one of"),
        (lambda a: a.pop("name"), "name should be a string"),
    ],
)
def test_a_damaged_attachment_in_an_import_changes_nothing(
    store: Store, tmp_path: Path, change: object, complaint: str
) -> None:
    _conversation_with_attachments(store)
    document = json.loads(store.export_json())
    change(document["conversations"][0]["messages"][0]["attachments"][0])  # type: ignore[operator]
    with Store.open(tmp_path / "other") as other:
        with pytest.raises(ImportFormatError, match=complaint):
            other.import_json(json.dumps(document))
        assert other.conversations.count() == 0
        assert other.attachments.count() == 0


def test_an_export_without_attachments_still_imports(store: Store, tmp_path: Path) -> None:
    _conversation_with_attachments(store)
    document = json.loads(store.export_json())
    conversation = document["conversations"][0]
    del conversation["draft_attachments"]
    for message in conversation["messages"]:
        del message["attachments"]
    with Store.open(tmp_path / "other") as other:
        assert other.import_json(json.dumps(document)).imported


def test_html_export_is_one_file_with_images_inline(store: Store) -> None:
    conversation_id = _conversation_with_attachments(store)
    html = store.export_html(conversation_id)
    inline = "data:image/png;base64," + base64.b64encode(b"\x89PNG picture").decode()
    assert f'<img src="{inline}" alt="chart.png">' in html
    assert "img-src data:" in html
    assert "<summary>table.csv</summary>" in html
    assert "a,b\n1,2\n" in html
    # Nothing is fetched from anywhere else.
    assert "http" not in html.replace("http-equiv", "")


def test_markdown_export_links_images_written_beside_it(store: Store) -> None:
    conversation_id = _conversation_with_attachments(store)
    text, files = store.export_markdown_files(conversation_id, "chat_files")
    ((path, data),) = files.items()
    assert path.startswith("chat_files/")
    assert data == b"\x89PNG picture"
    assert f"![chart.png](<{path}>)" in text
    assert "table.csv\n```csv\na,b\n1,2\n```" in text


def test_search_finds_the_text_of_attached_documents(store: Store) -> None:
    conversation_id = _conversation_with_attachments(store)
    store.attachments.add_to_draft(
        conversation_id, prepared(b"quarterly revenue grew", "report.txt", "document")
    )
    with store.transaction():
        leaf = store.messages.current_leaf(conversation_id)
        message = store.messages.add_user_message(conversation_id, leaf, "Summarise")
        store.attachments.move_draft_to_message(conversation_id, message.id)
    hits = store.search("REVENUE grew")
    assert [hit.message_id for hit in hits] == [message.id]
    assert "\x02revenue\x03" in hits[0].snippet
    assert store.search("revenue", conversation_id=ConversationId(conversation_id + 1)) == []
