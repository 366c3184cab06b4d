"""Settings: declared defaults, bad values replaced with warnings, atomic saves."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import cast

import pytest

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.store import Settings, SettingsSaveError
from longcat_desktop.store import settings as options
from longcat_desktop.store.settings import OPTIONS, Theme


def test_defaults_without_a_file(tmp_path: Path) -> None:
    loaded = Settings.load(tmp_path / "settings.json")
    assert loaded.warnings == []
    assert loaded.get(options.BASE_URL) == "https://api.longcat.chat"
    assert loaded.get(options.API_FORMAT) is ApiFormat.OPENAI
    assert loaded.get(options.DEFAULT_MODEL) == "LongCat-2.0"
    assert loaded.get(options.THEME) is Theme.SYSTEM
    assert loaded.get(options.DEFAULT_TEMPERATURE) is None
    for option in OPTIONS:
        assert loaded.get(option) == option.default
        # Every default is acceptable to its own option.
        loaded.set(option, option.default)


def test_saved_values_come_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    saved = Settings(path)
    saved.set(options.THEME, Theme.DARK)
    saved.set(options.FONT_SIZE, 14)
    saved.set(options.DEFAULT_TEMPERATURE, 0.3)
    saved.set(options.WINDOW_GEOMETRY, "AdnQywADAAA=")
    saved.save()
    loaded = Settings.load(path)
    assert loaded.warnings == []
    assert loaded.get(options.THEME) is Theme.DARK
    assert loaded.get(options.FONT_SIZE) == 14
    assert loaded.get(options.DEFAULT_TEMPERATURE) == 0.3
    assert loaded.get(options.WINDOW_GEOMETRY) == "AdnQywADAAA="
    assert json.loads(path.read_text())["values"]["theme"] == "dark"


def test_invalid_values_fall_back_to_defaults_with_warnings(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "values": {
                    "theme": "purple",
                    "font_size": "big",
                    "default_temperature": 7,
                    "default_max_tokens": True,
                    "base_url": "ftp://nowhere",
                    "language": "zh_CN",
                },
            }
        )
    )
    loaded = Settings.load(path)
    assert loaded.get(options.THEME) is Theme.SYSTEM
    assert loaded.get(options.FONT_SIZE) == 0
    assert loaded.get(options.DEFAULT_TEMPERATURE) is None
    assert loaded.get(options.DEFAULT_MAX_TOKENS) is None
    assert loaded.get(options.BASE_URL) == "https://api.longcat.chat"
    assert loaded.get(options.LANGUAGE) == "zh_CN"
    assert len(loaded.warnings) == 5
    assert any("'theme'" in str(w) and "purple" in str(w) for w in loaded.warnings)


def test_unknown_keys_are_reported_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "values": {"from_the_future": [1, 2]}}))
    loaded = Settings.load(path)
    assert [str(w) for w in loaded.warnings] == ["Unknown setting 'from_the_future' ignored."]
    loaded.save()
    assert json.loads(path.read_text())["values"]["from_the_future"] == [1, 2]


def test_an_api_key_is_never_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"values": {"api_key": "sk-should-not-be-here"}}))
    loaded = Settings.load(path)
    assert loaded.warnings
    loaded.save()
    assert "sk-should-not-be-here" not in path.read_text()


@pytest.mark.parametrize("content", [b"{broken", b"[1, 2]", b"\xff\xfe", b'{"values": 3}'])
def test_an_unreadable_file_gives_defaults_and_is_kept(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    loaded = Settings.load(path)
    assert loaded.warnings
    assert loaded.get(options.THEME) is Theme.SYSTEM
    kept = [p for p in tmp_path.iterdir() if p.name != "settings.json"]
    assert [p.read_bytes() for p in kept] == ([content] if content != b'{"values": 3}' else [])


def test_set_refuses_a_bad_value() -> None:
    settings = Settings(Path("unused.json"))
    with pytest.raises(ValueError, match="between"):
        settings.set(options.FONT_SIZE, 500)
    with pytest.raises(ValueError, match="one of"):
        settings.set(options.THEME, cast(Theme, "neon"))


def test_a_failed_save_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(path)
    settings.set(options.FONT_SIZE, 12)
    settings.save()
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    settings.set(options.FONT_SIZE, 20)
    with pytest.raises(SettingsSaveError, match="No space left"):
        settings.save()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"

    def fail(descriptor: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(SettingsSaveError):
        Settings(path).save()
    assert list(tmp_path.iterdir()) == []
