"""A call queued right after a widget's first frame."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls `then` once the window has painted its first frame (queued after that frame).

    Queued as a posted event rather than a zero timer: the app paints its first frame in a
    short event loop of its own before asyncio's loop starts (app.py), and a timer could fire
    inside that one, a posted event never does (Qt delivers events posted while it delivers
    events on its next pass)."""

    _DONE = QEvent.Type(QEvent.registerEventType())

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            watched.removeEventFilter(self)
            QCoreApplication.postEvent(self, QEvent(self._DONE))
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == self._DONE and self._then is not None:
            then, self._then = self._then, None
            then()
            return True
        return super().event(event)
