"""Tool calls and results in the message tree: written, read back, swept after a crash,
exported and imported losslessly, found by search."""

from __future__ import annotations

import json
from pathlib import Path

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.tool_turns import (
    INTERRUPTED_RESULT,
    StoredToolCall,
    ToolCallState,
    ToolImage,
    ToolLink,
    ToolResult,
)
from longcat_desktop.store import Store

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
CALLS = (
    StoredToolCall("call_1", "get_current_time", '{"timezone": "Asia/Shanghai"}', "time",
                   "get_current_time"),
    StoredToolCall("call_2", "picture", "{}", "fake", "picture"),
)  # fmt: skip


def _tool_turn(store: Store) -> tuple[ConversationId, MessageId, list[MessageId]]:
    conversation = store.conversations.create(ConversationSettings("LongCat-2.0", ApiFormat.OPENAI))
    user = store.messages.add_user_message(conversation.id, None, "What time is it?")
    answer = store.messages.start_assistant_message(
        conversation.id, user.id, model="LongCat-2.0", api_format=ApiFormat.OPENAI
    )
    store.messages.set_tool_calls(answer.id, CALLS)
    store.writer(answer.id).finish(MessageStatus.COMPLETE, finish_reason="tool_calls")
    results = store.messages.add_tool_results(
        conversation.id,
        answer.id,
        [("", ToolResult(c.id, c.name, c.arguments, c.server, c.tool)) for c in CALLS],
    )
    return conversation.id, answer.id, [r.id for r in results]


def test_calls_and_results_are_kept_in_the_tree_in_order(store: Store) -> None:
    conversation_id, answer_id, result_ids = _tool_turn(store)
    answer = store.messages.get(answer_id)
    assert answer.tool_calls == CALLS
    first, second = (store.messages.get(i) for i in result_ids)
    assert (first.parent_id, second.parent_id) == (answer_id, first.id)
    assert first.role is Role.TOOL
    assert first.status is MessageStatus.STREAMING
    assert first.tool_result is not None
    assert first.tool_result.state is ToolCallState.WAITING
    assert store.messages.current_leaf(conversation_id) == second.id

    done = ToolResult("call_2", "picture", "{}", "fake", "picture", ToolCallState.DONE,
                      started_at=10.0, seconds=0.25, images=(ToolImage("image/png", PNG),),
                      links=(ToolLink("https://example.com/a", "A"),))  # fmt: skip
    store.messages.update_tool_result(second.id, "a picture of a cat", done)
    stored = store.messages.get(second.id)
    assert stored.status is MessageStatus.COMPLETE
    assert stored.text == "a picture of a cat"
    assert stored.tool_result == done


def test_a_call_left_waiting_or_running_by_a_crash_is_interrupted_with_an_error(
    data_dir: Path,
) -> None:
    store = Store.open(data_dir)
    _, _, result_ids = _tool_turn(store)
    running = ToolResult("call_1", "get_current_time", "{}", state=ToolCallState.RUNNING)
    store.messages.update_tool_result(result_ids[0], "", running)
    store.close()

    reopened = Store.open(data_dir)
    try:
        for message_id in result_ids:
            swept = reopened.messages.get(message_id)
            assert swept.status is MessageStatus.INTERRUPTED
            assert swept.text == INTERRUPTED_RESULT
            assert swept.tool_result is not None
            assert swept.tool_result.state is ToolCallState.INTERRUPTED
            assert swept.tool_result.is_error
        # What was known about the call survives the sweep.
        first = reopened.messages.get(result_ids[0]).tool_result
        assert first is not None
        assert first.call_id == "call_1"
    finally:
        reopened.close()


def test_a_tool_conversation_survives_export_and_import(store: Store, data_dir: Path) -> None:
    _, _, result_ids = _tool_turn(store)
    done = ToolResult("call_1", "get_current_time", "{}", "time", "get_current_time",
                      ToolCallState.DONE, images=(ToolImage("image/png", PNG),),
                      seconds=0.5)  # fmt: skip
    store.messages.update_tool_result(result_ids[0], "12:00 in Shanghai", done)
    exported = store.export_json()
    document = json.loads(exported)
    messages = document["conversations"][0]["messages"]
    assert messages[1]["tool_calls"][0]["arguments"] == '{"timezone": "Asia/Shanghai"}'
    assert messages[2]["role"] == "tool"
    assert messages[2]["tool_result"]["state"] == "done"

    other = Store.open(data_dir.parent / "other")
    try:
        result = other.import_json(exported)
        assert len(result.imported) == 1
        assert other.export_json() == exported
        thread = other.messages.visible_thread(result.imported[0])
        assert thread[1].tool_calls == CALLS
        assert thread[2].tool_result == done
    finally:
        other.close()


def test_search_finds_tool_results(store: Store) -> None:
    _, _, result_ids = _tool_turn(store)
    done = ToolResult("call_1", "get_current_time", "{}", state=ToolCallState.DONE)
    store.messages.update_tool_result(result_ids[0], "Zanzibarian standard time", done)
    hits = store.search("Zanzibarian")
    assert [hit.message_id for hit in hits] == [result_ids[0]]


def test_markdown_and_html_exports_show_calls_and_results_readably(store: Store) -> None:
    from longcat_desktop.store.export_html import to_html
    from longcat_desktop.store.export_markdown import to_markdown

    conversation_id, _, result_ids = _tool_turn(store)
    done = ToolResult("call_1", "get_current_time", "{}", "time", "get_current_time",
                      ToolCallState.DONE, seconds=0.5)  # fmt: skip
    store.messages.update_tool_result(result_ids[0], "<b>12:00</b> ```", done)
    conversation = store.conversations.get(conversation_id)
    thread = store.messages.visible_thread(conversation_id)
    markdown = to_markdown(conversation, thread)
    assert "**Tool call:** get_current_time (time)" in markdown
    assert '{"timezone": "Asia/Shanghai"}' in markdown
    assert "## Tool result: get_current_time (time), done, 0.5 s" in markdown
    assert "````\n<b>12:00</b> ```\n````" in markdown
    page = to_html(conversation, thread)
    assert "&lt;b&gt;12:00&lt;/b&gt;" in page
    assert "<b>12:00" not in page
    assert "Tool call: get_current_time (time)" in page


def test_a_call_still_waiting_is_exported_as_interrupted(store: Store, data_dir: Path) -> None:
    _tool_turn(store)
    document = json.loads(store.export_json())
    results = [m for m in document["conversations"][0]["messages"] if m["role"] == "tool"]
    assert [(m["status"], m["tool_result"]["state"], m["text"]) for m in results] == [
        ("interrupted", "interrupted", INTERRUPTED_RESULT)
    ] * 2
    assert all(m["tool_result"]["is_error"] for m in results)
