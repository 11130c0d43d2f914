"""One station per data folder: an OS file lock held for the life of the process.

The OS drops the lock when the process ends, however it ends (crash, kill, power
loss), so a stale lock file never blocks the next start. fcntl.flock on POSIX,
msvcrt.locking on Windows. The file holds the owner's pid for messages only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

LOCK_FILE = "station.lock"


class StationRunning(RuntimeError):
    """Another Packing Station holds this data folder."""

    def __init__(self, data_dir: Path, pid: str):
        who = f" (process {pid})" if pid else ""
        super().__init__(
            f"Packing Station is already running on {data_dir}{who}. "
            "Close it first, or use that window."
        )
        self.data_dir = data_dir
        self.pid = pid


class InstanceLock:
    """`acquire()` returns False while another process holds the folder."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return False
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            os.fsync(fd)
        except OSError:
            # A full or failing disk: let go of the folder rather than hold it
            # with a descriptor nobody will close; the caller reports the error.
            _unlock(fd)
            os.close(fd)
            raise
        self._fd = fd
        return True

    def acquire_or_raise(self) -> InstanceLock:
        if not self.acquire():
            raise StationRunning(self.data_dir, self.owner_pid())
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None

    def owner_pid(self) -> str:
        """The pid written by the holder, or '' (for messages; never used to decide)."""
        try:
            return self.path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return ""

    def __enter__(self) -> InstanceLock:
        return self.acquire_or_raise()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            # Lock one byte far past the pid, so writing the pid is never blocked.
            os.lseek(fd, 1 << 20, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock locks belong to the open file, so a second open in the same
        # process is refused too (unlike POSIX record locks).
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
