"""Notices above the chat: said once, in the interface's language."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from longcat_desktop.domain.user_texts import DISK_FULL
from longcat_desktop.i18n import Translations
from longcat_desktop.store.errors import DiskFullError
from longcat_desktop.ui.notice_bar import NoticeBar


def test_a_store_error_is_shown_in_chinese(qtbot: QtBot, chinese: Translations) -> None:
    bar = NoticeBar()
    qtbot.addWidget(bar)
    bar.add(DISK_FULL, error=True)
    bar.add(DISK_FULL, error=True)
    assert len(bar.notices()) == 1
    assert bar.notices()[0].startswith("磁盘已满")


def test_in_english_it_reads_as_written(qtbot: QtBot) -> None:
    bar = NoticeBar()
    qtbot.addWidget(bar)
    bar.add(DISK_FULL)
    bar.add("The server's own words, 服务器原话")
    assert bar.notices() == [str(DiskFullError()), "The server's own words, 服务器原话"]
