"""One uploader per data folder: an OS file lock, released by the OS when the
holder dies (even by kill -9), so a crashed uploader never blocks the next.

A database restore takes the same lock (after the station's instance lock, the
order the app takes them in too), so an uploader cannot start while a restore
replaces the file under it, and a restore refuses while an uploader runs. The
file holds the holder's pid, and the word `restore` when a restore holds it
(for messages only; the OS lock alone decides).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

LOCK_FILE = "sync.lock"


class Holder(StrEnum):
    UPLOADER = "uploader"
    RESTORE = "restore"


class UploaderLock:
    def __init__(self, folder: Path, purpose: Holder = Holder.UPLOADER):
        self.path = folder / LOCK_FILE
        self.purpose = purpose
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another uploader (or a restore)
        holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        note = str(os.getpid())
        if self.purpose is Holder.RESTORE:
            note += f" {Holder.RESTORE}"
        os.write(fd, note.encode())
        self._fd = fd
        return True

    def holder(self) -> str:
        """The holder's pid, or '?'."""
        return self._note()[0]

    def held_by_restore(self) -> bool:
        return self._note()[1:] == [str(Holder.RESTORE)]

    def _note(self) -> list[str]:
        try:
            words = self.path.read_text().split()
        except OSError:
            words = []
        return words or ["?"]

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
