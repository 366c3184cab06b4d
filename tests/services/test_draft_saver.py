"""A draft typed while another program writes the database (a sync beside the app) is saved
once the database is free again, without a word to the user; only a database that stays busy
for seconds is reported."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings
from longcat_desktop.services import draft_saver
from longcat_desktop.services.draft_saver import DraftSaver
from longcat_desktop.store import DATABASE_NAME, Store

SETTINGS = ConversationSettings(model="m", api_format=ApiFormat.OPENAI)


@contextmanager
def _locked(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding the write lock until the block ends."""
    other = sqlite3.connect(data_dir / DATABASE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("COMMIT")
        other.close()


def test_a_draft_refused_by_a_busy_database_is_saved_once_it_is_free(
    qtbot: QtBot, tmp_path: Path
) -> None:
    reports: list[str] = []
    with Store.open(tmp_path) as store:
        conversation = store.conversations.create(SETTINGS)
        saver = DraftSaver(store, reports.append)
        with _locked(tmp_path):
            saver.save(conversation.id, "first words")
            saver.save(conversation.id, "first words and more")
            assert saver.pending
            assert store.conversations.get(conversation.id).draft == ""
        qtbot.waitUntil(lambda: not saver.pending)
        assert store.conversations.get(conversation.id).draft == "first words and more"
        assert reports == []


def test_a_database_that_stays_busy_is_reported_in_words(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_saver, "RETRIES", 2)
    reports: list[str] = []
    with Store.open(tmp_path) as store:
        conversation = store.conversations.create(SETTINGS)
        saver = DraftSaver(store, reports.append)
        with _locked(tmp_path):
            saver.save(conversation.id, "words")
            qtbot.waitUntil(lambda: bool(reports))
        assert not saver.pending
        assert "busy" in reports[0].lower() or "locked" in reports[0].lower()


def test_the_last_try_at_quit_reports_rather_than_waits(tmp_path: Path) -> None:
    reports: list[str] = []
    with Store.open(tmp_path) as store:
        conversation = store.conversations.create(SETTINGS)
        saver = DraftSaver(store, reports.append)
        with _locked(tmp_path):
            saver.save(conversation.id, "words")
            saver.save_pending(last=True)
        assert not saver.pending
        assert len(reports) == 1
