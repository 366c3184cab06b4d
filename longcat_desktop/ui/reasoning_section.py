"""The collapsible 'Thinking…' section above an answer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from longcat_desktop.ui.auto_text import AutoHeightBrowser
from longcat_desktop.ui.icons import icon


class ReasoningSection(QWidget):
    """A header button that folds the reasoning text away.

    The owner decides when it folds automatically (`set_expanded(..., by_user=False)`);
    once the user has toggled it, automatic folding leaves it alone.
    """

    linkActivated = Signal(QUrl)
    toggled = Signal(bool)

    def __init__(self, document: QTextDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user_chose = False
        self.toggle_button = QToolButton(self)
        self.toggle_button.setObjectName("reasoningToggle")
        self.toggle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle_button.setCheckable(True)
        self.toggle_button.setAutoRaise(True)
        self.toggle_button.clicked.connect(self._on_clicked)

        self._document = document
        # The text view is made the first time the section opens: most stay folded.
        self._browser: AutoHeightBrowser | None = None
        self.frame = QFrame(self)
        self.frame.setObjectName("reasoningBody")
        self.frame.hide()
        self._inner = QVBoxLayout(self.frame)
        self._inner.setContentsMargins(12, 0, 0, 0)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.toggle_button)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.frame)
        self._apply(expanded=False)

    @property
    def browser(self) -> AutoHeightBrowser:
        if self._browser is None:
            self._browser = AutoHeightBrowser(self._document, self.frame)
            self._browser.setAccessibleName(self.tr("Reasoning"))
            self._browser.linkActivated.connect(self.linkActivated)
            self._inner.addWidget(self._browser)
        return self._browser

    def release(self) -> None:
        """Let go of the document (see AutoHeightBrowser.release)."""
        if self._browser is not None:
            self._browser.release()

    @property
    def user_chose(self) -> bool:
        return self._user_chose

    def is_expanded(self) -> bool:
        return self.toggle_button.isChecked()

    def set_title(self, text: str) -> None:
        self.toggle_button.setText(text)

    def set_expanded(self, expanded: bool, *, by_user: bool = False) -> None:
        if not by_user and self._user_chose:
            return
        if by_user:
            self._user_chose = True
        self._apply(expanded)

    def _on_clicked(self, checked: bool) -> None:
        self.set_expanded(checked, by_user=True)

    def _apply(self, expanded: bool) -> None:
        changed = expanded != self.toggle_button.isChecked() or self.frame.isHidden() == expanded
        self.toggle_button.setChecked(expanded)
        if expanded:
            self.browser.show()
        self.frame.setVisible(expanded)
        self._refresh_icon()
        if changed:
            self.toggled.emit(expanded)

    def _refresh_icon(self) -> None:
        name = "chevron-down" if self.toggle_button.isChecked() else "chevron-right"
        self.toggle_button.setIcon(icon(name))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icon()
