"""A one-line label that gives way in a narrow window: it ends in "…" instead of being cut off
mid-word, and its tooltip then holds the whole text."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from longcat_desktop.ui.plain_text import tooltip


class ElidedLabel(QLabel):
    """Plain text only: what it shows comes from servers and the network."""

    def __init__(
        self, parent: QWidget | None = None, *, keep: int = 0, wants: int | None = None
    ) -> None:
        """`keep`: the width (px) the label holds on to when space is short; `wants`: the most
        it asks for even when its text is longer (None: all of the text)."""
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._tip = ""
        self._keep = keep
        self._wants = wants

    def setText(self, text: str) -> None:
        super().setText(text)
        self._refresh_tip()

    def set_tip(self, tip: str) -> None:
        """The tooltip when the text fits ("" for none); when it does not, the text comes first."""
        self._tip = tip
        self._refresh_tip()

    def full_width(self) -> int:
        """The width that shows the whole text."""
        margins = self.contentsMargins()
        # Rounded up: eliding compares the exact (fractional) width with the room there is.
        text = math.ceil(QFontMetricsF(self.font()).horizontalAdvance(self.text())) + 1
        return text + margins.left() + margins.right()

    def is_elided(self) -> bool:
        return self.shown_text() != self.text()

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, max(0, self.contentsRect().width())
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(min(self._keep, self.full_width()), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        width = self.full_width()
        if self._wants is not None:
            width = min(width, self._wants)
        return QSize(width, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refresh_tip()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )

    def _refresh_tip(self) -> None:
        tip = self._tip
        if self.is_elided() and self.text() not in tip:
            tip = f"{self.text()}\n\n{tip}" if tip else self.text()
        # Qt reads a tooltip that looks like markup as rich text; server text must stay text.
        self.setToolTip(tooltip(tip))
