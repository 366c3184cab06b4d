"""The layering of ARCHITECTURE.md, enforced: every import of every module is checked."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "longcat_desktop"
PACKAGE = "longcat_desktop"

# Which first-level parts of our package each layer may import.
ALLOWED_INTERNAL: dict[str, set[str]] = {
    "domain": {"domain"},
    "api": {"domain", "api"},
    "store": {"domain", "store"},
    "render": {"domain", "render"},
    "services": {"domain", "api", "store", "render", "services"},
    "ui": {"domain", "services", "render", "ui"},
}

# Third-party modules that each layer must never import (stdlib is free except where listed).
FORBIDDEN_EXTERNAL: dict[str, set[str]] = {
    "api": {"PySide6", "qasync", "sqlite3", "keyring"},
    "store": {"PySide6", "qasync", "httpx", "httpcore"},
    "render": {"PySide6.QtWidgets", "httpx", "sqlite3", "keyring", "qasync"},
    "services": {"PySide6.QtWidgets", "httpx", "httpcore", "sqlite3", "keyring", "qasync"},
    "ui": {"httpx", "httpcore", "sqlite3", "keyring"},
}


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE_ROOT.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            names.append(target)
            names.extend(f"{target}.{alias.name}" for alias in node.names)
    return names


def _layer_files() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        parts = path.relative_to(PACKAGE_ROOT).parts
        if len(parts) > 1:
            found.append((parts[0], path))
    return found


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_every_layer_has_modules() -> None:
    layers = {layer for layer, _ in _layer_files()}
    assert set(ALLOWED_INTERNAL) <= layers


def _violations(layer: str, imported: list[str]) -> list[str]:
    problems = []
    for name in imported:
        if _matches(name, PACKAGE):
            parts = name.split(".")
            if len(parts) < 2 or parts[1].startswith("__"):
                continue
            target = parts[1]
            if target == "app":
                problems.append(f"imports the composition root {name}")
            elif target not in ALLOWED_INTERNAL[layer]:
                problems.append(f"imports {name}")
            continue
        top = name.split(".")[0]
        if layer == "domain" and top and top not in sys.stdlib_module_names:
            problems.append(f"imports third-party {name}")
        problems.extend(
            f"imports {name}"
            for forbidden in FORBIDDEN_EXTERNAL.get(layer, set())
            if _matches(name, forbidden)
        )
    return problems


@pytest.mark.parametrize(("layer", "path"), _layer_files(), ids=lambda v: str(v))
def test_imports_follow_the_layering(layer: str, path: Path) -> None:
    assert layer in ALLOWED_INTERNAL, f"{path}: unknown layer {layer!r}"
    problems = _violations(layer, _imports(path))
    assert not problems, f"{path.relative_to(PACKAGE_ROOT.parent)} breaks the layering: {problems}"


@pytest.mark.parametrize(
    ("layer", "imported", "expected"),
    [
        ("ui", ["httpx"], 1),
        ("ui", ["longcat_desktop.store.database"], 1),
        ("ui", ["longcat_desktop.app"], 1),
        ("domain", ["PySide6.QtCore"], 1),
        ("api", ["PySide6.QtCore", "sqlite3", "keyring"], 3),
        ("services", ["PySide6.QtWidgets", "PySide6.QtCore", "longcat_desktop.api.client"], 1),
        ("render", ["PySide6.QtGui", "markdown_it", "longcat_desktop.domain"], 0),
    ],
)
def test_the_checker_flags_violations(layer: str, imported: list[str], expected: int) -> None:
    assert len(_violations(layer, imported)) == expected
