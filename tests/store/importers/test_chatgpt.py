"""ChatGPT's conversations.json: the tree, the branch shown, hidden nodes, notes for non-text."""

from __future__ import annotations

import json
from pathlib import Path

from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store
from longcat_desktop.store.importers.tree import stable_uuid
from tests.store.importers.helpers import CHATGPT, SETTINGS, by_title, import_path, thread


def _all_messages(store: Store, conversation_id: ConversationId) -> list[tuple[str, str]]:
    rows = store.db.query(
        "SELECT role, text FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
    )
    return [(role, text) for role, text in rows]


def test_branches_are_kept_and_the_current_node_is_the_branch_shown(store: Store) -> None:
    tally = import_path(store, CHATGPT)
    assert len(tally.added) == 3
    conversation_id = by_title(store, "Write-ahead logs 预写日志")
    shown = thread(store, conversation_id)
    assert [(m.role, m.text) for m in shown] == [
        (Role.USER, "What is a write-ahead log?"),
        (Role.ASSISTANT, "A log written before the data file."),
        (Role.USER, "请用中文解释。"),
        (Role.ASSISTANT, "预写日志：先写日志，\n再写数据文件。"),
    ]
    # The edited question is a sibling of the original, which keeps its own answer; the
    # stopped regeneration is a sibling of the answer shown. The hidden system node is gone.
    assert store.messages.siblings(shown[2].id).count == 2
    assert store.messages.siblings(shown[3].id).count == 2
    everything = _all_messages(store, conversation_id)
    assert ("user", "Explain more.") in everything
    assert ("assistant", "Changes go to the log first.") in everything
    assert len(everything) == 7
    assert shown[0].parent_id is None


def test_times_titles_models_and_endings_are_kept(store: Store) -> None:
    import_path(store, CHATGPT)
    conversation_id = by_title(store, "Write-ahead logs 预写日志")
    conversation = store.conversations.get(conversation_id)
    assert conversation.created_at == 1700000000.0
    assert conversation.updated_at == 1700000900.5
    assert conversation.title_is_custom
    # Continuing the conversation here uses the settings for new conversations.
    assert conversation.settings == SETTINGS
    shown = thread(store, conversation_id)
    assert [m.created_at for m in shown] == [1700000100.0, 1700000110.0, 1700000300.0, 1700000310.0]
    assert shown[1].model == "gpt-4o"
    assert shown[1].finish_reason == "stop"
    statuses = dict(
        store.db.query(
            "SELECT text, status FROM messages WHERE conversation_id = ?", (conversation_id,)
        )
    )
    assert statuses["Stopped hal"] == MessageStatus.STOPPED
    length = store.db.scalar(
        "SELECT finish_reason FROM messages WHERE text = 'Changes go to the log first.'"
    )
    assert length == "length"


def test_code_its_output_images_and_files_become_notes_in_one_answer(store: Store) -> None:
    import_path(store, CHATGPT)
    question, answer = thread(store, by_title(store, "Plot the data"))
    assert question.text == "[image]\nPlot the numbers in this file.\n\n[file: numbers.csv]"
    # The call to the code tool, its output and the final words read as one answer, as in
    # ChatGPT; the hidden tool node between them is not shown.
    assert answer.text == (
        "```python\nprint(sum([1, 2, 3]))\n```\n\n[code output]\n```\n6\n```\n\nThe sum is 6."
    )
    assert "internal" not in answer.text


def test_odd_nodes_are_skipped_and_their_children_move_up(store: Store) -> None:
    import_path(store, CHATGPT)
    # No title: taken from the first question, and not marked as chosen.
    conversation_id = by_title(store, "Odd nodes: who am I?")
    conversation = store.conversations.get(conversation_id)
    assert not conversation.title_is_custom
    question, answer = thread(store, conversation_id)
    # A question without a time takes the conversation's.
    assert question.created_at == 1700200000.0
    assert answer.reasoning == "Pondering\n\nThe user asks who they are."
    assert "Thought for" not in answer.text
    assert answer.text.startswith("[sonic_webpage]\n\nA page about you.")
    assert "[quote: Example]\n\n> Quoted line" in answer.text
    # The current node names nothing: the newest branch is shown.
    assert store.messages.current_leaf(conversation_id) == answer.id


def test_a_malformed_conversation_is_skipped_by_title_and_the_rest_imported(
    store: Store,
) -> None:
    tally = import_path(store, CHATGPT)
    assert [title for title, _ in tally.skipped] == ["Broken one"]
    assert tally.done == tally.total == 4
    assert store.conversations.count() == 3


def test_importing_again_adds_nothing_and_the_source_id_is_stored(store: Store) -> None:
    import_path(store, CHATGPT)
    again = import_path(store, CHATGPT)
    assert again.added == []
    assert again.already_here == 3
    assert store.conversations.count() == 3
    rows = store.db.query("SELECT uuid, source, source_id FROM conversations ORDER BY id")
    assert rows[0] == (
        stable_uuid("chatgpt", "c0000000-0000-4000-8000-000000000001"),
        "chatgpt",
        "c0000000-0000-4000-8000-000000000001",
    )


def test_a_renamed_export_with_a_changed_title_is_still_the_same_conversation(
    store: Store, tmp_path: Path
) -> None:
    import_path(store, CHATGPT)
    document = json.loads(CHATGPT.read_text(encoding="utf-8"))
    document[0]["title"] = "Renamed in ChatGPT"
    path = tmp_path / "whatever-name.txt"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert import_path(store, path).already_here == 3


def test_a_deep_linear_thread_imports_without_recursion(store: Store, tmp_path: Path) -> None:
    mapping: dict[str, object] = {}
    count = 5000
    for i in range(count):
        mapping[f"n{i}"] = {
            "id": f"n{i}",
            "parent": f"n{i - 1}" if i else None,
            "children": [f"n{i + 1}"] if i + 1 < count else [],
            "message": {
                "author": {"role": "user" if i % 2 == 0 else "assistant"},
                "content": {"content_type": "text", "parts": [f"message {i}"]},
                "create_time": 1700000000.0 + i,
                "recipient": "all",
                "metadata": {},
            },
        }
    document = [
        {"title": "Long", "create_time": 1.0, "update_time": 2.0, "conversation_id": "long",
         "current_node": f"n{count - 1}", "mapping": mapping}
    ]  # fmt: skip
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    tally = import_path(store, path)
    assert len(thread(store, tally.added[0])) == count
