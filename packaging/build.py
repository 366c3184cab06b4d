"""Build the double-click app for this OS with PyInstaller, archive it, and check it starts.

    pip install -e '.[bundle]'          # the app, plus PyInstaller
    python packaging/build.py           # dist/longcat-desktop/ (or dist/LongCat Desktop.app)
                                        # and dist/longcat-desktop-<version>-<os>-<arch>.<ext>
    python packaging/build.py --no-archive --no-self-test

Linux: a folder with the `longcat-desktop` executable, in a .tar.gz (unpack anywhere; run
`./longcat-desktop --install-desktop-entry` once to add it to the application menu).
Windows: a folder with `longcat-desktop.exe` (icon, no console window), in a .zip.
macOS: `LongCat Desktop.app`, in a .zip made with `ditto` (keeps signatures and symlinks);
sign it first if LONGCAT_CODESIGN_IDENTITY is set (see packaging/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "longcat-desktop.spec"
EXECUTABLE = "longcat-desktop"
APP_BUNDLE = "LongCat Desktop.app"


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "longcat_desktop" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def os_name() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(
        sys.platform, sys.platform.rstrip("0123456789")
    )


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}.get(machine, machine)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def built_app(dist: Path) -> Path:
    """The folder (or .app) a user gets."""
    return dist / APP_BUNDLE if sys.platform == "darwin" else dist / EXECUTABLE


def executable(dist: Path) -> Path:
    if sys.platform == "darwin":
        return dist / APP_BUNDLE / "Contents" / "MacOS" / EXECUTABLE
    suffix = ".exe" if sys.platform == "win32" else ""
    return dist / EXECUTABLE / f"{EXECUTABLE}{suffix}"


def run_pyinstaller(dist: Path, work: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    subprocess.run(command, check=True, cwd=ROOT)


def archive(dist: Path) -> Path:
    app = built_app(dist)
    stem = f"{EXECUTABLE}-{version()}-{os_name()}-{arch()}"
    if sys.platform == "darwin":
        target = dist / f"{stem}.zip"
        # ditto keeps the bundle's symlinks, permissions and code signature intact.
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(app), str(target)], check=True)
    elif sys.platform == "win32":
        target = dist / f"{stem}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive_file:
            for path in sorted(app.rglob("*")):
                archive_file.write(path, Path(stem) / path.relative_to(app))
    else:
        target = dist / f"{stem}.tar.gz"
        with tarfile.open(target, "w:gz", compresslevel=6) as archive_file:
            archive_file.add(app, arcname=stem)
    return target


def self_test(dist: Path) -> int:
    env = dict(os.environ, LONGCAT_NO_CRASH_DIALOG="1")
    env.pop("QT_QPA_PLATFORM", None)
    # Nothing of the developer's environment may help the bundle find its modules.
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(executable(dist)), "--self-test"], env=env, cwd=dist, timeout=180, check=False
    )
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-archive", action="store_true", help="leave the folder unpacked")
    parser.add_argument("--no-self-test", action="store_true", help="do not start the result")
    args = parser.parse_args(argv)

    started = time.monotonic()
    app = built_app(args.dist)
    if app.exists():
        shutil.rmtree(app)
    run_pyinstaller(args.dist, args.work)
    size = folder_size(app)
    print(f"built {app} ({size / 1e6:.1f} MB unpacked) in {time.monotonic() - started:.0f} s")
    if not args.no_archive:
        target = archive(args.dist)
        print(f"archived {target} ({target.stat().st_size / 1e6:.1f} MB)")
    if not args.no_self_test:
        code = self_test(args.dist)
        if code != 0:
            print(f"the built app failed its self-test (exit code {code})", file=sys.stderr)
            return code
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
