"""Tool calls in the window: cards under the answer, approval inline (Enter allows, Esc
denies), auto-approval from mcp.json, and a tool conversation after a restart mid-loop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.chat import Role
from longcat_desktop.domain.ids import MessageId
from longcat_desktop.domain.tool_turns import (
    DENIED_RESULT,
    INTERRUPTED_RESULT,
    ToolCallState,
    ToolImage,
    ToolResult,
)
from longcat_desktop.services.chat_service import _history_messages
from longcat_desktop.tools.results import ResultPart, ToolOutcome
from longcat_desktop.ui.tool_card import ToolCard, ToolCardView, folded, formatted_arguments
from tests.fakes.longcat_server import Scenario, ScriptedToolCall
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window import thread

ROOT = Path(__file__).resolve().parents[2]
TIME_SERVER = Path(sys.executable).parent / "mcp-server-time"
FAKE = {"command": sys.executable, "args": ["-m", "tests.fakes.mcp_server"], "cwd": str(ROOT)}


def _configure(data_dir: Path, servers: dict[str, object]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "mcp.json").write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")


def _children() -> set[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(os.getpid())], capture_output=True, text=True, check=False
    )
    return {int(pid) for pid in found.stdout.split()}


def _card(app: RunningApp, answer_id: MessageId, message_id: MessageId) -> ToolCard:
    cards = app.window.page.tool_cards(answer_id)
    assert cards is not None
    card = cards.card(message_id)
    assert card is not None
    return card


def test_mcp_server_time_auto_approved_from_mcp_json_shows_a_done_card(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(
        tmp_path / "data",
        {"time": {"command": str(TIME_SERVER), "autoApprove": ["get_current_time"]}},
    )
    app = app_factory()
    app.server.push(
        Scenario(
            text="Checking.",
            tool_calls=[ScriptedToolCall("get_current_time", '{"timezone": "Asia/Shanghai"}')],
        ),
        Scenario(text="It is late."),
    )
    app.type_and_send("What time is it in Shanghai?")
    app.wait(lambda: thread(app)[-1].text == "It is late.", "the final answer", timeout=20)
    _user, answer, result, final = thread(app)
    assert result.tool_result is not None
    assert result.tool_result.state is ToolCallState.DONE
    assert "Asia/Shanghai" in result.text
    assert final.text == "It is late."
    card = _card(app, answer.id, result.id)
    assert "get_current_time" in card.title.text()
    assert "time" in card.title.text()
    assert card.result_text is not None
    assert "Asia/Shanghai" in card.result_text.label.text()
    assert card.state_label.text().startswith(card.tr("Done"))
    # The result is plain text, never markup.
    assert card.result_text.label.textFormat() is Qt.TextFormat.PlainText


def test_approval_is_inline_enter_allows_and_esc_denies(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(tmp_path / "data", {"fake": FAKE})
    app = app_factory()
    app.server.push(
        Scenario(
            text="",
            tool_calls=[
                ScriptedToolCall("echo", '{"text": "hello"}'),
                ScriptedToolCall("crash", "{}"),
            ],
        ),
        Scenario(text="Finished."),
    )
    app.type_and_send("Echo, then crash")
    loop = app.services.tool_loop
    assert loop is not None
    app.wait(lambda: any(loop.waiting_for_approval(m.id) for m in thread(app)), "a request")
    answer, first = thread(app)[1], thread(app)[2]
    card = _card(app, answer.id, first.id)
    assert card.approval is not None
    assert card.approval.isVisible()
    assert card.arguments is not None
    assert '"text": "hello"' in card.arguments.label.text()
    assert "read-only" in card.hints.text()
    QTest.keyClick(card, Qt.Key.Key_Return)
    app.wait(lambda: len(thread(app)) >= 4, "the second call", timeout=15)
    second = thread(app)[3]
    app.wait(lambda: loop.waiting_for_approval(second.id), "the second request")
    second_card = _card(app, answer.id, second.id)
    assert "destructive" in second_card.hints.text()
    QTest.keyClick(second_card, Qt.Key.Key_Escape)
    app.wait(
        lambda: thread(app)[-1].text == "Finished.",
        f"the final answer, not {[(m.role, m.text, m.tool_result) for m in thread(app)]}",
        timeout=15,
    )
    first_result, second_result = thread(app)[2], thread(app)[3]
    assert first_result.text == "hello"
    assert second_result.text == DENIED_RESULT
    approval = _card(app, answer.id, first.id).approval
    assert approval is None or not approval.isVisible()


def test_restart_mid_loop_shows_the_call_interrupted_and_the_history_stays_valid(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(tmp_path / "data", {"fake": FAKE})
    before = _children()
    app = app_factory()
    app.server.push(Scenario(text="", tool_calls=[ScriptedToolCall("echo", '{"text": "x"}')]))
    app.type_and_send("Echo")
    loop = app.services.tool_loop
    assert loop is not None
    app.wait(lambda: any(loop.waiting_for_approval(m.id) for m in thread(app)), "a request")
    servers = _children() - before
    assert servers, "the MCP server runs as a child process"
    app = app_factory.restart(app)
    # Closing the app ended the server with its process group: nothing is orphaned.
    assert not servers & _children()
    messages = thread(app)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT, Role.TOOL]
    assert messages[2].text == INTERRUPTED_RESULT
    card = _card(app, messages[1].id, messages[2].id)
    assert card.state_label.text() == card.tr("Interrupted")
    assert [m.role for m in _history_messages(messages)] == ["user", "assistant", "tool"]
    # The conversation carries on: the next message is answered with the history intact.
    app.server.push(Scenario(text="Carrying on."))
    app.type_and_send("Go on")
    app.wait(lambda: thread(app)[-1].text == "Carrying on.", "the next answer")
    QApplication.processEvents()


def test_long_texts_are_folded_and_arguments_formatted() -> None:
    text = "\n".join(f"line {i}" for i in range(50))
    short, cut = folded(text)
    assert cut
    assert short.count("\n") < 10
    assert folded("short") == ("short", False)
    assert formatted_arguments('{"a":1}') == '{\n  "a": 1\n}'
    assert formatted_arguments('{"a":') == '{"a":'


def _png(folder: Path) -> bytes:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    assert image.save(str(folder / "shot.png"))
    return (folder / "shot.png").read_bytes()


def test_a_card_shows_an_image_as_a_thumbnail_not_as_its_placeholder_line(
    qtbot: QtBot, tmp_path: Path
) -> None:
    png = _png(tmp_path)
    outcome = ToolOutcome(
        (
            ResultPart("text", "Here is the chart."),
            ResultPart("image", data=png, media_type="image/png"),
            ResultPart("text", "Made from 3 rows."),
            ResultPart("audio", data=b"RIFF", media_type="audio/wav"),
        )
    )
    assert "[image: image/png]" in outcome.text  # the model still reads that an image came
    result = ToolResult(
        "call-1", "chart", state=ToolCallState.DONE, images=(ToolImage("image/png", png),)
    )
    card = ToolCard(ToolCardView(1, outcome.text, result))
    qtbot.addWidget(card)
    assert card.result_text is not None
    assert card.result_text.label.text() == (
        "Here is the chart.\nMade from 3 rows.\n[audio: audio/wav]"
    )
    assert len(card.findChildren(QLabel, "toolImage")) == 1


def test_a_card_with_only_an_image_shows_no_text(qtbot: QtBot, tmp_path: Path) -> None:
    png = _png(tmp_path)
    result = ToolResult(
        "call-1", "shot", state=ToolCallState.DONE, images=(ToolImage("image/png", png),)
    )
    card = ToolCard(ToolCardView(1, "[image: image/png]", result))
    qtbot.addWidget(card)
    assert card.result_text is None
    assert len(card.findChildren(QLabel, "toolImage")) == 1


def test_the_composer_says_when_the_model_cannot_use_tools(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    from tests.fakes.longcat_server import model_details

    _configure(tmp_path / "data", {"fake": FAKE})
    app = app_factory(wait=False)
    conversation = app.services.conversations.create()
    assert conversation is not None
    model = conversation.settings.model
    details = model_details(model)
    details["supported_parameters"] = ["max_tokens", "temperature"]
    app.server.model_details[model] = details
    app.ready()
    app.window.open_conversation(conversation.id)
    composer = app.window.composer
    app.wait(
        lambda: (
            getattr(composer, "tools_label", None) is not None and composer.tools_label.isVisible()
        ),
        "the note",
    )
    assert model in composer.tools_label.text()
    # Nothing about tools is sent to that model.
    app.server.push(Scenario(text="Plain."))
    app.type_and_send("Hi")
    app.wait(lambda: thread(app)[-1].text == "Plain.", "the answer")
    assert "tools" not in app.server.chat_requests[-1].json


def test_the_tools_menu_switches_a_server_off_for_this_conversation(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(tmp_path / "data", {"fake": FAKE})
    app = app_factory()
    loop = app.services.tool_loop
    assert loop is not None
    app.run(loop.servers.tools())
    button = app.window.tools_button
    button.tools_menu.aboutToShow.emit()
    actions = {a.text().strip(): a for a in button.tools_menu.actions() if a.text()}
    assert actions["fake"].isChecked()
    assert actions["echo"].isChecked()
    actions["echo"].toggle()
    cid = app.window.conversation_id
    assert cid is not None
    assert not loop.selection(cid).allows("fake", "echo")
    assert loop.selection(cid).allows("fake", "add")
    button.tools_menu.aboutToShow.emit()
    actions = {a.text().strip(): a for a in button.tools_menu.actions() if a.text()}
    actions["fake"].toggle()
    assert not loop.selection(cid).uses_server("fake")
    app.server.push(Scenario(text="No tools."))
    app.type_and_send("Hi")
    app.wait(lambda: thread(app)[-1].text == "No tools.", "the answer")
    assert "tools" not in app.server.chat_requests[-1].json


def test_a_hand_edit_of_mcp_json_applies_in_the_running_app(app_factory: AppFactory) -> None:
    app = app_factory()
    loop = app.services.tool_loop
    assert loop is not None
    assert loop.servers.servers == ()
    _configure(app.data_dir, {"fake": FAKE})
    app.wait(lambda: [s.name for s in loop.servers.servers] == ["fake"], "the edit applied")


def test_the_tools_button_shows_only_while_servers_are_configured(app_factory: AppFactory) -> None:
    app = app_factory()
    assert not app.window.tools_button.isVisible()
    _configure(app.data_dir, {"fake": FAKE})
    app.wait(lambda: app.window.tools_button.isVisible(), "the button shown")


def test_a_slow_tool_shows_its_progress_and_stop_cancels_it(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    _configure(tmp_path / "data", {"fake": {**FAKE, "autoApprove": ["slow"]}})
    app = app_factory()
    app.server.push(Scenario(text="", tool_calls=[ScriptedToolCall("slow", '{"seconds": 30}')]))
    app.type_and_send("Take your time")
    app.wait(lambda: len(thread(app)) == 3, "the call recorded")
    answer, result = thread(app)[1], thread(app)[2]
    app.wait(lambda: "working" in _card(app, answer.id, result.id).state_label.text(), "progress")
    assert "/300" in _card(app, answer.id, result.id).state_label.text()
    app.window.composer.stopRequested.emit()
    app.wait(
        lambda: _card(app, answer.id, result.id).state_label.text().startswith("Cancelled"),
        "the card cancelled",
    )
    assert not app.window.composer.is_streaming()
    assert len(app.server.chat_requests) == 1
