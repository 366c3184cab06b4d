"""One running copy per data folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from longcat_desktop.store import AlreadyRunningError, DataDirLock
from tests.store.helpers import run_python

_TRY_IN_CHILD = textwrap.dedent(
    """
    from pathlib import Path
    from longcat_desktop.store import AlreadyRunningError, DataDirLock
    try:
        lock = DataDirLock.acquire(Path({path!r}))
    except AlreadyRunningError as error:
        print("REFUSED", error.pid)
    else:
        print("ACQUIRED")
        lock.release()
    """
)


def test_a_second_process_cannot_take_the_folder(tmp_path: Path) -> None:
    with DataDirLock.acquire(tmp_path):
        result = run_python(_TRY_IN_CHILD.format(path=str(tmp_path)))
        assert result.stdout.split() == ["REFUSED", str(os.getpid())], result.stderr
    result = run_python(_TRY_IN_CHILD.format(path=str(tmp_path)))
    assert result.stdout.split() == ["ACQUIRED"], result.stderr


def test_a_second_lock_in_the_same_process_is_refused_too(tmp_path: Path) -> None:
    lock = DataDirLock.acquire(tmp_path / "new")
    try:
        with pytest.raises(AlreadyRunningError) as raised:
            DataDirLock.acquire(tmp_path / "new")
        assert raised.value.pid == os.getpid()
        assert "already running" in str(raised.value)
    finally:
        lock.release()
    lock.release()  # twice is harmless
    DataDirLock.acquire(tmp_path / "new").release()
