"""States are enums whose values are the very texts the schema stores and checks:
no migration, and a state the schema does not know cannot be named in the code."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest
import sqlite_utils

from station.core.model import LabelState
from station.core.upload_states import DeliveryState, OutboxState


def checked_values(db: sqlite_utils.Database, table: str, column: str) -> set[str]:
    """The values of the table's `CHECK (column IN (...))`."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    match = re.search(rf"CHECK \({column} IN \(([^)]*)\)\)", sql)
    assert match is not None, sql
    return set(re.findall(r"'([^']*)'", match.group(1)))


@pytest.mark.parametrize(
    ("table", "column", "states"),
    [
        ("deliveries", "state", DeliveryState),
        ("outbox", "state", OutboxState),
        ("shipments", "label_status", LabelState),
    ],
)
def test_each_state_is_a_value_the_schema_stores(
    db: sqlite_utils.Database, table: str, column: str, states: type[StrEnum]
) -> None:
    assert {s.value for s in states} == checked_values(db, table, column)
