"""Runs first inside the bundle, before any of the app's code."""

import os

# qasync picks its Qt binding from QT_API; only PySide6 is bundled.
os.environ.setdefault("QT_API", "pyside6")
