"""Keep the translation catalogues in step with the sources.

    python packaging/update_translations.py          # refresh the .ts from the sources, compile .qm
    python packaging/update_translations.py --check  # exit 1 if anything is untranslated or stale

The .ts sources live in resources/translations/ (edit them with Qt Linguist, `pyside6-linguist`,
or any text editor); the compiled .qm files are package data in longcat_desktop/translations/,
committed so that a plain `pip install` needs no Qt tools. A test keeps the two in sync.

`pyside6-lupdate` finds `self.tr("...")`, `QCoreApplication.translate("Context", "...")` and the
like. It cannot see through the two helpers this code base uses beside them, so they are read
here with `ast` and handed to lupdate as an extra generated source:

* a module-level wrapper such as `def _tr(text): return QCoreApplication.translate("Ctx", text)`
  (or `translate("Ctx", text, *args)` from services/i18n.py): each `_tr("literal", ...)` in that
  module is a message of context "Ctx";
* `translate("Ctx", "literal", arg, ...)` with arguments for %1, %2 (lupdate skips those calls);
* `sentence("literal")` in domain/user_texts.py: a message of context "UserText".

Only the standard library and PySide6's own tools are used.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "longcat_desktop"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = PACKAGE_DIR / "translations"
LANGUAGES = ("zh_CN",)
CATALOGUE = "longcat_desktop_{language}"

_TRANSLATE_OWNERS = {"QCoreApplication", "QApplication", "QGuiApplication"}
# The context of domain/user_texts.py (kept in step by a test).
USER_TEXT_CONTEXT = "UserText"


@dataclass(frozen=True, slots=True, order=True)
class Message:
    context: str
    source: str


@dataclass(frozen=True, slots=True)
class Translation:
    text: str
    finished: bool


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.what}"


def ts_path(language: str) -> Path:
    return TS_DIR / f"{CATALOGUE.format(language=language)}.ts"


def qm_path(language: str) -> Path:
    return QM_DIR / f"{CATALOGUE.format(language=language)}.qm"


# -- finding the strings lupdate cannot see -----------------------------------------------------


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_translate(call: ast.Call) -> bool:
    """`translate(...)` (services/i18n.py) or `QCoreApplication.translate(...)` and kin."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "translate"
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "translate"
        and isinstance(func.value, ast.Name)
        and func.value.id in _TRANSLATE_OWNERS
    )


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _wrappers(tree: ast.Module) -> dict[str, str]:
    """Module-level functions that translate their first parameter in a fixed context."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        parameter = node.args.args[0].arg
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and _is_translate(inner)
                and len(inner.args) >= 2
                and isinstance(inner.args[1], ast.Name)
                and inner.args[1].id == parameter
            ):
                context = _literal(inner.args[0])
                if context is not None:
                    found[node.name] = context
    return found


def scan_module(path: Path) -> tuple[list[Message], list[Problem]]:
    """The messages of one module that need the extra source, and calls no tool can read."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    wrappers = _wrappers(tree)
    messages: list[Message] = []
    problems: list[Problem] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name in wrappers and isinstance(node.func, ast.Name):
            text_node = node.args[0] if node.args else None
            text = _literal(text_node)
            if text is not None:
                messages.append(Message(wrappers[name], text))
            elif not isinstance(text_node, ast.Name):
                problems.append(Problem(path, node.lineno, f"{name}() of text built at run time"))
        elif _is_translate(node) and len(node.args) >= 2:
            context, text = _literal(node.args[0]), _literal(node.args[1])
            if context is not None and text is not None:
                messages.append(Message(context, text))
            elif not isinstance(node.args[1], ast.Name) or not isinstance(
                node.args[0], ast.Name | ast.Constant
            ):
                problems.append(Problem(path, node.lineno, "translate() of text built at run time"))
        elif name == "sentence" and isinstance(node.func, ast.Name) and node.args:
            # domain/user_texts.py: sentences the layers without Qt write, in one context.
            text = _literal(node.args[0])
            if text is not None:
                messages.append(Message(USER_TEXT_CONTEXT, text))
            else:
                problems.append(Problem(path, node.lineno, "sentence() of text built at run time"))
        elif name == "tr" and isinstance(node.func, ast.Attribute) and node.args:
            if _literal(node.args[0]) is None:
                problems.append(Problem(path, node.lineno, "tr() of text built at run time"))
        elif name == "tr" and isinstance(node.func, ast.Name):
            problems.append(
                Problem(path, node.lineno, "a bare tr() has no context; use self.tr or translate")
            )
    return messages, problems


def scan_sources(package_dir: Path = PACKAGE_DIR) -> tuple[list[Message], list[Problem]]:
    messages: list[Message] = []
    problems: list[Problem] = []
    for path in sorted(package_dir.rglob("*.py")):
        found, trouble = scan_module(path)
        messages.extend(found)
        problems.extend(trouble)
    return sorted(set(messages)), problems


def write_extra_source(messages: Iterable[Message], path: Path) -> None:
    lines = [
        "# Generated by packaging/update_translations.py for lupdate; never imported.",
        "from PySide6.QtCore import QCoreApplication",
    ]
    for message in messages:
        context = json.dumps(message.context, ensure_ascii=False)
        source = json.dumps(message.source, ensure_ascii=False)
        lines.append(f"QCoreApplication.translate({context}, {source})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- the Qt tools -------------------------------------------------------------------------------


def qt_tool(name: str) -> str:
    """`pyside6-lupdate` / `pyside6-lrelease` of this interpreter's PySide6, else from PATH."""
    folder = Path(sys.executable).parent
    for candidate in (folder / f"pyside6-{name}", folder / f"pyside6-{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise FileNotFoundError(f"pyside6-{name} not found (pip install PySide6-Essentials)")
    return found


def run_lupdate(ts: Path, language: str, package_dir: Path = PACKAGE_DIR) -> None:
    """Merge the sources' messages into `ts` (created if missing); vanished ones are dropped."""
    messages, _problems = scan_sources(package_dir)
    with tempfile.TemporaryDirectory() as folder:
        extra = Path(folder) / "longcat_desktop_extra_messages.py"
        write_extra_source(messages, extra)
        command = [
            qt_tool("lupdate"),
            "-silent",
            "-extensions",
            "py",
            "-locations",
            "none",
            "-no-obsolete",
            "-source-language",
            "en",
            "-target-language",
            language,
            str(package_dir),
            str(extra),
            "-ts",
            str(ts),
        ]
        subprocess.run(command, check=True, capture_output=True, text=True)


def run_lrelease(ts: Path, qm: Path) -> None:
    qm.parent.mkdir(parents=True, exist_ok=True)
    command = [qt_tool("lrelease"), "-silent", "-nounfinished", str(ts), "-qm", str(qm)]
    subprocess.run(command, check=True, capture_output=True, text=True)


# -- reading a catalogue ------------------------------------------------------------------------


def read_ts(path: Path) -> dict[Message, Translation]:
    catalogue: dict[Message, Translation] = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            element = message.find("translation")
            text = (element.text or "") if element is not None else ""
            kind = element.get("type") if element is not None else "unfinished"
            catalogue[Message(name, source)] = Translation(text, kind is None and bool(text))
    return catalogue


def source_messages(language: str, package_dir: Path = PACKAGE_DIR) -> set[Message]:
    """Every message the current sources ask to translate (lupdate plus the extra source)."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh.ts"
        run_lupdate(fresh, language, package_dir)
        return set(read_ts(fresh))


def untranslated(language: str) -> list[Message]:
    catalogue = read_ts(ts_path(language))
    wanted = source_messages(language)
    return sorted(m for m in wanted if m not in catalogue or not catalogue[m].finished)


def stale(language: str) -> list[Message]:
    return sorted(set(read_ts(ts_path(language))) - source_messages(language))


def iter_markers(text: str) -> Iterator[str]:
    """What a translation must keep from its source: %1, {name}, tags and entities."""
    import re

    yield from re.findall(r"%\d+|\{[^{}]*\}|</?[a-zA-Z][^>]*>|&[a-z]+;", text)


def marker_mismatches(language: str) -> list[tuple[Message, str]]:
    found: list[tuple[Message, str]] = []
    for message, translation in read_ts(ts_path(language)).items():
        if translation.finished and sorted(iter_markers(message.source)) != sorted(
            iter_markers(translation.text)
        ):
            found.append((message, translation.text))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report; change nothing")
    args = parser.parse_args(argv)
    _messages, problems = scan_sources()
    for problem in problems:
        print(f"cannot be translated: {problem}", file=sys.stderr)
    failed = bool(problems)
    for language in LANGUAGES:
        if not args.check:
            TS_DIR.mkdir(parents=True, exist_ok=True)
            run_lupdate(ts_path(language), language)
            run_lrelease(ts_path(language), qm_path(language))
        missing = untranslated(language)
        mismatched = marker_mismatches(language)
        gone = stale(language) if args.check else []
        for message in missing:
            print(f"{language}: untranslated [{message.context}] {message.source!r}")
        for message, text in mismatched:
            print(f"{language}: placeholders differ [{message.context}] {message.source!r}")
            print(f"    translation: {text!r}")
        for message in gone:
            print(f"{language}: no longer in the sources [{message.context}] {message.source!r}")
        failed = failed or bool(missing or mismatched or gone)
        total = len(read_ts(ts_path(language)))
        print(f"{language}: {total} messages, {len(missing)} to translate")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
