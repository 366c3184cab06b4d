"""Small animated marks for work in progress: three pulsing dots and a spinning arc."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QWidget

from longcat_desktop.ui.theme import current_theme


class StreamingDots(QWidget):
    """Three dots that pulse in turn; the timer runs only while the widget is visible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._phase = 0
        self._timer = QTimer(self)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._tick)
        self.setFixedSize(QSize(28, 12))
        self.setAccessibleName(self.tr("Answer in progress"))

    def _tick(self) -> None:
        self._phase = (self._phase + 1) % 12
        self.update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        base = QColor(current_theme().accent)
        for i in range(3):
            # A soft wave travelling left to right.
            level = 0.5 + 0.5 * math.cos((self._phase / 12.0 - i / 4.0) * 2 * math.pi)
            color = QColor(base)
            color.setAlphaF(0.3 + 0.7 * level)
            painter.setBrush(color)
            radius = 2.5 + 0.8 * level
            cx = 5 + i * 9
            painter.drawEllipse(QRectF(cx - radius, 6 - radius, 2 * radius, 2 * radius))
        painter.end()


def paint_spinner(painter: QPainter, rect: QRectF, angle: int, color: QColor) -> None:
    """A 270° arc rotated by `angle` degrees; shared by the list delegate and widgets."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, max(1.5, rect.width() / 8))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    inset = pen.widthF() / 2 + 0.5
    painter.drawArc(rect.adjusted(inset, inset, -inset, -inset), -angle * 16, 270 * 16)
    painter.restore()
