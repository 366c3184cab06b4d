"""A masked line edit with an eye button to show or hide what was typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget

from longcat_desktop.ui.icons import icon


class SecretLineEdit(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        # Input methods must not learn or suggest the key.
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.toggle_action = QAction(self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.toggled.connect(self.set_revealed)
        self.addAction(self.toggle_action, QLineEdit.ActionPosition.TrailingPosition)
        self._refresh()

    def is_revealed(self) -> bool:
        return self.echoMode() == QLineEdit.EchoMode.Normal

    def set_revealed(self, revealed: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password)
        if self.toggle_action.isChecked() != revealed:
            self.toggle_action.setChecked(revealed)
        self._refresh()

    def _refresh(self) -> None:
        revealed = self.is_revealed()
        self.toggle_action.setIcon(icon("eye-off" if revealed else "eye"))
        self.toggle_action.setToolTip(self.tr("Hide") if revealed else self.tr("Show"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh()
