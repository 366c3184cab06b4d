"""The scripts in packaging/ are not a package (the name would shadow PyPI's `packaging`), so
tests load them from their files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGING = ROOT / "packaging"


def load(name: str) -> ModuleType:
    module_name = f"_longcat_packaging_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PACKAGING / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first: dataclasses look their module up while the file runs.
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
