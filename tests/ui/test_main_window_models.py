"""A conversation on a model the platform retired, in the whole app against the local server:
the window says so above the composer and switches it to a served model in one click."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings, MessageStatus
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store
from tests.fakes.longcat_server import Scenario
from tests.ui.app_fixture import AppFactory, RunningApp

RETIRED = "LongCat-Flash-Chat"


def seed_old_conversation(data_dir: Path, model: str = RETIRED) -> ConversationId:
    """A conversation from before the platform moved, with one finished exchange."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(data_dir)
    try:
        created = store.conversations.create(
            ConversationSettings(model, ApiFormat.OPENAI), title="Old chat"
        )
        question = store.messages.add_user_message(created.id, None, "Hello")
        answer = store.messages.start_assistant_message(
            created.id, question.id, model=model, api_format=ApiFormat.OPENAI
        )
        writer = store.writer(answer.id)
        writer.append_text("Hi there")
        writer.finish(MessageStatus.COMPLETE, finish_reason="stop")
        return created.id
    finally:
        store.close()


def open_old(app_factory: AppFactory, model: str = RETIRED) -> tuple[RunningApp, ConversationId]:
    data_dir = app_factory.tmp_path / "data"
    cid = seed_old_conversation(data_dir, model)
    app = app_factory(data_dir=data_dir)
    app.wait(lambda: app.window.conversation_id == cid, "the old conversation open")
    return app, cid


def listed(app: RunningApp) -> None:
    app.wait(lambda: not app.services.models.models(ApiFormat.OPENAI).fallback, "the server's list")


def test_a_retired_model_is_named_above_the_composer_with_a_switch(
    app_factory: AppFactory,
) -> None:
    app, _cid = open_old(app_factory)
    notice = app.window.model_notice
    app.wait(notice.isVisible, "the notice")
    assert RETIRED in notice.label.text()
    assert notice.switch_button.text() == "Switch to LongCat-2.0"
    # Above the composer, in the same column.
    assert notice.geometry().bottom() <= app.window.composer.geometry().top()
    assert notice.parentWidget() is app.window.composer.parentWidget()


def test_one_click_switches_the_conversation_and_the_next_message_goes_out(
    app_factory: AppFactory,
) -> None:
    app, cid = open_old(app_factory)
    notice = app.window.model_notice
    app.wait(notice.isVisible, "the notice")
    QTest.mouseClick(notice.switch_button, Qt.MouseButton.LeftButton)
    assert app.store.conversations.get(cid).settings.model == "LongCat-2.0"
    assert not notice.isVisible()
    assert app.window.model_picker.current_model() == "LongCat-2.0"
    app.server.push(Scenario(text="Still here"))
    app.type_and_send("Are you there?")
    app.wait(lambda: app.server.chat_requests, "the request")
    assert app.server.chat_requests[-1].json["model"] == "LongCat-2.0"
    # Kept: after a restart the conversation is on the served model and says nothing.
    app = app_factory.restart(app)
    app.wait(lambda: app.window.conversation_id == cid, "the conversation again")
    listed(app)
    assert app.window.model_picker.current_model() == "LongCat-2.0"
    assert not app.window.model_notice.isVisible()


def test_the_switch_offers_the_first_listed_model_when_longcat_2_0_is_not_served(
    app_factory: AppFactory,
) -> None:
    app_factory.server.models = ["LongCat-2.5-Preview"]
    app, cid = open_old(app_factory)
    notice = app.window.model_notice
    app.wait(notice.isVisible, "the notice")
    assert notice.switch_button.text() == "Switch to LongCat-2.5-Preview"
    notice.switch_button.click()
    assert app.store.conversations.get(cid).settings.model == "LongCat-2.5-Preview"


def test_no_notice_for_a_served_model(app_factory: AppFactory) -> None:
    app, _cid = open_old(app_factory, model="LongCat-2.5-Preview")
    listed(app)
    assert not app.window.model_notice.isVisible()


def test_no_notice_when_only_the_built_in_list_is_known(app_factory: AppFactory) -> None:
    # The server could not be asked: its list is unknown, and the model may well be served.
    app_factory.server.push_models(Scenario.http_error(403, "Listing models is not allowed"))
    app, _cid = open_old(app_factory)
    app.wait(lambda: "could not be fetched" in app.window.model_picker.note(), "the fallback")
    assert not app.window.model_notice.isVisible()


def test_the_notice_follows_the_open_conversation(app_factory: AppFactory) -> None:
    app, cid = open_old(app_factory)
    notice = app.window.model_notice
    app.wait(notice.isVisible, "the notice")
    app.window.new_conversation()
    assert app.window.conversation_id != cid
    assert not notice.isVisible()
    app.window.open_conversation(cid)
    assert notice.isVisible()


def test_the_picker_shows_what_each_served_model_reads(running_app: RunningApp) -> None:
    app = running_app
    picker = app.window.model_picker
    listed(app)
    app.wait(lambda: picker.item_modalities("LongCat-2.5-Preview") == ["text", "image"], "badges")
    assert picker.item_modalities("LongCat-2.0") == ["text"]
    combo = picker.combo
    combo.activated.emit(combo.findText("LongCat-2.5-Preview"))
    app.wait(lambda: "Text, image" in picker.info_label.text(), "the chosen model's details")
    assert "Input: Text, image" in combo.toolTip()


def test_in_a_narrow_window_the_model_list_note_is_elided_not_cut(
    app_factory: AppFactory,
) -> None:
    app_factory.server.push_models(Scenario.http_error(403, "Listing models is not allowed"))
    app = app_factory()
    window = app.window
    picker = window.model_picker
    app.wait(lambda: "could not be fetched" in picker.note(), "the note")
    window.resize(window.minimumWidth(), 600)
    app.wait(lambda: window.width() == window.minimumWidth(), "the narrow window")
    app.wait(lambda: picker.note_label.is_elided(), "the note to give way")
    # The top bar's pieces side by side, none over another, the note whole in its tooltip.
    bar = [window.title_label, picker, window.format_label, window.params, window.settings_button]
    edges = [(w.mapTo(window, w.rect().topLeft()).x(), w.width()) for w in bar]
    for (left, width), (next_left, _) in itertools.pairwise(edges):
        assert left + width <= next_left
    assert picker.combo.geometry().right() < picker.note_icon.geometry().left()
    assert picker.note() in picker.note_label.toolTip()
    assert picker.note() in picker.note_icon.toolTip()
    assert window.settings_button.mapTo(window, window.settings_button.rect().topRight()).x() < (
        window.width()
    )


def test_a_model_retired_while_the_app_runs_is_found_out_by_the_refused_answer(
    app_factory: AppFactory,
) -> None:
    app_factory.server.models = [RETIRED, "LongCat-2.0"]
    app, cid = open_old(app_factory)
    listed(app)
    notice = app.window.model_notice
    assert not notice.isVisible()
    app.server.models = ["LongCat-2.0", "LongCat-2.5-Preview"]
    app.type_and_send("Still there?")
    app.wait(notice.isVisible, "the notice after the refused answer")
    assert notice.replacement() == "LongCat-2.0"
    notice.switch_button.click()
    assert app.store.conversations.get(cid).settings.model == "LongCat-2.0"
