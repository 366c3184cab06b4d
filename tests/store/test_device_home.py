"""A data folder's home: the machine and the place of its database, as one fingerprint."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from longcat_desktop.store import device_home


def test_the_machine_is_named_by_its_machine_id_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreadable, machine_id = tmp_path / "missing", tmp_path / "machine-id"
    machine_id.write_text("4a1e8c5f0b9d4c2e8f7a6b5c4d3e2f10\n", encoding="ascii")
    monkeypatch.setattr(device_home, "_MACHINE_ID_FILES", (unreadable, machine_id))
    assert device_home.machine_identity() == "4a1e8c5f0b9d4c2e8f7a6b5c4d3e2f10"


def test_without_a_machine_id_the_host_name_stands_for_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "machine-id"
    empty.write_text("\n", encoding="ascii")
    monkeypatch.setattr(device_home, "_MACHINE_ID_FILES", (tmp_path / "missing", empty))
    assert device_home.machine_identity() == socket.gethostname()


def test_the_home_changes_with_the_place_or_the_machine_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "data" / "longcat.db"
    database.parent.mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data")
    home = device_home.device_home(database)
    assert len(home) == 64
    # The same file by another path to it is the same home.
    assert device_home.device_home(tmp_path / "link" / "longcat.db") == home
    assert device_home.device_home(tmp_path / "other" / "longcat.db") != home
    monkeypatch.setattr(device_home, "machine_identity", lambda: "another machine")
    assert device_home.device_home(database) != home
