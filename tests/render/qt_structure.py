"""A structural dump of a QTextDocument, stricter than toHtml().

toHtml() hides some differences that change the picture: the empty block Qt keeps after a
table can sit in a list and grow a stray "1." marker without toHtml showing it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import (
    QBrush,
    QColor,
    QPen,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextLength,
    QTextTable,
)


def _value(value: Any) -> Any:
    """A comparable stand-in: Qt value types print their address, not their value."""
    if isinstance(value, QBrush):
        return ("brush", int(value.style().value), value.color().name(QColor.NameFormat.HexArgb))
    if isinstance(value, QColor):
        return ("colour", value.name(QColor.NameFormat.HexArgb))
    if isinstance(value, QPen):
        return ("pen", value.color().name(QColor.NameFormat.HexArgb), value.widthF())
    if isinstance(value, QTextLength):
        return ("length", int(value.type().value), value.rawValue())
    if isinstance(value, (list, tuple)):
        return tuple(_value(item) for item in value)
    return repr(value)


def _props(fmt: QTextFormat, objects: dict[int, int]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for key, value in sorted(fmt.properties().items()):
        if key == QTextFormat.Property.ObjectIndex:
            # Object indexes are allocation order, which differs between build histories;
            # what matters is which blocks share an object, so number objects by first use.
            found.append((key, f"object#{objects.setdefault(int(value), len(objects))}"))
        else:
            found.append((key, _value(value)))
    return found


def document_structure(document: QTextDocument) -> list[Any]:
    objects: dict[int, int] = {}
    rows: list[Any] = []
    block = document.begin()
    while block.isValid():
        text_list = block.textList()
        frame = document.frameAt(block.position())
        cell: tuple[int, int] | None = None
        if isinstance(frame, QTextTable):
            table_cell = frame.cellAt(block.position())
            cell = (table_cell.row(), table_cell.column())
        fragments = []
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            fragments.append((fragment.text(), _props(fragment.charFormat(), objects)))
            iterator += 1
        rows.append(
            (
                block.text(),
                _props(block.blockFormat(), objects),
                _props(block.charFormat(), objects),
                None
                if text_list is None
                else (_props(text_list.format(), objects), text_list.itemNumber(block)),
                type(frame).__name__ if isinstance(frame, QTextFrame) else None,
                None if frame is None else _props(frame.frameFormat(), objects),
                cell,
                fragments,
            )
        )
        block = block.next()
    return rows
