"""A tool turn syncs whole: the answer's calls and every result, in order."""

from __future__ import annotations

from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.tool_turns import StoredToolCall, ToolCallState, ToolResult
from tests.sync.helpers import Device


def test_tool_calls_and_results_reach_the_other_device(laptop: Device, desktop: Device) -> None:
    uuid = laptop.chat("What time is it?", "")
    call = StoredToolCall("call_1", "get_current_time", "{}", "time", "get_current_time")
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, uuid)
        _question, answer = store.messages.visible_thread(conversation_id)
        store.messages.set_tool_calls(answer.id, (call,))
        (row,) = store.messages.add_tool_results(
            conversation_id, answer.id, [("", ToolResult("call_1", "get_current_time"))]
        )
        done = ToolResult(
            "call_1", "get_current_time", "{}", "time", "get_current_time", ToolCallState.DONE
        )
        store.messages.update_tool_result(row.id, "12:00", done)
    laptop.sync()
    desktop.sync()
    with desktop.store() as store:
        conversation_id = desktop.local_id(store, uuid)
        _question, answer, result = store.messages.visible_thread(conversation_id)
        assert answer.tool_calls == (call,)
        assert result.text == "12:00"
        assert result.status is MessageStatus.COMPLETE
        assert result.tool_result == done
