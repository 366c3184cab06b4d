"""Build the PyInstaller bundle for this OS and check that it starts and passes its self-test.

Slow (about 1.5 minutes), so it runs only when asked for: `pytest -m bundle`, or with
LONGCAT_BUILD_BUNDLE=1 in the environment. It needs PyInstaller (`pip install -e '.[bundle]'`).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.packaging.tools import ROOT, load

build = load("build")

# About 140 MB of Qt and Python, plus tools (MCP SDK, pydantic), math and attachments.
LIMIT_MB = 165
UNUSED_QT = ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt6Multimedia", "Qt63D", "Qt6Pdf", "Qt6Sql")


def _asked_for(config: pytest.Config) -> bool:
    expression = str(config.getoption("markexpr", "") or "")
    by_marker = "bundle" in expression and "not bundle" not in expression
    return by_marker or os.environ.get("LONGCAT_BUILD_BUNDLE") == "1"


@pytest.fixture(scope="module")
def bundle(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not _asked_for(request.config):
        pytest.skip(
            "builds the app bundle (slow): run `pytest -m bundle` or set LONGCAT_BUILD_BUNDLE=1"
        )
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail(
            "the bundle test was asked for but PyInstaller is missing: pip install -e '.[bundle]'"
        )
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("work")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(dist),
            "--work",
            str(work),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "self-test passed" in result.stdout, result.stdout
    return dist


@pytest.mark.bundle
@pytest.mark.timeout(900)
def test_the_bundle_passes_its_self_test(bundle: Path) -> None:
    executable = build.executable(bundle)
    assert executable.is_file()
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "PYTHONPATH")}
    env["LONGCAT_NO_CRASH_DIALOG"] = "1"
    # From a folder where the source tree cannot be imported by accident.
    result = subprocess.run(
        [str(executable), "--self-test"],
        cwd=bundle,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "translations: English, 简体中文" in result.stdout
    assert "conversation shown" in result.stdout


@pytest.mark.bundle
@pytest.mark.timeout(900)
def test_the_bundle_is_small_and_holds_only_the_qt_it_uses(bundle: Path) -> None:
    app = build.built_app(bundle)
    size_mb = build.folder_size(app) / 1e6
    print(f"bundle: {size_mb:.1f} MB unpacked")
    assert size_mb < LIMIT_MB
    names = [path.name for path in app.rglob("*")]
    assert not [name for name in names if any(qt in name for qt in UNUSED_QT)]
    translations = [path.name for path in app.rglob("translations/*.qm")]
    assert sorted(translations) == ["longcat_desktop_zh_CN.qm", "qtbase_zh_CN.qm"]
    assert not [p for p in app.rglob("*") if p.is_symlink() and not p.exists()]


@pytest.mark.bundle
@pytest.mark.timeout(900)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the tarball is the Linux release")
def test_the_linux_release_is_a_tarball_around_the_folder(bundle: Path, tmp_path: Path) -> None:
    (tarball,) = bundle.glob("longcat-desktop-*-linux-*.tar.gz")
    with tarfile.open(tarball) as archive:
        top = {name.split("/")[0] for name in archive.getnames()}
        assert len(top) == 1
        member = archive.getmember(f"{top.pop()}/longcat-desktop")
        assert member.mode & 0o111


@pytest.mark.bundle
@pytest.mark.timeout(900)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="desktop entries are for Linux")
def test_the_bundle_installs_its_menu_entry(bundle: Path, tmp_path: Path) -> None:
    executable = build.executable(bundle)
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    subprocess.run([str(executable), "--install-desktop-entry"], env=env, check=True, timeout=60)
    entry = (tmp_path / "applications" / "chat.longcat.Desktop.desktop").read_text(encoding="utf-8")
    assert f"Exec={executable.resolve()}\n" in entry
    assert (tmp_path / "icons/hicolor/256x256/apps/longcat-desktop.png").is_file()
