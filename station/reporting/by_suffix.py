"""Reports written as CSV or PDF, chosen by the file's suffix."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from printers.files import written_whole

R = TypeVar("R")


def write_by_suffix(
    report: R, path: Path, writers: Mapping[str, Callable[[R, Path], object]], what: str
) -> Path:
    """Write the report with the writer for the file's suffix, whole or not at all (a
    full disk leaves no empty or cut-short file behind). `what` names the report in
    the message for a suffix no writer takes."""
    writer = writers.get(path.suffix.lower())
    if writer is None:
        kinds = " or ".join(writers)
        raise ValueError(f"{path.name}: {what} is written as {kinds}.")
    with written_whole(path) as temporary:
        writer(report, temporary)
    return path
