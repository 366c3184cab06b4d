"""Above the composer: the open conversation's model is no longer served, with a one-click
switch to one that is, so the next message does not fail at the server."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.theme import current_theme

_PLACEHOLDER = re.compile(r"%([12])")


def _fill(template: str, first: str, second: str) -> str:
    # One pass, so a model name that holds "%2" is never filled in again.
    values = {"1": first, "2": second}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


class UnservedModelNotice(QFrame):
    """Hidden until `show_for` names a model and its replacement."""

    switchRequested = Signal(str)  # the model to switch to

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelNotice")
        self._model = ""
        self._replacement = ""
        self.glyph = QLabel(self)
        self.glyph.setFixedSize(16, 16)
        self.label = QLabel(self)
        # Model names come from the server and old conversations: never read them as markup.
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.switch_button = QPushButton(self)
        self.switch_button.setProperty("role", "primary")
        self.switch_button.clicked.connect(self._switch)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.glyph, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._refresh_icon()
        self.hide()

    def show_for(self, model: str, replacement: str | None) -> None:
        """`replacement` is the served model to offer; None hides the notice."""
        if not replacement:
            self._model = self._replacement = ""
            self.hide()
            return
        self._model, self._replacement = model, replacement
        self._show_texts()
        self.show()

    def replacement(self) -> str:
        """The model the button switches to ("" while hidden)."""
        return self._replacement

    def _show_texts(self) -> None:
        self.label.setText(
            _fill(
                self.tr(
                    "%1 is no longer offered by the server, so messages to it would fail. "
                    "Switch this conversation to %2 to go on; its earlier messages stay."
                ),
                self._model,
                self._replacement,
            )
        )
        # A button reads "&" as a shortcut marker; doubled, it shows as itself.
        name = self._replacement.replace("&", "&&")
        self.switch_button.setText(_fill(self.tr("Switch to %1"), name, ""))

    def _switch(self) -> None:
        if self._replacement:
            self.switchRequested.emit(self._replacement)

    def _refresh_icon(self) -> None:
        self.glyph.setPixmap(icon("warning", current_theme().warning).pixmap(16, 16))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icon()
