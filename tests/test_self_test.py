"""`longcat-desktop --self-test` passes here, and says what failed when something is missing."""

from __future__ import annotations

import os
import subprocess
import sys

from longcat_desktop.self_test import Checks
from tests.packaging.tools import ROOT


def test_the_self_test_passes_in_a_fresh_process() -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["LONGCAT_NO_CRASH_DIALOG"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "longcat_desktop", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for name in ("database", "main window", "conversation shown", "Markdown rendering"):
        assert f"  ok   {name}" in out
    assert "platform offscreen" in out
    assert "self-test passed" in out


def test_a_failed_check_is_reported_and_the_rest_still_run() -> None:
    lines: list[str] = []
    checks = Checks(lines.append)

    def broken() -> str:
        raise RuntimeError("no lexers")

    assert checks.check("highlighting", broken) is False
    assert checks.check("database", lambda: "fine") is True
    assert checks.failed == ["highlighting"]
    assert checks.passed == 1
    assert lines[0] == "  FAIL highlighting: RuntimeError: no lexers"
    assert "  ok   database: fine" in lines
