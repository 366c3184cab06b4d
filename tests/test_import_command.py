"""`longcat-desktop --import PATH [--data-dir DIR]`: one summary line, no window, clear failures."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from longcat_desktop.domain.organising import Assistant
from longcat_desktop.store import DATABASE_NAME, DataDirLock, Store
from tests.processes import REPO_ROOT, app_environment
from tests.store.helpers import SETTINGS
from tests.store.importers.helpers import CHATGPT, CLAUDE


def _import(path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "longcat_desktop",
            "--import",
            str(path),
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        # No display at all: the command must not need one.
        env=app_environment(QT_QPA_PLATFORM="minimal"),
        cwd=REPO_ROOT,
        check=False,
    )


def _titles(data_dir: Path) -> list[str]:
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        return [row[0] for row in connection.execute("SELECT title FROM conversations ORDER BY id")]
    finally:
        connection.close()


def test_a_chatgpt_zip_then_a_claude_export_then_the_same_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    archive = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(CHATGPT, "conversations.json")
    first = _import(archive, data_dir)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "Imported 3 of 4 conversations from chatgpt-export.zip (ChatGPT):"
        " 0 already here, 1 skipped as malformed."
    ]
    assert first.stderr.splitlines() == [
        "Skipped “Broken one”: the conversation has no message mapping"
    ]
    second = _import(CLAUDE, data_dir)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("Imported 3 of 4 conversations from claude_conversations.json")
    again = _import(CLAUDE, data_dir)
    assert again.returncode == 0
    assert "Imported 0 of 4" in again.stdout
    assert "3 already here" in again.stdout
    titles = _titles(data_dir)
    assert len(titles) == 6
    assert "Translate a poem 翻译" in titles


def test_failures_exit_non_zero_with_the_reason_in_one_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    truncated = tmp_path / "conversations.json"
    truncated.write_bytes(CLAUDE.read_bytes()[:500])
    other = tmp_path / "settings.json"
    other.write_text(json.dumps({"theme": "dark"}), encoding="utf-8")
    for path, reason in [
        (truncated, "The file is not valid JSON"),
        (other, "not a conversation export"),
        (tmp_path / "missing.json", "could not be read"),
    ]:
        result = _import(path, data_dir)
        assert result.returncode == 1
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith("Import failed: ")
        assert reason in line
    assert _titles(data_dir) == []


def test_a_data_folder_in_use_by_the_app_is_left_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with DataDirLock.acquire(data_dir):
        result = _import(CHATGPT, data_dir)
    assert result.returncode == 3
    assert "already running" in result.stderr


def test_our_own_export_brings_its_assistants_prompts_and_links(tmp_path: Path) -> None:
    source = Store.open(tmp_path / "source")
    try:
        poet = source.assistants.add(Assistant(0, "", "Poet", "Answer in verse."))
        source.conversations.create(SETTINGS, title="Verse", assistant_id=poet.id)
        source.prompts.add("Summarise", "Summarise {{text}}.")
        archive = tmp_path / "history.json"
        archive.write_text(source.export_json(), encoding="utf-8")
    finally:
        source.close()
    data_dir = tmp_path / "data"
    result = _import(archive, data_dir)
    assert result.returncode == 0, result.stderr
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        linked = connection.execute(
            "SELECT a.uuid, a.system_prompt FROM conversations c"
            " JOIN assistants a ON a.id = c.assistant_id WHERE c.title = 'Verse'"
        ).fetchall()
        prompts = connection.execute("SELECT name, body FROM prompts").fetchall()
    finally:
        connection.close()
    assert linked == [(poet.uuid, "Answer in verse.")]
    assert prompts == [("Summarise", "Summarise {{text}}.")]
