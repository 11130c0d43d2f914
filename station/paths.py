"""Where the station keeps its data, and where its shipped resources are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "PackingStation"
DATA_DIR_ENV = "STATION_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, else $STATION_DATA_DIR, else the platform's user data folder."""
    chosen = (
        override
        or os.environ.get(DATA_DIR_ENV)
        or platformdirs.user_data_dir(APP_NAME, appauthor=False)
    )
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The `resources/` folder: beside the packages, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
