"""The Settings dialog's values map onto the declared options, field by field, both ways."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from longcat_desktop.services import options
from longcat_desktop.ui.param_values import ParamValues
from longcat_desktop.ui.settings_mapping import settings_updates, settings_values
from longcat_desktop.ui.settings_values import SettingsValues


def _stored_defaults() -> dict[str, Any]:
    return {option.key: option.default for option in options.OPTIONS}


def test_every_field_the_dialog_edits_is_a_declared_option() -> None:
    keys = set(settings_updates(SettingsValues()))
    expected = {f.name for f in fields(SettingsValues) if f.name != "defaults"} | {
        "default_" + f.name for f in fields(ParamValues)
    }
    assert keys == expected
    assert keys <= set(options.OPTIONS_BY_KEY)


def test_values_read_from_the_options_come_back_as_the_same_updates() -> None:
    stored = _stored_defaults()
    stored.update(
        base_url="https://example.test",
        default_temperature=0.3,
        default_thinking=True,
        default_system_prompt="Be brief.",
        font_size=14,
    )
    values = settings_values(lambda option: stored[option.key])
    assert values.base_url == "https://example.test"
    assert values.defaults == ParamValues("Be brief.", 0.3, None, None, True)
    updates = settings_updates(values)
    assert updates["default_temperature"] == 0.3
    assert updates["font_size"] == 14
    # Enums travel as their plain values, which the options parse back.
    assert updates["api_format"] == "openai"
    assert all(
        options.OPTIONS_BY_KEY[key].parse(value) == options.OPTIONS_BY_KEY[key].parse(stored[key])
        for key, value in updates.items()
    )


def test_shown_values_can_differ_from_stored_ones() -> None:
    stored = _stored_defaults()
    values = settings_values(
        lambda option: stored[option.key],
        lambda name, value: 11 if name == "font_size" and value == 0 else value,
    )
    assert values.font_size == 11
