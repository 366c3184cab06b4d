"""A tiny-size run of every benchmark, so they never rot: they run and produce numbers.

How fast is not asserted here (the machine is shared); `python -m benchmarks` measures that.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    "startup": ("startup.first_paint_s", "startup.peak_rss_mb"),
    "streaming": (
        "stream.max.rendered_tokens_per_s",
        "stream.max.last_token_to_rendered_ms",
        "stream.max.refresh_ratio",
        "stream.2000.timer_lag_p99_ms",
        "stream.200.rendered_tokens_per_s",
        "stream.code.refresh_ratio",
        "stream.code.timer_lag_p99_ms",
        "stream.code.cpu_percent",
    ),
    "open": ("open.first_paint_ms", "open.switch_ms"),
    "sidebar": ("sidebar.list_ms", "search.keystroke_ms"),
    "memory": ("memory.after_load_rss_mb", "memory.cycle_growth_mb"),
    "decode": ("decode.openai.ratio", "decode.anthropic.ratio"),
    "attachments": ("attach.paste_to_chip_ms", "attach.open_ms", "attach.rss_all_shown_mb"),
    "sync": ("sync.first_upload_s", "sync.noop_ms", "sync.timer_lag_p99_ms"),
    "tools": ("tools.time_server_start_s", "tools.result_to_request_ms"),
}


@pytest.mark.timeout(110)
def test_every_benchmark_runs_and_reports_numbers(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    result = json.loads(out.read_text())
    assert result["failed"] == []
    assert set(result["seconds"]) == set(BENCHMARKS)
    figures = {figure["key"]: figure for figure in result["figures"]}
    for name, keys in EXPECTED.items():
        for key in keys:
            assert key in figures, f"{name}: no figure {key}"
    # Every streaming figure is defined however fast or slow this machine streams.
    checked = {key for keys in EXPECTED.values() for key in keys} | {
        key for key in figures if key.startswith("stream.")
    }
    for key in checked:
        samples = figures[key]["samples"]
        assert samples, key
        assert all(isinstance(v, float) and math.isfinite(v) for v in samples), key
    assert "Summary" in done.stdout
