"""Where the station keeps its data, and where its shipped resources are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from station.core.bad_input import BadInput

APP_NAME = "PackingStation"
DATA_DIR_ENV = "STATION_DATA_DIR"


class DataDirUnusable(BadInput):
    """The data folder named is a file, or cannot be made."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, else $STATION_DATA_DIR, else the platform's user data folder
    (made when missing). DataDirUnusable when it names a file or cannot be made."""
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
    return path


def resources_dir() -> Path:
    """The `resources/` folder: beside the packages, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
