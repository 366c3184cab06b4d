"""The JSON export: documented format, lossless round trips, safe import of any file."""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.domain.events import Usage
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.user_texts import TEMPLATES_BY_KEY, fill
from longcat_desktop.store import ImportFormatError, Store
from longcat_desktop.store.export_json import FORMAT, VERSION
from tests.store.helpers import SETTINGS, add_exchange


def _branching_conversation(store: Store) -> ConversationId:
    conversation = store.conversations.create(SETTINGS, title="Branches")
    store.conversations.set_draft(conversation.id, "draft ✍")
    store.conversations.set_pinned(conversation.id, True)
    q, a = add_exchange(store, conversation.id, None, "q1", "a1")
    add_exchange(store, conversation.id, a, "q2", "a2")
    add_exchange(store, conversation.id, a, "q2 edited", "a2 edited")
    failed = store.messages.start_assistant_message(
        conversation.id, q, model="m", api_format=ApiFormat.ANTHROPIC
    )
    writer = store.writer(failed.id)
    writer.append_reasoning("thinking")
    writer.set_reasoning_signature("c2lnbmF0dXJl")
    writer.append_text("half")
    writer.finish(
        MessageStatus.ERROR,
        usage=Usage(5, None),
        error=ErrorDetails("overloaded", "overloaded_error", None, 529),
    )
    store.messages.select_branch(a)
    return conversation.id


def test_export_import_export_is_identical(store: Store, tmp_path: Path) -> None:
    conversation_id = _branching_conversation(store)
    store.conversations.create(SETTINGS)  # an empty one too
    exported = store.export_json()
    with Store.open(tmp_path / "other") as other:
        result = other.import_json(exported)
        assert len(result.imported) == 2
        assert result.skipped == ()
        assert other.export_json() == exported
        # The tree and the branch shown came across, not only the text.
        imported_id = result.imported[0]
        assert [m.text for m in other.messages.visible_thread(imported_id)] == [
            m.text for m in store.messages.visible_thread(conversation_id)
        ]
        assert other.search("edited")


def test_the_document_carries_every_field(store: Store) -> None:
    _branching_conversation(store)
    document = json.loads(store.export_json())
    assert (document["format"], document["version"]) == (FORMAT, VERSION)
    conversation = document["conversations"][0]
    assert set(conversation) == {
        "id", "title", "title_is_custom", "created_at", "updated_at", "pinned", "draft",
        "settings", "tools", "current_leaf", "messages", "draft_attachments",
    }  # fmt: skip
    failed = conversation["messages"][-1]
    assert failed["error"] == {
        "message": "overloaded", "type": "overloaded_error", "code": None, "status": 529,
        "key": None, "args": [],
    }  # fmt: skip
    assert failed["reasoning_signature"] == "c2lnbmF0dXJl"
    assert (failed["input_tokens"], failed["output_tokens"]) == (5, None)
    first = conversation["messages"][0]
    assert first["selected_child"] == conversation["messages"][1]["id"]


def test_importing_the_same_file_twice_adds_nothing(store: Store) -> None:
    _branching_conversation(store)
    exported = store.export_json()
    result = store.import_json(exported)
    assert result.imported == ()
    assert len(result.skipped) == 1
    assert store.conversations.count() == 1


def test_a_single_conversation_exports_alone(store: Store) -> None:
    first = _branching_conversation(store)
    store.conversations.create(SETTINGS)
    document = json.loads(store.export_json([first]))
    assert len(document["conversations"]) == 1
    with pytest.raises(KeyError):
        store.export_json([9999])


def _valid_document(store: Store) -> dict[str, Any]:
    _branching_conversation(store)
    document: dict[str, Any] = json.loads(store.export_json())
    return document


def _break(document: dict[str, Any], how: str) -> Any:
    conversation = document["conversations"][0]
    messages = conversation["messages"]
    if how == "not json":
        return "{not json"
    if how == "wrong format":
        document["format"] = "something-else"
    elif how == "newer version":
        document["version"] = VERSION + 1
    elif how == "missing field":
        del messages[0]["text"]
    elif how == "wrong type":
        messages[0]["created_at"] = "yesterday"
    elif how == "bad status":
        messages[0]["status"] = "exploded"
    elif how == "bool as number":
        conversation["settings"]["temperature"] = True
    elif how == "missing parent":
        messages[1]["parent"] = "no-such-message"
    elif how == "parent loop":
        messages[0]["parent"] = messages[1]["id"]
    elif how == "duplicate id":
        messages[2]["id"] = messages[1]["id"]
    elif how == "foreign selected child":
        messages[1]["selected_child"] = messages[0]["id"]
    elif how == "unknown leaf":
        conversation["current_leaf"] = "elsewhere"
    elif how == "not an object":
        return ["conversations"]
    return json.dumps(document)


@pytest.mark.parametrize(
    "how",
    [
        "not json", "wrong format", "newer version", "missing field", "wrong type",
        "bad status", "bool as number", "missing parent", "parent loop", "duplicate id",
        "foreign selected child", "unknown leaf", "not an object",
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_whole_with_a_clear_message(
    tmp_path: Path, store: Store, how: str
) -> None:
    document = _valid_document(store)
    # A good conversation first: it must not be imported either.
    good = json.loads(json.dumps(document["conversations"][0]))
    good["id"] = "00000000-0000-4000-8000-000000000000"
    document["conversations"].insert(0, good)
    broken = _break(document, how)
    with Store.open(tmp_path / "target") as target:
        with pytest.raises(ImportFormatError) as raised:
            target.import_json(broken if isinstance(broken, str) else json.dumps(broken))
        assert str(raised.value)
        assert target.conversations.count() == 0


# -- documents made by hypothesis ----------------------------------------------------------

_texts = st.text(max_size=30)
_times = st.floats(min_value=0, max_value=4e9).filter(lambda x: math.copysign(1, x) > 0)
_optional_texts = st.none() | _texts
_tokens = st.none() | st.integers(min_value=0, max_value=2**40)


@st.composite
def _our_error(draw: st.DrawFn) -> dict[str, Any]:
    """An error whose message is one of the app's sentences, kept with its key and values."""
    key = draw(st.sampled_from(sorted(TEMPLATES_BY_KEY)))
    template = TEMPLATES_BY_KEY[key]
    args = [draw(_texts) for _ in set(re.findall(r"%\d+", template))]
    return {
        "message": fill(template, *args),
        "type": draw(_optional_texts),
        "code": None,
        "status": None,
        "key": key,
        "args": args,
    }


@st.composite
def _conversation(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=0, max_value=6))
    ids = [str(draw(st.uuids())) for _ in range(count)]
    if len(set(ids)) != count:
        ids = [f"message-{i}" for i in range(count)]
    parents: list[int | None] = [
        draw(st.none() | st.integers(min_value=0, max_value=i - 1)) if i else None
        for i in range(count)
    ]
    messages: list[dict[str, Any]] = []
    for i in range(count):
        children = [j for j in range(count) if parents[j] == i]
        selected = draw(st.none() | st.sampled_from(children)) if children else None
        parent = parents[i]
        error: dict[str, Any] | None = draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "message": _texts,
                    "type": _optional_texts,
                    "code": _optional_texts,
                    "status": st.none() | st.integers(100, 599),
                    "key": st.none(),
                    "args": st.just([]),
                }
            )
            | _our_error()
        )
        messages.append(
            {
                "id": ids[i],
                "parent": None if parent is None else ids[parent],
                "selected_child": None if selected is None else ids[selected],
                "role": draw(st.sampled_from(["user", "assistant"])),
                # A file never says "streaming": see the tests of that case below.
                "status": draw(
                    st.sampled_from([str(s) for s in MessageStatus if s != MessageStatus.STREAMING])
                ),
                "text": draw(st.text(max_size=60)),
                "reasoning": draw(_texts),
                "reasoning_signature": draw(_optional_texts),
                "model": draw(_optional_texts),
                "api_format": draw(st.none() | st.sampled_from(["openai", "anthropic"])),
                "finish_reason": draw(_optional_texts),
                "error": error,
                "input_tokens": draw(_tokens),
                "output_tokens": draw(_tokens),
                "created_at": draw(_times),
                "first_token_at": draw(st.none() | _times),
                "finished_at": draw(st.none() | _times),
                "reasoning_seconds": draw(st.none() | _times),
                "attachments": [],
            }
        )
    # A file may list children before their parents.
    order = draw(st.permutations(range(count)))
    return {
        "id": str(draw(st.uuids())),
        "title": draw(_texts),
        "title_is_custom": draw(st.booleans()),
        "created_at": draw(_times),
        "updated_at": draw(_times),
        "pinned": draw(st.booleans()),
        "draft": draw(_texts),
        "settings": {
            "model": draw(_texts),
            "api_format": draw(st.sampled_from(["openai", "anthropic"])),
            "system_prompt": draw(_texts),
            "temperature": draw(st.none() | st.floats(0, 2).filter(lambda x: x > 0)),
            "top_p": draw(st.none() | st.floats(0, 1).filter(lambda x: x > 0)),
            "max_tokens": draw(st.none() | st.integers(1, 2**31)),
            "thinking": draw(st.none() | st.booleans()),
        },
        "tools": draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "servers": st.dictionaries(_texts, st.booleans(), max_size=2),
                    "tools": st.dictionaries(_texts, st.booleans(), max_size=2),
                }
            )
        ),
        "current_leaf": draw(st.none() | st.sampled_from(ids)) if ids else None,
        "messages": [messages[i] for i in order],
        "draft_attachments": [],
    }


def _in_export_order(document: dict[str, Any]) -> dict[str, Any]:
    """The document as an export lists it: oldest first, equal times by id."""

    def key(item: dict[str, Any]) -> tuple[float, str]:
        return item["created_at"], item["id"]

    conversations = [
        {**c, "messages": sorted(c["messages"], key=key)} for c in document["conversations"]
    ]
    return {**document, "conversations": sorted(conversations, key=key)}


@settings(max_examples=25, deadline=None)
@given(st.lists(_conversation(), max_size=3, unique_by=lambda c: c["id"]))
def test_any_valid_document_survives_import_and_export_unchanged(
    conversations: list[dict[str, Any]],
) -> None:
    document = {"format": FORMAT, "version": VERSION, "conversations": conversations}
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder)) as store:
        result = store.import_json(json.dumps(document))
        assert len(result.imported) == len(conversations)
        assert json.loads(store.export_json()) == _in_export_order(document)
        for conversation_id in result.imported:
            # Whatever the tree, reading it back works.
            store.messages.visible_thread(conversation_id)
            store.export_markdown(conversation_id)
            store.export_html(conversation_id)


def test_a_duplicate_is_a_separate_copy_of_the_whole_tree(store: Store) -> None:
    original = _branching_conversation(store)
    copy = store.duplicate_conversation(original)
    assert copy.id != original
    assert copy.uuid != store.conversations.get(original).uuid
    assert copy.title == "Branches"
    original_thread = store.messages.visible_thread(original)
    copied_thread = store.messages.visible_thread(copy.id)
    assert [m.text for m in copied_thread] == [m.text for m in original_thread]
    assert not {m.id for m in copied_thread} & {m.id for m in original_thread}
    assert len(store.messages.all_in_conversation(copy.id)) == len(
        store.messages.all_in_conversation(original)
    )
    store.conversations.delete(original)
    assert store.messages.visible_thread(copy.id)


# -- an export taken while an answer was arriving -------------------------------------------


def test_an_answer_still_streaming_is_exported_as_interrupted(store: Store) -> None:
    conversation = store.conversations.create(SETTINGS)
    question = store.messages.add_user_message(conversation.id, None, "q")
    answer = store.messages.start_assistant_message(
        conversation.id, question.id, model="m", api_format=ApiFormat.OPENAI
    )
    writer = store.writer(answer.id)
    writer.append_text("half an ans")
    writer.flush()
    exported = json.loads(store.export_json())
    statuses = [m["status"] for m in exported["conversations"][0]["messages"]]
    assert statuses == ["complete", "interrupted"]
    assert exported["conversations"][0]["messages"][1]["text"] == "half an ans"


def test_a_file_saying_streaming_imports_as_interrupted(store: Store, tmp_path: Path) -> None:
    document = _valid_document(store)
    for message in document["conversations"][0]["messages"]:
        message["status"] = "streaming"
    with Store.open(tmp_path / "target") as target:
        result = target.import_json(json.dumps(document))
        statuses = target.db.query(
            "SELECT DISTINCT status FROM messages WHERE conversation_id = ?", (result.imported[0],)
        )
        assert statuses == [("interrupted",)]
        # Nothing waits for a stream that will never come.
        assert target.db.scalar("SELECT count(*) FROM messages WHERE status = 'streaming'") == 0


@pytest.mark.parametrize("depth", [10_000, 200_000])
def test_deeply_nested_json_is_not_an_export(store: Store, depth: int) -> None:
    with pytest.raises(ImportFormatError, match="not a conversation export"):
        store.import_json("[" * depth + "]" * depth)
    with pytest.raises(ImportFormatError, match="not a conversation export"):
        store.import_json(
            '{"format": "longcat-desktop/conversations", "version": 1, "conversations": '
            + '{"a": ' * depth
            + "1"
            + "}" * depth
            + "}"
        )


def test_a_file_from_before_reasoning_durations_imports(store: Store) -> None:
    _branching_conversation(store)
    document = json.loads(store.export_json())
    for message in document["conversations"][0]["messages"]:
        del message["reasoning_seconds"]
    store.conversations.delete(store.conversations.list()[0].id)
    result = store.import_json(json.dumps(document))
    assert len(result.imported) == 1
    thread = store.messages.visible_thread(store.conversations.list()[0].id)
    assert all(message.reasoning_seconds is None for message in thread)


TOOLS = '{"servers": {"files": false, "web": true}, "tools": {"web/fetch": false}}'


def test_a_conversations_choice_of_tools_round_trips(store: Store, tmp_path: Path) -> None:
    chosen = _branching_conversation(store)
    store.conversations.create(SETTINGS)  # one on the default
    store.conversations.set_tool_selection(chosen, TOOLS)
    exported = store.export_json()
    document = json.loads(exported)
    assert [c["tools"] for c in document["conversations"]] == [json.loads(TOOLS), None]
    with Store.open(tmp_path / "other") as other:
        result = other.import_json(exported)
        first, default = result.imported
        assert json.loads(other.conversations.tool_selection(first) or "") == json.loads(TOOLS)
        assert other.conversations.tool_selection(default) is None
        assert other.export_json() == exported


def test_a_file_from_before_tool_choices_imports_on_the_default(store: Store) -> None:
    store.conversations.set_tool_selection(_branching_conversation(store), TOOLS)
    document = json.loads(store.export_json())
    del document["conversations"][0]["tools"]
    store.conversations.delete(store.conversations.list()[0].id)
    (imported,) = store.import_json(json.dumps(document)).imported
    assert store.conversations.tool_selection(imported) is None


def test_a_choice_of_tools_that_is_not_an_object_is_refused(store: Store) -> None:
    _branching_conversation(store)
    document = json.loads(store.export_json())
    document["conversations"][0]["tools"] = ["web"]
    store.conversations.delete(store.conversations.list()[0].id)
    with pytest.raises(ImportFormatError, match=r"conversations\[0\]\.tools"):
        store.import_json(json.dumps(document))
    assert store.conversations.count() == 0
