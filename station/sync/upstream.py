"""What upstream holds for one order, asked with the targets' own look-ups
(mini-program `get_order`, shop `order/get`): before a supervisor releases an order
that may have shipped while the station's records were lost (a restore)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from station.store.outbox import Record
from station.sync.config import MINIPROGRAM, SHOP, load_targets
from station.sync.miniprogram import MiniProgramTarget
from station.sync.outcome import TargetProblem
from station.sync.shop import ShopTarget
from station.sync.targets import build
from station.sync.upstream_view import Upstream


def order_record(db: sqlite_utils.Database, order_no: str) -> Record:
    """The order as a target's look-up takes it: its number and upstream references."""
    row = db.execute("SELECT data FROM order_refs WHERE order_no = ?", [order_no]).fetchone()
    ref = json.loads(row[0]) if row else {}
    return Record(0, "", order_no, "", {}, "", ref)


def check_order(
    folder: Path, db: sqlite_utils.Database, order_no: str, hub_url: str = ""
) -> list[Upstream]:
    """Ask every enabled WeChat target of `folder/sync.toml` that takes this order's
    source; with a hub (`hub_url`), the hub instead, whose uploader alone talks to
    WeChat. Targets that cannot be asked (no secret, offline) say why."""
    if hub_url:
        from station.hub.order_check import hub_view

        return [hub_view(hub_url, order_no)]
    source_row = db.execute("SELECT source FROM orders WHERE order_no = ?", [order_no]).fetchone()
    source = source_row[0] if source_row else ""
    configs = [
        c
        for c in load_targets(folder)
        if c.enabled and c.kind in (MINIPROGRAM, SHOP) and (not c.sources or source in c.sources)
    ]
    built = build(db, configs)
    views = [Upstream(name, None, frozenset(), why) for name, why in built.problems.items()]
    record = order_record(db, order_no)
    for target in built.targets:
        try:
            assert isinstance(target, MiniProgramTarget | ShopTarget), "only WeChat targets"
            views.append(target.look_up(record))
        except TargetProblem as problem:
            views.append(Upstream(target.name, None, frozenset(), problem.reason))
        finally:
            target.close()
    return views
