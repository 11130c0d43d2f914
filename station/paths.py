"""Where the station keeps its data, and where its shipped resources are.

The data folder is private to the operating-system account that runs the station:
it holds the database (PIN hashes, personal data), backups, logs and labels. On
POSIX the folder is 0700 and its files 0600 (the process's umask becomes 0o077
when it opens a data folder, and what is already there is tightened); on Windows
the folder gets an access list that grants only the current user, inherited by
everything in it (icacls).
"""

from __future__ import annotations

import getpass
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import platformdirs

from station.core.bad_input import BadInput

log = logging.getLogger(__name__)

APP_NAME = "PackingStation"
DATA_DIR_ENV = "STATION_DATA_DIR"
PRIVATE_UMASK = 0o077
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


class DataDirUnusable(BadInput):
    """The data folder named is a file, or cannot be made."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, else $STATION_DATA_DIR, else the platform's user data folder;
    created if missing, and made private to this user (keep_private).
    DataDirUnusable when it names a file or cannot be made."""
    chosen = (
        override
        or os.environ.get(DATA_DIR_ENV)
        or platformdirs.user_data_dir(APP_NAME, appauthor=False)
    )
    path = Path(chosen).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise DataDirUnusable(
            f"data folder {path} is a file, not a folder: give --data-dir a folder "
            f"(or set {DATA_DIR_ENV})"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirUnusable(f"cannot make the data folder {path}: {exc.strerror or exc}") from exc
    keep_private(path)
    return path


def keep_private(folder: Path) -> None:
    """Make `folder` and everything in it readable by this user only, and what this
    process creates from now on too (POSIX: umask; Windows: inherited ACL)."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)
        tighten(folder)
    elif sys.platform == "win32":
        _user_only_acl(folder)


def tighten(folder: Path) -> None:
    """POSIX: take group and other permissions off `folder` and everything under it.

    Only `os.chmod` on paths: nothing is opened, so the database's locks held by this
    or another process are undisturbed. Symbolic links are neither followed nor
    changed; what cannot be changed (another owner, a FAT drive) is logged and left."""
    _private(Path(folder))
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            _private(Path(root) / name)


def _private(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode) or not mode & _OTHERS:
            return
        os.chmod(path, stat.S_IMODE(mode) & ~_OTHERS)
    except OSError as exc:
        log.warning("could not make %s private to this user: %s", path, exc)


def _user_only_acl(folder: Path) -> None:
    """Windows: replace the folder's access list with one entry, this user with full
    control, inherited by every file and folder in it (existing ones included)."""
    user = os.environ.get("USERNAME") or getpass.getuser()
    domain = os.environ.get("USERDOMAIN")
    account = f"{domain}\\{user}" if domain else user
    command = ["icacls", str(folder), "/inheritance:r", "/grant:r", f"{account}:(OI)(CI)F"]
    try:
        subprocess.run([*command, "/T", "/C", "/Q"], check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not make %s private to %s (icacls): %s", folder, account, exc)


def resources_dir() -> Path:
    """The `resources/` folder: beside the packages, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
