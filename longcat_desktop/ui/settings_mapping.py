"""Settings as the dialog edits them, read from and written to the declared options.

Generated from the declarations rather than written out field by field: a field of
`SettingsValues` is the option of the same key, a field of its `defaults` is the option
`default_<field>`. A new setting is a declared option and a field of that name; nothing here
changes. Enum values travel as their plain string values, which the options parse back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields
from enum import Enum
from typing import Any

from longcat_desktop.services import options
from longcat_desktop.ui.param_values import ParamValues
from longcat_desktop.ui.settings_values import SettingsValues

# The group of fields that are the defaults for new conversations.
DEFAULTS_FIELD = "defaults"
DEFAULTS_PREFIX = "default_"


def _fields() -> Iterator[tuple[str | None, str, options.Option[Any]]]:
    """(group, field, option) for every field the dialog edits."""
    for field in fields(SettingsValues):
        if field.name == DEFAULTS_FIELD:
            for inner in fields(ParamValues):
                yield (
                    DEFAULTS_FIELD,
                    inner.name,
                    options.OPTIONS_BY_KEY[DEFAULTS_PREFIX + inner.name],
                )
        else:
            yield None, field.name, options.OPTIONS_BY_KEY[field.name]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def settings_values(
    get: Callable[[options.Option[Any]], Any],
    shown: Callable[[str, Any], Any] = lambda _name, value: value,
) -> SettingsValues:
    """What the dialog shows. `shown(field, stored)` turns a stored value into the one shown
    (the language in use for "system", the system's font size for 0)."""
    top: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for group, name, option in _fields():
        value = shown(name, _plain(get(option)))
        (defaults if group == DEFAULTS_FIELD else top)[name] = value
    return SettingsValues(**top, defaults=ParamValues(**defaults))


def settings_updates(values: SettingsValues) -> dict[str, Any]:
    """The options to store for what the dialog applied, by key."""
    updates: dict[str, Any] = {}
    for group, name, option in _fields():
        source = values.defaults if group == DEFAULTS_FIELD else values
        updates[option.key] = getattr(source, name)
    return updates
