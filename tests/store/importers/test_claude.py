"""Claude.ai's conversations.json: linear and branched threads, content blocks, files."""

from __future__ import annotations

import json
from pathlib import Path

from longcat_desktop.store import Store
from tests.store.importers.helpers import CLAUDE, by_title, import_path, thread


def test_a_linear_conversation_keeps_thinking_files_and_chinese(store: Store) -> None:
    tally = import_path(store, CLAUDE)
    assert len(tally.added) == 3
    conversation_id = by_title(store, "Translate a poem 翻译")
    conversation = store.conversations.get(conversation_id)
    assert conversation.created_at == 1714550400.0  # 2024-05-01T08:00:00Z
    assert conversation.updated_at == 1714550700.0
    question, answer = thread(store, conversation_id)
    assert question.text == (
        "Translate the attached poem.\n\n[file: poem.txt]\n\n床前明月光，疑是地上霜。"
        "\n\n[file: photo.png]"
    )
    assert answer.text == (
        "Before my bed, the bright moonlight,\n\nI took it for frost on the ground."
    )
    assert answer.reasoning == "A Li Bai poem; keep it short."
    assert answer.created_at == 1714550420.0


def test_branches_by_parent_uuid_with_the_current_leaf_shown(store: Store) -> None:
    import_path(store, CLAUDE)
    conversation_id = by_title(store, "Edited question")
    assert [m.text for m in thread(store, conversation_id)] == ["Capital of Germany?", "Berlin."]
    question, answer = thread(store, conversation_id)
    # The edited question and the first one are both at the top; two answers to the second.
    assert store.messages.siblings(question.id).count == 2
    siblings = store.messages.siblings(answer.id)
    assert siblings.count == 2
    # Siblings in the order they were written: the retry came first.
    assert siblings.index == 1


def test_tool_blocks_become_notes_and_an_empty_message_is_skipped(store: Store) -> None:
    import_path(store, CLAUDE)
    conversation_id = by_title(store, "What's the weather in Beijing?")
    assert not store.conversations.get(conversation_id).title_is_custom
    question, answer = thread(store, conversation_id)
    assert answer.parent_id == question.id
    assert answer.text.startswith('[tool: web_search]\n```json\n{\n  "query": "北京 天气"\n}\n```')
    assert "[tool result: web_search]\n\nSunny, 25°C" in answer.text
    assert answer.text.endswith("It is sunny in Beijing.")
    assert (
        store.db.scalar(
            "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
        )
        == 2
    )


def test_a_malformed_conversation_is_reported_and_importing_again_adds_nothing(
    store: Store,
) -> None:
    tally = import_path(store, CLAUDE)
    assert [title for title, _ in tally.skipped] == ["Broken Claude one"]
    again = import_path(store, CLAUDE)
    assert (again.added, again.already_here) == ([], 3)
    assert store.db.query("SELECT DISTINCT source FROM conversations") == [("claude",)]


def test_a_message_in_a_loop_skips_that_conversation_only(store: Store, tmp_path: Path) -> None:
    document = json.loads(CLAUDE.read_text(encoding="utf-8"))
    messages = document[1]["chat_messages"]
    messages[0]["parent_message_uuid"] = "b-a1"  # b-q1 <-> b-a1
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    tally = import_path(store, path)
    assert [title for title, _ in tally.skipped] == ["Edited question", "Broken Claude one"]
    assert "loop" in tally.skipped[0][1]
    assert len(tally.added) == 2
