"""Whether this process opened a file: Linux inotify, read through ctypes (no dependency).

Qt reads an `<img src="file:...">` of rich text in C++, where no Python hook sees it; the
kernel does. Elsewhere `FileOpenWatch.available` is False and `opened()` says nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from types import TracebackType

_IN_ACCESS = 0x001
_IN_OPEN = 0x020


class FileOpenWatch:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = -1
        self.events = 0

    @property
    def available(self) -> bool:
        return self._fd >= 0

    def __enter__(self) -> FileOpenWatch:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
            if (
                fd >= 0
                and libc.inotify_add_watch(fd, os.fsencode(self.path), _IN_OPEN | _IN_ACCESS) >= 0
            ):
                self._fd = fd
            elif fd >= 0:
                os.close(fd)
        return self

    def opened(self) -> bool:
        """True once anything opened or read the file since the watch began."""
        while self.available:
            try:
                chunk = os.read(self._fd, 4096)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.events += 1
        return self.events > 0

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
