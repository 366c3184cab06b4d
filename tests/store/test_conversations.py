"""Conversations: titles, settings, drafts, pinning and the ordered list."""

from __future__ import annotations

import itertools

import pytest

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.store import Store
from longcat_desktop.store.conversations import title_from_text
from tests.store.helpers import SETTINGS, add_exchange


def test_a_new_conversation_keeps_its_settings(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    assert conversation.settings == SETTINGS
    assert conversation.title == ""
    assert not conversation.title_is_custom
    assert conversation.current_leaf_id is None
    assert len(conversation.uuid) == 36
    changed = ConversationSettings(
        model="other", api_format=ApiFormat.ANTHROPIC, thinking=False, top_p=0.5
    )
    store.conversations.update_settings(conversation.id, changed)
    assert store.conversations.get(conversation.id).settings == changed


def test_the_title_comes_from_the_first_question_until_renamed(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    add_exchange(store, conversation.id, None, "\n  How do   lighthouses work?\nDetails", "a")
    assert store.conversations.get(conversation.id).title == "How do lighthouses work?"
    store.conversations.rename(conversation.id, "Lights")
    add_exchange(store, conversation.id, None, "Another start", "b")
    renamed = store.conversations.get(conversation.id)
    assert (renamed.title, renamed.title_is_custom) == ("Lights", True)
    store.conversations.reset_title(conversation.id)
    reset = store.conversations.get(conversation.id)
    assert (reset.title, reset.title_is_custom) == ("Another start", False)


def test_long_titles_are_shortened_at_a_word() -> None:
    title = title_from_text("word " * 40)
    assert len(title) <= 60
    assert title.endswith("word…")
    assert title_from_text("") == ""


def test_drafts_and_pins_are_kept(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    store.conversations.set_draft(conversation.id, "half a thought")
    store.conversations.set_pinned(conversation.id, True)
    again = store.conversations.get(conversation.id)
    assert again.draft == "half a thought"
    assert again.pinned


def test_the_list_has_pinned_first_then_the_most_recent(store: Store) -> None:
    clock = itertools.count(1000.0)
    ordered = Store(store.db, store.report, clock=lambda: float(next(clock)))
    a = ordered.conversations.create(SETTINGS)
    b = ordered.conversations.create(SETTINGS)
    c = ordered.conversations.create(SETTINGS)
    ordered.messages.add_user_message(a.id, None, "a is active again")
    ordered.conversations.set_pinned(b.id, True)
    assert [s.id for s in ordered.conversations.list()] == [b.id, a.id, c.id]
    assert ordered.conversations.list()[0].pinned


def test_deleting_a_conversation_removes_its_messages(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    add_exchange(store, conversation.id, None, "q", "a")
    store.conversations.delete(conversation.id)
    assert store.conversations.count() == 0
    assert store.db.scalar("SELECT count(*) FROM messages") == 0
    with pytest.raises(KeyError):
        store.conversations.get(conversation.id)
    with pytest.raises(KeyError):
        store.conversations.rename(conversation.id, "gone")


def test_the_list_can_be_read_a_page_at_a_time(store: Store) -> None:
    clock = itertools.count(1000.0)
    paged = Store(store.db, store.report, clock=lambda: float(next(clock)))
    created = [paged.conversations.create(SETTINGS).id for _ in range(7)]
    paged.conversations.set_pinned(created[0], True)
    everything = paged.conversations.list()
    pages = []
    after = None
    while True:
        page = paged.conversations.list(limit=3, after=after)
        if not page:
            break
        pages.extend(page)
        after = page[-1]
    assert pages == everything
    assert [s.id for s in everything] == [created[0], *reversed(created[1:])]
