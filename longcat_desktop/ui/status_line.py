"""The framed line under an answer that stopped, broke off or failed, with its actions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.message_status import (
    ACTION_CONTINUE,
    ACTION_COUNTDOWN,
    ACTION_RETRY,
    ACTION_SETTINGS,
    StatusLine,
)
from longcat_desktop.ui.theme import current_theme

_ICON_FOR_KIND = {"error": "error", "warning": "warning", "info": "stop"}


class StatusLineWidget(QFrame):
    retryRequested = Signal()
    continueRequested = Signal()
    openSettingsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusLine")
        self._kind = "info"
        self.icon_label = QLabel(self)
        self.icon_label.setFixedSize(18, 18)
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.countdown_label = QLabel(self)
        self.countdown_label.setProperty("role", "muted")
        self.retry_button = self._button(self.tr("Retry"), "retry", self.retryRequested)
        self.continue_button = self._button(self.tr("Continue"), "continue", self.continueRequested)
        self.settings_button = self._button(
            self.tr("Open settings"), "settings", self.openSettingsRequested
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.countdown_label)
        for button in (self.retry_button, self.continue_button, self.settings_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._actions: tuple[str, ...] = ()
        self._countdown: int | None = None

    def _button(self, text: str, icon_name: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text, self)
        button.setProperty("icon_name", icon_name)
        button.setIcon(icon(icon_name))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(signal)
        return button

    def show_status(self, line: StatusLine) -> None:
        self._kind = line.kind
        self._actions = line.actions
        self.setProperty("kind", line.kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text_label.setText(line.text)
        self.retry_button.setVisible(ACTION_RETRY in line.actions)
        self.continue_button.setVisible(ACTION_CONTINUE in line.actions)
        self.settings_button.setVisible(ACTION_SETTINGS in line.actions)
        self._refresh_countdown()
        self._refresh_icons()

    def set_countdown(self, seconds: int | None) -> None:
        self._countdown = seconds if seconds and seconds > 0 else None
        self._refresh_countdown()

    def _refresh_countdown(self) -> None:
        show = ACTION_COUNTDOWN in self._actions and self._countdown is not None
        if show:
            self.countdown_label.setText(self.tr("Retrying in {n} s").format(n=self._countdown))
        self.countdown_label.setVisible(show)
        if ACTION_COUNTDOWN in self._actions:
            self.retry_button.setText(self.tr("Retry now") if show else self.tr("Retry"))

    def _refresh_icons(self) -> None:
        theme = current_theme()
        color = {"error": theme.error, "warning": theme.warning}.get(self._kind, theme.muted)
        self.icon_label.setPixmap(icon(_ICON_FOR_KIND[self._kind], color).pixmap(18, 18))
        for button in (self.retry_button, self.continue_button, self.settings_button):
            button.setIcon(icon(str(button.property("icon_name"))))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()
