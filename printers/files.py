"""Files written whole or not at all: a label or manifest is never left empty or cut
short in its folder by a full disk or a crash.

The content goes to a hidden temporary file in the same folder, is flushed to the
disk (fsync), and only then renamed to its name in one step (os.replace). On any
failure the temporary file is removed and the name was never there.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PART_SUFFIX = ".part"
STALE_PART_S = 3600.0
"""A temporary file this old was left by a process killed while writing it."""


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` for a writer that wants a file name (reportlab,
    csv): when the block ends normally, the file is synced and renamed to `path`
    (replacing it); when it raises, the temporary file is removed. The file is
    readable by its owner only (it may hold parts of addresses). A folder that does
    not exist is a FileNotFoundError naming `path`; something that is there and is
    not a regular file (a device such as /dev/stdout) is written as it is."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    if path.exists() and not path.is_file():
        yield path
        return
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART_SUFFIX)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        _sync(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (see the module docstring)."""
    with written_whole(path) as temporary:
        temporary.write_bytes(data)


def remove_stale_parts(folder: Path, now: float | None = None) -> None:
    """Remove the temporary files that processes killed mid-write left in `folder` (an
    hour old: a write in progress is never touched). They are hidden, never a label,
    but would pile up."""
    cutoff = (time.time() if now is None else now) - STALE_PART_S
    for part in folder.glob(f".*{PART_SUFFIX}"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except FileNotFoundError:
            continue


def _sync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
