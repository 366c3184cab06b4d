from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from longcat_desktop.ui.icons import ICON_NAMES, icon
from longcat_desktop.ui.theme import DARK, LIGHT, ThemeController, apply_theme, current_theme

REQUIRED_ICONS = {
    "new-chat", "search", "settings", "send", "stop", "copy", "edit", "regenerate", "delete",
    "pin", "more", "chevron-left", "chevron-right", "chevron-down", "retry", "continue",
    "warning", "error", "key", "check", "eye", "eye-off", "arrow-down", "logo",
}  # fmt: skip


def test_explicit_modes_apply_their_palette(qapp: QApplication) -> None:
    theme = apply_theme(qapp, "dark", 12)
    assert theme.is_dark
    assert current_theme() is theme
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    assert qapp.font().pointSize() == 12
    assert apply_theme(qapp, "light", 10).window == LIGHT.window


def test_font_size_is_clamped(qapp: QApplication) -> None:
    assert apply_theme(qapp, "light", 99).font_size <= 20
    assert apply_theme(qapp, "light", 1).font_size >= 8


def test_controller_emits_on_mode_change(qapp: QApplication, qtbot: object) -> None:
    controller = ThemeController(qapp, "light", 10)
    seen: list[object] = []
    controller.themeChanged.connect(seen.append)
    controller.set_mode("dark")
    assert seen
    assert controller.theme.is_dark
    controller.set_mode("light")
    controller.deleteLater()


def test_all_required_icons_exist() -> None:
    assert set(ICON_NAMES) >= REQUIRED_ICONS


@pytest.mark.parametrize("name", sorted(REQUIRED_ICONS))
def test_icons_render_and_are_cached(name: str) -> None:
    first = icon(name)
    assert not first.isNull()
    assert not first.pixmap(24, 24).toImage().isNull()
    assert icon(name).cacheKey() == first.cacheKey()
    assert icon(name, "#ff0000").cacheKey() != first.cacheKey()


def test_unknown_icon_is_an_error() -> None:
    with pytest.raises(KeyError):
        icon("no-such-icon")
