"""Screenshots of the real window under Xvfb: light and dark main window, the settings dialog.

The PNGs go to $LONGCAT_SCREENSHOT_DIR (default: a temporary folder); the ones in the README
are made the same way with `python -m tests.ui.screenshots docs/screenshots`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO_ROOT = Path(__file__).resolve().parents[2]
NAMES = ("main-light.png", "main-dark.png", "settings.png", "math.png")


def _distinct_colours(image: QImage, step: int = 4) -> int:
    colours = {
        image.pixel(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    }
    return len(colours)


def _mean_brightness(image: QImage, step: int = 8) -> float:
    values = [
        image.pixelColor(x, y).lightnessF()
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    return sum(values) / len(values)


@pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is missing: no X server for screenshots"
)
def test_screenshots_of_the_main_window_and_settings(tmp_path: Path) -> None:
    out_dir = Path(os.environ.get("LONGCAT_SCREENSHOT_DIR") or tmp_path / "screenshots")
    environment = dict(os.environ)
    environment.pop("QT_QPA_PLATFORM", None)  # the real xcb platform, on Xvfb
    environment.pop("LONGCAT_API_KEY", None)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    result = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            sys.executable,
            "-m",
            "tests.ui.screenshots",
            str(out_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    images = {}
    for name in NAMES:
        path = out_dir / name
        assert path.is_file(), f"{name} was not written"
        image = QImage(str(path))
        assert not image.isNull(), f"{name} is not a readable PNG"
        images[name] = image
        # A real window: many colours (text, icons, code highlighting), not a blank grab.
        assert _distinct_colours(image) > 40, f"{name} looks blank"
    assert images["main-light.png"].width() >= 1000
    assert images["main-light.png"].height() >= 600
    # The dark theme is dark and the light one light.
    assert _mean_brightness(images["main-light.png"]) > 0.7
    assert _mean_brightness(images["main-dark.png"]) < 0.3
