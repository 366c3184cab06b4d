"""An answer's error keeps the key and values of the app's own sentences, so that it can be shown
in whatever language the interface has later; rows and exports from before still read."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ErrorDetails, MessageStatus
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.store import Store
from longcat_desktop.store.export_json import FORMAT, VERSION
from tests.store import historical_schemas
from tests.store.helpers import SETTINGS


def _failed_answer(store: Store, error: ErrorDetails) -> MessageId:
    conversation = store.conversations.create(SETTINGS)
    user = store.messages.add_user_message(conversation.id, None, "Hi")
    answer = store.messages.start_assistant_message(
        conversation.id, user.id, model="m", api_format=ApiFormat.OPENAI
    )
    store.writer(answer.id).finish(MessageStatus.ERROR, error=error)
    return answer.id


def test_our_sentence_is_stored_with_its_key_and_values(store: Store) -> None:
    said = texts.CONNECT_FAILED("http://127.0.0.1:9", "[Errno 111] Connection refused")
    message_id = _failed_answer(store, ErrorDetails.of(said, type="connection_error"))

    error = store.messages.get(message_id).error
    assert error is not None
    assert error.user_text == said
    assert error.message == str(said)
    assert error.type == "connection_error"
    key, args = store.db.query(
        "SELECT error_key, error_args FROM messages WHERE id = ?", (message_id,)
    )[0]
    assert key == "CONNECT_FAILED"
    assert json.loads(args) == ["http://127.0.0.1:9", "[Errno 111] Connection refused"]


def test_the_servers_words_are_never_taken_for_our_sentence(store: Store) -> None:
    # A server may well say exactly what one of our sentences says; it stays its own words.
    message_id = _failed_answer(store, ErrorDetails.of(str(texts.NETWORK_TIMED_OUT), status=504))

    error = store.messages.get(message_id).error
    assert error is not None
    assert error.user_text is None
    assert error.message == "The network timed out."


def test_a_key_this_version_does_not_know_shows_the_english_message(store: Store) -> None:
    message_id = _failed_answer(store, ErrorDetails.of(texts.NETWORK_TIMED_OUT))
    store.db.execute(
        "UPDATE messages SET error_message = 'From the future.', error_key = 'FUTURE_SENTENCE'"
        " WHERE id = ?",
        (message_id,),
    )

    error = store.messages.get(message_id).error
    assert error is not None
    assert error.user_text is None
    assert error.message == "From the future."


def test_continuing_an_answer_clears_its_old_error(store: Store) -> None:
    message_id = _failed_answer(store, ErrorDetails.of(texts.CONNECTION_LOST))

    resumed = store.messages.resume_assistant_message(message_id)

    assert resumed.error is None
    assert store.db.query("SELECT error_key FROM messages WHERE id = ?", (message_id,)) == [(None,)]


def test_an_error_stored_in_english_by_version_1_is_recognised(data_dir: Path) -> None:
    path = data_dir / "longcat.db"
    historical_schemas.build(path, 1)
    english = "Could not connect to http://127.0.0.1:9: [Errno 111] Connection refused"
    connection = sqlite3.connect(path)
    connection.executemany(
        "INSERT INTO messages (id, uuid, conversation_id, parent_id, role, status, error_message,"
        " error_type, created_at) VALUES (?, ?, 1, 1, 'assistant', 'error', ?, ?, 1700000000.5)",
        [(4, "m-4", english, "connection_error"), (5, "m-5", "Invalid API key", "auth")],
    )
    connection.commit()
    connection.close()

    with Store.open(data_dir) as store:
        recognised = store.messages.get(MessageId(4)).error
        assert recognised is not None
        assert recognised.user_text == texts.CONNECT_FAILED(
            "http://127.0.0.1:9", "[Errno 111] Connection refused"
        )
        assert recognised.message == english
        servers = store.messages.get(MessageId(5)).error
        assert servers is not None
        assert servers.user_text is None


def _document(error: Mapping[str, object]) -> str:
    message = {
        "id": "m-1", "parent": None, "selected_child": None, "role": "assistant",
        "status": "error", "text": "", "reasoning": "", "reasoning_signature": None,
        "model": None, "api_format": None, "finish_reason": None, "error": error,
        "input_tokens": None, "output_tokens": None, "created_at": 1.0,
        "first_token_at": None, "finished_at": None,
    }  # fmt: skip
    conversation = {
        "id": "6f1c1a52-58a4-4d36-9d43-0c7c1cbd0002", "title": "t", "title_is_custom": False,
        "created_at": 1.0, "updated_at": 1.0, "pinned": False, "draft": "",
        "settings": {
            "model": "m", "api_format": "openai", "system_prompt": "", "temperature": None,
            "top_p": None, "max_tokens": None, "thinking": None,
        },
        "current_leaf": "m-1", "messages": [message],
    }  # fmt: skip
    return json.dumps({"format": FORMAT, "version": VERSION, "conversations": [conversation]})


def test_an_export_from_before_keys_imports_with_its_sentence_recognised(store: Store) -> None:
    english = "The server sent nothing for 120 seconds."
    old_error = {"message": english, "type": "connection_error", "code": None, "status": None}

    (conversation_id,) = store.import_json(_document(old_error)).imported

    (message,) = store.messages.visible_thread(conversation_id)
    assert message.error is not None
    assert message.error.user_text == texts.SENT_NOTHING_FOR("120")
    exported = json.loads(store.export_json())["conversations"][0]["messages"][0]["error"]
    assert exported["key"] == "SENT_NOTHING_FOR"
    assert exported["args"] == ["120"]
