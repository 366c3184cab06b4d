"""Escape for the widget that has the focus, before the window's Esc shortcut (Stop) takes it.

A window-wide shortcut wins over the focused widget's key handling. An inline editor or a search
field whose Escape means "cancel" or "clear" claims the key, so Esc there does what it says and
Esc anywhere else still stops the answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget


class _EscapeClaim(QObject):
    def __init__(self, widget: QWidget, when: Callable[[], bool] | None) -> None:
        super().__init__(widget)
        self._when = when

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and (self._when is None or self._when())
        ):
            # Accepting the override delivers the key press to the widget instead.
            event.accept()
        return False


def claim_escape(widget: QWidget, when: Callable[[], bool] | None = None) -> None:
    """Let `widget` handle Escape itself (only while `when()` is true, if given)."""
    widget.installEventFilter(_EscapeClaim(widget, when))
