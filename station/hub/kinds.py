"""What the hub sets for every bench, and which of it a bench has taken from the hub.

Imports neither psycopg nor Qt: the bench's own commands ask it whether a local
change would be overwritten by the hub (`local_refusal`).
"""

from __future__ import annotations

from enum import StrEnum

import sqlite_utils

from station.hub.port import TARGET_NAME
from station.settings import Settings
from station.store import deliveries


class Kind(StrEnum):
    """What the hub sets for every bench, in the order a bench applies them
    (carriers before the rates and rules that name them)."""

    PRODUCTS = "products"
    CARRIERS = "carriers"
    RATES = "rates"
    ROUTING = "routing"
    USERS = "users"


HUB_COMMANDS = {
    Kind.PRODUCTS: "station hub products import FILE",
    Kind.CARRIERS: "station hub carriers import FILE",
    Kind.RATES: "station hub rates import FILE",
    Kind.ROUTING: "station hub routing import FILE",
    Kind.USERS: "station hub users add|set-pin|remove NAME",
}


def revision_key(kind: Kind) -> str:
    """The `sync_state` key (target `hub`) of the last revision of `kind` applied."""
    return f"{kind.value}_revision"


def applied_revision(db: sqlite_utils.Database, kind: Kind) -> int:
    return int(deliveries.get_state(db, TARGET_NAME, revision_key(kind)) or 0)


def local_refusal(db: sqlite_utils.Database, settings: Settings, kind: Kind) -> str | None:
    """Why a local change to `kind` is refused at this bench, or None. Refused when
    the bench has a hub and has taken this kind from it: the hub's next change
    would overwrite the local one, and the other benches would not have it."""
    if not settings["hub.url"] or applied_revision(db, kind) == 0:
        return None
    return (
        f"this bench takes its {kind.value} from the warehouse hub (hub.url is set), "
        f"which would overwrite a change made here: make it at the hub with "
        f"`{HUB_COMMANDS[kind]}` (--as NAME), and every bench gets it."
    )
