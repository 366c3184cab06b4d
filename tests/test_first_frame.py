"""What the window's first frame waits for: only what it shows.

Everything here loads on first use instead (a conversation's messages, Markdown, the network,
dialogs), so a start with a key and a data folder paints before any of it is imported.
`python -m benchmarks.bench_startup` measures how long that takes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.processes import REPO_ROOT, app_environment

LOADED_LATER = (
    "asyncio",
    "qasync",
    "httpx",
    "markdown_it",
    "pygments",
    "decimal",
    "uuid",
    "PySide6.QtNetwork",
    # Tools: the MCP SDK and what it brings load when the first tool server starts.
    "mcp",
    "pydantic",
    "anyio",
    "jsonschema",
    "longcat_desktop.tools.connection",
    "longcat_desktop.api.client",
    "longcat_desktop.render.document",
    "longcat_desktop.render.math_images",
    "mdit_py_plugins",
    "ziamath",
    "latex2mathml",
    "longcat_desktop.store.export_html",
    "longcat_desktop.ui.message_widget",
    "longcat_desktop.ui.params_form",
    "longcat_desktop.ui.settings_dialog",
    "longcat_desktop.ui.welcome_panel",
    # Sync: its engine and encryption load with the first sync, its page with Settings.
    "cryptography",
    "longcat_desktop.sync",
    "longcat_desktop.ui.sync_page",
)


def test_the_first_frame_loads_nothing_it_does_not_show(tmp_path: Path) -> None:
    env = app_environment(
        LONGCAT_API_KEY="lc-first-frame-test", LONGCAT_BENCH_MODULES="1", LONGCAT_BENCH_SETTLE="0"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.startup_child",
            "--data-dir",
            str(tmp_path),
            "--base-url",
            "http://127.0.0.1:9",
        ],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    events = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            events[event.pop("event")] = event
    assert "modules" in events, done.stdout + done.stderr
    loaded = set(events["modules"]["names"])
    assert "longcat_desktop.ui.main_window" in loaded
    assert sorted(loaded.intersection(LOADED_LATER)) == []
