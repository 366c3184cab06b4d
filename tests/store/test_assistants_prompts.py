"""Assistants and saved prompts in the store, and the prompt library's JSON file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.domain.organising import Assistant, placeholder_spans
from longcat_desktop.store import Store
from longcat_desktop.store.errors import ImportFormatError

SETTINGS = ConversationSettings("LongCat-Flash-Chat", ApiFormat.OPENAI)
TOOLS = '{"servers": {"files": true, "web": false}, "tools": {"files/delete": false}}'


def test_a_new_database_has_the_three_built_in_assistants(store: Store) -> None:
    assistants = store.assistants.all()
    assert [a.builtin for a in assistants] == ["translator", "code-reviewer", "writing-editor"]
    # Their text comes from the interface until edited; nothing is stored for it.
    assert all(a.name == "" and a.system_prompt == "" for a in assistants)
    assert store.assistants.default() is None


def test_add_edit_default_and_delete(store: Store) -> None:
    added = store.assistants.add(
        Assistant(
            id=0,
            uuid="",
            name="Poet",
            system_prompt="Answer in verse.",
            model="LongCat-Flash-Thinking",
            api_format=ApiFormat.ANTHROPIC,
            temperature=0.9,
            max_tokens=500,
            thinking=True,
            tools=TOOLS,
        )
    )
    assert added.uuid
    assert (added.model, added.api_format, added.tools) == (
        "LongCat-Flash-Thinking",
        ApiFormat.ANTHROPIC,
        TOOLS,
    )
    store.assistants.update(replace(added, name="Bard", top_p=0.5))
    assert store.assistants.get(added.id).name == "Bard"
    assert store.assistants.get(added.id).top_p == 0.5
    store.assistants.set_default(added.id)
    default = store.assistants.default()
    assert default is not None
    assert default.id == added.id
    store.assistants.set_default(None)
    assert store.assistants.default() is None
    store.assistants.delete(added.id)
    with pytest.raises(KeyError):
        store.assistants.get(added.id)


def test_an_assistant_without_a_choice_of_tools_follows_settings(store: Store) -> None:
    added = store.assistants.add(Assistant(id=0, uuid="", name="Plain"))
    assert added.tools is None
    store.assistants.update(replace(added, tools=TOOLS))
    assert store.assistants.get(added.id).tools == TOOLS
    store.assistants.update(replace(added, tools=None))
    assert store.assistants.get(added.id).tools is None
    # The built-ins, stored before tools could be chosen, have no choice of their own.
    assert all(a.tools is None for a in store.assistants.all())


def test_recent_puts_the_last_used_first(store: Store) -> None:
    _first, second, _third = store.assistants.all()
    store.assistants.mark_used(second.id)
    assert store.assistants.recent(2)[0].id == second.id


def test_a_conversation_remembers_its_assistant_until_the_assistant_goes(store: Store) -> None:
    assistant = store.assistants.add(Assistant(id=0, uuid="", name="Helper"))
    conversation = store.conversations.create(SETTINGS, assistant_id=assistant.id)
    assert store.conversations.get(conversation.id).assistant_id == assistant.id
    store.assistants.delete(assistant.id)
    kept = store.conversations.get(conversation.id)
    assert kept.assistant_id is None
    assert kept.settings == SETTINGS


def test_prompts_round_trip_through_their_json_file(store: Store) -> None:
    store.prompts.add("Summarise", "Summarise {{text}} in {{count}} points.")
    store.prompts.add("翻译", "把下面的文字翻译成英文：{{text}}")
    exported = store.prompts.export_json()
    document = json.loads(exported)
    assert document["format"] == "longcat-desktop/prompts"
    assert [p["name"] for p in document["prompts"]] == ["Summarise", "翻译"]

    for prompt in store.prompts.all():
        store.prompts.delete(prompt.id)
    assert store.prompts.import_json(exported) == 2
    # The same file again adds nothing.
    assert store.prompts.import_json(exported) == 0
    assert [p.body for p in store.prompts.all()][1] == "把下面的文字翻译成英文：{{text}}"


def test_prompts_with_the_same_name_export_alike_whatever_order_they_were_added_in(
    store: Store, tmp_path: Path
) -> None:
    prompts = [
        ("Reply", "Politely.", "00000000-0000-4000-8000-000000000002"),
        ("Reply", "Briefly.", "00000000-0000-4000-8000-000000000001"),
        ("ask", "Ask {{who}}.", "00000000-0000-4000-8000-000000000003"),
    ]
    for name, body, uuid in prompts:
        store.prompts.add(name, body, uuid=uuid)
    with Store.open(tmp_path / "other") as other:
        for name, body, uuid in reversed(prompts):
            other.prompts.add(name, body, uuid=uuid)
        assert other.prompts.export_json() == store.prompts.export_json()
    listed = json.loads(store.prompts.export_json())["prompts"]
    assert [p["body"] for p in listed] == ["Ask {{who}}.", "Briefly.", "Politely."]


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"format": "longcat-desktop/conversations", "prompts": []}',
        '{"format": "longcat-desktop/prompts", "prompts": [{"name": 3, "body": ""}]}',
        '{"format": "longcat-desktop/prompts", "prompts": {}}',
    ],
)
def test_a_bad_prompt_file_is_refused_and_changes_nothing(store: Store, text: str) -> None:
    store.prompts.add("Keep", "me")
    with pytest.raises(ImportFormatError):
        store.prompts.import_json(text)
    assert [p.name for p in store.prompts.all()] == ["Keep"]


def test_placeholders_are_found_in_order() -> None:
    text = "Translate {{text}} into {{language}}; {not} {{ }}"
    assert [text[a:b] for a, b in placeholder_spans(text)] == [
        "{{text}}",
        "{{language}}",
        "{{ }}",
    ]
    assert placeholder_spans(text, 20)[0][0] == text.index("{{language}}")
