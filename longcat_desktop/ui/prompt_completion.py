"""Saved prompts in the composer: `/` at the start opens a list filtered as you type; the prompt
chosen replaces the `/…`, and Tab then selects its `{{placeholders}}` one after another.

It watches the editor from outside (an event filter), so the composer itself knows nothing of
it. The list is a child of the window rather than a popup, so the editor keeps the focus.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QFrame, QListWidget, QListWidgetItem, QTextEdit, QVBoxLayout

from longcat_desktop.domain.organising import Prompt, placeholder_spans
from longcat_desktop.ui.escape_key import claim_escape

_ROLE = Qt.ItemDataRole.UserRole + 1
_MAX_ROWS = 8


class PromptCompletion(QObject):
    def __init__(self, edit: QTextEdit, prompts: Callable[[], list[Prompt]]) -> None:
        super().__init__(edit)
        self._edit = edit
        self._prompts = prompts
        # True once a prompt with placeholders was inserted, until none is left.
        self._filling = False
        self.popup = QFrame(edit.window())
        self.popup.setObjectName("promptPopup")
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.list = QListWidget(self.popup)
        self.list.setAccessibleName(self.tr("Saved prompts"))
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setProperty("role", "picker")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._choose_item)
        layout = QVBoxLayout(self.popup)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        self.popup.hide()
        edit.installEventFilter(self)
        edit.textChanged.connect(self._update)
        edit.cursorPositionChanged.connect(self._update)
        # Escape closes the list before the window's Esc (Stop) sees it.
        claim_escape(edit, self.popup.isVisible)

    def is_open(self) -> bool:
        return self.popup.isVisible()

    def filling(self) -> bool:
        return self._filling

    # -- the list -----------------------------------------------------------------------------

    def _query(self) -> str | None:
        """The text typed after a `/` that starts the message, while the cursor is in it."""
        # Checked first: most messages do not start with "/", and reading the whole text at
        # every key would cost a long draft.
        if self._edit.document().characterAt(0) != "/":
            return None
        text = self._edit.toPlainText()
        cursor = self._edit.textCursor().position()
        if cursor < 1:
            return None
        typed = text[1:cursor]
        if "\n" in typed or len(typed) > 60:
            return None
        return typed

    def _update(self) -> None:
        if self._filling and not placeholder_spans(self._edit.toPlainText()):
            self._filling = False
        query = self._query()
        if query is None:
            self.popup.hide()
            return
        needle = query.casefold().strip()
        self.list.clear()
        for prompt in self._prompts():
            if needle and needle not in prompt.name.casefold():
                continue
            item = QListWidgetItem(prompt.name)
            item.setData(_ROLE, prompt.body)
            item.setToolTip(prompt.body[:300])
            self.list.addItem(item)
        if not self.list.count():
            placeholder = QListWidgetItem(
                self.tr("No saved prompts match") if needle else self.tr("No saved prompts yet")
            )
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        else:
            self.list.setCurrentRow(0)
        self._place()
        self.popup.show()
        self.popup.raise_()

    def _place(self) -> None:
        rows = min(self.list.count(), _MAX_ROWS)
        height = rows * max(self.list.sizeHintForRow(0), 20) + 14
        width = min(max(self._edit.width(), 240), 480)
        # Above the editor: the composer sits at the bottom of the window.
        parent = self.popup.parentWidget()
        if parent is None:
            return
        top_left = self._edit.mapTo(parent, QPoint(0, 0))
        self.popup.setGeometry(top_left.x(), max(0, top_left.y() - height - 6), width, height)

    def _move(self, step: int) -> None:
        count = self.list.count()
        if count:
            self.list.setCurrentRow((self.list.currentRow() + step) % count)

    def _choose_item(self, item: QListWidgetItem | None) -> None:
        body = None if item is None else item.data(_ROLE)
        if not isinstance(body, str):
            return
        self.popup.hide()
        self.insert(body)

    def insert(self, body: str) -> None:
        """Put a prompt in place of the typed `/…`, its first placeholder selected."""
        cursor = self._edit.textCursor()
        cursor.setPosition(0)
        cursor.setPosition(self._edit.textCursor().position(), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(body)
        self._edit.setTextCursor(cursor)
        self.popup.hide()
        self._filling = bool(placeholder_spans(self._edit.toPlainText()))
        if self._filling:
            self._select_placeholder(forward=True, start=0)

    # -- placeholders -------------------------------------------------------------------------

    def _select_placeholder(self, *, forward: bool, start: int | None = None) -> bool:
        """Select the next (or previous) placeholder, wrapping around; False if none is left."""
        spans = placeholder_spans(self._edit.toPlainText())
        if not spans:
            self._filling = False
            return False
        cursor = self._edit.textCursor()
        if start is None:
            start = cursor.selectionEnd() if forward else cursor.selectionStart()
        if forward:
            span = next((s for s in spans if s[0] >= start), spans[0])
        else:
            span = next((s for s in reversed(spans) if s[1] <= start), spans[-1])
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self._edit.setTextCursor(cursor)
        return True

    # -- keys ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._edit or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if self.popup.isVisible():
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                self._choose_item(self.list.currentItem())
                return True
            if key == Qt.Key.Key_Escape:
                self.popup.hide()
                return True
        if self._filling and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # Tab walks the placeholders; once none is left it moves the focus on as usual.
            return self._select_placeholder(forward=key == Qt.Key.Key_Tab)
        return False
