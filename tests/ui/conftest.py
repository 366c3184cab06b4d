from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from longcat_desktop.ui.theme import apply_theme


@pytest.fixture(autouse=True)
def light_theme(qapp: QApplication) -> None:
    """Every UI test starts from the same theme and font."""
    apply_theme(qapp, "light", 10)


from tests.ui.app_fixture import app_factory, running_app  # noqa: E402, F401
