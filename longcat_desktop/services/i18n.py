"""Translated text for services, with Qt-style %1, %2 placeholders."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from longcat_desktop.domain.user_texts import fill


def translate(context: str, text: str, *args: object) -> str:
    return fill(QCoreApplication.translate(context, text), *args)
