"""The crash hook: an unexpected exception is logged with its traceback, shown, and survived."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from longcat_desktop.app import CrashHook, setup_logging


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers)
    path = setup_logging(tmp_path)
    try:
        yield path
    finally:
        for handler in root.handlers[len(before) :]:
            handler.close()
            root.removeHandler(handler)


@pytest.fixture
def restored_excepthook() -> Iterator[None]:
    previous = sys.excepthook
    try:
        yield
    finally:
        sys.excepthook = previous


def _boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_an_error_in_a_qt_slot_is_logged_and_shown_and_the_app_goes_on(
    qtbot: QtBot, log_file: Path, restored_excepthook: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LONGCAT_NO_CRASH_DIALOG", raising=False)
    hook = CrashHook(log_file)
    hook.install()

    def broken() -> None:
        raise RuntimeError("the widget fell over")

    QTimer.singleShot(0, broken)
    qtbot.waitUntil(lambda: bool(hook.shown))
    assert hook.shown == ["RuntimeError: the widget fell over"]
    qtbot.waitUntil(lambda: bool(_boxes()))
    box = _boxes()[-1]
    assert "carried on" in box.text()
    assert "the widget fell over" in box.detailedText()
    # The log's folder is the user's to name: shown as typed, never as markup.
    assert box.textFormat() == Qt.TextFormat.PlainText
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "RuntimeError: the widget fell over" in logged
    # Still running: Qt keeps delivering events after the error.
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired))
    box.close()


def test_a_second_error_while_the_box_is_open_is_logged_not_stacked(
    qtbot: QtBot, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LONGCAT_NO_CRASH_DIALOG", raising=False)
    hook = CrashHook(log_file)
    hook.report(ValueError("first"))
    hook.report(ValueError("second"))
    assert hook.shown == ["ValueError: first", "ValueError: second"]
    assert len(_boxes()) == 1
    _boxes()[0].close()


def test_the_box_that_ends_a_failed_start_shows_its_message_as_typed() -> None:
    from longcat_desktop.app import _plain_box

    message = 'Cannot open /home/<b>me</b>/data: <img src="file:///etc/passwd">'
    box = _plain_box(message)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == message
    box.deleteLater()
