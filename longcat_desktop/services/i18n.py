"""Translated text for services, with Qt-style %1, %2 placeholders."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def translate(context: str, text: str, *args: object) -> str:
    translated = QCoreApplication.translate(context, text)
    # Highest first, so %1 does not eat the start of %10.
    for number in range(len(args), 0, -1):
        translated = translated.replace(f"%{number}", str(args[number - 1]))
    return translated
