"""First run: explains where to get an API key and takes it right there."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.secret_field import SecretLineEdit
from longcat_desktop.ui.theme import current_theme

PLATFORM_URL = "https://longcat.chat/platform"
CARD_WIDTH = 480


class WelcomePanel(QWidget):
    """Emits `keySubmitted(key)` and forgets the key at once; the owner validates it and calls
    `set_busy` / `set_error` to report back."""

    keySubmitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = QFrame(self)
        self.card.setObjectName("welcomeCard")
        self.card.setFixedWidth(CARD_WIDTH)
        self.logo = QLabel(self.card)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(self.tr("Welcome to LongCat Desktop"), self.card)
        title.setProperty("role", "title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        self.intro = QLabel(self.card)
        self.intro.setWordWrap(True)
        self.intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        # Only this fixed link is in the label, so letting Qt open it is safe.
        self.intro.setOpenExternalLinks(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)

        self.key_edit = SecretLineEdit(self.card)
        self.key_edit.setPlaceholderText(self.tr("Paste your API key"))
        self.key_edit.setAccessibleName(self.tr("API key"))
        self.key_edit.setMinimumHeight(36)
        self.save_button = QPushButton(self.tr("Save key"), self.card)
        self.save_button.setProperty("role", "primary")
        self.save_button.setMinimumHeight(36)
        self.save_button.setDefault(True)
        self.error_label = QLabel(self.card)
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()
        note = QLabel(
            self.tr("The key is kept in your system keyring, never in a file."), self.card
        )
        note.setProperty("role", "small")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setWordWrap(True)

        field_row = QHBoxLayout()
        field_row.setSpacing(8)
        field_row.addWidget(self.key_edit, 1)
        field_row.addWidget(self.save_button)

        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(32, 32, 32, 32)
        card_layout.setSpacing(16)
        card_layout.addWidget(self.logo)
        card_layout.addWidget(title)
        card_layout.addWidget(self.intro)
        card_layout.addSpacing(8)
        card_layout.addLayout(field_row)
        card_layout.addWidget(self.error_label)
        card_layout.addWidget(note)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.key_edit.returnPressed.connect(self.submit)
        self.key_edit.textChanged.connect(self._on_text_changed)
        self.save_button.clicked.connect(self.submit)
        self._busy = False
        self._restyle()
        self._on_text_changed("")

    def submit(self) -> None:
        key = self.key_edit.text().strip()
        if not key or self._busy:
            return
        self.key_edit.clear()
        self.error_label.hide()
        self.keySubmitted.emit(key)

    def set_error(self, text: str) -> None:
        """Show why the key was refused (empty text hides the message)."""
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        if text:
            self.key_edit.setFocus()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.key_edit.setEnabled(not busy)
        self.save_button.setText(self.tr("Checking…") if busy else self.tr("Save key"))
        self._on_text_changed(self.key_edit.text())

    def is_busy(self) -> bool:
        return self._busy

    def _on_text_changed(self, text: str) -> None:
        self.save_button.setEnabled(bool(text.strip()) and not self._busy)

    def _restyle(self) -> None:
        theme = current_theme()
        self.logo.setPixmap(icon("logo", theme.accent).pixmap(64, 64))
        text = self.tr(
            "LongCat Desktop talks to the LongCat API Platform with your own API key. "
            'Create one at <a href="{url}">longcat.chat/platform</a>, then paste it below.'
        ).format(url=PLATFORM_URL)
        self.intro.setText(f'<span style="color:{theme.muted}">{text}</span>')

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
