from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from longcat_desktop.store import Store


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = Store.open(data_dir)
    try:
        yield opened
    finally:
        opened.close()
