"""One running copy per data folder: an exclusive lock on a file in it.

The operating system releases the lock when the process ends, however it ends, so a crash never
leaves the folder locked. The file holds the owner's process id, for the message to the user.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import TracebackType

from longcat_desktop.domain.user_texts import FOLDER_NOT_WRITABLE
from longcat_desktop.store.errors import AlreadyRunningError, StorageAccessError

LOCK_NAME = "longcat.lock"
# Windows locks byte ranges, and a locked byte cannot be read by the other copy: lock one far
# past the pid (locking beyond the end of a file is allowed), so the pid stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


def _try_lock(descriptor: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(descriptor: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(descriptor, fcntl.LOCK_UN)


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class DataDirLock:
    """Held for the life of the app: `lock = DataDirLock.acquire(data_dir)` ... `lock.release()`."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor

    @classmethod
    def acquire(cls, data_dir: Path, name: str = LOCK_NAME) -> DataDirLock:
        """Raises AlreadyRunningError (with the other process's id if known)."""
        path = data_dir / name
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise StorageAccessError(FOLDER_NOT_WRITABLE(data_dir, error.strerror)) from error
        if not _try_lock(descriptor):
            os.close(descriptor)
            raise AlreadyRunningError(data_dir, _read_pid(path))
        pid = f"{os.getpid()}\n".encode("ascii")
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, pid)
        return cls(path, descriptor)

    def release(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        with contextlib.suppress(OSError):
            _unlock(descriptor)
        os.close(descriptor)

    def __enter__(self) -> DataDirLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
