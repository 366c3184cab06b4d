"""Assistants and saved prompts in the JSON export: what is written, and how it comes back."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.organising import Assistant
from longcat_desktop.store import ImportFormatError, Store
from longcat_desktop.store.importers import read_import
from tests.store.helpers import SETTINGS

TOOLS = '{"servers": {"files": true, "web": false}, "tools": {"files/delete": false}}'


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second, empty data folder: the new computer."""
    opened = Store.open(tmp_path / "other")
    try:
        yield opened
    finally:
        opened.close()


def _poet(store: Store, name: str = "Poet") -> Assistant:
    return store.assistants.add(
        Assistant(
            id=0,
            uuid="",
            name=name,
            system_prompt="Answer in verse.",
            model="LongCat-Flash-Thinking",
            api_format=ApiFormat.ANTHROPIC,
            temperature=0.9,
            top_p=0.8,
            max_tokens=500,
            thinking=True,
            tools=TOOLS,
        )
    )


def _translator(store: Store) -> Assistant:
    (found,) = [a for a in store.assistants.all() if a.builtin == "translator"]
    return found


def _library(store: Store) -> dict[str, Any]:
    """A history with a user's assistant, an edited built-in one, prompts and links."""
    poet = _poet(store)
    plain = store.assistants.add(Assistant(id=0, uuid="", name="plain"))
    store.assistants.update(replace(_translator(store), system_prompt="Into French only."))
    store.prompts.add("Summarise", "Summarise {{text}} in three lines.")
    store.prompts.add("explain", "Explain like I am five.")
    verse = store.conversations.create(SETTINGS, title="Verse", assistant_id=poet.id)
    french = store.conversations.create(SETTINGS, title="French")
    store.assistants.link(french.id, _translator(store).id)
    store.conversations.create(SETTINGS, title="Loose")
    return {"poet": poet, "plain": plain, "verse": verse.id, "french": french.id}


def _assistant_of(store: Store, title: str) -> Assistant | None:
    (found,) = [c for c in store.conversations.list() if c.title == title]
    assistant_id = store.conversations.get(found.id).assistant_id
    return None if assistant_id is None else store.assistants.get(assistant_id)


def _shape(assistant: Assistant) -> Assistant:
    """What travels: everything but the local row id and what belongs to one computer."""
    return replace(assistant, id=0, is_default=False, last_used_at=None)


def test_assistants_prompts_and_links_round_trip_onto_a_new_computer(
    store: Store, other: Store
) -> None:
    _library(store)
    exported = store.export_json()
    other.import_json(exported)
    assert [_shape(a) for a in other.assistants.all()] == [
        _shape(a) for a in store.assistants.all()
    ]
    assert [(p.uuid, p.name, p.body) for p in other.prompts.all()] == [
        (p.uuid, p.name, p.body) for p in store.prompts.all()
    ]
    poet = _assistant_of(other, "Verse")
    assert poet is not None
    assert (poet.name, poet.tools, poet.thinking, poet.api_format) == (
        "Poet",
        TOOLS,
        True,
        ApiFormat.ANTHROPIC,
    )
    translator = _assistant_of(other, "French")
    assert translator is not None
    assert (translator.builtin, translator.system_prompt) == ("translator", "Into French only.")
    assert _assistant_of(other, "Loose") is None
    assert other.export_json() == exported


def test_the_document_lists_them_in_the_documented_shape(store: Store) -> None:
    made = _library(store)
    document = store.export_document()
    assert list(document) == ["format", "version", "assistants", "prompts", "conversations"]
    poet = made["poet"]
    # A built-in one keeps its empty name (the app's own shows), so it comes first.
    assert [a["name"] for a in document["assistants"]] == ["", "plain", "Poet"]
    assert document["assistants"][2] == {
        "id": poet.uuid,
        "builtin": None,
        "name": "Poet",
        "system_prompt": "Answer in verse.",
        "model": "LongCat-Flash-Thinking",
        "api_format": "anthropic",
        "temperature": 0.9,
        "top_p": 0.8,
        "max_tokens": 500,
        "thinking": True,
        "tools": json.loads(TOOLS),
    }
    assert document["assistants"][0]["builtin"] == "translator"
    assert document["assistants"][1]["api_format"] == ""
    assert document["assistants"][1]["tools"] is None
    assert [p["name"] for p in document["prompts"]] == ["explain", "Summarise"]
    links = {c["title"]: c.get("assistant") for c in document["conversations"]}
    assert links == {"Verse": poet.uuid, "French": _translator(store).uuid, "Loose": None}


def test_the_default_and_last_use_stay_on_this_computer(store: Store, other: Store) -> None:
    poet = _library(store)["poet"]
    store.assistants.set_default(poet.id)
    store.assistants.mark_used(poet.id)
    text = store.export_json()
    document = json.loads(text)
    fields = {"id", "builtin", "name", "system_prompt", "model", "api_format", "temperature"}
    fields |= {"top_p", "max_tokens", "thinking", "tools"}
    assert all(set(a) == fields for a in document["assistants"])
    assert all(set(p) == {"id", "name", "body"} for p in document["prompts"])
    other.import_json(text)
    assert other.assistants.default() is None
    assert all(a.last_used_at is None for a in other.assistants.all())


def test_untouched_built_in_assistants_and_an_empty_library_are_not_written(
    store: Store,
) -> None:
    conversation = store.conversations.create(SETTINGS, title="Plain")
    before = store.export_json()
    assert '"assistants"' not in before
    assert '"prompts"' not in before
    assert '"assistant"' not in before
    # Started from an untouched built-in: linked by its id, which every computer shares.
    store.assistants.link(conversation.id, _translator(store).id)
    document = store.export_document()
    assert "assistants" not in document
    assert document["conversations"][0]["assistant"] == _translator(store).uuid


def test_an_edited_built_in_lands_on_the_new_computers_own_unless_edited_there(
    store: Store, other: Store, tmp_path: Path
) -> None:
    store.assistants.update(replace(_translator(store), name="Translator", temperature=0.0))
    exported = store.export_json()
    other.import_json(exported)
    assert len(other.assistants.all()) == 3
    arrived = _translator(other)
    assert (arrived.name, arrived.temperature) == ("Translator", 0.0)
    assert arrived.uuid == _translator(store).uuid

    third = Store.open(tmp_path / "third")
    try:
        third.assistants.update(replace(_translator(third), name="Mine"))
        third.import_json(exported)
        assert (_translator(third).name, _translator(third).temperature) == ("Mine", 0.3)
    finally:
        third.close()


def test_chosen_conversations_carry_only_their_assistants_and_no_prompts(
    store: Store, other: Store
) -> None:
    made = _library(store)
    document = store.export_document([made["verse"]])
    assert [a["name"] for a in document["assistants"]] == ["Poet"]
    assert "prompts" not in document
    other.import_json(json.dumps(document))
    assert [a.name for a in other.assistants.all() if a.builtin is None] == ["Poet"]
    assert other.prompts.all() == []
    poet = _assistant_of(other, "Verse")
    assert poet is not None
    assert poet.uuid == made["poet"].uuid
    # A conversation from an untouched built-in lists no assistant, and still links to it.
    loose = store.conversations.create(SETTINGS, title="Edit")
    (reviewer,) = [a for a in store.assistants.all() if a.builtin == "code-reviewer"]
    store.assistants.link(loose.id, reviewer.id)
    alone = store.export_document([loose.id])
    assert "assistants" not in alone
    assert alone["conversations"][0]["assistant"] == reviewer.uuid
    other.import_json(json.dumps(alone))
    linked = _assistant_of(other, "Edit")
    assert linked is not None
    assert linked.builtin == "code-reviewer"


def test_importing_again_adds_no_duplicates(store: Store, other: Store) -> None:
    _library(store)
    exported = store.export_json()
    other.import_json(exported)
    other.import_json(exported)
    assert len(other.assistants.all()) == 5
    assert len(other.prompts.all()) == 2
    assert other.export_json() == exported


def test_an_assistant_or_prompt_already_here_is_left_as_it_is(store: Store, other: Store) -> None:
    poet = _library(store)["poet"]
    other.import_json(store.export_json())
    store.assistants.update(replace(poet, name="Bard"))
    (prompt,) = [p for p in store.prompts.all() if p.name == "explain"]
    store.prompts.update(prompt.id, "explain", "Changed here.")
    other.import_json(store.export_json())
    assert "Bard" not in [a.name for a in other.assistants.all()]
    assert "Changed here." not in [p.body for p in other.prompts.all()]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(assistants={}), "file.assistants should be an array."),
        (lambda d: d["assistants"].append("Poet"), "file.assistants[3] should be an object."),
        (
            lambda d: d["assistants"][1].pop("model"),
            "file.assistants[1] lacks the field 'model'.",
        ),
        (
            lambda d: d["assistants"][1].update(temperature="hot"),
            "file.assistants[1].temperature should be a finite number or null.",
        ),
        (
            lambda d: d["assistants"][1].update(api_format="gemini"),
            "file.assistants[1].api_format should be one of '', 'openai', 'anthropic'.",
        ),
        (
            lambda d: d["assistants"][1].update(thinking=1),
            "file.assistants[1].thinking should be true, false or null.",
        ),
        (
            lambda d: d["assistants"][1].update(tools=[]),
            "file.assistants[1].tools should be an object or null.",
        ),
        (
            lambda d: d["assistants"][1].update(max_tokens=2.5),
            "file.assistants[1].max_tokens should be an integer or null.",
        ),
        (
            lambda d: d["assistants"][0].update(id=""),
            "file.assistants[0].id should be a non-empty string.",
        ),
        (
            lambda d: d["prompts"][0].update(body=None),
            "file.prompts[0].body should be a string.",
        ),
        (
            lambda d: d["conversations"][2].update(assistant=7),
            "file.conversations[2].assistant should be a string or null.",
        ),
    ],
)
def test_a_malformed_entry_refuses_the_whole_file(
    store: Store, other: Store, change: Any, message: str
) -> None:
    _library(store)
    document = copy.deepcopy(store.export_document())
    change(document)
    with pytest.raises(ImportFormatError) as raised:
        other.import_json(json.dumps(document))
    assert str(raised.value) == message
    assert [a.builtin for a in other.assistants.all()] == [
        "translator",
        "code-reviewer",
        "writing-editor",
    ]
    assert _translator(other).system_prompt == ""
    assert other.prompts.all() == []
    assert other.conversations.list() == []


def test_the_order_depends_on_names_and_ids_not_on_when_they_were_added(
    store: Store, other: Store
) -> None:
    for name in ("beta", "Alpha", "alpha", "Gamma"):
        _poet(store, name)
        store.prompts.add(name, f"{name} body")
    document = store.export_document()
    assert [a["name"] for a in document["assistants"]] == ["Alpha", "alpha", "beta", "Gamma"]
    assert [p["name"] for p in document["prompts"]] == ["Alpha", "alpha", "beta", "Gamma"]
    # The same items added in the opposite order get other row ids and times.
    reversed_document = copy.deepcopy(document)
    reversed_document["assistants"].reverse()
    reversed_document["prompts"].reverse()
    other.import_json(json.dumps(reversed_document))
    assert other.export_json() == store.export_json()


def test_the_import_job_brings_them_and_links_its_conversations(
    store: Store, other: Store, tmp_path: Path
) -> None:
    _library(store)
    path = tmp_path / "export.json"
    path.write_text(store.export_json(), encoding="utf-8")
    plan = read_import(path, SETTINGS)
    for _ in other.import_steps(plan):
        pass
    assert other.export_json() == store.export_json()
    translator = _assistant_of(other, "French")
    assert translator is not None
    assert translator.builtin == "translator"


def test_the_import_job_refuses_a_file_with_a_malformed_assistant(
    store: Store, tmp_path: Path
) -> None:
    _library(store)
    document = store.export_document()
    document["assistants"][0]["name"] = None
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"file\.assistants\[0\]\.name should be"):
        read_import(path, SETTINGS)


def test_a_built_in_assistant_this_version_lacks_arrives_as_it_was_written(
    store: Store, other: Store
) -> None:
    _library(store)
    document = store.export_document()
    newer = {**document["assistants"][0], "id": "3c4d", "builtin": "summariser", "name": "Sum"}
    document["assistants"].append(newer)
    other.import_json(json.dumps(document))
    (arrived,) = [a for a in other.assistants.all() if a.builtin == "summariser"]
    assert (arrived.uuid, arrived.name) == ("3c4d", "Sum")
    assert json.loads(other.export_json())["assistants"] == sorted(
        document["assistants"], key=lambda a: (a["name"].lower(), a["name"], a["id"])
    )


def test_the_import_job_skips_only_a_conversation_with_a_malformed_link(
    store: Store, other: Store, tmp_path: Path
) -> None:
    _library(store)
    document = store.export_document()
    (verse,) = [c for c in document["conversations"] if c["title"] == "Verse"]
    verse["assistant"] = ["Poet"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    *_, tally = other.import_steps(read_import(path, SETTINGS))
    assert tally.skipped == [("Verse", "conversation.assistant should be a string or null.")]
    assert sorted(c.title for c in other.conversations.list()) == ["French", "Loose"]
    assert len(other.assistants.all()) == 5
