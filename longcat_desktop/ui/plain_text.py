"""Text from people, servers and files, shown as exactly those characters.

Qt guesses: a label or message box in its default AutoText format, and every tooltip, takes a
string that looks like HTML for rich text. A conversation titled "<b>x</b>" would show a bold
"x", and an `<img src="file:///...">` in a server's error message would make Qt read that file.
Labels that show data are plain text; tooltips, which have no plain mode, get escaped markup.
"""

from __future__ import annotations

import html

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(parent: QWidget | None = None, text: str = "") -> QLabel:
    """A label that shows its text as typed, never as markup."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def tooltip(text: str) -> str:
    """`text` for setToolTip or a model's ToolTipRole, shown as typed, line breaks included."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'
