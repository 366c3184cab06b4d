"""The command line of app.py: options, --version, and `python -m longcat_desktop`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from longcat_desktop import __version__
from longcat_desktop.app import APP_NAME, parse_args
from tests.processes import REPO_ROOT, app_environment


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=app_environment(),
        cwd=REPO_ROOT,
        check=False,
    )


def test_defaults() -> None:
    args = parse_args([])
    assert args.data_dir is None
    assert args.base_url is None
    assert args.api_format is None
    assert args.qt_args == []


def test_every_option() -> None:
    args = parse_args(
        ["--data-dir", "/tmp/x", "--base-url", "http://127.0.0.1:9", "--api-format", "anthropic"]
    )
    assert args.data_dir == Path("/tmp/x")
    assert args.base_url == "http://127.0.0.1:9"
    assert args.api_format == "anthropic"


def test_qt_options_pass_through() -> None:
    args = parse_args(["-platform", "offscreen", "--api-format", "openai"])
    assert args.api_format == "openai"
    assert args.qt_args == ["-platform", "offscreen"]


def test_an_unknown_api_format_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--api-format", "grpc"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"{APP_NAME} {__version__}"


def test_python_m_version() -> None:
    result = _run("-m", "longcat_desktop", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"


def test_python_m_help_lists_the_options() -> None:
    result = _run("-m", "longcat_desktop", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--data-dir", "--base-url", "--api-format", "--version", "--import"):
        assert option in result.stdout


def test_the_entry_point_is_main() -> None:
    result = _run(
        "-c", "from longcat_desktop.app import main; raise SystemExit(main(['--version']))"
    )
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout
