"""A second start wakes the first copy instead of opening a second window."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from longcat_desktop.app import LOG_NAME
from longcat_desktop.single_instance import SingleInstance
from tests.processes import REPO_ROOT, app_environment


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[SingleInstance]:
    first = SingleInstance(tmp_path)
    yield first
    first.close()


def test_a_wake_up_call_reaches_the_listening_copy(
    qtbot: QtBot, tmp_path: Path, instance: SingleInstance
) -> None:
    woken: list[bool] = []
    assert instance.listen(lambda: woken.append(True))
    assert instance.listening
    assert SingleInstance(tmp_path).wake_other()
    qtbot.waitUntil(lambda: woken == [True])


def test_nobody_answers_before_listening(tmp_path: Path, instance: SingleInstance) -> None:
    assert not SingleInstance(tmp_path).wake_other()


def test_listening_twice_keeps_the_first_callback(
    qtbot: QtBot, tmp_path: Path, instance: SingleInstance
) -> None:
    calls: list[str] = []
    assert instance.listen(lambda: calls.append("first"))
    assert not instance.listen(lambda: calls.append("second"))
    assert SingleInstance(tmp_path).wake_other()
    qtbot.waitUntil(lambda: calls == ["first"])


def test_a_closed_instance_does_not_listen_again(tmp_path: Path, instance: SingleInstance) -> None:
    instance.listen(lambda: None)
    instance.close()
    assert not instance.listen(lambda: None)
    assert not instance.listening
    assert not SingleInstance(tmp_path).wake_other()


def test_each_data_folder_has_its_own_copy(tmp_path: Path, instance: SingleInstance) -> None:
    instance.listen(lambda: None)
    other = tmp_path / "other"
    other.mkdir()
    assert not SingleInstance(other).wake_other()


def _log_says(log: Path, text: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.is_file() and text in log.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.05)  # polling another process's log file; no signal to wait on
    return False


def test_a_second_start_brings_the_first_window_forward(tmp_path: Path) -> None:
    env = app_environment(LONGCAT_API_KEY="lc-single-instance-test")
    command = [
        sys.executable,
        "-m",
        "longcat_desktop",
        "--data-dir",
        str(tmp_path),
        "--base-url",
        "http://127.0.0.1:9",
    ]
    log = tmp_path / "logs" / LOG_NAME
    first = subprocess.Popen(
        command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        assert _log_says(log, "Listening for a second start"), "the first copy never listened"
        second = subprocess.run(
            command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 0, second.stdout + second.stderr
        assert "already running" not in second.stderr
        assert _log_says(log, "A second start asked for this window")
        assert first.poll() is None, "the first copy should still be running"
    finally:
        first.kill()
        first.wait(timeout=30)
