"""Recorded times as a person reads them: local time, to the minute or second."""

from __future__ import annotations

from datetime import datetime


def local_time(iso_time: str, seconds: bool = False) -> str:
    """`2026-12-04T16:45:45.714Z` -> `2026-12-05 00:45` (in this computer's time zone).

    A time without a zone is taken as it is; text that is no time at all is
    returned unchanged rather than hidden."""
    try:
        moment = datetime.fromisoformat(iso_time.strip().replace("Z", "+00:00"))
    except ValueError:
        return iso_time
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
