"""Search: literal whatever is typed, Chinese by substring, ranked, never an error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longcat_desktop.domain.conversation import MessageStatus, SearchHit
from longcat_desktop.store import Store, search_index
from longcat_desktop.store.search import END_MARK, START_MARK, Search
from longcat_desktop.store.search_index import Tokenizer
from tests.store.helpers import SETTINGS, add_exchange

HOSTILE = [
    '"',
    '""',
    '"unbalanced',
    "it's",
    "*",
    "a*",
    "-",
    "-minus",
    "NEAR",
    "NEAR(a b)",
    "a NEAR b",
    "AND",
    "OR",
    "NOT",
    "a AND OR b",
    "(",
    ")",
    "((a)",
    "[x",
    "{y}",
    "col:value",
    "text:hello",
    "^start",
    "+plus",
    "%",
    "_",
    "\\",
    "\x00",
    "\ud800",
    "a\u200bb",
    "😀😀😀",
    "   ",
    "",
    "数据库",
    "数",
    "「引号」",
]


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("search"))
    with store.transaction():
        lighthouse = store.conversations.create(SETTINGS)
        add_exchange(
            store,
            lighthouse.id,
            None,
            "How do lighthouses work?",
            "A lighthouse uses a Fresnel lens to focus the lamp's light into a beam.",
        )
        chinese = store.conversations.create(SETTINGS)
        add_exchange(
            store,
            chinese.id,
            None,
            "请解释数据库的事务隔离级别",
            "事务隔离级别包括读未提交、读已提交、可重复读和串行化。",
        )
        symbols = store.conversations.create(SETTINGS)
        add_exchange(
            store,
            symbols.id,
            None,
            'Why does "NEAR(a b)" fail in FTS5 -- and what is col:value?',
            "Because NEAR, AND, OR and * are operators; 100% literal search quotes them.",
        )
        for i in range(30):
            filler = store.conversations.create(SETTINGS)
            add_exchange(
                store, filler.id, None, f"filler question {i}", f"nothing relevant here {i}"
            )
    yield store
    store.close()


def _conversations(hits: list[SearchHit]) -> set[int]:
    return {hit.conversation_id for hit in hits}


def test_an_ordinary_word_finds_messages_and_titles_with_marks(searchable: Store) -> None:
    hits = searchable.search("lighthouse")
    assert hits[0].message_id is None  # the title first
    assert f"{START_MARK}lighthouse{END_MARK}" in hits[0].snippet.lower()
    message_hits = [hit for hit in hits if hit.message_id is not None]
    assert len(message_hits) == 2
    assert all(START_MARK in hit.snippet and END_MARK in hit.snippet for hit in message_hits)


def test_search_ignores_case_and_finds_parts_of_words(searchable: Store) -> None:
    assert searchable.search("FRESNEL")
    assert searchable.search("ighthou")


def test_every_term_must_occur(searchable: Store) -> None:
    assert len(searchable.search("fresnel beam", title_limit=0)) == 1
    assert searchable.search("fresnel 事务") == []


def test_chinese_is_found_by_a_substring(searchable: Store) -> None:
    hits = searchable.search("隔离级别")
    assert {hit.message_id is None for hit in hits} == {True, False}
    assert any(f"{START_MARK}隔离级别{END_MARK}" in hit.snippet for hit in hits)
    assert searchable.search("可重复读")


@pytest.mark.parametrize("query", ["数据", "事", "Fr", "a"])
def test_one_or_two_characters_still_find_recent_messages(searchable: Store, query: str) -> None:
    hits = searchable.search(query)
    assert hits
    assert all(START_MARK in hit.snippet for hit in hits)


def test_a_short_term_narrows_a_longer_one(searchable: Store) -> None:
    assert searchable.search("lens to", title_limit=0)
    assert searchable.search("lens 数", title_limit=0) == []


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(searchable: Store, query: str) -> None:
    searchable.search(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [('"NEAR(a b)"', 1), ("NEAR(a", 1), ("col:value", 1), ("100%", 1), ("--", 1), ("AND", 1)],
)
def test_operators_are_searched_as_text(searchable: Store, query: str, expected: int) -> None:
    hits = searchable.search(query, title_limit=0)
    assert len(_conversations(hits)) == expected, hits


@settings(max_examples=150, deadline=None)
@given(query=st.text(max_size=40))
def test_any_text_is_a_valid_query(searchable: Store, query: str) -> None:
    searchable.search(query)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("scratch"))
    yield store
    store.close()


@settings(max_examples=60, deadline=None)
@given(
    word=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Cc")),
        min_size=3,
        max_size=12,
    )
)
def test_text_that_was_written_is_found_by_itself(scratch: Store, word: str) -> None:
    conversation = scratch.conversations.create(SETTINGS)
    add_exchange(scratch, conversation.id, None, "q", f"before {word} after")
    hits = scratch.search(word, conversation_id=conversation.id, title_limit=0)
    assert hits, word


def test_a_streaming_answer_is_found_once_finished(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    question = store.messages.add_user_message(conversation.id, None, "q")
    answer = store.messages.start_assistant_message(
        conversation.id, question.id, model="m", api_format=None
    )
    writer = store.writer(answer.id)
    writer.append_text("photosynthesis explained")
    writer.flush()
    assert store.search("photosynthesis") == []
    writer.finish(MessageStatus.COMPLETE)
    assert [hit.message_id for hit in store.search("photosynthesis")] == [answer.id]


def test_renamed_titles_are_found(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    store.conversations.rename(conversation.id, "Holiday plans")
    assert [hit.conversation_id for hit in store.search("holiday")] == [conversation.id]
    store.conversations.rename(conversation.id, "Work")
    assert store.search("holiday") == []


def test_better_matches_rank_first(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    weak, _ = add_exchange(store, conversation.id, None, "tea " + "filler words " * 40, "no")
    strong, _ = add_exchange(store, conversation.id, None, "tea tea tea", "no")
    hits = store.search("tea", title_limit=0)
    assert [hit.message_id for hit in hits][:2] == [strong, weak]


@pytest.mark.parametrize("tokenizer", [Tokenizer.WORDS, Tokenizer.NONE])
def test_search_degrades_gracefully_without_trigrams(store: Store, tokenizer: Tokenizer) -> None:
    search_index.ensure(store.db.connection, tokenizer)
    degraded = Search(store.db, tokenizer)
    conversation = store.conversations.create(SETTINGS)
    add_exchange(store, conversation.id, None, "lighthouse keepers", "数据库 事务")
    assert degraded("lighthouse")
    assert degraded("light")  # as-you-type: a prefix finds the word
    for query in HOSTILE:
        degraded(query)
    if tokenizer is Tokenizer.NONE:
        assert degraded("数据")
