"""Finding recorded shipments (voided ones too) for the search window: by order
number, waybill number, the recipient's full name or the phone's last four digits."""

from __future__ import annotations

import sqlite_utils

from station.store.search import Found, find_shipments

__all__ = ["Found", "Search"]


class Search:
    LIMIT = 50
    """At most this many shipments, newest first: a longer list is not read at a bench."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def find(self, text: str) -> list[Found]:
        return find_shipments(self.db, text, limit=self.LIMIT)
