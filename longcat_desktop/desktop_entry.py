"""The app's icon and its place in the Linux application menu.

Everything here reads the package data in `longcat_desktop/resources/`: the icon (one SVG and the
PNG sizes made from it by packaging/make_icons.py), the freedesktop desktop entry and the
AppStream metainfo. `longcat-desktop --install-desktop-entry` copies them under the user's
XDG_DATA_HOME (default ~/.local/share), pointing the entry at whatever started it (the pip-installed
script, `python -m longcat_desktop`, a PyInstaller bundle or an AppImage);
`--uninstall-desktop-entry` removes exactly those files again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

DESKTOP_ID = "chat.longcat.Desktop"
ICON_NAME = "longcat-desktop"
EXECUTABLE = "longcat-desktop"

RESOURCES_DIR = Path(__file__).resolve().parent / "resources"
DESKTOP_FILE = RESOURCES_DIR / f"{DESKTOP_ID}.desktop"
METAINFO_FILE = RESOURCES_DIR / f"{DESKTOP_ID}.metainfo.xml"
ICONS_DIR = RESOURCES_DIR / "icons"
ICON_SVG = ICONS_DIR / f"{ICON_NAME}.svg"
HICOLOR_DIR = ICONS_DIR / "hicolor"

# Characters that oblige an Exec argument to be quoted (Desktop Entry Specification, "Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = set('"`$\\')


def icon_pngs() -> dict[int, Path]:
    """The shipped PNG sizes of the app icon, smallest first."""
    found: dict[int, Path] = {}
    for folder in HICOLOR_DIR.iterdir() if HICOLOR_DIR.is_dir() else ():
        width, _, height = folder.name.partition("x")
        path = folder / "apps" / f"{ICON_NAME}.png"
        if width.isdigit() and width == height and path.is_file():
            found[int(width)] = path
    return dict(sorted(found.items()))


def app_icon() -> QIcon:
    """The window and taskbar icon. Files are read lazily, at the size a screen asks for."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size, path in icon_pngs().items():
        icon.addFile(str(path), QSize(size, size))
    return icon


# -- the desktop entry --------------------------------------------------------------------------


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """XDG_DATA_HOME when it is set to an absolute path (as the spec demands), else the default."""
    environ = os.environ if environ is None else environ
    value = environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share"


def launch_command(
    argv0: str | None = None,
    *,
    executable: str | None = None,
    frozen: bool | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """How the menu should start this very copy of the app."""
    environ = os.environ if environ is None else environ
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if environ.get("APPIMAGE"):
        return [str(Path(environ["APPIMAGE"]).resolve())]
    if frozen:
        return [str(Path(executable).resolve())]
    script = Path(argv0)
    if script.name.startswith(EXECUTABLE) and script.is_file():
        return [str(script.resolve())]
    return [str(Path(executable).absolute()), "-m", "longcat_desktop"]


def quote_exec_argument(argument: str) -> str:
    """One argument of an Exec line, quoted and escaped as the Desktop Entry spec says."""
    if not argument:
        return '""'
    quoted = argument
    if any(char in _RESERVED for char in argument):
        inner = "".join("\\" + char if char in _ESCAPED_IN_QUOTES else char for char in argument)
        quoted = f'"{inner}"'
    # Then the file format's own rules: a percent sign is doubled, a backslash is escaped.
    return quoted.replace("%", "%%").replace("\\", "\\\\")


def desktop_entry_text(command: Sequence[str], template: str | None = None) -> str:
    """The shipped entry with Exec and TryExec pointing at `command`."""
    template = DESKTOP_FILE.read_text(encoding="utf-8") if template is None else template
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(quote_exec_argument(part) for part in command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def installed_paths(home: Path) -> list[Path]:
    """Every file `install` writes under the data home `home`."""
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{DESKTOP_ID}.desktop",
        home / "metainfo" / f"{DESKTOP_ID}.metainfo.xml",
        icons / "scalable" / "apps" / f"{ICON_NAME}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png" for size in icon_pngs()),
    ]


def install(home: Path | None = None, command: Sequence[str] | None = None) -> list[Path]:
    """Put the entry, its metainfo and the icons in place; returns the files written."""
    home = data_home() if home is None else home
    command = launch_command() if command is None else command
    icons = home / "icons" / "hicolor"
    files: list[tuple[Path, bytes]] = [
        (
            home / "applications" / f"{DESKTOP_ID}.desktop",
            desktop_entry_text(command).encode("utf-8"),
        ),
        (home / "metainfo" / f"{DESKTOP_ID}.metainfo.xml", METAINFO_FILE.read_bytes()),
        (icons / "scalable" / "apps" / f"{ICON_NAME}.svg", ICON_SVG.read_bytes()),
    ]
    for size, path in icon_pngs().items():
        files.append((icons / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png", path.read_bytes()))
    for target, data in files:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    # Icon caches look at the theme folder's time stamp to notice new icons.
    os.utime(icons)
    return [target for target, _ in files]


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what `install` wrote (any icon size, even ones this version does not ship)."""
    home = data_home() if home is None else home
    icons = home / "icons" / "hicolor"
    candidates = [
        home / "applications" / f"{DESKTOP_ID}.desktop",
        home / "metainfo" / f"{DESKTOP_ID}.metainfo.xml",
        *sorted(icons.glob(f"*/apps/{ICON_NAME}.png")),
        *sorted(icons.glob(f"*/apps/{ICON_NAME}.svg")),
    ]
    removed = []
    for path in candidates:
        if path.is_file():
            path.unlink()
            removed.append(path)
    if removed and icons.is_dir():
        os.utime(icons)
    return removed
