from __future__ import annotations

import os
from collections.abc import Iterator

# Must be set before any QApplication exists; pytest-qt has no option for it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests read English text; a developer's Chinese desktop must not switch the app under test.
os.environ["LANG"] = os.environ["LC_ALL"] = "C.UTF-8"
os.environ.pop("LANGUAGE", None)
# A key from the developer's environment must never leak into a test.
os.environ.pop("LONGCAT_API_KEY", None)

import keyring
import pytest
from PySide6.QtWidgets import QApplication

from longcat_desktop.i18n import Translations
from tests.fakes.fixtures import longcat_server  # noqa: F401
from tests.fakes.memory_keyring import MemoryKeyring
from tests.qt_async import _session_qloop, qloop  # noqa: F401


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[Translations]:
    """The interface in Simplified Chinese for one test."""
    loaded = Translations(qapp)
    assert loaded.apply("zh_CN")
    try:
        yield loaded
    finally:
        loaded.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
