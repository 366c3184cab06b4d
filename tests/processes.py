"""Running the app, or a benchmark of it, in a child process."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def app_environment(**extra: str) -> dict[str, str]:
    """This environment, made fit for a child app: offscreen, no crash dialog, this checkout
    importable, no API key unless `extra` gives one."""
    environment = dict(os.environ)
    environment.pop("LONGCAT_API_KEY", None)
    environment["QT_QPA_PLATFORM"] = "offscreen"
    environment["LONGCAT_NO_CRASH_DIALOG"] = "1"
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment.update(extra)
    return environment
