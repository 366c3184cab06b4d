"""File → Import… as a person uses it: choose a file, watch progress, read what happened."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QPushButton

from benchmarks.bench_import import write_export
from tests.store.importers.helpers import CHATGPT
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window_conversations import list_titles


def _file_menu_import(app: RunningApp) -> None:
    (file_menu,) = [a.menu() for a in app.window.menuBar().actions() if a.text() == "&File"]
    assert isinstance(file_menu, QMenu)
    (action,) = [a for a in file_menu.actions() if a.text() == "&Import…"]
    action.trigger()


def _choose(app: RunningApp, path: Path) -> None:
    dialogs = [d for d in app.window.findChildren(QFileDialog) if d.isVisible()]
    assert dialogs, "no file dialog shown"
    dialogs[-1].fileSelected.emit(str(path))
    dialogs[-1].close()


def test_importing_a_chatgpt_zip_lists_its_conversations_and_reports_the_skipped(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory()
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(CHATGPT, "conversations.json")
    _file_menu_import(app)
    _choose(app, archive)
    app.wait(lambda: "Write-ahead logs 预写日志" in list_titles(app), "the imported titles")
    flow = app.window._import_flow
    assert flow is not None
    app.wait(lambda: flow.report is not None and flow.report.isVisible(), "the report")
    report = flow.report
    assert report is not None
    assert "Imported 3 of 4 conversations" in report.text()
    assert "Broken one" in report.detailedText()
    # Titles from the file are shown as they are, never as markup.
    assert report.textFormat().name == "PlainText"
    report.close()
    assert flow.progress is None


def test_cancel_stops_a_large_import_and_keeps_what_was_written(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory()
    path = tmp_path / "conversations.json"
    write_export(path, 400, 4, turns=3)
    before = app.store.conversations.count()
    _file_menu_import(app)
    _choose(app, path)
    flow = app.window._import_flow
    assert flow is not None
    assert flow.job is not None
    seen: list[int] = []

    def press_cancel(done: int, total: int) -> None:
        # The user presses Cancel as soon as the bar moves.
        assert flow.progress is not None
        seen.append(flow.progress.maximum())
        if done:
            (button,) = flow.progress.findChildren(QPushButton)
            button.click()

    job = flow.job
    job.progress.connect(press_cancel)
    app.wait(lambda: not job.running, "the job's end")
    assert 400 in seen
    count = app.store.conversations.count() - before
    assert 0 < count < 400
    assert (
        app.window.statusBar()
        .currentMessage()
        .startswith(f"Import cancelled: {count} of 400 conversations imported")
    )


def test_a_file_that_is_no_export_is_explained(app_factory: AppFactory, tmp_path: Path) -> None:
    app = app_factory()
    before = app.store.conversations.count()
    path = tmp_path / "notes.json"
    path.write_text('{"notes": ["<b>bold</b>"]}', encoding="utf-8")
    _file_menu_import(app)
    _choose(app, path)
    flow = app.window._import_flow
    assert flow is not None
    app.wait(lambda: flow.report is not None and flow.report.isVisible(), "the report")
    assert flow.report is not None
    assert flow.report.icon() == QMessageBox.Icon.Warning
    assert "not a conversation export" in flow.report.text()
    assert app.store.conversations.count() == before
