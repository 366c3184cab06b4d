"""The composition root: builds the application and wires every layer together."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(list(argv) if argv is not None else sys.argv)
    app.setApplicationName("LongCat Desktop")
    label = QLabel("LongCat Desktop")
    label.setWindowTitle("LongCat Desktop")
    label.resize(640, 480)
    label.show()
    return app.exec()
