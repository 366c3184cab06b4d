"""The message tree: alternatives as siblings, the branch shown, paging back in a thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from longcat_desktop.domain.chat import ApiFormat, Role
from longcat_desktop.domain.conversation import MessageStatus
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store import Store
from tests.store.helpers import SETTINGS, add_exchange


def _texts(store: Store, conversation_id: ConversationId) -> list[str]:
    return [m.text for m in store.messages.visible_thread(conversation_id)]


def test_a_thread_reads_back_in_order_with_every_field(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    user_id, answer_id = add_exchange(store, conversation.id, None, "hello", "hi there")
    thread = store.messages.visible_thread(conversation.id)
    assert [m.id for m in thread] == [user_id, answer_id]
    user, answer = thread
    assert user.role is Role.USER
    assert user.status is MessageStatus.COMPLETE
    assert user.parent_id is None
    assert answer.role is Role.ASSISTANT
    assert answer.parent_id == user_id
    assert answer.model == "LongCat-2.0-Preview"
    assert answer.api_format is ApiFormat.OPENAI
    assert answer.finish_reason == "stop"
    assert answer.first_token_at is not None
    assert answer.finished_at is not None
    assert answer.created_at <= answer.first_token_at <= answer.finished_at


def test_editing_a_question_adds_a_sibling_and_switching_brings_back_its_branch(
    store: Store,
) -> None:
    conversation = store.conversations.create(SETTINGS)
    _, first_a = add_exchange(store, conversation.id, None, "q1", "a1")
    follow_q, follow_a = add_exchange(store, conversation.id, first_a, "q2", "a2")
    # Edit the follow-up question: a sibling of q2 with its own answer.
    edited_q, _ = add_exchange(store, conversation.id, first_a, "q2 edited", "a2'")
    assert _texts(store, conversation.id) == ["q1", "a1", "q2 edited", "a2'"]
    siblings = store.messages.siblings(edited_q)
    assert siblings.ids == (follow_q, edited_q)
    assert (siblings.index, siblings.count) == (1, 2)
    assert siblings.previous_id == follow_q
    assert siblings.next_id is None

    leaf = store.messages.select_branch(follow_q)
    assert leaf == follow_a
    assert _texts(store, conversation.id) == ["q1", "a1", "q2", "a2"]
    assert store.messages.siblings(follow_q).index == 0


def test_regenerating_an_answer_keeps_the_old_one(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    question, answer = add_exchange(store, conversation.id, None, "q", "first answer")
    again = store.messages.start_assistant_message(
        conversation.id, question, model="m", api_format=ApiFormat.ANTHROPIC
    )
    assert store.messages.siblings(again.id).ids == (answer, again.id)
    assert store.messages.get(answer).text == "first answer"
    assert store.conversations.get(conversation.id).current_leaf_id == again.id


def test_switching_back_remembers_the_follow_ups_shown_with_an_answer(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    q1, a1 = add_exchange(store, conversation.id, None, "q1", "a1")
    _, deep_a = add_exchange(store, conversation.id, a1, "deeper", "deeper answer")
    _, other_deep = add_exchange(store, conversation.id, a1, "other deeper", "other answer")
    store.messages.select_branch(store.messages.siblings(deep_a).ids[0])  # deep_a's only sibling
    store.messages.reveal(deep_a)
    regenerated = store.messages.start_assistant_message(
        conversation.id, q1, model="m", api_format=None
    )
    assert _texts(store, conversation.id) == ["q1", ""]
    store.messages.select_branch(a1)
    assert store.messages.visible_thread(conversation.id)[-1].id == deep_a
    assert store.conversations.get(conversation.id).current_leaf_id != other_deep
    assert store.messages.siblings(regenerated.id).count == 2


def test_the_first_question_can_be_edited_too(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    first, _ = add_exchange(store, conversation.id, None, "original start", "a")
    second, _ = add_exchange(store, conversation.id, None, "new start", "b")
    assert store.messages.siblings(second).ids == (first, second)
    store.messages.select_branch(first)
    assert _texts(store, conversation.id) == ["original start", "a"]


def test_the_last_messages_and_keyset_paging_back(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    parent = None
    for i in range(25):
        parent = store.messages.add_user_message(conversation.id, parent, f"m{i}").id
    last = store.messages.visible_thread(conversation.id, limit=10)
    assert [m.text for m in last] == [f"m{i}" for i in range(15, 25)]
    older = store.messages.messages_before(conversation.id, last[0].id, 10)
    assert [m.text for m in older] == [f"m{i}" for i in range(5, 15)]
    oldest = store.messages.messages_before(conversation.id, older[0].id, 10)
    assert [m.text for m in oldest] == [f"m{i}" for i in range(5)]
    assert oldest[0].parent_id is None
    assert store.messages.messages_before(conversation.id, oldest[0].id, 10) == []
    assert store.messages.visible_thread(conversation.id, limit=0) == []


def test_a_deep_thread_can_be_deleted(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    parent = None
    with store.transaction():
        for i in range(1500):
            parent = store.messages.add_user_message(conversation.id, parent, f"m{i}").id
    store.conversations.delete(conversation.id)
    assert store.db.scalar("SELECT count(*) FROM messages") == 0


def test_deleting_a_branch_shows_a_remaining_one(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    q, a = add_exchange(store, conversation.id, None, "q", "a")
    _, later = add_exchange(store, conversation.id, a, "follow", "up")
    again = store.messages.start_assistant_message(conversation.id, q, model="m", api_format=None)
    store.messages.delete_branch(again.id)
    assert store.conversations.get(conversation.id).current_leaf_id == later
    store.messages.delete_branch(q)
    assert store.conversations.get(conversation.id).current_leaf_id is None
    assert store.messages.visible_thread(conversation.id) == []
    assert store.search("follow") == []


def test_a_parent_from_another_conversation_is_refused(store: Store) -> None:
    one = store.conversations.create(SETTINGS)
    other = store.conversations.create(SETTINGS)
    message = store.messages.add_user_message(one.id, None, "hello")
    with pytest.raises(ValueError, match="not in conversation"):
        store.messages.add_user_message(other.id, message.id, "hijack")


def test_unknown_ids_raise_key_error(store: Store) -> None:
    with pytest.raises(KeyError):
        store.messages.get(MessageId(12345))
    with pytest.raises(KeyError):
        store.messages.siblings(MessageId(12345))
    with pytest.raises(KeyError):
        store.messages.visible_thread(ConversationId(12345))


def test_a_finished_answer_can_be_resumed_and_continued(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        conversation = store.conversations.create(SETTINGS)
        user = store.messages.add_user_message(conversation.id, None, "Tell me")
        answer = store.messages.start_assistant_message(
            conversation.id, user.id, model="m", api_format=ApiFormat.OPENAI
        )
        writer = store.writer(answer.id)
        writer.append_text("The first half")
        writer.finish(MessageStatus.COMPLETE, finish_reason="length")
        other = store.messages.start_assistant_message(
            conversation.id, user.id, model="m", api_format=ApiFormat.OPENAI
        )
        store.writer(other.id).finish(MessageStatus.STOPPED)

        resumed = store.messages.resume_assistant_message(answer.id)
        assert resumed.status is MessageStatus.STREAMING
        assert resumed.finish_reason is None
        assert resumed.finished_at is None
        assert store.messages.current_leaf(conversation.id) == answer.id
        writer = store.writer(answer.id)
        writer.append_text(" and the rest.")
        writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
        final = store.messages.get(answer.id)
        assert final.text == "The first half and the rest."
        assert [hit.message_id for hit in store.search("rest")] == [answer.id]
        with pytest.raises(KeyError):
            store.messages.resume_assistant_message(user.id)
