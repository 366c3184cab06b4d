"""The layering of ARCHITECTURE.md, enforced: every import of every module is checked.

Imports inside functions and under TYPE_CHECKING count as much as those at the top: a lazy
import is still a dependency, and a cycle through one is still a cycle.
"""

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
    "tools": {"domain", "tools"},
    "sync": {"domain", "store", "sync"},
    "services": {"domain", "api", "store", "render", "tools", "sync", "services"},
    "ui": {"domain", "services", "render", "ui"},
}

# Third-party modules that each layer must never import (stdlib is free except where listed).
FORBIDDEN_EXTERNAL: dict[str, set[str]] = {
    "api": {"PySide6", "qasync", "sqlite3", "keyring"},
    "store": {"PySide6", "qasync", "httpx", "httpcore", "mcp"},
    "tools": {"PySide6", "qasync", "sqlite3", "keyring"},
    "render": {"PySide6.QtWidgets", "httpx", "sqlite3", "keyring", "qasync"},
    "services": {"PySide6.QtWidgets", "httpx", "httpcore", "sqlite3", "keyring", "qasync"},
    "ui": {"httpx", "httpcore", "sqlite3", "keyring", "mcp"},
    "sync": {"PySide6", "qasync", "sqlite3", "keyring", "mcp"},
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


# The package's top level: the composition root and its helpers. They may know every layer;
# no layer may know them.
TOP_LEVEL = {
    "app",
    "session",
    "self_test",
    "i18n",
    "single_instance",
    "desktop_entry",
    "pyside_startup",
    "import_command",
    "__main__",
    "__init__",
}


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
            if target in TOP_LEVEL:
                problems.append(f"imports the composition root's {name}")
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
        ("services", ["longcat_desktop.session"], 1),
        ("store", ["longcat_desktop.i18n"], 1),
        ("domain", ["PySide6.QtCore"], 1),
        ("api", ["PySide6.QtCore", "sqlite3", "keyring"], 3),
        ("services", ["PySide6.QtWidgets", "PySide6.QtCore", "longcat_desktop.api.client"], 1),
        ("render", ["PySide6.QtGui", "markdown_it", "longcat_desktop.domain"], 0),
    ],
)
def test_the_checker_flags_violations(layer: str, imported: list[str], expected: int) -> None:
    assert len(_violations(layer, imported)) == expected


def _top_level_files() -> list[Path]:
    return sorted(path for path in PACKAGE_ROOT.glob("*.py"))


def test_the_top_level_holds_only_the_composition_root_and_its_helpers() -> None:
    names = {path.stem for path in _top_level_files()}
    assert names <= TOP_LEVEL, f"modules outside any layer: {sorted(names - TOP_LEVEL)}"


@pytest.mark.parametrize("path", _top_level_files(), ids=lambda v: v.name)
def test_top_level_modules_import_nothing_forbidden(path: Path) -> None:
    """The composition root knows every layer, but nothing outside the package's own."""
    problems = [
        name
        for name in _imports(path)
        if _matches(name, PACKAGE)
        and len(name.split(".")) > 1
        and not name.split(".")[1].startswith("__")
        and name.split(".")[1] not in ALLOWED_INTERNAL
        and name.split(".")[1] not in TOP_LEVEL
    ]
    assert not problems, f"{path.name} imports unknown parts: {problems}"


def _all_modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE_ROOT.rglob("*.py"))}


def _dependencies(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `module` imports. `from package import submodule` depends
    on the submodule, not on the package's __init__."""
    found: set[str] = set()
    for name in _imports(path):
        if not _matches(name, PACKAGE):
            continue
        parts = name.split(".")
        for end in range(len(parts), 1, -1):
            candidate = ".".join(parts[:end])
            if candidate in modules:
                if candidate != module:
                    found.add(candidate)
                break
    # A name imported from a package that is itself a module replaces the package.
    for name in list(found):
        if any(other.startswith(name + ".") for other in found):
            found.discard(name)
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return cycles


def test_no_import_cycles() -> None:
    modules = _all_modules()
    graph = {name: _dependencies(name, path, modules) for name, path in modules.items()}
    assert import_cycles(graph) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"a"}}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert import_cycles(graph) == expected
