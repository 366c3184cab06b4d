"""Messages the user should see once (a database set aside, a keyring missing, a disk full),
shown above the chat until dismissed, never as a modal box that blocks the work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.services.user_text import localized
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.plain_text import plain_label
from longcat_desktop.ui.theme import current_theme

# Older notices give way so the bar never pushes the chat off screen.
MAX_NOTICES = 3


class _Notice(QFrame):
    def __init__(self, text: str, error: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setProperty("level", "error" if error else "info")
        self.text = text
        theme = current_theme()
        glyph = QLabel(self)
        glyph.setPixmap(
            icon("error" if error else "warning", theme.error if error else theme.warning).pixmap(
                16, 16
            )
        )
        label = plain_label(self, text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setIcon(icon("close"))
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.deleteLater)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.setSpacing(8)
        layout.addWidget(glyph, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)


class NoticeBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 0, 16, 0)
        self._layout.setSpacing(4)

    def notices(self) -> list[str]:
        return [child.text for child in self.findChildren(_Notice) if not child.isHidden()]

    def add(self, said: UserText | str, *, error: bool = False) -> None:
        """Shows `said` (one of our sentences is translated) unless it is showing already."""
        text = localized(said)
        if text in self.notices():
            return
        existing = self.findChildren(_Notice)
        for old in existing[: max(0, len(existing) - MAX_NOTICES + 1)]:
            old.hide()
            old.deleteLater()
        self._layout.addWidget(_Notice(text, error, self))
