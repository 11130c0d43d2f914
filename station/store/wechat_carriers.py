"""WeChat's carrier lists, as each WeChat target last fetched them.

A WeChat upload names its carrier by a code from WeChat's own list (mini-program
`get_delivery_list`, WeChat Shop `deliverycompanylist/new/get`); a code WeChat
does not know is refused at upload, after the parcel has left. So the uploader
fetches each WeChat target's list at its first run of the day
(`station.sync.carrier_lists`) and keeps it here, in the target's sync state, with
the order sources the target takes; `carriers set` and the bench check codes
against them before anything is packed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from station.core.carriers import WECHAT_CODES
from station.store.deliveries import get_state, save_state

CODES, DAY, SOURCES = "delivery_list", "delivery_list_day", "delivery_list_sources"


@dataclass(frozen=True, slots=True)
class CarrierList:
    target: str
    codes: frozenset[str]
    sources: tuple[str, ...]  # the order sources the target uploads; empty: all
    day: str

    def covers(self, source: str) -> bool:
        return not self.sources or source in self.sources


def save_list(
    db: sqlite_utils.Database,
    target: str,
    codes: Iterable[str],
    sources: Iterable[str],
    day: str,
) -> None:
    save_state(
        db,
        target,
        {
            CODES: " ".join(sorted({c.upper() for c in codes})),
            SOURCES: " ".join(sources),
            DAY: day,
        },
    )


def fetched_on(db: sqlite_utils.Database, target: str) -> str | None:
    return get_state(db, target, DAY)


def carrier_lists(db: sqlite_utils.Database) -> list[CarrierList]:
    """Every WeChat target's last fetched list."""
    rows = db.execute(
        "SELECT target, key, value FROM sync_state WHERE key IN (?, ?, ?)", (CODES, DAY, SOURCES)
    ).fetchall()
    by_target: dict[str, dict[str, str]] = {}
    for target, key, value in rows:
        by_target.setdefault(target, {})[key] = value
    return [
        CarrierList(
            target,
            frozenset(values.get(CODES, "").split()),
            tuple(values.get(SOURCES, "").split()),
            values.get(DAY, ""),
        )
        for target, values in sorted(by_target.items())
        if CODES in values
    ]


def known_codes(db: sqlite_utils.Database) -> frozenset[str]:
    """The codes every WeChat target knows; the documented list before any was fetched."""
    lists = carrier_lists(db)
    if not lists:
        return WECHAT_CODES
    return frozenset.intersection(*(found.codes for found in lists))


def refusing_target(db: sqlite_utils.Database, code: str, source: str) -> str | None:
    """The WeChat target that would refuse `code` for an order from `source` (its
    list lacks it), or None when every target taking such orders knows the code."""
    for found in carrier_lists(db):
        if found.covers(source) and code.upper() not in found.codes:
            return found.target
    return None
