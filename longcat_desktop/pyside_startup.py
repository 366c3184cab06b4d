"""A cheaper answer to a question PySide asks about every module imported after it.

PySide6 watches imports for its opt-in `from __feature__ import ...` switches (snake_case
names, true properties), which this app does not use. To set them up it asks, of each newly
imported module, whether the module uses PySide, and answers by fetching the module's whole
source through `inspect.getsource`: about 0.2 ms a module, 22 ms for the ~110 modules the app
imports after PySide before its first frame. Reading the file's bytes gives the same answer in
a quarter of that time (6 ms).

If PySide's internals no longer look the way this expects, nothing is replaced and PySide's own
check runs: the app only starts a little slower.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_FEATURE_MODULE = "shibokensupport.feature"
_CHECK = "_mod_uses_pyside"
# Set on our replacement: PySide's own check, which it falls back on (and tests compare with).
ORIGINAL = "pyside_check"


def fast_pyside_check(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """PySide's "does this module use PySide6?" answered from the source file's bytes."""

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        # Built-in, compiled or source-less modules: PySide's own check handles them quickly.
        return original(module)

    setattr(uses_pyside, ORIGINAL, original)
    return uses_pyside


def speed_up_import_checks() -> bool:
    """Call once PySide6 is imported. True if the cheaper check is (now) in place."""
    feature = sys.modules.get(_FEATURE_MODULE)
    original = getattr(feature, _CHECK, None)
    if feature is None or not callable(original):
        return False
    if not hasattr(original, ORIGINAL):
        setattr(feature, _CHECK, fast_pyside_check(original))
    return True
