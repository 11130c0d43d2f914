"""Sync targets, configured in `sync.toml` in the data folder (several at once).

Secrets never go in this file: the AppSecret or webhook key of each target is
kept in the OS keyring (`station sync secret set NAME`). Example:

    # Every recorded shipment goes to each enabled target, in order.
    [[targets]]
    name = "erp"                      # your name for it; used by `station sync ...`
    kind = "webhook"
    url = "https://erp.example.com/hooks/shipments"
    batch_size = 200                  # records per POST

    [[targets]]
    name = "mini"
    kind = "wechat-miniprogram"       # upload_shipping_info
    appid = "wx1234567890abcdef"
    order_key = "out_trade_no"        # or "transaction_id" (the order number is it)
    mchid = "1230000109"              # needed for out_trade_no
    sources = ["miniprogram"]         # only orders from these sources; empty: all

    [[targets]]
    name = "shop"
    kind = "wechat-shop"              # delivery/send, and pulls orders into the bench
    appid = "wxabcdef1234567890"
    pull_orders = true
    pull_interval_minutes = 5
    sources = ["wechat-shop"]

Optional for every target: `enabled` (true), `timeout_seconds` (15),
`base_url` (WeChat: https://api.weixin.qq.com; tests point it at a local server).
WeChat targets: `settle_seconds` (120, at least timeout_seconds): after an upload
whose answer was lost (timeout, crash), how long to wait before asking WeChat
whether it landed, so a request WeChat is still processing is not sent twice.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.core.bad_input import BadInput
from station.core.option_tables import (
    check_known,
    check_name_and_kind,
    check_names_differ,
    check_types,
)

SYNC_FILE = "sync.toml"
WEBHOOK = "webhook"
MINIPROGRAM = "wechat-miniprogram"
SHOP = "wechat-shop"
KINDS = (WEBHOOK, MINIPROGRAM, SHOP)
WECHAT_KINDS = (MINIPROGRAM, SHOP)
WECHAT_BASE_URL = "https://api.weixin.qq.com"


class SyncConfigError(BadInput):
    pass


@dataclass(frozen=True)
class TargetConfig:
    name: str
    kind: str
    enabled: bool = True
    url: str = ""
    base_url: str = WECHAT_BASE_URL
    appid: str = ""
    mchid: str = ""
    order_key: str = "out_trade_no"
    sources: tuple[str, ...] = ()
    batch_size: int = 0  # 0: the kind's default (webhook 200, WeChat 1: one order per call)
    timeout_seconds: float = 15.0
    # WeChat targets: how long after an upload whose answer was lost the order is
    # looked up (see station.sync.miniprogram.SETTLE_SECONDS); at least timeout_seconds.
    settle_seconds: float = 120.0
    pull_orders: bool = False
    pull_interval_minutes: float = 5.0
    pull_days: int = 3

    @property
    def batch(self) -> int:
        if self.kind != WEBHOOK:
            return 1
        return self.batch_size or 200


NOT_SET_UP = (
    "Uploads not set up: {path} names no upload target. Add one ([[targets]], see the "
    'README, "Orders, carriers and uploads"); until then every shipment waits in the '
    "local queue ({waiting} waiting)."
)
"""What the CLI, the status light's dialog and the dashboard say with no target."""


def load_targets(folder: Path) -> list[TargetConfig]:
    """The targets in `folder/sync.toml`; none when the file does not exist."""
    path = folder / SYNC_FILE
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise SyncConfigError(f"{path} is not valid TOML in UTF-8 ({exc}).") from exc
    except OSError as exc:
        raise SyncConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    raw = data.get("targets", [])
    if not isinstance(raw, list):
        raise SyncConfigError(f"{path}: 'targets' must be an array of tables ([[targets]]).")
    targets = [parse_target(entry, f"{path} target {i + 1}") for i, entry in enumerate(raw)]
    check_names_differ([t.name for t in targets], str(path), "target", SyncConfigError)
    return targets


def bench_targets(configs: list[TargetConfig], hub: bool) -> list[TargetConfig]:
    """The targets a bench's own uploader sends to. With a hub, not the WeChat ones:
    `station hub uploader` sends every bench's shipments to WeChat from one place,
    holding the AppSecret, and the bench needs none."""
    return [c for c in configs if not (hub and c.kind in WECHAT_KINDS)]


def parse_target(entry: Any, where: str) -> TargetConfig:
    if not isinstance(entry, dict):
        raise SyncConfigError(f"{where}: must be a table.")
    defaults = TargetConfig(name="", kind="")
    check_known(entry, defaults, where, SyncConfigError)
    missing = [name for name in ("name", "kind") if name not in entry]
    if missing:
        raise SyncConfigError(f"{where}: needs {' and '.join(missing)}.")
    values = dict(entry)
    if "sources" in values:
        if not isinstance(values["sources"], list) or not all(
            isinstance(s, str) for s in values["sources"]
        ):
            raise SyncConfigError(f"{where}: sources must be a list of strings.")
        values["sources"] = tuple(values["sources"])
    check_types(values, defaults, where, SyncConfigError)
    target = TargetConfig(**values)
    _check(target, where)
    return target


def _check(target: TargetConfig, where: str) -> None:
    check_name_and_kind(target.name, target.kind, KINDS, where, SyncConfigError)
    if target.kind == WEBHOOK and not target.url.startswith(("https://", "http://")):
        raise SyncConfigError(f'{where}: a webhook needs url = "https://...".')
    if target.kind in (MINIPROGRAM, SHOP) and not target.appid:
        raise SyncConfigError(f"{where}: a WeChat target needs its appid.")
    if target.kind == MINIPROGRAM:
        if target.order_key not in ("out_trade_no", "transaction_id"):
            raise SyncConfigError(f"{where}: order_key is out_trade_no or transaction_id.")
        if target.order_key == "out_trade_no" and not target.mchid:
            raise SyncConfigError(f"{where}: order_key out_trade_no needs mchid.")
    if target.timeout_seconds <= 0 or target.batch_size < 0:
        raise SyncConfigError(f"{where}: timeout_seconds and batch_size must be positive.")
    if target.kind in (MINIPROGRAM, SHOP) and target.settle_seconds < target.timeout_seconds:
        raise SyncConfigError(
            f"{where}: settle_seconds ({target.settle_seconds:g}) must be at least "
            f"timeout_seconds ({target.timeout_seconds:g}): an upload whose answer was "
            "lost is looked up only after it."
        )
