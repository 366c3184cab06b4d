"""The icon, the desktop entry and the AppStream metainfo, and installing them for one user."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from longcat_desktop import __version__, desktop_entry
from longcat_desktop import app as app_module
from longcat_desktop.desktop_entry import (
    DESKTOP_FILE,
    DESKTOP_ID,
    ICON_SVG,
    METAINFO_FILE,
    desktop_entry_text,
    install,
    installed_paths,
    quote_exec_argument,
    uninstall,
)
from tests.packaging.tools import ROOT, load

icons = load("make_icons")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(
            f"{name} is not installed (Debian: apt-get install desktop-file-utils appstream)"
        )
    return path


def _validate_desktop_file(path: Path) -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


# -- the files ----------------------------------------------------------------------------------


def test_the_desktop_entry_is_valid() -> None:
    _validate_desktop_file(DESKTOP_FILE)


def test_the_metainfo_is_valid() -> None:
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_entry_metainfo_and_app_agree_on_names() -> None:
    entry = DESKTOP_FILE.read_text(encoding="utf-8")
    metainfo = METAINFO_FILE.read_text(encoding="utf-8")
    assert f"<id>{DESKTOP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{DESKTOP_ID}.desktop</launchable>' in metainfo
    assert f"Icon={desktop_entry.ICON_NAME}\n" in entry
    assert app_module.DESKTOP_ID == DESKTOP_ID
    assert f"<binary>{desktop_entry.EXECUTABLE}</binary>" in metainfo
    assert f'version="{__version__}"' in metainfo


def test_every_icon_size_is_there_and_square() -> None:
    pngs = desktop_entry.icon_pngs()
    assert sorted(pngs) == list(icons.PNG_SIZES)
    for size, path in pngs.items():
        assert icons.png_size(path.read_bytes()) == (size, size)
        assert QImage(str(path)).hasAlphaChannel()
    assert ICON_SVG.read_text(encoding="utf-8").startswith("<svg")


def test_the_ico_holds_one_png_per_size() -> None:
    entries = icons.read_ico(icons.ICO.read_bytes())
    assert [size for size, _png in entries] == list(icons.ICO_SIZES)
    for size, png in entries:
        assert icons.png_size(png) == (size, size)


def test_the_icns_holds_every_retina_size() -> None:
    chunks = dict(icons.read_icns(icons.ICNS.read_bytes()))
    assert set(chunks) == {kind for kind, _size in icons.ICNS_TYPES}
    for kind, size in icons.ICNS_TYPES:
        assert icons.png_size(chunks[kind]) == (size, size)


def test_the_icons_are_made_from_the_svg(qapp: QApplication, tmp_path: Path) -> None:
    """The script runs and gives the same sizes as the committed files (pixels may differ
    between Qt versions, so they are not compared)."""
    icons.make_all(hicolor=tmp_path / "hicolor", ico=tmp_path / "a.ico", icns=tmp_path / "a.icns")
    for size in icons.PNG_SIZES:
        made = icons.hicolor_path(size, tmp_path / "hicolor").read_bytes()
        assert icons.png_size(made) == (size, size)
    assert len(icons.read_ico((tmp_path / "a.ico").read_bytes())) == len(icons.ICO_SIZES)


def test_the_window_icon_has_every_size(qapp: QApplication) -> None:
    icon = desktop_entry.app_icon()
    assert not icon.isNull()
    assert sorted(size.width() for size in icon.availableSizes()) == list(icons.PNG_SIZES)
    assert not icon.pixmap(48, 48).isNull()


def test_the_icons_are_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for pattern in ('"**/*.svg"', '"**/*.png"', '"**/*.qm"', '"resources/*.desktop"'):
        assert pattern in pyproject


# -- installing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "written"),
    [
        ("/usr/bin/longcat-desktop", "/usr/bin/longcat-desktop"),
        ("/opt/Long Cat/longcat-desktop", '"/opt/Long Cat/longcat-desktop"'),
        ("/tmp/100%/app", "/tmp/100%%/app"),
        ('/tmp/a"b$c', '"/tmp/a\\\\"b\\\\$c"'),
        ("C:\\x", '"C:\\\\\\\\x"'),
        ("", '""'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(argument: str, written: str) -> None:
    assert quote_exec_argument(argument) == written


def test_install_and_uninstall_for_one_user(tmp_path: Path) -> None:
    home = tmp_path / "share"
    command = ["/opt/Long Cat/bin/longcat-desktop"]
    written = install(home, command)
    assert sorted(written) == sorted(installed_paths(home))
    entry = home / "applications" / f"{DESKTOP_ID}.desktop"
    text = entry.read_text(encoding="utf-8")
    assert 'Exec="/opt/Long Cat/bin/longcat-desktop"\n' in text
    assert "TryExec=/opt/Long Cat/bin/longcat-desktop\n" in text
    assert (home / "icons/hicolor/48x48/apps/longcat-desktop.png").is_file()
    assert (home / "icons/hicolor/scalable/apps/longcat-desktop.svg").is_file()
    assert (home / "metainfo" / f"{DESKTOP_ID}.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        _validate_desktop_file(entry)
    # Installing again replaces the files; nothing else appears.
    before = sorted(p for p in home.rglob("*") if p.is_file())
    install(home, command)
    assert sorted(p for p in home.rglob("*") if p.is_file()) == before

    (home / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n")
    removed = uninstall(home)
    assert sorted(removed) == sorted(written)
    left = [p for p in home.rglob("*") if p.is_file()]
    assert left == [home / "applications" / "someone-else.desktop"]
    assert uninstall(home) == []


def test_the_entry_points_at_this_copy_of_the_app(tmp_path: Path) -> None:
    script = tmp_path / "bin" / "longcat-desktop"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    launch = desktop_entry.launch_command
    assert launch(str(script), executable="/py", frozen=False, environ={}) == [str(script)]
    module_run = launch(
        "/x/longcat_desktop/__main__.py", executable="/py", frozen=False, environ={}
    )
    assert module_run == ["/py", "-m", "longcat_desktop"]
    bundle = launch("x", executable=str(script), frozen=True, environ={})
    assert bundle == [str(script)]
    appimage = launch(
        "x", executable="/tmp/.mount/usr/bin/x", frozen=True, environ={"APPIMAGE": str(script)}
    )
    assert appimage == [str(script)]
    assert "Exec=/py -m longcat_desktop\n" in desktop_entry_text(module_run)


def test_xdg_data_home_decides_where(tmp_path: Path) -> None:
    assert desktop_entry.data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path
    default = Path("/home/u/.local/share")
    assert desktop_entry.data_home({"HOME": "/home/u"}) == default
    # A relative value is invalid by the spec and ignored.
    assert desktop_entry.data_home({"XDG_DATA_HOME": "rel", "HOME": "/home/u"}) == default


def test_the_command_line_installs_and_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert app_module.main(["--install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "applications" / f"{DESKTOP_ID}.desktop") in out
    assert (tmp_path / "applications" / f"{DESKTOP_ID}.desktop").is_file()
    assert app_module.main(["--uninstall-desktop-entry"]) == 0
    assert "Removed" in capsys.readouterr().out
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
    assert app_module.main(["--uninstall-desktop-entry"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_the_options_exclude_each_other() -> None:
    with pytest.raises(SystemExit):
        app_module.parse_args(["--self-test", "--install-desktop-entry"])
