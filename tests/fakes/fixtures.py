"""Pytest fixtures for the fake LongCat server. Registered in tests/conftest.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.fakes.longcat_server import LongCatServer

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def longcat_server() -> Iterator[LongCatServer]:
    """A running fake LongCat server with an empty queue and no records.

    One server per test rather than one per session: it starts in about a millisecond, and a
    test that leaves a stalled stream behind can then never leak into the next one.
    """
    with LongCatServer() as server:
        yield server
        errors = list(server.errors)
    assert not errors, f"the fake server itself failed: {errors!r}"
