"""The cheaper "does this module use PySide?" check gives PySide's own answers."""

from __future__ import annotations

import importlib
import math
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads the module whose check is replaced)
import pytest

from longcat_desktop import pyside_startup
from longcat_desktop.pyside_startup import ORIGINAL, fast_pyside_check, speed_up_import_checks

FEATURE = sys.modules["shibokensupport.feature"]


def _pyside_check() -> Callable[[ModuleType], bool]:
    check = FEATURE._mod_uses_pyside
    return getattr(check, ORIGINAL, check)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "name",
    [
        "longcat_desktop.ui.theme",  # imports PySide6
        "longcat_desktop.domain.chat",  # plain Python
        "sys",  # built in
        "math",  # compiled extension
        "json",  # standard library source
    ],
)
def test_same_answer_as_pyside(name: str) -> None:
    module = importlib.import_module(name)
    original = _pyside_check()
    assert fast_pyside_check(original)(module) == original(module)


def test_a_module_naming_pyside6_is_seen(tmp_path: Path) -> None:
    source = tmp_path / "uses_qt.py"
    source.write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    module = ModuleType("uses_qt")
    module.__file__ = str(source)
    assert fast_pyside_check(lambda _module: False)(module) is True


def test_an_unreadable_file_falls_back_to_pyside(tmp_path: Path) -> None:
    module = ModuleType("gone")
    module.__file__ = str(tmp_path / "gone.py")
    asked: list[ModuleType] = []

    def original(candidate: ModuleType) -> bool:
        asked.append(candidate)
        return False

    assert fast_pyside_check(original)(module) is False
    assert asked == [module]


def test_installed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FEATURE, "_mod_uses_pyside", _pyside_check())
    assert speed_up_import_checks()
    installed = FEATURE._mod_uses_pyside
    assert getattr(installed, ORIGINAL) is not None
    assert speed_up_import_checks()
    assert FEATURE._mod_uses_pyside is installed
    assert installed(math) is False


def test_nothing_changes_when_pyside_looks_different(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, pyside_startup._FEATURE_MODULE)
    assert speed_up_import_checks() is False
